using System.Globalization;
using System.Text;
using SecDcc.Drivers.Serial;

namespace SecDcc.Drivers.Gpio.SerialModule;

/// <summary>
/// A USB serial GPIO/relay module (Numato-style ASCII commands, see <see cref="ModuleDialect"/>) as a GPIO
/// backend: relays are output lines, GPIO channels are input or output lines, and inputs opened with edge
/// detection are polled at <see cref="SerialGpioModuleOptions.PollInterval"/>.
/// </summary>
/// <remarks>
/// <para>One command is on the wire at a time. Before each one, bytes left over from an earlier exchange are
/// thrown away, so a late answer cannot be taken for the next one.</para>
/// <para>The dialect's <c>gpio read</c> turns a channel into an input, so a GPIO output is never read from
/// the module: its level is the one last written. Relays are read back with <c>relay read</c>.</para>
/// <para>Closing a line leaves the channel as it is: the dialect has no way to release one.</para>
/// </remarks>
public sealed class SerialGpioModule : IGpioBackend
{
    private const int EIO = 5;

    private readonly ISerialPort _port;
    private readonly bool _ownsPort;
    private readonly SerialGpioModuleOptions _options;
    private readonly SemaphoreSlim _wire = new(1, 1);
    private readonly Lock _gate = new();
    private readonly Dictionary<int, Claim> _claims = [];
    private CancellationTokenSource? _pollStop;
    private Task? _pollLoop;
    private int _disposed;

    private SerialGpioModule(ISerialPort port, bool ownsPort, SerialGpioModuleOptions options)
    {
        _port = port;
        _ownsPort = ownsPort;
        _options = options;
        Lines = Enumerable.Range(0, options.Relays)
            .Select(i => new GpioLineInfo(i, $"relay{i}", GpioCapabilities.Output))
            .Concat(Enumerable.Range(0, options.Gpios).Select(i => new GpioLineInfo(
                options.Relays + i,
                $"gpio{i}",
                GpioCapabilities.Input | GpioCapabilities.Output | GpioCapabilities.EdgeEvents)))
            .ToArray();
    }

    public string Name => $"serial GPIO/relay module on {_port.Name}";

    /// <summary>What the module said to <c>ver</c>.</summary>
    public string Version { get; private set; } = string.Empty;

    public IReadOnlyList<GpioLineInfo> Lines { get; }

    public string EdgeTiming =>
        $"polled every {_options.PollInterval.TotalMilliseconds:0.###} ms over the serial line: edges are stamped when the poll sees them, " +
        "a pulse shorter than the interval may be missed, and two edges within one interval are seen as none";

    public TimeSpan Now => _options.TimeProvider.GetElapsedTime(0);

    /// <summary>Opens the serial port at <paramref name="path"/>, waits for the module's prompt and asks its version.</summary>
    /// <exception cref="GpioException">
    /// <see cref="GpioError.NotAvailable"/> when there is no such port; <see cref="GpioError.ModuleNotResponding"/>
    /// when the port opens but no prompt comes back.
    /// </exception>
    public static async Task<SerialGpioModule> OpenAsync(string path, SerialGpioModuleOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new SerialGpioModuleOptions();
        options.Validate(path);
        SerialPort port;
        try
        {
            port = SerialPort.Open(path, options.Settings);
        }
        catch (SerialPortException e) when (e.Error == SerialError.NotFound)
        {
            throw new GpioException(
                GpioError.NotAvailable,
                $"no serial GPIO/relay module at {path}: {e.Message}",
                e.Errno,
                e);
        }
        catch (SerialPortException e)
        {
            throw new GpioException(
                e.Error switch
                {
                    SerialError.PermissionDenied => GpioError.PermissionDenied,
                    SerialError.Busy => GpioError.Busy,
                    _ => GpioError.IoError,
                },
                $"cannot open the serial GPIO/relay module at {path}: {e.Message}",
                e.Errno,
                e);
        }

        try
        {
            return await AttachAsync(port, options, ownsPort: true, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            await port.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Speaks to a module over a port that is already open (a TCP link, a port shared with a logger).</summary>
    public static async Task<SerialGpioModule> AttachAsync(ISerialPort port, SerialGpioModuleOptions? options = null, bool ownsPort = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(port);
        options ??= new SerialGpioModuleOptions();
        options.Validate(port.Name);
        var module = new SerialGpioModule(port, ownsPort, options);

        // An empty command flushes whatever half-typed line the module holds and brings a fresh prompt.
        await module.ExchangeAsync(string.Empty, cancellationToken).ConfigureAwait(false);
        var version = await module.ExchangeAsync(ModuleDialect.Version, cancellationToken).ConfigureAwait(false);
        module.Version = string.Join(" ", version);
        return module;
    }

    public async ValueTask OpenLineAsync(int line, GpioLineConfig config, IGpioLineSink sink, CancellationToken cancellationToken)
    {
        var (isRelay, channel) = Locate(line);
        var claim = new Claim(line, isRelay, channel, sink);
        lock (_gate)
        {
            if (_claims.ContainsKey(line))
            {
                throw new GpioException(GpioError.Busy, $"line {line} of {Name} is already claimed");
            }

            _claims[line] = claim;
        }

        try
        {
            await ConfigureAsync(claim, config, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception)
        {
            lock (_gate)
            {
                _claims.Remove(line);
            }

            throw;
        }

        UpdatePolling();
    }

    public async ValueTask ReconfigureLineAsync(int line, GpioLineConfig config, CancellationToken cancellationToken)
    {
        await ConfigureAsync(Claimed(line), config, cancellationToken).ConfigureAwait(false);
        UpdatePolling();
    }

    public async ValueTask CloseLineAsync(int line, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _ = Claimed(line);
            _claims.Remove(line);
        }

        await StopPollingIfIdleAsync().ConfigureAwait(false);
    }

    public async ValueTask<GpioLevel> ReadAsync(int line, CancellationToken cancellationToken)
    {
        var claim = Claimed(line);
        if (claim.Direction == GpioDirection.Output && !claim.IsRelay)
        {
            return claim.Written;
        }

        return await ReadChannelAsync(claim, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask WriteAsync(int line, GpioLevel level, CancellationToken cancellationToken)
    {
        var claim = Claimed(line);
        await DriveAsync(claim, level, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopPollingAsync().ConfigureAwait(false);
        if (_ownsPort)
        {
            await _port.DisposeAsync().ConfigureAwait(false);
        }

        _wire.Dispose();
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Sends one command and returns the lines of its answer (echo, line breaks and prompt removed).</summary>
    internal async Task<IReadOnlyList<string>> ExchangeAsync(string command, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _wire.WaitAsync(cancellationToken).ConfigureAwait(false);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(_options.AnswerTimeout);
        var received = new List<byte>(64);
        try
        {
            _port.Discard(SerialBuffers.Input);
            await _port.WriteAsync(Encoding.ASCII.GetBytes(command + "\r"), limit.Token).ConfigureAwait(false);
            var buffer = new byte[256];
            while (!ModuleDialect.EndsWithPrompt(received.ToArray()))
            {
                var n = await _port.ReadAsync(buffer, limit.Token).ConfigureAwait(false);
                received.AddRange(buffer.AsSpan(0, n));
                if (received.Count > 4096)
                {
                    throw new GpioException(
                        GpioError.ProtocolError,
                        $"{Name} sent {received.Count} bytes for '{Shown(command)}' without a '>' prompt: it does not speak the Numato-style dialect, or the baud rate ({_port.Settings.BaudRate}) is wrong");
                }
            }

            return ModuleDialect.AnswerLines(command, received.ToArray());
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw NotResponding(command, received);
        }
        catch (TimeoutException)
        {
            throw NotResponding(command, received);
        }
        catch (SerialPortException e) when (e.Error == SerialError.HungUp || e.Errno == EIO)
        {
            // Whichever call first notices (tcflush, write or read) says it differently; it is the same fault.
            throw new GpioException(
                GpioError.IoError,
                $"{Name} went away during '{Shown(command)}' (unplugged, or its power failed): {e.Message} — check its USB cable, then reopen the GPIO backend",
                e.Errno,
                e);
        }
        catch (SerialPortException e)
        {
            throw new GpioException(GpioError.IoError, $"{Name}: '{Shown(command)}' failed: {e.Message}", e.Errno, e);
        }
        finally
        {
            _wire.Release();
        }
    }

    private GpioException NotResponding(string command, List<byte> received)
    {
        var got = received.Count == 0
            ? "nothing came back"
            : $"it sent {Printable(received)} and no '>' prompt";
        return new GpioException(
            GpioError.ModuleNotResponding,
            $"{Name} did not answer '{Shown(command)}' within {_options.AnswerTimeout.TotalMilliseconds:0} ms: {got} — is the module plugged in, is {_port.Name} the right port, and does it speak the Numato-style dialect (ver, relay on N, gpio read N)?");
    }

    private async Task ConfigureAsync(Claim claim, GpioLineConfig config, CancellationToken cancellationToken)
    {
        if (config.Bias != GpioBias.AsIs || config.Debounce > TimeSpan.Zero)
        {
            throw new GpioException(GpioError.Unsupported, $"line {claim.Line} of {Name}: the module cannot set a bias or debounce");
        }

        if (claim.IsRelay && config.Direction != GpioDirection.Output)
        {
            throw new GpioException(GpioError.Unsupported, $"line {claim.Line} of {Name} is relay {claim.Channel}, which can only be an output");
        }

        if (config.Direction == GpioDirection.Output)
        {
            claim.Direction = GpioDirection.Output;
            claim.Edges = GpioEdges.None;
            await DriveAsync(claim, config.InitialLevel, cancellationToken).ConfigureAwait(false);
            return;
        }

        // Reading makes the channel an input and gives the level that edges are measured from.
        claim.Direction = GpioDirection.Input;
        claim.Last = await ReadChannelAsync(claim, cancellationToken).ConfigureAwait(false);
        claim.Edges = config.Edges;
    }

    private async Task DriveAsync(Claim claim, GpioLevel level, CancellationToken cancellationToken)
    {
        var command = (claim.IsRelay, level) switch
        {
            (true, GpioLevel.High) => ModuleDialect.RelayOn(claim.Channel),
            (true, _) => ModuleDialect.RelayOff(claim.Channel),
            (false, GpioLevel.High) => ModuleDialect.GpioSet(claim.Channel),
            _ => ModuleDialect.GpioClear(claim.Channel),
        };
        var answer = await ExchangeAsync(command, cancellationToken).ConfigureAwait(false);
        if (answer.Count > 0)
        {
            throw new GpioException(
                GpioError.ProtocolError,
                $"{Name} answered '{command}' with '{string.Join(" | ", answer)}', where the dialect gives no answer: the module may have refused the command (is channel {ModuleDialect.Channel(claim.Channel)} on this module?)");
        }

        claim.Written = level;
    }

    private async Task<GpioLevel> ReadChannelAsync(Claim claim, CancellationToken cancellationToken)
    {
        var command = claim.IsRelay ? ModuleDialect.RelayRead(claim.Channel) : ModuleDialect.GpioRead(claim.Channel);
        var answer = await ExchangeAsync(command, cancellationToken).ConfigureAwait(false);
        var text = answer.Count == 1 ? answer[0].Trim().ToLowerInvariant() : null;
        return text switch
        {
            "1" or "on" => GpioLevel.High,
            "0" or "off" => GpioLevel.Low,
            _ => throw new GpioException(
                GpioError.ProtocolError,
                $"{Name} answered '{command}' with {(answer.Count == 0 ? "nothing" : $"'{string.Join(" | ", answer)}'")}; the dialect says {(claim.IsRelay ? "'on' or 'off'" : "'0' or '1'")}"),
        };
    }

    private void UpdatePolling()
    {
        lock (_gate)
        {
            var wanted = _claims.Values.Any(c => c.Edges != GpioEdges.None);
            if (wanted && _pollLoop is null)
            {
                _pollStop = new CancellationTokenSource();
                var token = _pollStop.Token;
                _pollLoop = Task.Run(() => PollAsync(token), CancellationToken.None);
            }
        }
    }

    private async Task StopPollingIfIdleAsync()
    {
        bool idle;
        lock (_gate)
        {
            idle = !_claims.Values.Any(c => c.Edges != GpioEdges.None);
        }

        if (idle)
        {
            await StopPollingAsync().ConfigureAwait(false);
        }
    }

    private async Task StopPollingAsync()
    {
        Task? loop;
        CancellationTokenSource? stop;
        lock (_gate)
        {
            loop = _pollLoop;
            stop = _pollStop;
            _pollLoop = null;
            _pollStop = null;
        }

        if (stop is null || loop is null)
        {
            return;
        }

        await stop.CancelAsync().ConfigureAwait(false);
        await loop.ConfigureAwait(false);
        stop.Dispose();
    }

    /// <summary>Reads every watched input once an interval and reports the edges between readings.</summary>
    /// <remarks>Never throws: a failure is reported to the watched lines' sinks, and polling stops.</remarks>
    private async Task PollAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(_options.PollInterval, _options.TimeProvider);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                Claim[] watched;
                lock (_gate)
                {
                    watched = _claims.Values.Where(c => c.Edges != GpioEdges.None).ToArray();
                }

                foreach (var claim in watched)
                {
                    var level = await ReadChannelAsync(claim, stop).ConfigureAwait(false);
                    var before = claim.Last;
                    claim.Last = level;
                    var edge = level == GpioLevel.High ? GpioEdges.Rising : GpioEdges.Falling;
                    if (level != before && (claim.Edges & edge) != 0)
                    {
                        claim.Sequence++;
                        claim.Sink.OnEdge(new GpioEdgeEvent(claim.Line, edge, Now, claim.Sequence));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Polling was stopped: the last watched line closed, or the module is being disposed.
        }
        catch (GpioException e)
        {
            Fail(e);
        }
        catch (ObjectDisposedException e)
        {
            Fail(new GpioException(GpioError.IoError, $"{Name} was closed while its inputs were being polled", 0, e));
        }
    }

    private void Fail(GpioException fault)
    {
        Claim[] watched;
        lock (_gate)
        {
            watched = _claims.Values.Where(c => c.Edges != GpioEdges.None).ToArray();
            foreach (var claim in watched)
            {
                claim.Edges = GpioEdges.None;
            }

            _pollLoop = null;
            _pollStop?.Dispose();
            _pollStop = null;
        }

        foreach (var claim in watched)
        {
            claim.Sink.OnFault(new GpioException(fault.Error, $"polling stopped: {fault.Message}", fault.Errno, fault));
        }
    }

    private (bool IsRelay, int Channel) Locate(int line)
    {
        if (line >= 0 && line < _options.Relays)
        {
            return (true, line);
        }

        if (line >= _options.Relays && line < _options.Relays + _options.Gpios)
        {
            return (false, line - _options.Relays);
        }

        throw new ArgumentOutOfRangeException(nameof(line), line, $"{Name} has lines 0 to {_options.Relays + _options.Gpios - 1}");
    }

    private Claim Claimed(int line)
    {
        lock (_gate)
        {
            return _claims.TryGetValue(line, out var claim)
                ? claim
                : throw new GpioException(GpioError.IoError, $"line {line} of {Name} is not claimed");
        }
    }

    private static string Shown(string command) => command.Length == 0 ? "(empty line)" : command;

    private static string Printable(List<byte> bytes)
    {
        var text = new StringBuilder("'");
        foreach (var b in bytes.Take(80))
        {
            text.Append(b switch
            {
                (byte)'\r' => "\\r",
                (byte)'\n' => "\\n",
                >= 0x20 and < 0x7F => ((char)b).ToString(),
                _ => $"\\x{b.ToString("X2", CultureInfo.InvariantCulture)}",
            });
        }

        return text.Append(bytes.Count > 80 ? "…'" : "'").ToString();
    }

    private sealed class Claim(int line, bool isRelay, int channel, IGpioLineSink sink)
    {
        public int Line { get; } = line;

        public bool IsRelay { get; } = isRelay;

        public int Channel { get; } = channel;

        public IGpioLineSink Sink { get; } = sink;

        public GpioDirection Direction { get; set; }

        public GpioLevel Written { get; set; }

        public GpioEdges Edges { get; set; }

        public GpioLevel Last { get; set; }

        public long Sequence { get; set; }
    }
}
