namespace SecDcc.Drivers.Gpio;

/// <summary>Where a backend delivers what happens on a line it watches.</summary>
/// <remarks>Called from the backend's own thread or poll loop; implementations must be quick and must not throw.</remarks>
public interface IGpioLineSink
{
    void OnEdge(GpioEdgeEvent edge);

    /// <summary>The backend can no longer watch the line (the module went away, the chip failed a read).</summary>
    void OnFault(GpioException fault);
}

/// <summary>
/// A GPIO backend: does the I/O and nothing else. It does not track which lines are open or check that a write
/// goes to an output; <see cref="GpioController"/> does that, and is what everything above the drivers uses.
/// </summary>
/// <remarks>
/// Backends are called by one controller, which serialises calls per line; different lines may be used at
/// the same time.
/// </remarks>
public interface IGpioBackend : IAsyncDisposable, IDisposable
{
    /// <summary>What the backend is, for messages: "gpiochip0 (pinctrl-bcm2711) at /dev/gpiochip0".</summary>
    string Name { get; }

    IReadOnlyList<GpioLineInfo> Lines { get; }

    /// <summary>How edges are timed and how short a pulse can be and still be seen; quoted in reports.</summary>
    string EdgeTiming { get; }

    /// <summary>Now, on the monotonic clock that edge timestamps use.</summary>
    TimeSpan Now { get; }

    /// <summary>Claims the line and sets it up. Edges (if the config asks for them) go to <paramref name="sink"/> until the line is closed.</summary>
    ValueTask OpenLineAsync(int line, GpioLineConfig config, IGpioLineSink sink, CancellationToken cancellationToken);

    /// <summary>Changes an open line's configuration (direction, edges) without releasing it.</summary>
    ValueTask ReconfigureLineAsync(int line, GpioLineConfig config, CancellationToken cancellationToken);

    ValueTask CloseLineAsync(int line, CancellationToken cancellationToken);

    ValueTask<GpioLevel> ReadAsync(int line, CancellationToken cancellationToken);

    ValueTask WriteAsync(int line, GpioLevel level, CancellationToken cancellationToken);
}
