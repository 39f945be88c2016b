using System.Net;
using System.Net.Sockets;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Bridge;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Bridge;

/// <summary>The WAN bridge between a hub's serial WAN line and the gateway's TCP port.</summary>
public sealed class WanBridgeTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task Every_byte_crosses_unchanged_in_both_directions(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var wire = PseudoTerminal.Create();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var bridge = WanBridge.Start(wire.SlavePath, new SerialSettings(), "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        using var gateway = await listener.AcceptTcpClientAsync(ct);
        var tcp = gateway.GetStream();

        // Every byte value, frame flags and escapes included, several times over, in each direction.
        var up = Enumerable.Range(0, 4096).Select(i => (byte)(i * 7)).ToArray();
        var down = Enumerable.Range(0, 4096).Select(i => (byte)(255 - i)).ToArray();
        var sendUp = wire.Master.WriteAsync(up, ct).AsTask();
        var sendDown = tcp.WriteAsync(down, ct).AsTask();
        var atGateway = await ReadExactlyAsync(tcp, up.Length, ct);
        var atHub = await ReadExactlyAsync(wire.Master, down.Length, ct);
        await Task.WhenAll(sendUp, sendDown);

        Assert.Multiple(() =>
        {
            Assert.That(atGateway, Is.EqualTo(up));
            Assert.That(atHub, Is.EqualTo(down));
            Assert.That(bridge.BytesToGateway, Is.EqualTo(up.Length));
            Assert.That(bridge.BytesToHub, Is.EqualTo(down.Length));
            Assert.That(bridge.State.Status, Is.EqualTo(WanBridgeStatus.Connected));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task An_emulated_hub_on_its_serial_wan_line_commissions_through_the_bridge_as_over_tcp(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        var tcp = (TcpWan)gateway.Wan;
        await using var rig = await EmulatedRig.StartAsync(
            WithBench(Small(folder.Path)),
            new EmulatorOptions { DccCertificate = gateway.Certificate, Wan = new SerialWan(EmulatedPort.Instance) },
            ct);
        await using var bridge = WanBridge.Start(rig.WanLinePath!, new SerialSettings(), tcp.Host, tcp.Port);
        using var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
        var session = await gateway.AcceptAsync(directory, TimeSpan.FromSeconds(5), Within);
        var events = new EventRecorder(session);

        // The hub sent its 'connected' communication at power-up, before the bridge held the line (opening a port
        // discards what waited in it), so its power is cycled through its relay, as on a bench.
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        await (await bench.PowerAsync("chf", ct)).CycleAsync(TimeSpan.Zero, ct);
        var connected = await events.WaitForAsync<HubConnectedEvent>(null, Within, "the hub's 'connected' communication through the bridge");

        await ConnectedRig.SucceedsAsync(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, Within, "the HAN alert for the ESME through the bridge");
        await ConnectedRig.SucceedsAsync(session, Esme, id => new CommissionDevice(id), ct);
        Assert.Multiple(() =>
        {
            Assert.That(connected.Alert.ChfId, Is.EqualTo(Chf));
            Assert.That(events.Of<FrameRejectedEvent>(), Is.Empty, "every frame verified: the bridge changed nothing");
            Assert.That(bridge.BytesToGateway, Is.GreaterThan(0));
            Assert.That(bridge.BytesToHub, Is.GreaterThan(0));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task The_bridge_reconnects_when_the_gateway_drops_it_and_keeps_trying_while_it_is_away(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var wire = PseudoTerminal.Create();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        await using var bridge = WanBridge.Start(wire.SlavePath, new SerialSettings(), "127.0.0.1", port, new WanBridgeOptions { FirstRetry = TimeSpan.FromMilliseconds(20) });
        (await listener.AcceptTcpClientAsync(ct)).Dispose();

        using var second = await listener.AcceptTcpClientAsync(ct);
        await wire.Master.WriteAsync(new byte[] { 0x7E, 0x01, 0x7E }, ct);
        Assert.That(await ReadExactlyAsync(second.GetStream(), 3, ct), Is.EqualTo(new byte[] { 0x7E, 0x01, 0x7E }));
        Assert.That(bridge.Connections, Is.EqualTo(2));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_hung_up_line_stops_the_bridge_and_says_so(CancellationToken ct)
    {
        RequirePseudoTerminals();
        var wire = PseudoTerminal.Create();
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        await using var bridge = WanBridge.Start(wire.SlavePath, new SerialSettings(), "127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port);
        using var gateway = await listener.AcceptTcpClientAsync(ct);
        wire.Dispose();

        var e = Assert.ThrowsAsync<SerialPortException>(async () => await bridge.Completion.WaitAsync(Within, ct))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Error, Is.EqualTo(SerialError.HungUp));
            Assert.That(bridge.State.Status, Is.EqualTo(WanBridgeStatus.Stopped));
            Assert.That(bridge.State.Detail, Does.Contain("hung up"));
        });
    }

    private static async Task<byte[]> ReadExactlyAsync(Stream stream, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        await stream.ReadExactlyAsync(buffer, ct);
        return buffer;
    }

    private static async Task<byte[]> ReadExactlyAsync(ISerialPort port, int count, CancellationToken ct)
    {
        var buffer = new byte[count];
        var at = 0;
        while (at < count)
        {
            at += await port.ReadAsync(buffer.AsMemory(at), ct);
        }

        return buffer;
    }
}
