using System.Text.Json;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>What a device keeps across a power cycle, and what it loses.</summary>
public sealed class StateTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Test]
    [CancelAfter(30_000)]
    public async Task Non_volatile_state_survives_a_power_cycle(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => Small(state, wan: wan), ct);
        var (rig, session, events, gateway, directory) = (connected.Rig, connected.Session, connected.Events, connected.Gateway, connected.Directory);

        await Succeeds(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, Within, "the HAN alert for the ESME");
        await Succeeds(session, Esme, id => new JoinDevice(id, Ihd, DeviceType.IHD), ct);
        await Succeeds(session, Esme, id => new CommissionDevice(id), ct);
        var supplier = new CredentialCell(CredentialCells.Supplier, new Octets([0x30, 0x03, 0x02, 0x01, 0x07]));
        await Succeeds(session, Esme, id => new UpdateSecurityCredentials(id, "6.15.1", ValueList.Of(supplier)), ct);

        var before = await SnapshotAsync(rig, "esme", ct);
        await rig.PowerCycleAsync("esme", ct);
        var after = await SnapshotAsync(rig, "esme", ct);

        Assert.Multiple(() =>
        {
            Assert.That(after.State.Commissioned, Is.True);
            Assert.That(after.State.JoinedDevices, Is.EqualTo(new[] { new DeviceLogEntry(Ihd, DeviceType.IHD) }));
            Assert.That(after.State.PowerUpCount, Is.EqualTo(before.State.PowerUpCount + 1));
            Assert.That(after.Cells, Does.Contain(supplier with { Name = "supplier/digitalSignature" }), "a cell written by role alone is the role's signing cell");
            Assert.That(after.Identity.Certificate, Is.EqualTo(before.Identity.Certificate), "the key and certificate are kept");
        });

        // The file itself says the same, and the ESME still takes the DCC's commands (its counters and trust anchor are kept).
        using var file = JsonDocument.Parse(await File.ReadAllTextAsync(rig["esme"].StatePath, ct));
        Assert.That(file.RootElement.GetProperty("commissioned").GetBoolean(), Is.True);
        await Eventually.GetAsync(_ => Task.FromResult(rig.Hub.Reachable), r => r.Contains(Esme), Within, "the CHF hearing the ESME again");
        var read = await Succeeds(session, Esme, id => new ReadDeviceLog(id), ct);
        Assert.That(read.Entries, Is.EqualTo(new[] { new DeviceLogEntry(Ihd, DeviceType.IHD) }));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task The_join_window_and_who_was_heard_on_the_han_are_lost_when_the_chf_restarts(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => Small(state, wan: wan), ct);
        var (rig, session, events, gateway, directory) = (connected.Rig, connected.Session, connected.Events, connected.Gateway, connected.Directory);

        // The IHD is on the HAN and whitelisted: heard. The ESME is off when whitelisted: it waits in the join window.
        await Succeeds(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Ihd, DeviceType.IHD, Octets.Empty), ct);
        await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Ihd, Within, "the HAN alert for the IHD");
        await rig.PowerOffAsync("esme");
        await Succeeds(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);

        await rig.PowerCycleAsync("chf", ct);
        await using var chf = LocalPortClient.Open(rig["chf"].LocalPortPath);
        var restarted = await chf.ReadStateAsync(ct);
        Assert.Multiple(() =>
        {
            Assert.That(restarted.JoinedDevices.Select(e => e.DeviceId), Is.EquivalentTo(new[] { Ihd, Esme }), "the HAN Device Log is non-volatile");
            Assert.That(restarted.ReachableDevices, Does.Not.Contain(Esme), "the ESME is off");
            Assert.That(restarted.PowerUpCount, Is.EqualTo(2UL));
        });

        var second = await gateway.AcceptAsync(directory, TimeSpan.FromSeconds(5), Within);
        var secondEvents = new EventRecorder(second);
        var reconnected = await secondEvents.WaitForAsync<HubConnectedEvent>(null, Within, "the restarted hub's 'connected' communication");
        Assert.That(reconnected.Alert.PowerUpCount, Is.EqualTo(2UL));

        // Now the ESME comes up. The CHF admits it (it is in the log) but its join window went with the restart: no alert.
        await rig.PowerOnAsync("esme", ct);
        await Eventually.GetAsync(chf.ReadStateAsync, s => s.ReachableDevices.Contains(Esme), Within, "the CHF hearing the ESME");
        await Succeeds(second, Chf, id => new ReadDeviceLog(id), ct);
        Assert.That(secondEvents.Of<HanDeviceAlertEvent>(), Is.Empty, "a HAN alert raised from a join window that should not have survived the restart");
        await Succeeds(second, Esme, id => new CommissionDevice(id), ct);
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Without_a_restart_a_device_powered_up_after_whitelisting_is_alerted_on(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => Small(state, wan: wan), ct);
        var (rig, session, events, gateway, directory) = (connected.Rig, connected.Session, connected.Events, connected.Gateway, connected.Directory);

        await rig.PowerOffAsync("esme");
        await Succeeds(session, Chf, id => new UpdateHanDeviceLog(id, HanLogAction.Add, Esme, DeviceType.ESME, Octets.Empty), ct);
        await rig.PowerOnAsync("esme", ct);
        var alert = await events.WaitForAsync<HanDeviceAlertEvent>(e => e.Alert.DeviceId == Esme, Within, "the HAN alert for the late ESME");
        Assert.That(alert.Alert.ChfId, Is.EqualTo(Chf));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_powered_off_device_does_not_answer_on_its_local_port_and_the_client_says_so(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(Small(folder.Path), new EmulatorOptions(), ct);
        await rig.PowerOffAsync("ihd");
        await using var port = new LocalPortClient(SerialPort.Open(rig["ihd"].LocalPortPath, new SerialSettings()), ownsPort: true, TimeSpan.FromMilliseconds(300));
        Assert.That(
            async () => await port.ReadIdentityAsync(ct),
            Throws.TypeOf<TimeoutException>().With.Message.Contains("is the device powered"));
        await rig.PowerOnAsync("ihd", ct);
        Assert.That((await port.ReadIdentityAsync(ct)).DeviceId, Is.EqualTo(Ihd), "the same port answers once the device is back");
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_corrupt_state_file_stops_the_start_and_says_how_to_recover(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var definition = Small(folder.Path);
        await (await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct)).DisposeAsync();
        var stateFile = Directory.GetFiles(folder.Path, "esme-*.json").Single();
        await File.WriteAllTextAsync(stateFile, "{ not json", ct);

        var e = Assert.ThrowsAsync<InvalidDataException>(async () => await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct))!;
        Assert.That(e.Message, Does.Contain(stateFile).And.Contain("delete it to start the device from its factory state"));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_state_file_of_another_device_is_refused(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var definition = Small(folder.Path);
        await (await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct)).DisposeAsync();
        var esmeFile = Directory.GetFiles(folder.Path, "esme-*.json").Single();
        File.Copy(Directory.GetFiles(folder.Path, "ihd-*.json").Single(), esmeFile, overwrite: true);

        var e = Assert.ThrowsAsync<InvalidDataException>(async () => await EmulatedRig.StartAsync(definition, new EmulatorOptions(), ct))!;
        Assert.That(e.Message, Does.Contain("holds the state of IHD").And.Contain("the rig says esme is ESME"));
    }

    private static Task<CommandResponse> Succeeds(WanSession session, SecDcc.Drivers.Link.Eui64 target, Func<RequestId, DeviceCommand> command, CancellationToken ct) =>
        ConnectedRig.SucceedsAsync(session, target, command, ct);

    private static async Task<(DeviceIdentity Identity, DeviceStateInfo State, IReadOnlyList<CredentialCell> Cells)> SnapshotAsync(EmulatedRig rig, string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(rig[name].LocalPortPath);
        return (await port.ReadIdentityAsync(ct), await port.ReadStateAsync(ct), await port.ReadCredentialsAsync(ct));
    }
}
