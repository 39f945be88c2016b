namespace SecDcc.Drivers.Gpio.Simulated;

/// <summary>A change of an output of a <see cref="SimulatedGpioBank"/>, as an emulated device sees it.</summary>
public readonly record struct SimulatedOutputChange(int Line, string Name, GpioLevel Level, TimeSpan Timestamp);

/// <summary>
/// In-memory GPIO lines for emulated rigs: the harness opens them through <see cref="GpioController"/> like any
/// bank, and an emulator on the other side drives the inputs (a meter's pulse LED) and watches the outputs (the
/// relays on the devices' power).
/// </summary>
/// <remarks>
/// <para>Edges are reported at once, in the thread that drove the input, stamped with the bank's
/// <see cref="TimeProvider"/>; no pulse is too short to see.</para>
/// <para>An input that nobody drives reads as its bias would make it (pull-up: high, otherwise low); an
/// output that is not open reads as low to the emulator.</para>
/// </remarks>
public sealed class SimulatedGpioBank : IGpioBackend
{
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LineState[] _lines;

    /// <param name="name">The bank's name, as a rig file refers to it ("relay-board").</param>
    /// <param name="lineNames">One name per line, in line-number order; an empty name leaves the line unnamed.</param>
    public SimulatedGpioBank(string name, IReadOnlyList<string> lineNames, TimeProvider? timeProvider = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(lineNames);
        var duplicate = lineNames.Where(n => n.Length > 0).GroupBy(n => n, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new ArgumentException($"simulated bank '{name}': line name '{duplicate.Key}' is given twice", nameof(lineNames));
        }

        BankName = name;
        _time = timeProvider ?? TimeProvider.System;
        _lines = lineNames.Select((n, i) => new LineState(i, n)).ToArray();
        Lines = _lines
            .Select(l => new GpioLineInfo(l.Number, l.Name, GpioCapabilities.Input | GpioCapabilities.Output | GpioCapabilities.EdgeEvents | GpioCapabilities.Bias | GpioCapabilities.Debounce))
            .ToArray();
    }

    /// <summary>A bank of <paramref name="count"/> lines named "gpio0", "gpio1", ….</summary>
    public SimulatedGpioBank(string name, int count, TimeProvider? timeProvider = null)
        : this(name, Enumerable.Range(0, CheckCount(count)).Select(i => $"gpio{i}").ToArray(), timeProvider)
    {
    }

    public string BankName { get; }

    public string Name => $"simulated GPIO bank '{BankName}'";

    public IReadOnlyList<GpioLineInfo> Lines { get; }

    public string EdgeTiming => "simulated: every edge reported at once, stamped by the bank's TimeProvider; no pulse is too short";

    public TimeSpan Now => _time.GetElapsedTime(0);

    /// <summary>Raised, on the thread that wrote, whenever the harness drives an output to a new level (and when it opens one).</summary>
    public event Action<SimulatedOutputChange>? OutputChanged;

    /// <summary>What the harness drives on an output; low when the line is not open as an output.</summary>
    public GpioLevel GetOutput(int line)
    {
        lock (_gate)
        {
            var l = Line(line);
            return l.Direction == GpioDirection.Output ? l.Driven : GpioLevel.Low;
        }
    }

    public GpioLevel GetOutput(string name) => GetOutput(NumberOf(name));

    /// <summary>Whether the harness has the line open, and how.</summary>
    public GpioDirection? DirectionOf(int line)
    {
        lock (_gate)
        {
            return Line(line).Direction;
        }
    }

    /// <summary>Sets what an input sees, as the device wired to it would; reports an edge if the level changed and the harness watches for it.</summary>
    public void DriveInput(int line, GpioLevel level)
    {
        IGpioLineSink? sink;
        GpioEdgeEvent edge;
        lock (_gate)
        {
            var l = Line(line);
            var before = l.Outside ?? l.Idle;
            l.Outside = level;
            if (before == level || l.Direction != GpioDirection.Input || (l.Config.Edges & EdgeOf(level)) == 0)
            {
                return;
            }

            l.Sequence++;
            edge = new GpioEdgeEvent(line, EdgeOf(level), Now, l.Sequence);
            sink = l.Sink;
        }

        sink?.OnEdge(edge);
    }

    public void DriveInput(string name, GpioLevel level) => DriveInput(NumberOf(name), level);

    /// <summary>A low-high-low pulse on an input, as a meter's LED gives one (two edges, same timestamp unless the TimeProvider moves).</summary>
    public void Pulse(int line)
    {
        DriveInput(line, GpioLevel.High);
        DriveInput(line, GpioLevel.Low);
    }

    /// <summary>The number of the line called <paramref name="name"/>.</summary>
    public int NumberOf(string name) =>
        _lines.FirstOrDefault(l => string.Equals(l.Name, name, StringComparison.OrdinalIgnoreCase))?.Number
        ?? throw new ArgumentException($"{Name} has no line named '{name}'", nameof(name));

    public ValueTask OpenLineAsync(int line, GpioLineConfig config, IGpioLineSink sink, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SimulatedOutputChange? change;
        lock (_gate)
        {
            var l = Line(line);
            if (l.Direction is not null)
            {
                throw new GpioException(GpioError.Busy, $"line {line} of {Name} is already claimed");
            }

            l.Sink = sink;
            change = Apply(l, config);
        }

        Announce(change);
        return ValueTask.CompletedTask;
    }

    public ValueTask ReconfigureLineAsync(int line, GpioLineConfig config, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SimulatedOutputChange? change;
        lock (_gate)
        {
            change = Apply(Claimed(line), config);
        }

        Announce(change);
        return ValueTask.CompletedTask;
    }

    public ValueTask CloseLineAsync(int line, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var l = Claimed(line);
            l.Direction = null;
            l.Sink = null;
        }

        return ValueTask.CompletedTask;
    }

    public ValueTask<GpioLevel> ReadAsync(int line, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var l = Claimed(line);
            return ValueTask.FromResult(l.Direction == GpioDirection.Output ? l.Driven : l.Outside ?? l.Idle);
        }
    }

    public ValueTask WriteAsync(int line, GpioLevel level, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        SimulatedOutputChange? change = null;
        lock (_gate)
        {
            var l = Claimed(line);
            if (l.Driven != level)
            {
                l.Driven = level;
                change = new SimulatedOutputChange(line, l.Name, level, Now);
            }
        }

        Announce(change);
        return ValueTask.CompletedTask;
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var l in _lines)
            {
                l.Direction = null;
                l.Sink = null;
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private SimulatedOutputChange? Apply(LineState l, GpioLineConfig config)
    {
        var wasOutput = l.Direction == GpioDirection.Output;
        var before = l.Driven;
        l.Direction = config.Direction;
        l.Config = config;
        if (config.Direction != GpioDirection.Output)
        {
            return null;
        }

        l.Driven = config.InitialLevel;
        return !wasOutput || before != l.Driven ? new SimulatedOutputChange(l.Number, l.Name, l.Driven, Now) : null;
    }

    private void Announce(SimulatedOutputChange? change)
    {
        if (change is { } c)
        {
            OutputChanged?.Invoke(c);
        }
    }

    private LineState Line(int line) =>
        line >= 0 && line < _lines.Length
            ? _lines[line]
            : throw new ArgumentOutOfRangeException(nameof(line), line, $"{Name} has lines 0 to {_lines.Length - 1}");

    private LineState Claimed(int line)
    {
        var l = Line(line);
        return l.Direction is not null ? l : throw new GpioException(GpioError.IoError, $"line {line} of {Name} is not claimed");
    }

    private static GpioEdges EdgeOf(GpioLevel level) => level == GpioLevel.High ? GpioEdges.Rising : GpioEdges.Falling;

    private static int CheckCount(int count) =>
        count is > 0 and <= 1024 ? count : throw new ArgumentOutOfRangeException(nameof(count), count, "a simulated bank has 1 to 1024 lines");

    private sealed class LineState(int number, string name)
    {
        public int Number { get; } = number;

        public string Name { get; } = name;

        public GpioDirection? Direction { get; set; }

        public GpioLineConfig Config { get; set; } = new();

        public IGpioLineSink? Sink { get; set; }

        public GpioLevel Driven { get; set; }

        /// <summary>What the emulator drives onto the line; null until it first does.</summary>
        public GpioLevel? Outside { get; set; }

        public long Sequence { get; set; }

        public GpioLevel Idle => Config.Bias == GpioBias.PullUp ? GpioLevel.High : GpioLevel.Low;
    }
}
