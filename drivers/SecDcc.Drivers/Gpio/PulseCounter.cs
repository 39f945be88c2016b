namespace SecDcc.Drivers.Gpio;

/// <summary>The rising edges an input saw within a window, with their timestamps.</summary>
/// <param name="Description">The line as the controller describes it ("line 5 (pulse input 'esme')").</param>
/// <param name="From">The start of the window, on the backend's clock.</param>
/// <param name="To">The end of the window, on the backend's clock.</param>
/// <param name="Timestamps">Each counted pulse's rising edge, in order.</param>
/// <param name="EdgeTiming">How the backend timed the edges (<see cref="IGpioBackend.EdgeTiming"/>), for the report.</param>
public sealed record PulseCount(int Line, string Description, TimeSpan From, TimeSpan To, IReadOnlyList<TimeSpan> Timestamps, string EdgeTiming)
{
    public int Count => Timestamps.Count;

    public TimeSpan Window => To - From;

    public override string ToString() =>
        $"{Count} pulses on {Description} in {Window.TotalSeconds:0.###} s";
}

/// <summary>
/// Counts rising edges on an input from <see cref="Start"/> to <see cref="Stop"/>: a meter's pulse LED seen by
/// a photodiode, or an emulated meter's pulse line on a simulated bank.
/// </summary>
/// <remarks>
/// The line must already be open as an input with rising-edge detection. Only edges stamped within the window
/// are counted. With a polling backend an edge is stamped when the poll sees it, up to one poll interval late.
/// </remarks>
public sealed class PulseCounter : IDisposable
{
    private readonly GpioController _controller;
    private readonly GpioEdgeWatcher _watcher;
    private readonly List<TimeSpan> _seen = [];
    private bool _stopped;

    private PulseCounter(GpioController controller, GpioEdgeWatcher watcher, TimeSpan from)
    {
        _controller = controller;
        _watcher = watcher;
        From = from;
    }

    public int Line => _watcher.Line;

    public TimeSpan From { get; }

    /// <summary>Rising edges seen so far.</summary>
    public int CountSoFar
    {
        get
        {
            Drain(TimeSpan.MaxValue);
            return _seen.Count;
        }
    }

    /// <summary>Starts counting now.</summary>
    /// <exception cref="InvalidOperationException">The line is not open as an input with rising-edge detection.</exception>
    public static PulseCounter Start(GpioController controller, int line)
    {
        ArgumentNullException.ThrowIfNull(controller);
        var from = controller.Now;
        var watcher = controller.Watch(line, GpioEdges.Rising);
        return new PulseCounter(controller, watcher, from);
    }

    /// <summary>Counts for <paramref name="window"/> on <paramref name="timeProvider"/>'s clock.</summary>
    public static async Task<PulseCount> CountAsync(GpioController controller, int line, TimeSpan window, TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        if (window <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(window), window, "a counting window must be longer than zero");
        }

        using var counter = Start(controller, line);
        await Task.Delay(window, timeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        return counter.Stop();
    }

    /// <summary>Ends the window now and gives the count.</summary>
    public PulseCount Stop()
    {
        ObjectDisposedException.ThrowIf(_stopped, this);
        var to = _controller.Now;
        Drain(to);
        _stopped = true;
        _watcher.Dispose();
        return new PulseCount(Line, _watcher.Description, From, to, _seen.ToArray(), _controller.Backend.EdgeTiming);
    }

    public void Dispose()
    {
        _stopped = true;
        _watcher.Dispose();
    }

    private void Drain(TimeSpan until)
    {
        while (_watcher.TryRead(out var edge))
        {
            if (edge.Timestamp >= From && edge.Timestamp <= until)
            {
                _seen.Add(edge.Timestamp);
            }
        }
    }
}
