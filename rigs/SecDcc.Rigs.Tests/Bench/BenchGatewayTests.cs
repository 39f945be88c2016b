using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Tests.Support;
using SecDcc.Rigs.TrustAnchors;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Bench;

/// <summary>The bench's own gateway signs with the key of the rig's Access Control Broker Certificate, which the devices hold.</summary>
public sealed class BenchGatewayTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task Devices_populated_from_the_rigs_pki_take_the_bench_gateways_commands(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var definition = WithBench(Small(folder.Path), Path.Combine(RepoPaths.Rigs, "trust-anchors", "cells.yaml"));
        using var anchors = RigTrustAnchors.Create(definition.TrustAnchors);
        await using var gateway = new BenchGateway(anchors, TimeSpan.FromSeconds(5));
        await using var rig = await EmulatedRig.StartAsync(definition, new EmulatorOptions { Wan = gateway.Wan }, ct);
        var session = await gateway.AcceptAsync(TimeSpan.FromSeconds(10), ct);
        var events = new EventRecorder(session);

        await events.WaitForAsync<HubConnectedEvent>(null, TimeSpan.FromSeconds(10), "the hub's 'connected' communication");
        await ConnectedRig.SucceedsAsync(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, TimeSpan.FromSeconds(10), "the HAN alert for the ESME");
        await ConnectedRig.SucceedsAsync(session, Esme, id => new CommissionDevice(id), ct);
        Assert.That(events.Of<FrameRejectedEvent>(), Is.Empty);
    }

    [Test]
    public void A_rig_given_a_dcc_certificate_of_its_own_cannot_use_the_bench_gateway()
    {
        using var folder = new TempFolder();
        using var fake = new FakeGatewayCertificate();
        using var anchors = RigTrustAnchors.Create(Small(folder.Path).TrustAnchors, fake.Certificate);
        var e = Assert.Throws<ArgumentException>(() => _ = new BenchGateway(anchors, TimeSpan.FromSeconds(1)))!;
        Assert.That(e.Message, Does.Contain("DCC certificate of its own"));
    }

    private sealed class FakeGatewayCertificate : IDisposable
    {
        private readonly FakeGateway _gateway = new();

        public System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate => _gateway.Certificate;

        public void Dispose() => _gateway.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
