using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Transport;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>The commissioning flow of Appendix AC clause 4, driven by a fake gateway over TCP with the gateway-side codec.</summary>
public sealed class WanFlowTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task Gateway_takes_the_hub_from_connected_through_whitelisting_han_alert_join_commissioning_and_unjoin(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        var log = new MemoryEmulatorLog();
        await using var rig = await EmulatedRig.StartAsync(
            Small(folder.Path, wan: gateway.Wan),
            new EmulatorOptions { DccCertificate = gateway.Certificate, Log = log },
            ct);
        using var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
        var session = await gateway.AcceptAsync(directory, TimeSpan.FromSeconds(5), Within);
        var events = new EventRecorder(session);

        // AC 4.1–4.2: the CHF's signed "connected" communication, verified against its Device Certificate.
        var connected = await events.WaitForAsync<HubConnectedEvent>(null, Within, "the hub's 'connected' communication");
        Assert.Multiple(() =>
        {
            Assert.That(connected.Alert.ChfId, Is.EqualTo(Chf));
            Assert.That(connected.Alert.GpfId, Is.EqualTo(Gpf));
            Assert.That(connected.Alert.PowerUpCount, Is.EqualTo(1UL));
            Assert.That(session.HubId, Is.EqualTo(Chf));
        });

        // 8.11: whitelist the ESME; the CHF answers, then raises the AC 4.4 alert when the ESME is heard.
        var whitelisted = await session.SendAsync(Chf, new UpdateHanDeviceLog(session.NewRequestId(Chf), HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        Assert.That(whitelisted.Response.Status, Is.EqualTo(ResponseStatus.Success), whitelisted.Response.Detail);
        var alert = await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, Within, "the HAN alert for the ESME");
        Assert.That(alert.Alert.DeviceType, Is.EqualTo(DeviceType.ESME));

        // 8.11 for the IHD (a Type 2 device), then 8.7: join it to the ESME; the CHF relays, the ESME answers.
        var ihdWhitelisted = await session.SendAsync(Chf, new UpdateHanDeviceLog(session.NewRequestId(Chf), HanLogAction.Add, Ihd, DeviceType.IHD, Octets.Empty), ct);
        Assert.That(ihdWhitelisted.Response.Succeeded, Is.True, ihdWhitelisted.Response.Detail);
        await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Ihd, Within, "the HAN alert for the IHD");
        var joined = await session.SendAsync(Esme, new JoinDevice(session.NewRequestId(Esme), Ihd, DeviceType.IHD), ct);
        Assert.That(joined.Response.Succeeded, Is.True, joined.Response.Detail);
        Assert.That(joined.Frame.Sender, Is.EqualTo(Esme), "the join response must come from the ESME itself, relayed by the CHF");

        // The GPF is on the HAN from power-up (it is part of the CH): the IHD joins it too.
        var joinedGpf = await session.SendAsync(Gpf, new JoinDevice(session.NewRequestId(Gpf), Ihd, DeviceType.IHD), ct);
        Assert.That(joinedGpf.Response.Succeeded, Is.True, joinedGpf.Response.Detail);
        Assert.That(joinedGpf.Frame.Sender, Is.EqualTo(Gpf));
        var gpfLog = await session.SendAsync(Gpf, new ReadDeviceLog(session.NewRequestId(Gpf)), ct);
        Assert.That(gpfLog.Response.Entries, Is.EqualTo(new[] { new DeviceLogEntry(Ihd, DeviceType.IHD) }));

        // 8.1.1: commission the ESME.
        var commissioned = await session.SendAsync(Esme, new CommissionDevice(session.NewRequestId(Esme)), ct);
        Assert.That(commissioned.Response.Succeeded, Is.True, commissioned.Response.Detail);

        await using (var esmePort = LocalPortClient.Open(rig["esme"].LocalPortPath))
        {
            var state = await esmePort.ReadStateAsync(ct);
            Assert.Multiple(() =>
            {
                Assert.That(state.Commissioned, Is.True);
                Assert.That(state.JoinedDevices, Is.EqualTo(new[] { new DeviceLogEntry(Ihd, DeviceType.IHD) }));
            });
        }

        // 8.9 over the WAN agrees with the local port; 8.8 removes the entry.
        var read = await session.SendAsync(Esme, new ReadDeviceLog(session.NewRequestId(Esme)), ct);
        Assert.That(read.Response.Entries, Is.EqualTo(new[] { new DeviceLogEntry(Ihd, DeviceType.IHD) }));
        var unjoined = await session.SendAsync(Esme, new UnjoinDevice(session.NewRequestId(Esme), Ihd), ct);
        Assert.That(unjoined.Response.Succeeded, Is.True, unjoined.Response.Detail);
        var afterUnjoin = await session.SendAsync(Esme, new ReadDeviceLog(session.NewRequestId(Esme)), ct);
        Assert.That(afterUnjoin.Response.Entries, Is.Empty);

        // Every message from the hub was signed, and each signature verifies with its sender's own Device Certificate.
        var keys = new Dictionary<Eui64, X509Certificate2>();
        foreach (var name in new[] { "chf", "gpf", "esme" })
        {
            await using var port = LocalPortClient.Open(rig[name].LocalPortPath);
            var identity = await port.ReadIdentityAsync(ct);
            keys[identity.DeviceId] = X509CertificateLoader.LoadCertificate(identity.Certificate.Span);
        }

        var signedEvents = events.All.Select(e => e switch
        {
            HubConnectedEvent c => c.Frame,
            HanDeviceAlertEvent h => h.Frame,
            ResponseEvent r => r.Frame,
            _ => null,
        }).OfType<LinkFrame>().ToArray();
        Assert.That(signedEvents, Has.Length.EqualTo(12), "connected, 2 HAN alerts, 9 responses");
        foreach (var frame in signedEvents)
        {
            using var key = keys[frame.Sender].GetECDsaPublicKey()!;
            Assert.That(FrameRelay.VerifySignature(frame, key), Is.True, $"the signature of {frame} does not verify with {frame.Sender}'s certificate");
        }

        Assert.Multiple(() =>
        {
            Assert.That(events.Of<FrameRejectedEvent>(), Is.Empty, "frames the link dropped");
            Assert.That(events.Of<MessageRejectedEvent>(), Is.Empty, "messages the session refused");
            Assert.That(events.Of<ResponseEvent>().Where(r => r.Late), Is.Empty, "late responses");
        });

        foreach (var frame in keys.Values)
        {
            frame.Dispose();
        }

        TestContext.Out.WriteLine(log);
    }
}
