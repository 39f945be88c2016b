namespace SecDcc.Drivers.Gpio;

/// <summary>The electrical level of a line as the backend sees it (no active-low inversion).</summary>
public enum GpioLevel
{
    Low = 0,
    High = 1,
}

public enum GpioDirection
{
    Input,
    Output,
}

/// <summary>Which edges of an input to report.</summary>
[Flags]
public enum GpioEdges
{
    None = 0,
    Rising = 1,
    Falling = 2,
    Both = Rising | Falling,
}

/// <summary>An input's bias resistor. Only the character-device backend can set one; the others ignore <see cref="AsIs"/> and refuse the rest.</summary>
public enum GpioBias
{
    AsIs,
    PullUp,
    PullDown,
    Disabled,
}

/// <summary>What a line can do on its backend.</summary>
[Flags]
public enum GpioCapabilities
{
    None = 0,
    Input = 1,
    Output = 2,

    /// <summary>Edges are reported; see <see cref="IGpioBackend.EdgeTiming"/> for how exactly.</summary>
    EdgeEvents = 4,
    Bias = 8,
    Debounce = 16,
}

/// <summary>A line of a backend: its number, the name it goes by there, and what it can do.</summary>
/// <param name="Number">The offset on a chip, or the number the backend gives the line.</param>
/// <param name="Name">The backend's name for the line ("relay3", "gpio2", "GPIO17"); empty when it has none.</param>
/// <param name="Consumer">Who holds the line outside this process, when the backend can tell (a chip can).</param>
public sealed record GpioLineInfo(int Number, string Name, GpioCapabilities Capabilities, string? Consumer = null)
{
    public bool Can(GpioCapabilities wanted) => (Capabilities & wanted) == wanted;
}

/// <summary>How a backend is asked to set up a line. The façade fills it in from <see cref="GpioOpenOptions"/>.</summary>
public sealed record GpioLineConfig
{
    public GpioDirection Direction { get; init; }

    /// <summary>The level an output starts at, set in the same step as the direction so it never glitches.</summary>
    public GpioLevel InitialLevel { get; init; } = GpioLevel.Low;

    /// <summary>Edges to report (inputs only).</summary>
    public GpioEdges Edges { get; init; } = GpioEdges.None;

    public GpioBias Bias { get; init; } = GpioBias.AsIs;

    /// <summary>Debounce period for an input; zero for none.</summary>
    public TimeSpan Debounce { get; init; } = TimeSpan.Zero;

    /// <summary>Who holds the line, as other tools show it (the kernel's consumer label on a chip).</summary>
    public string Consumer { get; init; } = "secdcc";
}

/// <summary>An edge seen on an input.</summary>
/// <param name="Line">The line number.</param>
/// <param name="Edge"><see cref="GpioEdges.Rising"/> or <see cref="GpioEdges.Falling"/>.</param>
/// <param name="Timestamp">On the backend's monotonic clock (<see cref="IGpioBackend.Now"/>).</param>
/// <param name="Sequence">Counts the edges of this line from 1, as the backend numbered them; a gap means lost events.</param>
public readonly record struct GpioEdgeEvent(int Line, GpioEdges Edge, TimeSpan Timestamp, long Sequence)
{
    public override string ToString() => $"line {Line} {(Edge == GpioEdges.Rising ? "rising" : "falling")} at {Timestamp.TotalMilliseconds:0.###} ms (#{Sequence})";
}

/// <summary>How a line is opened through <see cref="GpioController"/>.</summary>
public sealed record GpioOpenOptions
{
    /// <summary>What the line is for, used in every message about it: "relay 'esme-power'", "pulse input 'esme'".</summary>
    public string? Label { get; init; }

    /// <inheritdoc cref="GpioLineConfig.InitialLevel"/>
    public GpioLevel InitialLevel { get; init; } = GpioLevel.Low;

    /// <inheritdoc cref="GpioLineConfig.Edges"/>
    public GpioEdges Edges { get; init; } = GpioEdges.None;

    /// <inheritdoc cref="GpioLineConfig.Bias"/>
    public GpioBias Bias { get; init; } = GpioBias.AsIs;

    /// <inheritdoc cref="GpioLineConfig.Debounce"/>
    public TimeSpan Debounce { get; init; } = TimeSpan.Zero;
}
