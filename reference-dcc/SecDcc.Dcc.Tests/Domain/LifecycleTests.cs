using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 2.7, 2.10–2.11, 8.1–8.3, 10.1, 11.1–11.2 and Section H6.</summary>
public sealed class LifecycleTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _esme, _gsme, _ppmid;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _, _esme) = await _w.Smets2ElectricityAsync();
        _gsme = await _w.AddAsync(DeviceType.GSME, Smets2Gsme, by: GasSupplier);
        await _w.InstallAsync(_chf, _gsme, Mprn);
        _ppmid = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<Device>> Decommission(DeviceId id, Actor? by = null) => _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(by ?? ImportSupplier, id), _w.Ct);
    private Task<Outcome<Device>> Withdraw(DeviceId id, Actor? by = null) => _w.Smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(by ?? ImportSupplier, id), _w.Ct);
    private Task<Outcome<Device>> Reactivate(DeviceId id, Actor? by = null) => _w.Smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(by ?? ImportSupplier, id), _w.Ct);

    [Test, Category("AC-2.7")]
    public async Task AC_2_7_communication_allowed_to_a_listed_device() =>
        (await _w.Smi.EnsureMayCommunicateAsync(_esme, CommunicationPurpose.Operational, _w.Ct)).Must();

    [Test, Category("AC-2.7")]
    public async Task AC_2_7_communication_refused_to_a_device_not_listed() =>
        (await _w.Smi.EnsureMayCommunicateAsync(_w.NewId(), CommunicationPurpose.Operational, _w.Ct)).Refused("AC-2.7", "DeviceNotInSmi");

    [TestCase(CommunicationPurpose.TestingUnderH14)]
    [TestCase(CommunicationPurpose.TestingUnderSectionT)]
    [Category("AC-2.7")]
    public async Task AC_2_7_testing_communication_allowed_to_a_device_not_listed(CommunicationPurpose purpose) =>
        (await _w.Smi.EnsureMayCommunicateAsync(_w.NewId(), purpose, _w.Ct)).Must();

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_mpan_correction_recorded_and_old_and_new_distributors_notified()
    {
        var mark = await _w.LastNoticeIdAsync();
        var after = (await _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, _esme, ["1099999999999", Mpan2]), _w.Ct)).Must();
        Assert.That(after.Mpxns, Is.EqualTo(new[] { "1099999999999", Mpan2 }));
        var notices = await _w.NoticesAsync(mark);
        Assert.That(notices.Select(n => (n.Kind, n.Clause)), Is.All.EqualTo((NotificationKind.MpxnCorrected, "AC-2.10")));
        Assert.That(notices.Select(n => n.Recipient.Party), Is.EquivalentTo(new PartyId?[] { Distributor.Party, null }));
        var toDistributor = notices.Single(n => n.Recipient.Party == Distributor.Party);
        Assert.That(toDistributor.Data["affectedMpxns"].Split(','), Is.EquivalentTo(new[] { Mpan, "1099999999999" }));
        Assert.That(toDistributor.Data["previousMpxns"], Is.EqualTo(Mpan));
    }

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_mprn_correction_notifies_the_gas_transporter()
    {
        var mark = await _w.LastNoticeIdAsync();
        (await _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(GasSupplier, _gsme, ["7000001"]), _w.Ct)).Must();
        Assert.That((await _w.NoticesAsync(mark)).Single().Recipient, Is.EqualTo(new Recipient(RecipientKind.GasTransporter, Transporter.Party)));
    }

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_unchanged_mpxns_are_no_correction_and_notify_nobody()
    {
        var before = await _w.SnapshotAsync();
        (await _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, _esme, [Mpan]), _w.Ct)).Must();
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-2.11")]
    public async Task AC_2_11_correction_by_a_user_other_than_the_responsible_supplier_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(OtherSupplier, _esme, [Mpan2]), _w.Ct), "AC-2.11", "NotResponsibleSupplier");
        Assert.That(refusal.Message, Does.Contain("Incident"));
    }

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_mpxn_correction_for_a_device_that_is_not_a_meter_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, _ppmid, [Mpan]), _w.Ct), "AC-2.10", "NotASmartMeter");

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_malformed_mpan_in_a_correction_refused() =>
        Assert.That((await _w.RefusedUnchangedAsync(() => _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, _esme, ["ABC"]), _w.Ct), "AC-2.10")).Field, Is.EqualTo("mpxns[0]"));

    [Test, Category("AC-2.10")]
    public async Task AC_2_10_correction_for_an_unlisted_device_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, _w.NewId(), [Mpan]), _w.Ct), "AC-2.10", "DeviceNotInSmi");

    [Test, Category("AC-11.1")]
    public async Task AC_11_1_decommissioning_a_smart_meter_notifies_its_distributor()
    {
        var mark = await _w.LastNoticeIdAsync();
        Assert.That((await Decommission(_esme)).Must().Status, Is.EqualTo(SmiStatus.Decommissioned));
        var notice = (await _w.NoticesAsync(mark)).Single();
        Assert.That((notice.Kind, notice.Clause, notice.Recipient.Party), Is.EqualTo((NotificationKind.SmartMeterDecommissioned, "AC-11.1", (PartyId?)Distributor.Party)));
    }

    [Test, Category("AC-11.1")]
    public async Task AC_11_1_withdrawing_a_gas_meter_notifies_its_gas_transporter()
    {
        var mark = await _w.LastNoticeIdAsync();
        (await Withdraw(_gsme, GasSupplier)).Must();
        var notice = (await _w.NoticesAsync(mark)).Single();
        Assert.That((notice.Kind, notice.Recipient), Is.EqualTo((NotificationKind.SmartMeterWithdrawn, new Recipient(RecipientKind.GasTransporter, Transporter.Party))));
    }

    [Test, Category("AC-11.1")]
    public async Task AC_11_1_decommissioning_a_device_that_is_not_a_meter_notifies_nobody()
    {
        var mark = await _w.LastNoticeIdAsync();
        (await Decommission(_ppmid)).Must();
        Assert.That(await _w.NoticesAsync(mark), Is.Empty);
    }

    [Test, Category("H6")]
    public async Task H6_decommission_by_a_party_that_is_not_the_responsible_supplier_refused() =>
        await _w.RefusedUnchangedAsync(() => Decommission(_esme, OtherSupplier), "H6", "NotResponsibleSupplier");

    [Test, Category("H6")]
    public async Task H6_decommission_twice_refused()
    {
        (await Decommission(_esme)).Must();
        await _w.RefusedUnchangedAsync(() => Decommission(_esme), "H6", "AlreadyDecommissioned");
    }

    [Test, Category("H6")]
    public async Task H6_withdraw_by_another_party_refused() =>
        await _w.RefusedUnchangedAsync(() => Withdraw(_esme, OtherUser), "H6", "NotResponsibleSupplier");

    [Test, Category("H6")]
    public async Task H6_withdraw_twice_refused()
    {
        (await Withdraw(_esme)).Must();
        await _w.RefusedUnchangedAsync(() => Withdraw(_esme), "H6", "AlreadyWithdrawn");
    }

    [Test, Category("AC-2.9")]
    public async Task AC_2_9_type2_device_cannot_be_decommissioned_or_withdrawn()
    {
        var ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
        await _w.RefusedUnchangedAsync(() => Decommission(ihd), "AC-2.9", "Type2HasNoStatus");
        await _w.RefusedUnchangedAsync(() => Withdraw(ihd), "AC-2.9", "Type2HasNoStatus");
    }

    [Test, Category("AC-10.1")]
    public async Task AC_10_1_smets1_chf_decommissioned_by_its_lead_supplier()
    {
        var (chf, _) = await _w.AddSmets1HubAsync(lead: OtherSupplier);
        Assert.That((await Decommission(chf, OtherSupplier)).Must().Status, Is.EqualTo(SmiStatus.Decommissioned));
    }

    [Test, Category("AC-10.1")]
    public async Task AC_10_1_smets1_chf_decommission_by_a_responsible_supplier_who_is_not_the_lead_supplier_refused()
    {
        var chf = _w.NewId();
        var gpf = _w.NewId();
        await _w.ServiceDeskAsync(chf);
        await _w.ServiceDeskAsync(gpf);
        (await _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, chf, gpf, Smets1Hub, SmetsGeneration.SMETS1, OtherSupplier.Party, [ImportSupplier.Party, OtherSupplier.Party]), _w.Ct)).Must();
        var refusal = await _w.RefusedUnchangedAsync(() => Decommission(chf, ImportSupplier), "AC-10.1", "NotLeadSupplier");
        Assert.That(refusal.Message, Does.Contain(OtherSupplier.Party.ToString()));
    }

    [Test, Category("AC-10.1")]
    public async Task AC_10_1_smets2_chf_is_decommissioned_by_its_responsible_supplier() =>
        Assert.That((await Decommission(_chf)).Must().Status, Is.EqualTo(SmiStatus.Decommissioned));

    [TestCase(SmiStatus.Decommissioned)]
    [TestCase(SmiStatus.Withdrawn)]
    [TestCase(SmiStatus.Whitelisted)]
    [Category("AC-8.1")]
    public async Task AC_8_1_reactivation_returns_the_device_to_pending_from(SmiStatus from)
    {
        if (from == SmiStatus.Whitelisted)
            await _w.WhitelistAsync(_chf, _ppmid);
        else if (from == SmiStatus.Decommissioned)
            (await Decommission(_ppmid)).Must();
        else
            (await Withdraw(_ppmid)).Must();
        _w.Clock.Advance(TimeSpan.FromDays(3));
        var after = (await Reactivate(_ppmid)).Must();
        Assert.That((after.Status, after.PendingSince), Is.EqualTo(((SmiStatus?)SmiStatus.Pending, (DateTimeOffset?)Start.AddDays(3))));
    }

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_by_a_party_that_is_not_the_responsible_supplier_refused()
    {
        (await Decommission(_ppmid)).Must();
        await _w.RefusedUnchangedAsync(() => Reactivate(_ppmid, OtherSupplier), "AC-8.1", "NotResponsibleSupplier");
    }

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_from_commissioned_refused() =>
        await _w.RefusedUnchangedAsync(() => Reactivate(_esme), "AC-8.1", "StatusNotReactivatable");

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_from_pending_refused() =>
        await _w.RefusedUnchangedAsync(() => Reactivate(_ppmid), "AC-8.1", "StatusNotReactivatable");

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_of_a_type2_device_refused()
    {
        var ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
        await _w.RefusedUnchangedAsync(() => Reactivate(ihd), "AC-8.1", "Type2HasNoStatus");
    }

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_refused_when_the_model_is_no_longer_on_the_cpl()
    {
        (await Decommission(_ppmid)).Must();
        await _w.PublishCplAsync(_w.StandardEntries().Where(e => (string)e["model"]! != Smets2Ppmid.Model));
        Assert.That((await _w.DeviceAsync(_ppmid)).Status, Is.EqualTo(SmiStatus.Decommissioned), "a Decommissioned device is not Suspended");
        await _w.RefusedUnchangedAsync(() => Reactivate(_ppmid), "AC-8.1", "DeviceModelNotOnCpl");
    }

    [Test, Category("AC-8.1")]
    public async Task AC_8_1_reactivation_of_an_unlisted_device_refused() =>
        await _w.RefusedUnchangedAsync(() => Reactivate(_w.NewId()), "AC-8.1", "DeviceNotInSmi");

    [Test, Category("AC-8.3")]
    public async Task AC_8_3_removal_from_cpl_suspends_and_readdition_restores_the_previous_status_with_notices()
    {
        var mark = await _w.LastNoticeIdAsync();
        await _w.PublishCplAsync(_w.StandardEntries().Where(e => (string)e["model"]! != Smets2Esme.Model));
        var suspended = await _w.DeviceAsync(_esme);
        Assert.That((suspended.Status, suspended.StatusBeforeSuspension), Is.EqualTo(((SmiStatus?)SmiStatus.Suspended, (SmiStatus?)SmiStatus.Commissioned)));
        var notices = await _w.NoticesAsync(mark);
        Assert.That(notices.Select(n => (n.Kind, n.Clause, n.Recipient.Party)), Is.EquivalentTo(new[]
        {
            (NotificationKind.SmartMeterSuspended, "AC-11.1", (PartyId?)Distributor.Party),
            (NotificationKind.DeviceSuspended, "AC-11.2", (PartyId?)ImportSupplier.Party),
        }));
        await _w.PublishCplAsync(_w.StandardEntries());
        var restored = await _w.DeviceAsync(_esme);
        Assert.That((restored.Status, restored.StatusBeforeSuspension), Is.EqualTo(((SmiStatus?)SmiStatus.Commissioned, (SmiStatus?)null)));
    }

    [Test, Category("AC-8.3")]
    public async Task AC_8_3_firmware_update_to_a_model_on_the_cpl_ends_the_suspension()
    {
        await _w.PublishCplAsync(_w.StandardEntries().Where(e => (string)e["model"]! != Smets2Esme.Model).Append(_w.Entry("ESME", Smets2Esme with { FirmwareVersion = "3.2" })));
        Assert.That((await _w.DeviceAsync(_esme)).Status, Is.EqualTo(SmiStatus.Suspended));
        var after = (await _w.Smi.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(ImportSupplier, _esme, Smets2Esme with { FirmwareVersion = "3.2" }), _w.Ct)).Must();
        Assert.That((after.Status, after.Model.FirmwareVersion), Is.EqualTo(((SmiStatus?)SmiStatus.Commissioned, "3.2")));
    }

    [Test, Category("AC-8.3")]
    public async Task AC_8_3_firmware_update_to_a_model_off_the_cpl_suspends_and_notifies()
    {
        var mark = await _w.LastNoticeIdAsync();
        var after = (await _w.Smi.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(ImportSupplier, _esme, NotOnCpl), _w.Ct)).Must();
        Assert.That((after.Status, after.StatusBeforeSuspension), Is.EqualTo(((SmiStatus?)SmiStatus.Suspended, (SmiStatus?)SmiStatus.Commissioned)));
        Assert.That((await _w.NoticesAsync(mark)).Select(n => n.Clause), Is.EquivalentTo(new[] { "AC-11.1", "AC-11.2" }));
    }

    [Test, Category("AC-8.3")]
    public async Task AC_8_3_model_update_by_another_party_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.UpdateDeviceModelAsync(new UpdateDeviceModelRequest(OtherUser, _esme, NotOnCpl), _w.Ct), "AC-2.10", "NotResponsibleSupplier");

    [Test, Category("AC-8.3")]
    public async Task AC_8_3_suspended_device_cannot_be_reactivated_only_restored()
    {
        await _w.PublishCplAsync(_w.StandardEntries().Where(e => (string)e["model"]! != Smets2Esme.Model));
        var refusal = await _w.RefusedUnchangedAsync(() => Reactivate(_esme), "AC-8.1", "StatusNotReactivatable");
        Assert.That(refusal.Message, Does.Contain("AC 8.3"));
    }

    [Test, Category("AC-2.1")]
    public async Task Read_inventory_of_an_unlisted_device_or_non_chf_is_refused()
    {
        (await _w.Smi.ReadInventoryAsync(_w.NewId(), _w.Ct)).Refused("AC-2.1", "DeviceNotInSmi");
        (await _w.Smi.ReadInventoryByChfAsync(_esme, _w.Ct)).Refused("AC-2.1", "NotACommunicationsHubFunction");
    }
}
