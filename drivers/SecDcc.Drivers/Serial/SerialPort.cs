using SecDcc.Drivers.Interop;

namespace SecDcc.Drivers.Serial;

/// <summary>
/// A serial port (or either end of a pseudo-terminal) opened through termios: the façade that checks
/// arguments and state, over a driver that only does the syscalls.
/// </summary>
/// <remarks>
/// <para>Open with <see cref="Open"/>. The port is locked for this process (flock and TIOCEXCL) unless
/// <see cref="SerialOpenOptions.Exclusive"/> is off, and configured raw with the given settings, which are
/// read back to make sure the driver took them.</para>
/// <para>Reads and writes may run at the same time as each other; concurrent reads are served one after the
/// other, as are concurrent writes, and the bytes of one write are never interleaved with another's.</para>
/// <para>Once the line hangs up, every later call fails at once with <see cref="SerialError.HungUp"/>.</para>
/// </remarks>
public sealed class SerialPort : ISerialPort
{
    private readonly PosixTerminal _terminal;
    private readonly SemaphoreSlim _readGate = new(1, 1);
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly bool _locked;
    private SerialSettings _settings;
    private volatile bool _hungUp;
    private int _disposed;

    private SerialPort(PosixTerminal terminal, SerialSettings settings, bool locked)
    {
        _terminal = terminal;
        _settings = settings;
        _locked = locked;
    }

    public string Name => _terminal.Name;

    public SerialSettings Settings => _settings;

    public bool IsHungUp => _hungUp;

    /// <summary>True when this is a pseudo-terminal slave, whose kernel driver ignores data bits and parity.</summary>
    public bool IsPseudoTerminal => _terminal.IsPseudoTerminalSlave;

    /// <summary>Opens, locks and configures the port at <paramref name="path"/>.</summary>
    /// <exception cref="ArgumentException">The settings are not ones the driver can set.</exception>
    /// <exception cref="SerialPortException">
    /// The port is missing (<see cref="SerialError.NotFound"/>), held by another opener (<see cref="SerialError.Busy"/>),
    /// not permitted (<see cref="SerialError.PermissionDenied"/>), not a terminal (<see cref="SerialError.NotATerminal"/>),
    /// or its driver refused the settings (<see cref="SerialError.SettingsRejected"/>).
    /// </exception>
    public static SerialPort Open(string path, SerialSettings settings, SerialOpenOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate(path);
        options ??= new SerialOpenOptions();

        var terminal = PosixTerminal.Open(path);
        try
        {
            if (options.Exclusive)
            {
                terminal.LockExclusive();
            }

            var port = new SerialPort(terminal, settings, options.Exclusive);
            port.ApplySettings(settings);
            if (options.DiscardStaleInput)
            {
                terminal.Flush(SerialBuffers.Input);
            }

            return port;
        }
        catch (Exception)
        {
            if (options.Exclusive)
            {
                terminal.ReleaseExclusive();
            }

            terminal.Dispose();
            throw;
        }
    }

    /// <summary>Wraps the master side of a pseudo-terminal; its settings are those of the slave side.</summary>
    internal static SerialPort FromPseudoTerminalMaster(SafeFdHandle master, string name)
    {
        var terminal = PosixTerminal.Adopt(master, name);
        var settings = LineSettings.Read(terminal.GetAttributes(), new SerialSettings());
        return new SerialPort(terminal, settings, locked: false);
    }

    /// <summary>Reads the line settings the driver holds now, which another opener of the same tty may have changed.</summary>
    public SerialSettings QueryLineSettings()
    {
        ThrowIfDisposed();
        return LineSettings.Read(_terminal.GetAttributes(), _settings);
    }

    public void Configure(SerialSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ThrowIfUnusable("configure");
        settings.Validate(Name);
        ApplySettings(settings);
    }

    public async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable("read");
        if (buffer.IsEmpty)
        {
            return 0;
        }

        await _readGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var timeout = _settings.ReadTimeout;
            var deadline = DeadlineAfter(timeout);
            var outcome = WaitOutcome.Ready;
            while (true)
            {
                ThrowIfUnusable("read");
                var result = _terminal.TryRead(buffer.Span);
                switch (result.Status)
                {
                    case IoStatus.Done:
                        return result.Count;
                    case IoStatus.HungUp:
                        _hungUp = true;
                        throw SerialErrors.HungUp(Name, "read", result.Detail);
                }

                if (outcome == WaitOutcome.Trouble)
                {
                    _hungUp = true;
                    throw SerialErrors.HungUp(Name, "read", "poll reported a hang-up or error and the read found nothing");
                }

                outcome = WaitBriefly(forWrite: false, deadline, cancellationToken);
                if (outcome is WaitOutcome.Ready or WaitOutcome.Trouble)
                {
                    continue;
                }

                outcome = await _terminal.Reactor.WaitAsync(forWrite: false, deadline, cancellationToken).ConfigureAwait(false);
                ThrowUnlessReady(outcome, cancellationToken, () => SerialErrors.ReadTimedOut(Name, timeout));
            }
        }
        finally
        {
            _readGate.Release();
        }
    }

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable("write");
        if (data.IsEmpty)
        {
            return;
        }

        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var timeout = _settings.WriteTimeout;
            var written = 0;
            var deadline = DeadlineAfter(timeout);
            var outcome = WaitOutcome.Ready;
            while (written < data.Length)
            {
                ThrowIfUnusable("write");
                var result = _terminal.TryWrite(data.Span[written..]);
                switch (result.Status)
                {
                    case IoStatus.Done:
                        written += result.Count;
                        deadline = DeadlineAfter(timeout);
                        outcome = WaitOutcome.Ready;
                        continue;
                    case IoStatus.HungUp:
                        _hungUp = true;
                        throw SerialErrors.HungUp(Name, "write", result.Detail);
                }

                if (outcome == WaitOutcome.Trouble)
                {
                    _hungUp = true;
                    throw SerialErrors.HungUp(Name, "write", $"poll reported a hang-up or error and the driver took none of the last {data.Length - written} bytes");
                }

                outcome = WaitBriefly(forWrite: true, deadline, cancellationToken);
                if (outcome is WaitOutcome.Ready or WaitOutcome.Trouble)
                {
                    continue;
                }

                outcome = await _terminal.Reactor.WaitAsync(forWrite: true, deadline, cancellationToken).ConfigureAwait(false);
                var soFar = written;
                ThrowUnlessReady(
                    outcome,
                    cancellationToken,
                    () => SerialErrors.WriteTimedOut(Name, timeout, soFar, data.Length, _settings.FlowControl));
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public async ValueTask DrainAsync(CancellationToken cancellationToken = default)
    {
        ThrowIfUnusable("drain");
        await _writeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var timeout = _settings.WriteTimeout;
            var deadline = DeadlineAfter(timeout);

            // tcdrain cannot be cancelled or timed out, so wait for the queue here and only call it for the
            // last FIFO's worth.
            while (true)
            {
                ThrowIfUnusable("drain");
                var queued = _terminal.OutputQueueLength();
                if (queued == 0)
                {
                    break;
                }

                if (Environment.TickCount64 >= deadline)
                {
                    throw SerialErrors.DrainTimedOut(Name, timeout, queued, _settings.FlowControl);
                }

                // Roughly the time the queue takes on the wire at 10 bits a byte, clamped to stay responsive.
                var ms = Math.Clamp(queued * 10_000L / _settings.BaudRate, 1, 50);
                await Task.Delay(TimeSpan.FromMilliseconds(ms), cancellationToken).ConfigureAwait(false);
            }

            _terminal.DrainHardware();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Discard(SerialBuffers buffers)
    {
        ThrowIfUnusable("discard buffers");
        if ((buffers & SerialBuffers.Both) == 0)
        {
            throw new ArgumentException($"{Name}: say which buffers to discard (Input, Output or Both)", nameof(buffers));
        }

        _terminal.Flush(buffers);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_locked && !_hungUp)
        {
            _terminal.ReleaseExclusive();
        }

        // The lock taken with flock goes with the last close of this descriptor.
        _terminal.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Name} ({_settings.Describe()})";

    private void ApplySettings(SerialSettings settings)
    {
        var current = _terminal.GetAttributes();
        var asked = current;
        LineSettings.Apply(ref asked, settings);

        // A pseudo-terminal keeps 8 data bits and no parity whatever it is given, and refuses with EINVAL a tcsetattr
        // whose only change is one of those; asking a port for the line it already has is then no change at all.
        if (!LineSettings.Same(current, asked, _terminal.IsPseudoTerminalSlave))
        {
            try
            {
                _terminal.SetAttributes(asked);
            }
            catch (SerialPortException e) when (e.Errno == Errno.EINVAL)
            {
                throw SerialErrors.SettingsRejected(Name, settings, $"tcsetattr refused them ({Errno.Describe(e.Errno)})");
            }
        }

        // tcsetattr succeeds if any one change was made, so the only way to know is to read back.
        var got = _terminal.GetAttributes();
        var mismatch = LineSettings.Mismatch(asked, got, _terminal.IsPseudoTerminalSlave);
        if (mismatch is not null)
        {
            throw SerialErrors.SettingsRejected(Name, settings, mismatch);
        }

        _settings = settings;
    }

    private void ThrowUnlessReady(WaitOutcome outcome, CancellationToken cancellationToken, Func<Exception> timedOut)
    {
        switch (outcome)
        {
            case WaitOutcome.Ready:
            case WaitOutcome.Trouble:
                return;
            case WaitOutcome.TimedOut:
                throw timedOut();
            case WaitOutcome.Cancelled:
                throw new OperationCanceledException($"an operation on serial port {Name} was cancelled", cancellationToken);
            case WaitOutcome.Failed:
                throw new SerialPortException(SerialError.IoError, Name, _terminal.Reactor.Failure ?? $"waiting on {Name} failed");
            default:
                throw new ObjectDisposedException(nameof(SerialPort), $"serial port {Name} was closed while an operation waited on it");
        }
    }

    /// <summary>
    /// Waits up to a millisecond on the calling thread before handing the wait to the reactor. In a bulk
    /// transfer the next bytes (or the room for them) usually come within that time, and waiting here saves
    /// the reactor's wake-up and a hop to another thread for each chunk; a longer wait still goes to the
    /// reactor, so no thread is held while a device is silent.
    /// </summary>
    private WaitOutcome WaitBriefly(bool forWrite, long deadline, CancellationToken cancellationToken)
    {
        const int Slice = 1;
        if (cancellationToken.IsCancellationRequested || deadline - Environment.TickCount64 < Slice)
        {
            return WaitOutcome.TimedOut;
        }

        return _terminal.PollBriefly(forWrite, Slice);
    }

    private static long DeadlineAfter(TimeSpan timeout) =>
        timeout == Timeout.InfiniteTimeSpan ? long.MaxValue : Environment.TickCount64 + (long)timeout.TotalMilliseconds;

    private void ThrowIfDisposed()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            throw new ObjectDisposedException($"serial port {Name}");
        }
    }

    private void ThrowIfUnusable(string action)
    {
        ThrowIfDisposed();
        if (_hungUp)
        {
            throw SerialErrors.AlreadyHungUp(Name, action);
        }
    }
}
