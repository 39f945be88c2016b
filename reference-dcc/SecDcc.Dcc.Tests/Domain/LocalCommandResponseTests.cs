using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 2.12: a Response a User received locally and returned to the DCC is acted on as if it came over the SM WAN.</summary>
public sealed class LocalCommandResponseTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _esme, _ppmid;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _) = await _w.DeliverHubAsync();
        await _w.CommissionChfAsync(_chf);
        _esme = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        _ppmid = await _w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await _w.InstallAsync(_chf, _esme, Mpan);
        await _w.InstallAsync(_chf, _ppmid);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<object>> Return(string command, DeviceId device, DeviceId? target, bool success = true, Actor? by = null) =>
        _w.Smi.ReturnLocalCommandResponseAsync(new LocalCommandResponse(by ?? ImportSupplier, command, device, target, success), _w.Ct);

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_a_returned_commission_response_commissions_the_meter_as_over_the_wan()
    {
        (await _w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        var device = (Device)(await Return("CommissionDevice", _esme, null)).Must();
        Assert.That(device.Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_a_returned_join_response_joins_as_over_the_wan()
    {
        (await _w.Smi.RequestJoinAsync(new JoinRequest(ImportSupplier, _ppmid, _esme), _w.Ct)).Must();
        var device = (Device)(await Return("JoinService", _ppmid, _esme)).Must();
        Assert.That(device.JoinedTo, Is.EqualTo(new[] { _esme }));
    }

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_a_returned_failure_response_changes_nothing_but_ends_the_command()
    {
        (await _w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        Assert.That(((Device)(await Return("CommissionDevice", _esme, null, success: false)).Must()).Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));
        (await Return("CommissionDevice", _esme, null)).Refused("AC-2.12", "NoLocalCommandOutstanding");
    }

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_a_response_to_a_command_the_dcc_never_issued_is_refused() =>
        await _w.RefusedUnchangedAsync(() => Return("JoinService", _ppmid, _esme), "AC-2.12", "NoLocalCommandOutstanding");

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_a_response_returned_by_another_user_is_refused_and_the_command_still_awaits_its_response()
    {
        (await _w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, _esme), _w.Ct)).Must();
        var refusal = await _w.RefusedUnchangedAsync(() => Return("CommissionDevice", _esme, null, by: OtherSupplier), "AC-2.12", "ReturnedByAnotherUser");
        Assert.That(refusal.Kind, Is.EqualTo(RefusalKind.NotPermitted));
        Assert.That(((Device)(await Return("CommissionDevice", _esme, null)).Must()).Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-2.12")]
    public async Task AC_2_12_an_unknown_command_or_a_join_without_its_target_is_refused()
    {
        Assert.That((await Return("ReadRegister", _esme, null)).Refused("AC-2.12").Field, Is.EqualTo("command"));
        Assert.That((await Return("JoinService", _ppmid, null)).Refused("AC-2.12").Field, Is.EqualTo("targetId"));
    }
}
