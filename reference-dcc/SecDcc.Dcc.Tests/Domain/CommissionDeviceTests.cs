using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 4.11–4.13 and 4.15: Commission Device for Smart Meters.</summary>
public sealed class CommissionDeviceTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf, _esme;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _gpf) = await _w.DeliverHubAsync();
        _esme = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        await _w.CommissionChfAsync(_chf);
        await _w.InstallAsync(_chf, _esme, Mpan);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<CommandAccepted>> Request(DeviceId meter, Actor? by = null) =>
        _w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(by ?? ImportSupplier, meter), _w.Ct);

    [Test, Category("AC-4.13")]
    public async Task AC_4_13_successful_response_commissions_the_meter()
    {
        Assert.That((await Request(_esme)).Must().Command, Is.EqualTo("CommissionDevice"));
        Assert.That((await _w.DeviceAsync(_esme)).Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned), "the request alone changes nothing");
        Assert.That((await _w.Smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(_esme, true), _w.Ct)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-4.12")]
    public async Task AC_4_12_meter_in_pending_or_whitelisted_may_be_commissioned()
    {
        var esme2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        await _w.WhitelistAsync(_chf, esme2, Mpan);
        (await Request(esme2)).Must();
    }

    [Test, Category("AC-4.13")]
    public async Task AC_4_13_unsuccessful_response_leaves_the_status()
    {
        (await Request(_esme)).Must();
        Assert.That((await _w.Smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(_esme, false), _w.Ct)).Must().Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));
    }

    [Test, Category("AC-4.13")]
    public async Task AC_4_13_response_without_a_request_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(_esme, true), _w.Ct), "AC-4.13", "NoCommissionDeviceOutstanding");

    [Test, Category("AC-4.13")]
    public async Task AC_4_13_response_after_the_meter_was_decommissioned_refused()
    {
        (await Request(_esme)).Must();
        (await _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => _w.Smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(_esme, true), _w.Ct), "AC-4.12(b)");
    }

    [Test, Category("AC-4.12")]
    public async Task AC_4_12_a_commission_refused_when_meter_not_listed() =>
        await _w.RefusedUnchangedAsync(() => Request(_w.NewId()), "AC-4.12(a)", "DeviceNotInSmi");

    [TestCase(SmiStatus.Commissioned)]
    [TestCase(SmiStatus.Decommissioned)]
    [TestCase(SmiStatus.Withdrawn)]
    [TestCase(SmiStatus.Suspended)]
    [Category("AC-4.12")]
    public async Task AC_4_12_b_commission_refused_for_status(SmiStatus status)
    {
        var d = await _w.DeviceAsync(_esme);
        await _w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.UpdateDeviceAsync(d with { Status = status }, ct);
            return Done.Value;
        }, _w.Ct);
        await _w.RefusedUnchangedAsync(() => Request(_esme), "AC-4.12(b)", "MeterStatusNotCommissionable");
    }

    [Test, Category("AC-4.12")]
    public async Task AC_4_12_c_commission_refused_when_chf_not_commissioned()
    {
        var (chf2, _) = await _w.DeliverHubAsync();
        var esme2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        await _w.InstallAsync(chf2, esme2, Mpan);
        await _w.RefusedUnchangedAsync(() => Request(esme2), "AC-4.12(c)", "ChfNotCommissioned");
    }

    [Test, Category("AC-4.12")]
    public async Task AC_4_12_c_commission_refused_when_meter_is_in_no_chf_device_log()
    {
        var esme2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        await _w.RefusedUnchangedAsync(() => Request(esme2), "AC-4.12(c)", "ChfNotCommissioned");
    }

    [Test, Category("AC-4.11")]
    public async Task AC_4_11_commission_refused_when_requester_is_not_the_responsible_supplier() =>
        await _w.RefusedUnchangedAsync(() => Request(_esme, OtherSupplier), "AC-4.11", "NotResponsibleSupplier");

    [Test, Category("AC-4.11")]
    public async Task AC_4_11_commission_refused_for_a_network_operator() =>
        await _w.RefusedUnchangedAsync(() => Request(_esme, Distributor), "AC-4.11", "NotResponsibleSupplier");

    [Test, Category("AC-4.11")]
    public async Task AC_4_11_commission_device_for_a_gpf_refused() =>
        await _w.RefusedUnchangedAsync(() => Request(_gpf), "AC-4.11", "NotASmartMeter");

    [Test, Category("AC-4.15")]
    public async Task AC_4_15_commission_device_for_a_type2_device_refused()
    {
        var ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
        await _w.RefusedUnchangedAsync(() => Request(ihd), "AC-4.15", "Type2NotCommissioned");
    }
}
