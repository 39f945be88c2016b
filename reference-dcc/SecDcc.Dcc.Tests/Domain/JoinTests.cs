using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 4.5–4.10 (Join Service) and 7.1 (UnJoin Service).</summary>
public sealed class JoinTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf, _esme, _gsme, _ppmid, _ihd;

    /// <summary>SMETS2+ dual fuel: CHF Commissioned; ESME, GSME and PPMID installed (not commissioned); IHD listed.</summary>
    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _gpf) = await _w.DeliverHubAsync();
        _esme = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        _gsme = await _w.AddAsync(DeviceType.GSME, Smets2Gsme, by: GasSupplier);
        _ppmid = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        _ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
        await _w.CommissionChfAsync(_chf);
        await _w.InstallAsync(_chf, _esme, Mpan);
        await _w.InstallAsync(_chf, _gsme, Mprn);
        await _w.InstallAsync(_chf, _ppmid);
        await _w.WhitelistAsync(_chf, _ihd);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<CommandAccepted>> Join(DeviceId device, DeviceId target, Actor? by = null) =>
        _w.Smi.RequestJoinAsync(new JoinRequest(by ?? ImportSupplier, device, target), _w.Ct);

    private async Task SetStatusAsync(DeviceId id, SmiStatus? status)
    {
        var d = await _w.DeviceAsync(id);
        await _w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.UpdateDeviceAsync(d with { Status = status }, ct);
            return Done.Value;
        }, _w.Ct);
    }

    [Test, Category("AC-4.7")]
    public async Task AC_4_7_b_join_to_a_commissioned_meter_commissions_the_device()
    {
        await _w.CommissionMeterAsync(_esme);
        var after = await _w.JoinAsync(_ppmid, _esme);
        Assert.That((after.Status, after.JoinedTo.Single()), Is.EqualTo(((SmiStatus?)SmiStatus.Commissioned, _esme)));
    }

    [Test, Category("AC-4.7")]
    public async Task AC_4_7_a_join_to_an_installed_not_commissioned_meter_gives_installed_not_commissioned()
    {
        await SetStatusAsync(_ppmid, SmiStatus.Pending);
        var after = await _w.JoinAsync(_ppmid, _esme);
        Assert.That(after.Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));
        Assert.That(after.JoinedTo, Is.EqualTo(new[] { _esme }));
    }

    [Test, Category("AC-4.7")]
    public async Task AC_4_7_join_to_a_pending_meter_associates_and_leaves_the_status()
    {
        await SetStatusAsync(_esme, SmiStatus.Pending);
        var after = await _w.JoinAsync(_ppmid, _esme);
        Assert.That(after.Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));
        Assert.That(after.JoinedTo, Is.EqualTo(new[] { _esme }));
    }

    [Test, Category("AC-4.10")]
    public async Task AC_4_10_gpf_joined_to_a_commissioned_gsme_is_commissioned()
    {
        await _w.CommissionMeterAsync(_gsme, GasSupplier);
        Assert.That((await _w.JoinAsync(_gpf, _gsme, GasSupplier)).Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-4.7")]
    public async Task AC_4_7_unsuccessful_join_response_changes_nothing_but_closes_the_request()
    {
        (await Join(_ppmid, _esme)).Must();
        var before = await _w.SnapshotAsync();
        Assert.That((await _w.Smi.JoinResponseAsync(new JoinResponse(_ppmid, _esme, false), _w.Ct)).Must().JoinedTo, Is.Empty);
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
        (await _w.Smi.JoinResponseAsync(new JoinResponse(_ppmid, _esme, true), _w.Ct)).Refused("AC-4.7", "NoJoinOutstanding");
    }

    [Test, Category("AC-4.7")]
    public async Task AC_4_7_join_response_without_a_request_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.JoinResponseAsync(new JoinResponse(_ppmid, _esme, true), _w.Ct), "AC-4.7", "NoJoinOutstanding");

    [Test, Category("AC-4.5")]
    public async Task AC_4_5_join_by_a_party_that_is_not_the_responsible_supplier_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _esme, OtherSupplier), "AC-4.5", "NotResponsibleSupplier");

    [Test, Category("AC-4.5")]
    public async Task AC_4_5_join_by_the_responsible_suppliers_party_acting_as_other_user_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _esme, ImportSupplier with { Role = UserRole.OU }), "AC-4.5", "NotResponsibleSupplier");

    [Test, Category("AC-4.5")]
    public async Task AC_4_5_joining_a_chf_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_chf, _esme), "AC-4.5", "ChfNotJoined");

    [Test, Category("AC-4.5")]
    public async Task AC_4_5_join_to_a_device_that_is_neither_smart_meter_nor_gpf_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_esme, _ppmid), "AC-4.5", "JoinTargetType");

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_a_unknown_device_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_w.NewId(), _esme), "AC-4.6(a)", "DeviceNotInSmi");

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_a_whitelisted_device_refused()
    {
        var ppmid2 = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await _w.WhitelistAsync(_chf, ppmid2);
        await _w.RefusedUnchangedAsync(() => Join(ppmid2, _esme), "AC-4.6(a)", "JoinDeviceStatus");
    }

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_a_decommissioned_device_refused()
    {
        (await _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, _ppmid), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _esme), "AC-4.6(a)", "JoinDeviceStatus");
    }

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_b_chf_of_the_system_decommissioned_refused()
    {
        await SetStatusAsync(_chf, SmiStatus.Decommissioned);
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _esme), "AC-4.6(b)", "ChfStatus");
    }

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_b_system_without_a_chf_refused()
    {
        var esme2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        var ppmid2 = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await _w.RefusedUnchangedAsync(() => Join(ppmid2, esme2), "AC-4.6(b)", "NoChfInSystem");
    }

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_c_target_withdrawn_refused()
    {
        (await _w.Smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _esme), "AC-4.6(c)", "JoinTargetStatus");
    }

    [Test, Category("AC-4.6")]
    public async Task AC_4_6_c_target_not_listed_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ppmid, _w.NewId()), "AC-4.6(c)", "DeviceNotInSmi");

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_type2_joined_by_an_other_user_is_associated_without_status()
    {
        var after = await _w.JoinAsync(_ihd, _esme, OtherUser);
        Assert.That((after.Status, after.JoinedTo.Single()), Is.EqualTo(((SmiStatus?)null, _esme)));
    }

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_type2_joined_to_a_gpf_by_the_responsible_supplier()
    {
        Assert.That((await _w.JoinAsync(_ihd, _gpf, ImportSupplier)).JoinedTo, Is.EqualTo(new[] { _gpf }));
    }

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_a_type2_join_by_an_electricity_distributor_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ihd, _esme, Distributor), "AC-4.8(a)", "NotResponsibleSupplierOrOtherUser");

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_a_type2_join_by_a_supplier_that_is_not_responsible_and_not_acting_as_other_user_refused()
    {
        await _w.RefusedUnchangedAsync(() => Join(_ihd, _esme, OtherSupplier), "AC-4.8(a)", "NotResponsibleSupplierOrOtherUser");
        (await Join(_ihd, _esme, OtherSupplierAsOtherUser)).Must();
    }

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_a_type2_join_to_a_gas_meter_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ihd, _gsme, OtherUser), "AC-4.8(a)", "Type2JoinTargetType");

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_b_type2_join_to_a_decommissioned_meter_refused()
    {
        (await _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Join(_ihd, _esme, OtherUser), "AC-4.8(b)", "JoinTargetStatus");
    }

    [Test, Category("AC-4.8")]
    public async Task AC_4_8_b_type2_join_to_an_unlisted_meter_refused() =>
        await _w.RefusedUnchangedAsync(() => Join(_ihd, _w.NewId(), OtherUser), "AC-4.8(b)", "DeviceNotInSmi");

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_ends_the_association()
    {
        await _w.JoinAsync(_ppmid, _esme);
        (await _w.Smi.RequestUnjoinAsync(new UnjoinRequest(ImportSupplier, _ppmid, _esme), _w.Ct)).Must();
        var after = (await _w.Smi.UnjoinResponseAsync(new UnjoinResponse(_ppmid, _esme, true), _w.Ct)).Must();
        Assert.That(after.JoinedTo, Is.Empty);
        Assert.That((await _w.DeviceAsync(_ppmid)).JoinedTo, Is.Empty);
    }

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unsuccessful_unjoin_keeps_the_association()
    {
        await _w.JoinAsync(_ppmid, _esme);
        (await _w.Smi.RequestUnjoinAsync(new UnjoinRequest(ImportSupplier, _ppmid, _esme), _w.Ct)).Must();
        Assert.That((await _w.Smi.UnjoinResponseAsync(new UnjoinResponse(_ppmid, _esme, false), _w.Ct)).Must().JoinedTo, Is.EqualTo(new[] { _esme }));
    }

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_of_a_smart_meter_refused()
    {
        await _w.JoinAsync(_gpf, _gsme, GasSupplier);
        await _w.RefusedUnchangedAsync(() => _w.Smi.RequestUnjoinAsync(new UnjoinRequest(GasSupplier, _gsme, _gpf), _w.Ct), "AC-7.1", "UnjoinDeviceType");
    }

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_of_a_chf_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.RequestUnjoinAsync(new UnjoinRequest(ImportSupplier, _chf, _esme), _w.Ct), "AC-7.1", "UnjoinDeviceType");

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_of_a_device_not_joined_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.RequestUnjoinAsync(new UnjoinRequest(ImportSupplier, _ppmid, _esme), _w.Ct), "AC-7.1", "NotJoined");

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_response_without_a_request_refused()
    {
        await _w.JoinAsync(_ppmid, _esme);
        await _w.RefusedUnchangedAsync(() => _w.Smi.UnjoinResponseAsync(new UnjoinResponse(_ppmid, _esme, true), _w.Ct), "AC-7.1", "NoUnjoinOutstanding");
    }

    [Test, Category("AC-7.1")]
    public async Task AC_7_1_unjoin_of_an_unlisted_device_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.RequestUnjoinAsync(new UnjoinRequest(ImportSupplier, _w.NewId(), _esme), _w.Ct), "AC-7.1", "DeviceNotInSmi");
}
