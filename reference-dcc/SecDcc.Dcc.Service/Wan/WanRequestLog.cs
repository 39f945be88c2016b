using System.Collections.Concurrent;
using SecDcc.Dcc.Service.Devices;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// Test mode only: remembers the device requests sent through POST /wan/requests and the outcome of every device
/// request, so a test can wait for an outcome by its RequestId. Keeps the most recent <see cref="Capacity"/>.
/// </summary>
public sealed class WanRequestLog : IDeviceOutcomeSink
{
    public const int Capacity = 20_000;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public sealed record Entry(DeviceRequestAccepted? Accepted, DeviceOutcome? Outcome);

    public void Accepted(DeviceRequestAccepted accepted) =>
        Put(accepted.RequestId, () => new Entry(accepted, null), e => e with { Accepted = accepted });

    public Task DeliverAsync(DeviceOutcome outcome, CancellationToken cancellationToken)
    {
        Put(outcome.RequestId, () => new Entry(null, outcome), e => e with { Outcome = outcome });
        return Task.CompletedTask;
    }

    public Entry? Find(string requestId) => _entries.TryGetValue(requestId, out var e) ? e : null;

    private void Put(string requestId, Func<Entry> add, Func<Entry, Entry> update)
    {
        var added = false;
        _entries.AddOrUpdate(requestId, _ => { added = true; return add(); }, (_, e) => update(e));
        if (!added)
            return;
        _order.Enqueue(requestId);
        while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            _entries.TryRemove(oldest, out _);
    }
}
