using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>The hub's WAN as a serial line: what a WAN bridge would open, here the gateway session itself.</summary>
public sealed class SerialWanTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task A_gateway_session_over_the_emulated_wan_line_sees_the_hub_connect_and_takes_commands(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        await using var rig = await EmulatedRig.StartAsync(
            Small(folder.Path),
            new EmulatorOptions { DccCertificate = gateway.Certificate, Wan = new SerialWan(EmulatedPort.Instance) },
            ct);
        Assert.That(rig.WanLinePath, Does.StartWith("/dev/pts/"));

        // The CHF sent its 'connected' communication at power-up, before anyone had the line open (a serial line
        // has no connection to say someone is listening, and opening the port discards what waited in it), so the
        // hub is power-cycled once the line is open.
        await using var line = SerialPort.Open(rig.WanLinePath!, new SerialSettings());
        using var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
        await using var session = WanSession.Start(line.AsStream(), new WanSessionOptions
        {
            DccId = FakeGateway.DccId,
            SigningKey = gateway.SigningKey,
            Devices = directory,
            ResponseTimeout = TimeSpan.FromSeconds(5),
            PeerName = rig.WanLinePath!,
        }, ownsTransport: false);
        var events = new EventRecorder(session);
        await rig.PowerCycleAsync("chf", ct);

        var connected = await events.WaitForAsync<HubConnectedEvent>(null, TimeSpan.FromSeconds(10), "the hub's 'connected' communication over the serial WAN");
        Assert.That(connected.Alert.ChfId, Is.EqualTo(Chf));
        var read = await session.SendAsync(Chf, new ReadDeviceLog(session.NewRequestId(Chf)), ct);
        Assert.That(read.Response.Succeeded, Is.True, read.Response.Detail);
    }
}
