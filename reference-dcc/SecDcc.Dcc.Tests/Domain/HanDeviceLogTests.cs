using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 4.3 (Update HAN Device Log) and 4.4 (HAN alert).</summary>
public sealed class HanDeviceLogTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _esme, _gsme, _ppmid, _ihd;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _) = await _w.DeliverHubAsync();
        _esme = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        _gsme = await _w.AddAsync(DeviceType.GSME, Smets2Gsme);
        _ppmid = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        _ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<Device>> Log(DeviceId device, params string[] mpxns) => Log(_chf, device, mpxns);

    private Task<Outcome<Device>> Log(DeviceId chf, DeviceId device, params string[] mpxns) =>
        _w.Smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(ImportSupplier, chf, device, mpxns), _w.Ct);

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_esme_associated_mpan_recorded_distributor_notified_and_whitelisted()
    {
        var after = (await Log(_esme, Mpan)).Must();
        Assert.That((after.ChfId, after.Status), Is.EqualTo(((DeviceId?)_chf, (SmiStatus?)SmiStatus.Whitelisted)));
        Assert.That((await _w.DeviceAsync(_esme)).Mpxns, Is.EqualTo(new[] { Mpan }));
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That((notice.Kind, notice.Clause, notice.Recipient), Is.EqualTo((NotificationKind.MpxnRecorded, "AC-4.3(b)", new Recipient(RecipientKind.ElectricityDistributor, Distributor.Party))));
        Assert.That((notice.Data["deviceId"], notice.Data["deviceType"], notice.Data["mpxns"]), Is.EqualTo((_esme.ToString(), "ESME", Mpan)));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_esme_with_import_and_export_mpans_notifies_each_distributor()
    {
        (await Log(_esme, Mpan, Mpan2)).Must();
        var notices = await _w.NoticesAsync();
        Assert.That(notices.Select(n => n.Recipient), Is.EquivalentTo(new[]
        {
            new Recipient(RecipientKind.ElectricityDistributor, Distributor.Party),
            new Recipient(RecipientKind.ElectricityDistributor, null), // no distributor registered for prefix 20: still recorded, visibly unaddressed
        }));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_gsme_mprn_recorded_and_gas_transporter_notified()
    {
        (await Log(_gsme, Mprn)).Must();
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That(notice.Recipient, Is.EqualTo(new Recipient(RecipientKind.GasTransporter, Transporter.Party)));
        Assert.That(notice.Data["mpxns"], Is.EqualTo(Mprn));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_c_type1_whitelisted_without_notice()
    {
        Assert.That((await Log(_ppmid)).Must().Status, Is.EqualTo(SmiStatus.Whitelisted));
        Assert.That(await _w.NoticesAsync(), Is.Empty);
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_c_type2_associated_and_keeps_no_status()
    {
        var after = (await Log(_ihd)).Must();
        Assert.That((after.ChfId, after.Status), Is.EqualTo(((DeviceId?)_chf, (SmiStatus?)null)));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_unknown_chf_refused() =>
        await _w.RefusedUnchangedAsync(() => Log(_w.NewId(), _esme, Mpan), "AC-4.3", "DeviceNotInSmi");

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_log_of_a_device_that_is_not_a_chf_refused() =>
        await _w.RefusedUnchangedAsync(() => Log(_gsme, _ppmid), "AC-4.3", "NotACommunicationsHubFunction");

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_a_unknown_device_refused() =>
        await _w.RefusedUnchangedAsync(() => Log(_w.NewId(), Mpan), "AC-4.3(a)", "DeviceNotInSmi");

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_a_chf_added_to_a_device_log_refused()
    {
        var (otherChf, _) = await _w.DeliverHubAsync();
        await _w.RefusedUnchangedAsync(() => Log(otherChf), "AC-4.3", "CannotAddChfToDeviceLog");
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_smart_meter_without_mpan_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => Log(_esme), "AC-4.3(b)", "InvalidField");
        Assert.That(refusal.Field, Is.EqualTo("mpxns"));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_malformed_mpan_refused_naming_the_field()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => Log(_esme, "12345"), "AC-4.3(b)");
        Assert.That(refusal.Field, Is.EqualTo("mpxns[0]"));
        Assert.That(refusal.Message, Does.Contain("13 digits"));
    }

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_gas_meter_with_two_mprns_refused() =>
        await _w.RefusedUnchangedAsync(() => Log(_gsme, Mprn, "1234567"), "AC-4.3(b)");

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_b_mpxn_for_a_device_that_is_not_a_meter_refused() =>
        await _w.RefusedUnchangedAsync(() => Log(_ppmid, Mpan), "AC-4.3(b)");

    [Test, Category("AC-4.3")]
    public async Task AC_4_3_decommissioned_device_is_not_whitelisted_by_a_log_entry()
    {
        (await _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, _ppmid), _w.Ct)).Must();
        var refusal = await _w.RefusedUnchangedAsync(() => Log(_ppmid), "AC-4.3(c)", "DeviceInactive");
        Assert.That(refusal.Message, Does.Contain("AC 8.1"));
    }

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_moves_whitelisted_device_to_installed_not_commissioned()
    {
        (await Log(_ppmid)).Must();
        Assert.That((await _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _ppmid), _w.Ct)).Must().Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));
    }

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_leaves_a_type2_device_without_status()
    {
        (await Log(_ihd)).Must();
        var before = await _w.SnapshotAsync();
        Assert.That((await _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _ihd), _w.Ct)).Must().Status, Is.Null);
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_leaves_a_commissioned_device_commissioned()
    {
        await _w.CommissionChfAsync(_chf);
        await _w.InstallAsync(_chf, _esme, Mpan);
        await _w.CommissionMeterAsync(_esme);
        var before = await _w.SnapshotAsync();
        Assert.That((await _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _esme), _w.Ct)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_about_a_device_not_in_that_chfs_log_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _ppmid), _w.Ct), "AC-4.4", "DeviceNotInChfDeviceLog");

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_about_an_unknown_device_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _w.NewId()), _w.Ct), "AC-4.4", "DeviceNotInSmi");

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_from_an_unknown_chf_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.HanAlertReceivedAsync(new HanAlert(_w.NewId(), _ppmid), _w.Ct), "AC-4.4", "DeviceNotInSmi");

    [Test, Category("AC-4.4")]
    public async Task AC_4_4_alert_about_a_withdrawn_device_refused()
    {
        (await Log(_ppmid)).Must();
        (await _w.Smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(ImportSupplier, _ppmid), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => _w.Smi.HanAlertReceivedAsync(new HanAlert(_chf, _ppmid), _w.Ct), "AC-4.4", "DeviceInactive");
    }
}
