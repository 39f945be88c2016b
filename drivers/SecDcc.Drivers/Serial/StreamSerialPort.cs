namespace SecDcc.Drivers.Serial;

/// <summary>
/// An <see cref="ISerialPort"/> over any duplex <see cref="Stream"/>, so a TCP link (a NetworkStream) or an
/// in-memory pipe can stand in for a serial line. Line settings are recorded but have no effect.
/// </summary>
public sealed class StreamSerialPort : ISerialPort
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private volatile bool _hungUp;

    /// <param name="stream">A readable and writable stream.</param>
    /// <param name="name">What the stream is, for messages ("tcp 127.0.0.1:4059").</param>
    /// <param name="ownsStream">Dispose the stream with the port.</param>
    public StreamSerialPort(Stream stream, string name, SerialSettings? settings = null, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        if (!stream.CanRead || !stream.CanWrite)
        {
            throw new ArgumentException($"{name}: a serial line needs a stream that can both read and write", nameof(stream));
        }

        _stream = stream;
        Name = name;
        Settings = settings ?? new SerialSettings();
        _ownsStream = ownsStream;
    }

    public string Name { get; }

    public SerialSettings Settings { get; private set; }

    public bool IsHungUp => _hungUp;

    public void Configure(SerialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(Name);
        Settings = settings;
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_hungUp)
        {
            throw SerialErrors.AlreadyHungUp(Name, "read");
        }

        if (buffer.IsEmpty)
        {
            return 0;
        }

        var timeout = Settings.ReadTimeout;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            linked.CancelAfter(timeout);
        }

        int n;
        try
        {
            n = await _stream.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw SerialErrors.ReadTimedOut(Name, timeout);
        }

        if (n == 0)
        {
            _hungUp = true;
            throw SerialErrors.HungUp(Name, "read", "the stream ended");
        }

        return n;
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        if (_hungUp)
        {
            throw SerialErrors.AlreadyHungUp(Name, "write");
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await _stream.WriteAsync(data, cancellationToken).ConfigureAwait(false);
            await _stream.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public ValueTask DrainAsync(CancellationToken cancellationToken = default) => new(_stream.FlushAsync(cancellationToken));

    public void Discard(SerialBuffers buffers)
    {
        // A stream has no driver queue to throw away; what was written is already in flight.
    }

    public void Dispose()
    {
        if (_ownsStream)
        {
            _stream.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_ownsStream)
        {
            await _stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
