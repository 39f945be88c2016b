using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>A device brought to a running rig joins its HAN while the hub stays connected to the WAN.</summary>
public sealed class AddDeviceTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task A_device_added_to_a_running_rig_is_heard_by_the_hub_on_the_same_wan_connection_once_whitelisted(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var gateway = new FakeGateway();
        var log = new MemoryEmulatorLog();
        var small = Small(folder.Path, wan: gateway.Wan);
        var withoutIhd = small with { Devices = small.Devices.Where(d => d.Type != DeviceType.IHD).ToList() };
        await using var rig = await EmulatedRig.StartAsync(withoutIhd, new EmulatorOptions { DccCertificate = gateway.Certificate, Log = log }, ct);
        using var directory = new DeviceCertificateDirectory(rig.DeviceIssuerCertificates);
        var session = await gateway.AcceptAsync(directory, TimeSpan.FromSeconds(5), Within);
        var events = new EventRecorder(session);
        await events.WaitForAsync<HubConnectedEvent>(null, Within, "the hub's 'connected' communication");

        var ihd = small.Device("ihd");
        var added = await rig.AddDeviceAsync(ihd, ct);
        Assert.Multiple(() =>
        {
            Assert.That(added.IsPoweredOn, Is.True, "the added device is powered on");
            Assert.That(rig.Devices.Select(d => d.Name), Is.EqualTo(new[] { "chf", "gpf", "esme", "ihd" }));
            Assert.That(rig.Definition.Device("ihd").Id, Is.EqualTo(Ihd));
        });

        var whitelisted = await session.SendAsync(Chf, new UpdateHanDeviceLog(session.NewRequestId(Chf), HanLogAction.Add, Ihd, DeviceType.IHD, Octets.Empty), ct);
        Assert.That(whitelisted.Response.Succeeded, Is.True, whitelisted.Response.Detail);
        var alert = await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Ihd, Within, $"the HAN alert for the added IHD\n{string.Join("\n", log.Lines)}");
        Assert.That(alert.Alert.DeviceType, Is.EqualTo(DeviceType.IHD));
        await using (var chfPort = LocalPortClient.Open(rig["chf"].LocalPortPath))
        {
            var chf = await chfPort.ReadStateAsync(ct);
            Assert.That(chf.PowerUpCount, Is.EqualTo(1UL), "the hub was not powered down to take the IHD");
            Assert.That(chf.ReachableDevices, Does.Contain(Ihd));
        }

        await using var port = LocalPortClient.Open(added.LocalPortPath);
        var identity = await port.ReadIdentityAsync(ct);
        Assert.That(identity.DeviceId, Is.EqualTo(Ihd), "the added device answers on its own local port");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_device_that_cannot_join_a_running_rig_is_refused_saying_why_and_the_rig_is_unchanged(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var bench = WithBench(Small(folder.Path));
        await using var rig = await EmulatedRig.StartAsync(bench, new EmulatorOptions(), ct);
        var esme = bench.Device("esme");
        var cases = new (DeviceDefinition Device, string Says)[]
        {
            (esme with { Name = "esme2", Gpio = DeviceGpio.None }, "already has esme"),
            (esme with { Id = Ihd, Gpio = DeviceGpio.None }, "already has esme"),
            (bench.Device("gpf") with { Name = "gpf2", Id = Gsme, Gpio = DeviceGpio.None }, "is a GPF"),
            (esme with { Name = "esme2", Id = Gsme }, "names GPIO lines (power bench/esme-power"),
        };
        foreach (var (device, says) in cases)
        {
            var refused = Assert.ThrowsAsync<ArgumentException>(() => rig.AddDeviceAsync(device, ct));
            Assert.That(refused!.Message, Does.Contain(says), device.ToString);
        }

        Assert.That(rig.Devices.Select(d => d.Name), Is.EqualTo(new[] { "chf", "gpf", "esme", "ihd" }));
    }
}
