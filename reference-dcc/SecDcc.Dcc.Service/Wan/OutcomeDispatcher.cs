using System.Collections.Concurrent;
using System.Threading.Channels;
using SecDcc.Dcc.Service.Devices;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// Hands each device outcome to every registered <see cref="IDeviceOutcomeSink"/>, in the order the outcomes were
/// reached, on its own loop so a slow sink never holds up a hub's WAN traffic. Also knows which request IDs are
/// still open, so one cannot be reused while its Command is outstanding.
/// </summary>
public sealed class OutcomeDispatcher(IServiceProvider services, ILogger<OutcomeDispatcher> log) : BackgroundService
{
    private readonly Channel<DeviceOutcome> _queue = Channel.CreateUnbounded<DeviceOutcome>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, byte> _open = new(StringComparer.Ordinal);

    /// <summary>Marks a request ID as open; false when it already is.</summary>
    public bool Open(string requestId) => _open.TryAdd(requestId, 0);

    /// <summary>Closes a request ID that ends without an outcome (refused before anything was sent).</summary>
    public void Close(string requestId) => _open.TryRemove(requestId, out _);

    public void Deliver(DeviceOutcome outcome)
    {
        _open.TryRemove(outcome.RequestId, out _);
        _queue.Writer.TryWrite(outcome);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Resolved here, not in the constructor: a sink may itself depend on IDeviceRequests.
        var sinks = services.GetServices<IDeviceOutcomeSink>().ToList();
        await foreach (var outcome in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            foreach (var sink in sinks)
            {
                try
                {
                    await sink.DeliverAsync(outcome, stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One sink's failure must not keep the outcome from the others.
                    log.LogError(e, "Outcome sink {Sink} failed on request {RequestId}", sink.GetType().Name, outcome.RequestId);
                }
            }
        }
    }
}
