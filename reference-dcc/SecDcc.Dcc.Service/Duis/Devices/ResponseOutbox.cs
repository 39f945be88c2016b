using System.Collections.Concurrent;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Devices;

/// <summary>A signed DUIS response held for its User to collect.</summary>
public sealed record OutboxEntry(long Sequence, DuisEui Originator, string RequestId, string ServiceReferenceVariant, string ResponseCode, string Xml, DateTimeOffset At);

/// <summary>
/// The device responses each User can collect by polling (GET /api/v1/responses), in the order they were produced.
/// Kept in memory, the last <see cref="PerUserLimit"/> per User: a test harness reads them within a run, and a User that
/// must not miss any registers a callback (decision 1005). Waiting readers are woken when a response for them arrives,
/// so a harness can wait for the state it needs instead of sleeping.
/// </summary>
public sealed class ResponseOutbox
{
    public const int PerUserLimit = 10_000;
    private readonly ConcurrentDictionary<DuisEui, Queue> _queues = new();
    private long _sequence;

    public OutboxEntry Add(DuisEui originator, string requestId, string srv, string responseCode, string xml, DateTimeOffset at)
    {
        var queue = _queues.GetOrAdd(originator, _ => new Queue());
        OutboxEntry entry;
        TaskCompletionSource arrived;
        lock (queue)
        {
            entry = new OutboxEntry(Interlocked.Increment(ref _sequence), originator, requestId, srv, responseCode, xml, at);
            queue.Entries.Add(entry);
            if (queue.Entries.Count > PerUserLimit)
                queue.Entries.RemoveRange(0, queue.Entries.Count - PerUserLimit);
            arrived = queue.Arrived;
            queue.Arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        arrived.TrySetResult();
        return entry;
    }

    /// <summary>The first response for <paramref name="originator"/> after sequence <paramref name="after"/>, waiting up to <paramref name="wait"/> for one.</summary>
    public async Task<OutboxEntry?> NextAsync(DuisEui originator, long after, TimeSpan wait, CancellationToken ct)
    {
        var queue = _queues.GetOrAdd(originator, _ => new Queue());
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(wait);
        while (true)
        {
            Task arrived;
            lock (queue)
            {
                var found = queue.Entries.FirstOrDefault(e => e.Sequence > after);
                if (found is not null)
                    return found;
                arrived = queue.Arrived.Task;
            }
            try
            {
                await arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
        }
    }

    private sealed class Queue
    {
        public List<OutboxEntry> Entries { get; } = [];
        public TaskCompletionSource Arrived { get; set; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
