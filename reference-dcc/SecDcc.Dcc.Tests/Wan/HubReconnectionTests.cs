using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Dcc.Service.Wan;
using SecDcc.Dcc.Tests.Support;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using static SecDcc.Dcc.Service.Wan.PreparedCommand;
using DeviceType = SecDcc.Dcc.Inventory.DeviceType;
using SmiStatus = SecDcc.Dcc.Inventory.SmiStatus;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// A hub whose power is cut and restored connects again, and its new connection replaces the old one (a real hub's
/// old TCP connection is left half open). A meter's Response that the old connection had already received when that
/// happened must still be acted on: the meter has executed the Command, so the SMI follows it (AC 4.13) and the
/// request ends once. The connection runs in process here, its session scripted, so the Response is held behind the
/// DCC's other SMI work at the moment the connection is replaced.
/// </summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class HubReconnectionTests
{
    private static readonly Eui64 DccId = Eui64.Parse("90-B3-D5-1F-30-00-00-02");

    [Test]
    public async Task AC_4_13_a_Response_received_before_the_hub_reconnects_still_commissions_the_meter_and_ends_its_request_once(CancellationToken ct)
    {
        await using var world = await TestWorld.CreateAsync();
        var (chf, _) = await world.DeliverHubAsync();
        var esme = await world.AddAsync(DeviceType.ESME, TestWorld.Smets2Esme);
        await world.CommissionChfAsync(chf);
        await world.InstallAsync(chf, esme, TestWorld.Mpan);

        var outcomes = new OutcomeRecorder();
        await using var services = new ServiceCollection().AddSingleton<IDeviceOutcomeSink>(outcomes).BuildServiceProvider();
        using var dispatcher = new OutcomeDispatcher(services, NullLogger<OutcomeDispatcher>.Instance);
        await dispatcher.StartAsync(ct);
        var gate = new WanSmiGate();
        var hubs = new HubDirectory();
        var adapters = new WanAdapterRegistry();
        var context = new WanGatewayContext(world.Dcc, new WanStatistics(), hubs, dispatcher, adapters, gate, NullLogger.Instance,
            new CredentialResponses(world.Dcc.PostCommissioning, DccWanIdentity.DefaultDccId, []));

        var session = new ScriptedSession();
        var connection = new HubConnection(session, adapters.Default, "tcp 192.0.2.1:40000", context);
        var running = connection.RunAsync(TimeSpan.FromMinutes(1), ct);
        session.Connected(Wire.Eui(chf));
        await UntilAsync(() => hubs.TryGet(Wire.Eui(chf), out var routed) && routed == connection, ct);

        var request = new DeviceRequest("90-B3-D5-1F-30-01-00-00:esme:1", "8.1.1", TestWorld.ImportSupplier, esme, new Dictionary<string, string>());
        Assert.That(dispatcher.Open(request.RequestId), Is.True);
        var prepared = (await DeviceServices.PrepareAsync(request, world.Smi, ct)).Must();
        Assert.That(connection.Send(prepared).IsSuccess, Is.True, "the Command went out on the hub's connection");
        var command = await session.Sent.Reader.ReadAsync(ct);

        // The SMI is busy with other work when the meter's Response arrives, and the hub, back from its power cut,
        // connects again before that work is done: the gateway replaces (disposes) the old connection.
        var busy = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = gate.RunAsync(() => busy.Task, ct);
        session.Respond(Wire.Eui(esme), CommandResponse.Success(command.RequestId));
        await connection.DisposeAsync();
        busy.SetResult(true);
        await holding;
        await running;

        var ended = await Task.WhenAny(outcomes.First.Task, Task.Delay(TimeSpan.FromSeconds(10), ct));
        Assert.That(ended, Is.SameAs(outcomes.First.Task),
            $"request {request.RequestId} reached no outcome: the Response the replaced connection had received was dropped, leaving the request 'sent' and the meter {(await world.DeviceAsync(esme)).Status} in the SMI");
        var outcome = await outcomes.First.Task;
        Assert.Multiple(async () =>
        {
            Assert.That(outcome.RequestId, Is.EqualTo(request.RequestId));
            Assert.That(outcome.SuccessfullyExecuted, Is.True, outcome.FailureReason);
            Assert.That(outcomes.All.Count(o => o.RequestId == request.RequestId), Is.EqualTo(1), "the request ends once");
            Assert.That((await world.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Commissioned), "the SMI follows the meter's Response (AC 4.13)");
        });
    }

    private static async Task UntilAsync(Func<bool> condition, CancellationToken ct)
    {
        while (!condition())
            await Task.Delay(10, ct); // the poll interval of a state check
    }

    private sealed class OutcomeRecorder : IDeviceOutcomeSink
    {
        public ConcurrentQueue<DeviceOutcome> All { get; } = new();

        public TaskCompletionSource<DeviceOutcome> First { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task DeliverAsync(DeviceOutcome outcome, CancellationToken cancellationToken)
        {
            All.Enqueue(outcome);
            First.TrySetResult(outcome);
            return Task.CompletedTask;
        }
    }

    /// <summary>A WAN session played by the test, doing what <see cref="WanSession"/> does with a Response and at its end.</summary>
    private sealed class ScriptedSession : IWanSession
    {
        private readonly Channel<WanEvent> _events = Channel.CreateUnbounded<WanEvent>();
        private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly ConcurrentDictionary<RequestId, TaskCompletionSource<CommandOutcome>> _waiting = new();
        private long _counter;

        public Eui64? HubId { get; private set; }

        public ChannelReader<WanEvent> Events => _events.Reader;

        public Task Completion => _ended.Task;

        public Channel<DeviceCommand> Sent { get; } = Channel.CreateUnbounded<DeviceCommand>();

        public RequestId NewRequestId(Eui64 target) => new(DccId, target, (ulong)Interlocked.Increment(ref _counter));

        public Task<CommandOutcome> SendAsync(Eui64 target, DeviceCommand command, CancellationToken cancellationToken)
        {
            var waiting = new TaskCompletionSource<CommandOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting[command.RequestId] = waiting;
            Sent.Writer.TryWrite(command);
            return waiting.Task;
        }

        public void Connected(Eui64 chf)
        {
            HubId = chf;
            var alert = new HubConnectedAlert(chf, null, new DeviceModelInfo("Acme", "CH-2", "1.0", "2.0", Octets.Empty, "SMETS2"), 2);
            _events.Writer.TryWrite(new HubConnectedEvent(DateTimeOffset.UtcNow, Frame(MessageTypes.HubConnected, chf), alert));
        }

        /// <summary>As the real session: the Response becomes an event, and the Command's wait ends with it.</summary>
        public void Respond(Eui64 from, CommandResponse response)
        {
            var frame = Frame(MessageTypes.CommandResponse, from);
            _events.Writer.TryWrite(new ResponseEvent(DateTimeOffset.UtcNow, frame, response, Late: false));
            if (_waiting.TryRemove(response.RequestId, out var waiting))
                waiting.TrySetResult(new CommandOutcome(frame, response));
        }

        /// <summary>As the real session: no more reading, the events end after those already received, waiting Commands fail.</summary>
        public ValueTask DisposeAsync()
        {
            _events.Writer.TryComplete();
            foreach (var waiting in _waiting.Values)
                waiting.TrySetException(new WanSessionClosedException("the scripted session ended before a response came"));
            _ended.TrySetResult();
            return ValueTask.CompletedTask;
        }

        private static LinkFrame Frame(ushort type, Eui64 sender) => new(1, new FrameHeader(type, 1, sender, DccId), ReadOnlyMemory<byte>.Empty, ReadOnlyMemory<byte>.Empty);
    }
}
