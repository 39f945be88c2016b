using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SecDcc.Drivers.Interop;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Gpio.CharacterDevice;

/// <summary>
/// A Linux GPIO chip through its character device (<c>/dev/gpiochipN</c>) and the v2 uAPI: one line request
/// per open line, values through GPIO_V2_LINE_GET/SET_VALUES, edges read from the request's descriptor with
/// the kernel's CLOCK_MONOTONIC timestamps.
/// </summary>
/// <remarks>
/// Needs kernel 5.10 or later, and read-write access to the device (usually the group <c>gpio</c>). Edge
/// timestamps come from the kernel's interrupt handler and are on the same clock as
/// <see cref="Stopwatch.GetTimestamp"/> on Linux, which <see cref="Now"/> reads.
/// </remarks>
public sealed class GpioChipBackend : IGpioBackend
{
    private const int EventsPerRead = 16;

    private readonly SafeFdHandle _chip;
    private readonly string _path;
    private readonly Lock _gate = new();
    private readonly Dictionary<int, LineRequest> _requests = [];
    private int _disposed;

    private GpioChipBackend(SafeFdHandle chip, string path, string chipName, string label, IReadOnlyList<GpioLineInfo> lines)
    {
        _chip = chip;
        _path = path;
        ChipName = chipName;
        Label = label;
        Lines = lines;
    }

    /// <summary>The kernel's name of the chip ("gpiochip0").</summary>
    public string ChipName { get; }

    /// <summary>The chip's label ("pinctrl-bcm2711").</summary>
    public string Label { get; }

    public string Name => $"{ChipName} ({Label}) at {_path}";

    public IReadOnlyList<GpioLineInfo> Lines { get; }

    public string EdgeTiming => "kernel interrupt timestamps (CLOCK_MONOTONIC, nanoseconds); pulses are limited only by the chip and any debounce set";

    public TimeSpan Now => Stopwatch.GetElapsedTime(0);

    /// <summary>The GPIO character devices this machine has, in name order.</summary>
    public static IReadOnlyList<string> FindChips() =>
        Directory.Exists("/dev")
            ? Directory.EnumerateFiles("/dev", "gpiochip*").Order(StringComparer.Ordinal).ToArray()
            : [];

    /// <summary>Opens a chip and reads its lines' names and users.</summary>
    /// <exception cref="GpioException">
    /// <see cref="GpioError.NotAvailable"/> when the device does not exist or is not a GPIO chip;
    /// <see cref="GpioError.PermissionDenied"/> when the user may not open it.
    /// </exception>
    public static GpioChipBackend Open(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var fd = Libc.Open(path, OpenFlags.O_RDWR | OpenFlags.O_CLOEXEC);
        if (fd < 0)
        {
            throw GpioErrors.OpenChipFailed(path, Errno.Last);
        }

        var chip = SafeFdHandle.FromResult(fd);
        try
        {
            var info = default(GpioChipInfo);
            if (Libc.Ioctl(chip, GpioV2.GetChipInfoIoctl, ref info) != 0)
            {
                throw GpioErrors.ChipInfoFailed(path, Errno.Last);
            }

            var lines = new GpioLineInfo[info.lines];
            for (var offset = 0u; offset < info.lines; offset++)
            {
                var line = default(GpioV2LineInfo);
                line.offset = offset;
                if (Libc.Ioctl(chip, GpioV2.GetLineInfoIoctl, ref line) != 0)
                {
                    throw new GpioException(
                        GpioError.IoError,
                        $"cannot read line {offset} of {path} (ioctl GPIO_V2_GET_LINEINFO: {Errno.Describe(Errno.Last)}) — the kernel may predate the v2 uAPI (5.10)",
                        Errno.Last);
                }

                lines[offset] = new GpioLineInfo(
                    (int)offset,
                    GpioV2.Text(line.name),
                    GpioCapabilities.Input | GpioCapabilities.Output | GpioCapabilities.EdgeEvents | GpioCapabilities.Bias | GpioCapabilities.Debounce,
                    (line.flags & GpioV2.FlagUsed) != 0 ? NonEmpty(GpioV2.Text(line.consumer), "the kernel") : null);
            }

            return new GpioChipBackend(chip, path, GpioV2.Text(info.name), GpioV2.Text(info.label), lines);
        }
        catch (Exception)
        {
            chip.Dispose();
            throw;
        }
    }

    public ValueTask OpenLineAsync(int line, GpioLineConfig config, IGpioLineSink sink, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ThrowIfDisposed();
        var described = DescribeLine(line);
        var request = LineRequestEncoder.Request([new RequestedLine((uint)line, config)], config.Consumer);
        if (Libc.Ioctl(_chip, GpioV2.GetLineIoctl, ref request) != 0)
        {
            var errno = Errno.Last;
            throw GpioErrors.LineRequestFailed(described, _path, errno, CurrentConsumer(line));
        }

        var handle = SafeFdHandle.FromResult(request.fd);
        try
        {
            var flags = Libc.Fcntl(handle, Libc.F_GETFL, 0);
            if (flags < 0 || Libc.Fcntl(handle, Libc.F_SETFL, flags | OpenFlags.O_NONBLOCK) != 0)
            {
                throw GpioErrors.Failed(described, _path, "make non-blocking the descriptor of", "fcntl(F_SETFL, O_NONBLOCK)", Errno.Last);
            }

            var requested = new LineRequest(line, described, handle, sink);
            lock (_gate)
            {
                _requests[line] = requested;
            }

            if (config.Edges != GpioEdges.None)
            {
                requested.StartReading(_path);
            }
        }
        catch (Exception)
        {
            handle.Dispose();
            throw;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask ReconfigureLineAsync(int line, GpioLineConfig config, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var requested = Requested(line);
        var encoded = LineRequestEncoder.Config([config]);
        if (Libc.Ioctl(requested.Handle, GpioV2.LineSetConfigIoctl, ref encoded) != 0)
        {
            throw GpioErrors.Failed(requested.Description, _path, "reconfigure", "ioctl GPIO_V2_LINE_SET_CONFIG", Errno.Last);
        }

        if (config.Edges != GpioEdges.None)
        {
            requested.StartReading(_path);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask CloseLineAsync(int line, CancellationToken cancellationToken)
    {
        LineRequest? requested;
        lock (_gate)
        {
            _requests.Remove(line, out requested);
        }

        if (requested is not null)
        {
            await requested.DisposeAsync().ConfigureAwait(false);
        }
    }

    public ValueTask<GpioLevel> ReadAsync(int line, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var requested = Requested(line);
        var values = new GpioV2LineValues { mask = 1 };
        if (Libc.Ioctl(requested.Handle, GpioV2.LineGetValuesIoctl, ref values) != 0)
        {
            throw GpioErrors.Failed(requested.Description, _path, "read", "ioctl GPIO_V2_LINE_GET_VALUES", Errno.Last);
        }

        return ValueTask.FromResult((values.bits & 1) != 0 ? GpioLevel.High : GpioLevel.Low);
    }

    public ValueTask WriteAsync(int line, GpioLevel level, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var requested = Requested(line);
        var values = new GpioV2LineValues { mask = 1, bits = level == GpioLevel.High ? 1UL : 0UL };
        if (Libc.Ioctl(requested.Handle, GpioV2.LineSetValuesIoctl, ref values) != 0)
        {
            throw GpioErrors.Failed(requested.Description, _path, $"write {level} to", "ioctl GPIO_V2_LINE_SET_VALUES", Errno.Last);
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        LineRequest[] requests;
        lock (_gate)
        {
            requests = [.. _requests.Values];
            _requests.Clear();
        }

        foreach (var requested in requests)
        {
            await requested.DisposeAsync().ConfigureAwait(false);
        }

        _chip.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Decodes what a read of a line request's descriptor returned.</summary>
    internal static GpioEdgeEvent Decode(in GpioV2LineEvent e) => new(
        (int)e.offset,
        e.id == GpioV2.EventRisingEdge ? GpioEdges.Rising : GpioEdges.Falling,
        TimeSpan.FromTicks((long)(e.timestamp_ns / 100)),
        e.line_seqno);

    private string DescribeLine(int line)
    {
        var name = line >= 0 && line < Lines.Count ? Lines[line].Name : string.Empty;
        return string.IsNullOrEmpty(name) ? $"line {line} of {ChipName}" : $"line {line} ({name}) of {ChipName}";
    }

    private string? CurrentConsumer(int line)
    {
        var info = default(GpioV2LineInfo);
        info.offset = (uint)line;
        return Libc.Ioctl(_chip, GpioV2.GetLineInfoIoctl, ref info) == 0 && (info.flags & GpioV2.FlagUsed) != 0
            ? NonEmpty(GpioV2.Text(info.consumer), "the kernel")
            : null;
    }

    private LineRequest Requested(int line)
    {
        ThrowIfDisposed();
        lock (_gate)
        {
            return _requests.TryGetValue(line, out var r)
                ? r
                : throw new GpioException(GpioError.IoError, $"{DescribeLine(line)} is not requested");
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static string NonEmpty(string text, string otherwise) => text.Length > 0 ? text : otherwise;

    /// <summary>One line request: its descriptor and, when edges are wanted, the loop that reads them.</summary>
    private sealed class LineRequest(int line, string description, SafeFdHandle handle, IGpioLineSink sink) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private FdReactor? _reactor;
        private Task? _reading;

        public int Line { get; } = line;

        public string Description { get; } = description;

        public SafeFdHandle Handle { get; } = handle;

        public void StartReading(string path)
        {
            if (_reading is not null)
            {
                return;
            }

            _reactor = new FdReactor(Handle, $"{Description} events");
            _reading = Task.Run(() => ReadEventsAsync(path, _reactor, _stop.Token), CancellationToken.None);
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync().ConfigureAwait(false);
            if (_reading is not null)
            {
                await _reading.ConfigureAwait(false);
            }

            _reactor?.Dispose();
            Handle.Dispose();
            _stop.Dispose();
        }

        /// <summary>Never throws: a failure is reported to the sink and ends the loop.</summary>
        private async Task ReadEventsAsync(string path, FdReactor reactor, CancellationToken stop)
        {
            var size = Unsafe.SizeOf<GpioV2LineEvent>();
            var buffer = new byte[size * EventsPerRead];
            while (!stop.IsCancellationRequested)
            {
                var n = Libc.Read(Handle, ref buffer[0], buffer.Length);
                if (n > 0)
                {
                    var events = MemoryMarshal.Cast<byte, GpioV2LineEvent>(buffer.AsSpan(0, (int)n - ((int)n % size)));
                    foreach (ref readonly var e in events)
                    {
                        sink.OnEdge(Decode(e));
                    }

                    continue;
                }

                var errno = n == 0 ? Errno.EIO : Errno.Last;
                if (errno == Errno.EINTR)
                {
                    continue;
                }

                if (errno != Errno.EAGAIN)
                {
                    sink.OnFault(GpioErrors.Failed(Description, path, "read the edge events of", "read", errno));
                    return;
                }

                var outcome = await reactor.WaitAsync(forWrite: false, long.MaxValue, stop).ConfigureAwait(false);
                if (outcome is WaitOutcome.Cancelled or WaitOutcome.Closed)
                {
                    return;
                }

                if (outcome == WaitOutcome.Failed)
                {
                    sink.OnFault(new GpioException(GpioError.IoError, $"waiting for edges on {Description} failed: {reactor.Failure}"));
                    return;
                }
            }
        }
    }
}
