using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 12.2–12.3: CH Production Proving hubs enter the SMI only with the Security Sub-Committee's approval.</summary>
public sealed class ProductionProvingTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _gpf) = (_w.NewId(), _w.NewId());
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<ProductionProvingApproval>> Approve(DeviceId chf, DeviceId? gpf, string reference = "SSC-2025-014") =>
        _w.Smi.RecordProductionProvingApprovalAsync(new ProductionProvingApprovalRequest(chf, gpf, reference), _w.Ct);

    private Task<Outcome<ChfInventory>> Include(DeviceId chf, DeviceId? gpf, DeviceModel? model = null) =>
        _w.Smi.IncludeForProductionProvingAsync(new ProductionProvingInclusionRequest(chf, gpf, model ?? Smets2Hub), _w.Ct);

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_approved_hub_is_included_as_pending_with_no_responsible_supplier()
    {
        var approval = (await Approve(_chf, _gpf)).Must();
        Assert.That((approval.Reference, approval.ApprovedAt), Is.EqualTo(("SSC-2025-014", Start)));

        var hub = (await Include(_chf, _gpf)).Must();
        Assert.That(hub.Devices.Single().Id, Is.EqualTo(_gpf));
        var chf = await _w.DeviceAsync(_chf);
        var gpf = await _w.DeviceAsync(_gpf);
        Assert.That((chf.Type, chf.Status, gpf.Type, gpf.Status, gpf.ChfId), Is.EqualTo((DeviceType.CHF, (SmiStatus?)SmiStatus.Pending, DeviceType.GPF, (SmiStatus?)SmiStatus.Pending, (DeviceId?)_chf)));
        Assert.That(chf.ResponsibleSuppliers, Is.Empty);
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_an_included_production_proving_chf_is_commissioned_when_it_connects()
    {
        (await Approve(_chf, _gpf)).Must();
        (await Include(_chf, _gpf)).Must();
        await _w.CommissionChfAsync(_chf);
        Assert.That((await _w.DeviceAsync(_chf)).Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_hub_without_approval_refused_and_nothing_added()
    {
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf), "AC-12.3", "ProductionProvingNotApproved");
        Assert.That((await _w.Smi.ReadInventoryAsync(_chf, _w.Ct)).IsSuccess, Is.False);
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_approval_for_another_gpf_does_not_cover_this_one()
    {
        (await Approve(_chf, _w.NewId())).Must();
        var refusal = await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf), "AC-12.3", "ProductionProvingNotApproved");
        Assert.That(refusal.Field, Is.EqualTo("gpfId"));
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_approval_of_another_chf_does_not_cover_this_one()
    {
        (await Approve(_w.NewId(), _gpf)).Must();
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf), "AC-12.3", "ProductionProvingNotApproved");
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_approval_without_reference_or_gpf_refused()
    {
        Assert.That((await Approve(_chf, _gpf, " ")).Refused("AC-12.3").Field, Is.EqualTo("reference"));
        Assert.That((await Approve(_chf, null)).Refused("AC-12.3").Field, Is.EqualTo("gpfId"));
        Assert.That((await Approve(_chf, _chf)).Refused("AC-12.3").Field, Is.EqualTo("gpfId"));
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf), "AC-12.3");
    }

    [Test, Category("AC-12.3")]
    public async Task AC_12_3_approved_hub_still_needs_its_model_on_the_cpl_and_fresh_ids()
    {
        (await Approve(_chf, _gpf)).Must();
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf, NotOnCpl), "AC-2.6", "DeviceModelNotOnCpl");
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf, Smets2Esme), "AC-2.6", "DeviceModelNotOnCpl");
        (await Include(_chf, _gpf)).Must();
        await _w.RefusedUnchangedAsync(() => Include(_chf, _gpf), "AC-2.3", "DeviceAlreadyInSmi");
    }
}
