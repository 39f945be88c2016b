using System.Buffers;

namespace SecDcc.Drivers.Serial;

/// <summary>A <see cref="Stream"/> over an <see cref="ISerialPort"/>, for code that reads and writes streams.</summary>
/// <remarks>
/// A hang-up reads as end of stream (0), as a closed socket does, and <see cref="ISerialPort.IsHungUp"/>
/// says which it was; a write after a hang-up throws. Read timeouts follow the port's settings.
/// </remarks>
public sealed class SerialPortStream : Stream
{
    private readonly ISerialPort _port;
    private readonly bool _ownsPort;

    /// <param name="port">The port to read and write.</param>
    /// <param name="ownsPort">Dispose the port with the stream; leave false when the port is shared.</param>
    public SerialPortStream(ISerialPort port, bool ownsPort = false)
    {
        ArgumentNullException.ThrowIfNull(port);
        _port = port;
        _ownsPort = ownsPort;
    }

    public ISerialPort Port => _port;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override bool CanTimeout => true;

    public override long Length => throw new NotSupportedException($"{_port.Name} is a serial line and has no length");

    public override long Position
    {
        get => throw new NotSupportedException($"{_port.Name} is a serial line and has no position");
        set => throw new NotSupportedException($"{_port.Name} is a serial line and cannot seek");
    }

    public override int ReadTimeout
    {
        get => ToMilliseconds(_port.Settings.ReadTimeout);
        set => _port.Configure(_port.Settings with { ReadTimeout = FromMilliseconds(value) });
    }

    public override int WriteTimeout
    {
        get => ToMilliseconds(_port.Settings.WriteTimeout);
        set => _port.Configure(_port.Settings with { WriteTimeout = FromMilliseconds(value) });
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_port.IsHungUp)
        {
            return 0;
        }

        try
        {
            return await _port.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (SerialPortException e) when (e.Error == SerialError.HungUp)
        {
            return 0;
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        // The port completes its waits on a thread of its own, so blocking here cannot deadlock.
        var rented = ArrayPool<byte>.Shared.Rent(buffer.Length);
        try
        {
            var n = ReadAsync(rented.AsMemory(0, buffer.Length), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            rented.AsSpan(0, n).CopyTo(buffer);
            return n;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
        _port.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        _port.WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) =>
        _port.WriteAsync(buffer.AsMemory(offset, count), CancellationToken.None).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
        // Writes go straight to the driver; nothing is buffered here. DrainAsync waits for the wire.
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) =>
        throw new NotSupportedException($"{_port.Name} is a serial line and cannot seek");

    public override void SetLength(long value) =>
        throw new NotSupportedException($"{_port.Name} is a serial line and has no length");

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsPort)
        {
            _port.Dispose();
        }

        base.Dispose(disposing);
    }

    private static int ToMilliseconds(TimeSpan t) =>
        t == Timeout.InfiniteTimeSpan ? Timeout.Infinite : (int)Math.Min(t.TotalMilliseconds, int.MaxValue);

    private static TimeSpan FromMilliseconds(int ms) =>
        ms == Timeout.Infinite ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(ms);
}

public static class SerialPortExtensions
{
    /// <summary>A <see cref="Stream"/> over the port; see <see cref="SerialPortStream"/>.</summary>
    public static SerialPortStream AsStream(this ISerialPort port, bool ownsPort = false) => new(port, ownsPort);
}
