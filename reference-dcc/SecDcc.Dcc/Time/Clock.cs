namespace SecDcc.Dcc.Time;

/// <summary>The DCC's notion of now. Every time-based rule (AC 8.2, F2.4, F2.15(b)) reads this, never DateTimeOffset.UtcNow.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}

public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();
    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}

/// <summary>A clock that stands still until moved; only a DCC started in test mode uses it.</summary>
public sealed class VirtualClock : IClock
{
    private readonly object _gate = new();
    private DateTimeOffset _now;

    public VirtualClock(DateTimeOffset start) => _now = start.ToUniversalTime();

    public DateTimeOffset UtcNow
    {
        get { lock (_gate) return _now; }
    }

    /// <summary>Moves the clock forward; time never runs backwards, so a negative step is refused.</summary>
    public DateTimeOffset Advance(TimeSpan by)
    {
        if (by < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(by), by, "The virtual clock only moves forward; give a positive duration.");
        lock (_gate) return _now = _now.Add(by);
    }

    /// <summary>Sets the clock to a later instant.</summary>
    public DateTimeOffset Set(DateTimeOffset to)
    {
        lock (_gate)
        {
            if (to < _now)
                throw new ArgumentOutOfRangeException(nameof(to), to, $"The virtual clock only moves forward; it reads {_now:O}.");
            return _now = to.ToUniversalTime();
        }
    }
}
