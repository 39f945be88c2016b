using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 9.2–9.3: the DCC's record of each CHF's and GPF's Device Log, and restoring a replacement hub's log from it.</summary>
public sealed class DeviceLogRecordTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf, _esme, _gsme, _newChf, _newGpf;

    /// <summary>A Commissioned hub with an ESME and a GSME in its CHF's log, the GSME joined to its GPF; and a replacement hub.</summary>
    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _gpf) = await _w.DeliverHubAsync();
        await _w.CommissionChfAsync(_chf);
        _esme = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        _gsme = await _w.AddAsync(DeviceType.GSME, Smets2Gsme);
        await _w.InstallAsync(_chf, _esme, Mpan);
        await _w.InstallAsync(_chf, _gsme, Mprn);
        await _w.JoinAsync(_gsme, _gpf);
        (_newChf, _newGpf) = await _w.DeliverHubAsync();
        await _w.CommissionChfAsync(_newChf);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private async Task<List<DeviceId>> Record(DeviceId owner) => (await _w.Smi.ReadDeviceLogRecordAsync(owner, _w.Ct)).Must().Entries.Select(e => e.DeviceId).ToList();

    private Task<Outcome<DeviceLogRestore>> Restore(DeviceId target, DeviceId from) =>
        _w.Smi.RequestRestoreDeviceLogAsync(new RestoreDeviceLogRequest(ImportSupplier, target, from), _w.Ct);

    private Task<Outcome<DeviceLogRecord>> Respond(DeviceId target, DeviceId from, bool success) =>
        _w.Smi.RestoreDeviceLogResponseAsync(new RestoreDeviceLogResponse(target, from, success), _w.Ct);

    [Test, Category("AC-9.2")]
    public async Task AC_9_2_record_of_a_chf_holds_the_devices_added_to_its_log_and_a_gpfs_the_devices_joined_to_it()
    {
        Assert.That(await Record(_chf), Is.EquivalentTo(new[] { _esme, _gsme }));
        Assert.That(await Record(_gpf), Is.EqualTo(new[] { _gsme }));
        Assert.That(await Record(_newChf), Is.Empty);
    }

    [Test, Category("AC-9.2")]
    public async Task AC_9_2_a_response_removing_a_device_from_the_chfs_log_takes_it_out_of_the_record_and_keeps_its_status()
    {
        var after = (await _w.Smi.HanDeviceLogEntryRemovedAsync(new HanDeviceLogRemoval(_chf, _esme), _w.Ct)).Must();
        Assert.That((after.ChfId, after.Status), Is.EqualTo(((DeviceId?)null, (SmiStatus?)SmiStatus.InstalledNotCommissioned)));
        Assert.That(await Record(_chf), Is.EqualTo(new[] { _gsme }));
    }

    [Test, Category("AC-9.2")]
    public async Task AC_9_2_a_removal_of_a_device_the_record_does_not_list_changes_nothing()
    {
        var before = await _w.SnapshotAsync();
        (await _w.Smi.HanDeviceLogEntryRemovedAsync(new HanDeviceLogRemoval(_newChf, _esme), _w.Ct)).Must();
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-9.2")]
    public async Task AC_9_2_removal_reported_for_a_device_that_is_not_a_chf_is_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.HanDeviceLogEntryRemovedAsync(new HanDeviceLogRemoval(_esme, _gsme), _w.Ct), "AC-9.2", "NotACommunicationsHubFunction");

    [Test, Category("AC-9.2")]
    public async Task AC_9_2_only_chfs_and_gpfs_have_a_device_log_record() =>
        (await _w.Smi.ReadDeviceLogRecordAsync(_esme, _w.Ct)).Refused("AC-9.2", "NoDeviceLogRecord");

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_restoring_a_replacement_chf_uses_the_record_of_the_chf_it_replaces_and_the_record_follows_the_response()
    {
        var restore = (await Restore(_newChf, _chf)).Must();
        Assert.That(restore.Entries.Select(e => (e.DeviceId, e.DeviceType)), Is.EquivalentTo(new[] { (_esme, DeviceType.ESME), (_gsme, DeviceType.GSME) }));
        Assert.That(await Record(_newChf), Is.Empty, "the record changes only on the Response");

        var record = (await Respond(_newChf, _chf, true)).Must();
        Assert.That(record.Entries.Select(e => e.DeviceId), Is.EquivalentTo(new[] { _esme, _gsme }));
        Assert.That(await Record(_chf), Is.Empty);
        Assert.That((await _w.DeviceAsync(_esme)).ChfId, Is.EqualTo(_newChf));
        Assert.That((await _w.DeviceAsync(_gpf)).ChfId, Is.EqualTo(_chf), "the replaced hub's GPF stays with its own CHF");
    }

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_the_record_reflects_a_removal_before_the_restore()
    {
        (await _w.Smi.HanDeviceLogEntryRemovedAsync(new HanDeviceLogRemoval(_chf, _esme), _w.Ct)).Must();
        var restore = (await Restore(_newChf, _chf)).Must();
        Assert.That(restore.Entries.Select(e => e.DeviceId), Is.EqualTo(new[] { _gsme }));
    }

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_restoring_a_replacement_gpf_moves_the_joins_to_it()
    {
        var restore = (await Restore(_newGpf, _gpf)).Must();
        Assert.That(restore.Entries.Select(e => e.DeviceId), Is.EqualTo(new[] { _gsme }));
        (await Respond(_newGpf, _gpf, true)).Must();
        Assert.That((await _w.DeviceAsync(_gsme)).JoinedTo, Is.EqualTo(new[] { _newGpf }));
        Assert.That(await Record(_gpf), Is.Empty);
    }

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_a_failed_restore_leaves_the_record()
    {
        (await Restore(_newChf, _chf)).Must();
        var before = await _w.SnapshotAsync();
        Assert.That((await Respond(_newChf, _chf, false)).Must().Entries, Is.Empty);
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
        (await Respond(_newChf, _chf, true)).Refused("AC-9.3", "NoRestoreOutstanding");
    }

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_a_chfs_log_is_not_restored_from_a_gpfs_record() =>
        await _w.RefusedUnchangedAsync(() => Restore(_newChf, _gpf), "AC-9.3", "DeviceLogKindsDiffer");

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_a_response_with_no_restore_outstanding_is_refused() =>
        await _w.RefusedUnchangedAsync(() => Respond(_newChf, _chf, true), "AC-9.3", "NoRestoreOutstanding");

    [Test, Category("AC-9.3")]
    public async Task AC_9_3_a_restore_from_a_device_that_is_not_listed_or_has_no_log_is_refused()
    {
        await _w.RefusedUnchangedAsync(() => Restore(_newChf, _w.NewId()), "AC-9.3", "DeviceNotInSmi");
        await _w.RefusedUnchangedAsync(() => Restore(_esme, _chf), "AC-9.3", "NoDeviceLogRecord");
        await _w.RefusedUnchangedAsync(() => Restore(_w.NewId(), _chf), "AC-2.7");
    }
}
