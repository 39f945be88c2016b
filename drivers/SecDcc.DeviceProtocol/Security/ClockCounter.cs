using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Security;

/// <summary>
/// A frame counter that never repeats across restarts without being stored: the larger of the last value plus
/// one and the wall clock in microseconds since the Unix epoch (decision record 0602). A sender that restarts
/// picks up above everything it sent before, unless its clock was set back.
/// </summary>
public sealed class ClockCounter(TimeProvider? clock = null) : IFrameCounter
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;
    private readonly Lock _gate = new();
    private ulong _last;

    public ulong Next()
    {
        var now = (ulong)(_clock.GetUtcNow() - DateTimeOffset.UnixEpoch).Ticks / 10;
        lock (_gate)
        {
            _last = Math.Max(_last + 1, now);
            return _last;
        }
    }
}
