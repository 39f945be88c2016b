using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using SecDcc.DeviceProtocol.Encoding;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Protocol;

/// <summary>The gateway-side session against a hub played by hand, frame by frame.</summary>
public sealed class WanSessionTests
{
    private static readonly Eui64 Dcc = FakeGateway.DccId;
    private static readonly Eui64 Chf = TestRigs.Chf;
    private static readonly Eui64 Esme = TestRigs.Esme;
    private static readonly DeviceModelInfo Model = new("Acme", "CH-1", "1", "1", Octets.FromHex(new string('0', 64)), "SMETS1");

    [Test]
    [CancelAfter(10_000)]
    public async Task A_connected_communication_naming_another_chf_is_refused_under_ac_4_2c(CancellationToken ct)
    {
        await using var pair = await Pair.CreateAsync(ct);
        await pair.HubSendsAsync(new HubConnectedAlert(Esme, null, Model, 1), pair.ChfKey, Chf, ct);
        var refused = await pair.Events.WaitForAsync<MessageRejectedEvent>(null, TimeSpan.FromSeconds(5), "the refusal");
        Assert.Multiple(() =>
        {
            Assert.That(refused.Reason, Does.Contain("AC 4.2(c)"));
            Assert.That(pair.Session.HubId, Is.Null);
            Assert.That(pair.Events.Of<HubConnectedEvent>(), Is.Empty);
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_replayed_frame_and_a_forged_one_are_dropped_and_reported(CancellationToken ct)
    {
        await using var pair = await Pair.CreateAsync(ct);
        var wire = pair.Frame(new HubConnectedAlert(Chf, null, Model, 1), pair.ChfKey, Chf, counter: 100);
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await pair.HubWritesAsync(wire, ct);
        await pair.HubWritesAsync(wire, ct);
        await pair.HubWritesAsync(pair.Frame(new HubConnectedAlert(Chf, null, Model, 2), forger, Chf, counter: 200), ct);
        await pair.HubWritesAsync(pair.Frame(new HanDeviceAlert(Chf, Esme, DeviceType.ESME), pair.ChfKey, Chf, counter: 300), ct);

        await pair.Events.WaitForAsync<HanDeviceAlertEvent>(null, TimeSpan.FromSeconds(5), "the HAN alert after the bad frames");
        Assert.Multiple(() =>
        {
            Assert.That(pair.Events.Of<HubConnectedEvent>(), Has.Count.EqualTo(1));
            Assert.That(pair.Events.Of<FrameRejectedEvent>().Select(r => r.Drop.Reason), Is.EqualTo(new[] { DropReason.Replayed, DropReason.BadSignature }));
            Assert.That(pair.Session.Statistics.Dropped(DropReason.Replayed), Is.EqualTo(1));
        });
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_response_from_a_device_other_than_the_target_is_refused(CancellationToken ct)
    {
        await using var pair = await Pair.CreateAsync(ct);
        await pair.HubSendsAsync(new HubConnectedAlert(Chf, null, Model, 1), pair.ChfKey, Chf, ct);
        await pair.Events.WaitForAsync<HubConnectedEvent>(null, TimeSpan.FromSeconds(5), "connected");

        var command = new CommissionDevice(pair.Session.NewRequestId(Esme));
        var sending = pair.Session.SendAsync(Esme, command, ct);
        var received = await pair.HubReceivesAsync(ct);
        Assert.That(received.Message, Is.EqualTo(command));

        // The CHF answers with a success for the meter: not its to give.
        await pair.HubSendsAsync(CommandResponse.Success(command.RequestId), pair.ChfKey, Chf, ct);
        var refused = await pair.Events.WaitForAsync<MessageRejectedEvent>(null, TimeSpan.FromSeconds(5), "the refusal");
        Assert.That(refused.Reason, Does.Contain($"signed by {Chf}, but the command went to {Esme}"));
        Assert.That(async () => await sending, Throws.TypeOf<WanTimeoutException>());
    }

    [Test]
    [CancelAfter(10_000)]
    public async Task A_response_after_the_timeout_is_reported_late_and_a_chf_may_answer_for_an_unreachable_device(CancellationToken ct)
    {
        await using var pair = await Pair.CreateAsync(ct);
        await pair.HubSendsAsync(new HubConnectedAlert(Chf, null, Model, 1), pair.ChfKey, Chf, ct);
        await pair.Events.WaitForAsync<HubConnectedEvent>(null, TimeSpan.FromSeconds(5), "connected");

        var late = new ReadDeviceLog(pair.Session.NewRequestId(Chf));
        var timedOut = Assert.ThrowsAsync<WanTimeoutException>(async () => await pair.Session.SendAsync(Chf, late, ct))!;
        Assert.That(timedOut.Message, Does.Contain("ReadDeviceLog (0x0114)").And.Contain("DUIS 8.9"));
        await pair.HubReceivesAsync(ct);
        await pair.HubSendsAsync(CommandResponse.Success(late.RequestId), pair.ChfKey, Chf, ct);
        var reported = await pair.Events.WaitForAsync<ResponseEvent>(r => r.Late, TimeSpan.FromSeconds(5), "the late response");
        Assert.That(reported.Response.RequestId, Is.EqualTo(late.RequestId));

        var unreachable = new CommissionDevice(pair.Session.NewRequestId(Esme));
        var sending = pair.Session.SendAsync(Esme, unreachable, ct);
        await pair.HubReceivesAsync(ct);
        await pair.HubSendsAsync(CommandResponse.Failure(unreachable.RequestId, ResponseReason.TargetUnreachable, "not heard"), pair.ChfKey, Chf, ct);
        var outcome = await sending;
        Assert.That(outcome.Response.Reason, Is.EqualTo(ResponseReason.TargetUnreachable));
    }

    [Test]
    public void The_adapter_registry_gives_the_reference_protocol_unless_a_model_has_its_own()
    {
        var other = new NamedAdapter("acme-hub/2");
        var registry = new WanAdapterRegistry().Register("Acme", "CH-9", other);
        Assert.Multiple(() =>
        {
            Assert.That(registry.For("Acme", "CH-9"), Is.SameAs(other));
            Assert.That(registry.For("SecDcc Emulation", "EMU-CH1").Name, Is.EqualTo("secdcc-device-link/1"));
            Assert.That(() => registry.Register("Acme", "CH-9", other), Throws.ArgumentException.With.Message.Contains("already has WAN adapter acme-hub/2"));
        });
    }

    private sealed class NamedAdapter(string name) : IWanAdapter
    {
        public string Name => name;

        public IWanSession Open(Stream transport, WanSessionOptions options, bool ownsTransport = true) =>
            throw new NotSupportedException("not used by the test");
    }

    /// <summary>A gateway session and the hub end of its TCP connection, played by the test.</summary>
    private sealed class Pair : IAsyncDisposable
    {
        private readonly TcpClient _hub;
        private readonly FrameReader _hubReader;
        private readonly LocalCertificateAuthority _authority;
        private readonly DeviceCertificateDirectory _directory;
        private readonly ECDsa _dccKey;
        private readonly ClockCounter _counter = new();

        private Pair(TcpClient hub, WanSession session, LocalCertificateAuthority authority, DeviceCertificateDirectory directory, ECDsa dccKey, ECDsa chfKey)
        {
            _hub = hub;
            Session = session;
            _authority = authority;
            _directory = directory;
            _dccKey = dccKey;
            ChfKey = chfKey;
            Events = new EventRecorder(session);
            _hubReader = new FrameReader(hub.GetStream(), new LinkDecoder(MessageTypes.LinkOptions, new VerifierKeyStore().Add(Dcc, dccKey)));
        }

        public WanSession Session { get; }

        public EventRecorder Events { get; }

        public ECDsa ChfKey { get; }

        private Stream HubStream => _hub.GetStream();

        public static async Task<Pair> CreateAsync(CancellationToken ct)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var hub = new TcpClient();
            await hub.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port, ct);
            var gatewaySide = await listener.AcceptTcpClientAsync(ct);
            listener.Stop();

            var authority = LocalCertificateAuthority.Create("pair CA");
            var chfKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var directory = new DeviceCertificateDirectory([authority.IssuerCertificate]);
            directory.Add(authority.Issue(Chf, chfKey));
            var dccKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var session = WanSession.Start(gatewaySide.GetStream(), new WanSessionOptions
            {
                DccId = Dcc,
                SigningKey = dccKey,
                Devices = directory,
                ResponseTimeout = TimeSpan.FromMilliseconds(500),
            });
            return new Pair(hub, session, authority, directory, dccKey, chfKey);
        }

        public byte[] Frame(DeviceMessage message, ECDsa key, Eui64 sender, ulong counter) =>
            FrameCodec.Encode(new FrameHeader(message.MessageType, counter, sender, Dcc), DeviceMessageCodec.Encode(message), key, MessageTypes.LinkOptions);

        public Task HubSendsAsync(DeviceMessage message, ECDsa key, Eui64 sender, CancellationToken ct) =>
            HubWritesAsync(Frame(message, key, sender, _counter.Next()), ct);

        public async Task HubWritesAsync(byte[] wire, CancellationToken ct) => await HubStream.WriteAsync(wire, ct);

        public async Task<ReceivedMessage> HubReceivesAsync(CancellationToken ct)
        {
            var frame = await _hubReader.ReadFrameAsync(ct) ?? throw new IOException("the gateway closed the connection");
            return new ReceivedMessage(frame, DeviceMessageCodec.Decode(frame.MessageType, frame.Payload));
        }

        public async ValueTask DisposeAsync()
        {
            await Session.DisposeAsync();
            _hubReader.Dispose();
            _hub.Dispose();
            _directory.Dispose();
            _authority.Dispose();
            _dccKey.Dispose();
            ChfKey.Dispose();
        }
    }
}
