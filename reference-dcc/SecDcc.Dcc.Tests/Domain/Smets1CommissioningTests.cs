using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 3.8–3.10 and H5 (BEIS consultation 4.8): what must hold before a SMETS1 Device is Commissioned.</summary>
public sealed class Smets1CommissioningTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf, _esme, _ppmid;

    /// <summary>A SMETS1 CH with a Commissioned CHF and an installed ESME and PPMID; declarations for the hub only.</summary>
    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (await _w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme, Smets1Ppmid], _w.Ct)).Must();
        await _w.DeclareAsync(Smets1Hub);
        (_chf, _gpf) = await _w.AddSmets1HubAsync();
        _esme = await _w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        _ppmid = await _w.AddAsync(DeviceType.PPMID, Smets1Ppmid, SmetsGeneration.SMETS1);
        await _w.CommissionChfAsync(_chf);
        await _w.InstallAsync(_chf, _esme, Mpan);
        await _w.InstallAsync(_chf, _ppmid);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<CommandAccepted>> Commission(Actor? by = null) =>
        _w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(by ?? ImportSupplier, _esme), _w.Ct);

    [Test, Category("AC-3.8")]
    public async Task AC_3_8_declaration_by_a_supplier_party_is_recorded_and_allows_commissioning()
    {
        await _w.DeclareAsync(Smets1Esme);
        await _w.CommissionMeterAsync(_esme);
    }

    [Test, Category("AC-3.8")]
    public async Task AC_3_8_declaration_by_a_party_that_is_not_a_supplier_refused() =>
        (await _w.Smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(Distributor, Smets1Esme, "Network Co", "N. Person"), _w.Ct)).Refused("AC-3.8", "DeclarationNotFromSupplier");

    [Test, Category("AC-3.8")]
    public async Task AC_3_8_declaration_without_legal_name_refused()
    {
        var refusal = (await _w.Smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(ImportSupplier, Smets1Esme, " ", "A. Person"), _w.Ct)).Refused("AC-3.8");
        Assert.That(refusal.Field, Is.EqualTo("supplierLegalName"));
    }

    [Test, Category("AC-3.8")]
    public async Task AC_3_8_declaration_without_signatory_refused() =>
        Assert.That((await _w.Smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(ImportSupplier, Smets1Esme, "Example Ltd", ""), _w.Ct)).Refused("AC-3.8").Field, Is.EqualTo("signedBy"));

    [Test, Category("AC-3.9")]
    public async Task AC_3_9_commission_refused_without_the_declaration_for_the_device_model() =>
        await _w.RefusedUnchangedAsync(() => Commission(), "AC-3.9", "Smets1DeclarationMissing");

    [Test, Category("AC-3.9")]
    public async Task AC_3_9_another_suppliers_declaration_does_not_count()
    {
        await _w.DeclareAsync(Smets1Esme, OtherSupplier);
        await _w.RefusedUnchangedAsync(() => Commission(), "AC-3.9", "Smets1DeclarationMissing");
    }

    [Test, Category("AC-3.9")]
    public async Task AC_3_9_join_that_would_commission_a_smets1_ppmid_refused_without_its_declaration()
    {
        await _w.DeclareAsync(Smets1Esme);
        await _w.CommissionMeterAsync(_esme);
        await _w.RefusedUnchangedAsync(() => _w.Smi.RequestJoinAsync(new JoinRequest(ImportSupplier, _ppmid, _esme), _w.Ct), "AC-3.9");
        await _w.DeclareAsync(Smets1Ppmid);
        Assert.That((await _w.JoinAsync(_ppmid, _esme)).Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-3.9")]
    public async Task AC_3_9_smets1_chf_not_commissioned_without_its_lead_suppliers_declaration()
    {
        var (chf, _) = await _w.AddSmets1HubAsync(OtherSupplier);
        await _w.RefusedUnchangedAsync(() => _w.Smi.ChfCommunicationVerifiedAsync(chf, _w.Ct), "AC-3.9");
        await _w.DeclareAsync(Smets1Hub, OtherSupplier);
        await _w.CommissionChfAsync(chf);
    }

    [Test, Category("AC-3.10")]
    public async Task AC_3_10_panel_direction_stops_commissioning_until_lifted()
    {
        await _w.DeclareAsync(Smets1Esme);
        (await _w.Smi.RecordPanelDirectionAsync(_esme, "F3-2025-007", _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Commission(), "AC-3.10", "PanelDirectedNotToCommission");
        (await _w.Smi.LiftPanelDirectionAsync(_esme, _w.Ct)).Must();
        await _w.CommissionMeterAsync(_esme);
    }

    [Test, Category("AC-3.10")]
    public async Task AC_3_10_panel_direction_stops_a_chf_being_commissioned()
    {
        await _w.DeclareAsync(Smets1Hub);
        var (chf, _) = await _w.AddSmets1HubAsync();
        (await _w.Smi.RecordPanelDirectionAsync(chf, "F3-1", _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => _w.Smi.ChfCommunicationVerifiedAsync(chf, _w.Ct), "AC-3.10");
    }

    [Test, Category("AC-3.10")]
    public async Task AC_3_10_direction_about_a_smets2_device_refused()
    {
        var esme2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme);
        (await _w.Smi.RecordPanelDirectionAsync(esme2, "F3-2", _w.Ct)).Refused("AC-3.10", "NotASmets1Device");
    }

    [Test, Category("AC-3.10")]
    public async Task AC_3_10_direction_without_dispute_reference_refused() =>
        (await _w.Smi.RecordPanelDirectionAsync(_esme, "", _w.Ct)).Refused("AC-3.10", "InvalidField");

    [Test, Category("AC-3.10")]
    public async Task AC_3_10_lifting_a_direction_that_does_not_exist_refused() =>
        (await _w.Smi.LiftPanelDirectionAsync(_esme, _w.Ct)).Refused("AC-3.10", "NoPanelDirection");

    [Test, Category("H5")]
    public async Task H5_smets1_meter_enrolled_when_its_combination_is_on_the_epc()
    {
        await _w.DeclareAsync(Smets1Esme);
        await _w.CommissionMeterAsync(_esme);
    }

    [Test, Category("H5")]
    public async Task H5_smets1_meter_not_enrolled_when_its_combination_is_not_on_the_epc()
    {
        await using var w = await TestWorld.CreateAsync();
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Gsme], w.Ct)).Must();
        var esme = await InstalledSmets1EsmeAsync(w);
        var refusal = await w.RefusedUnchangedAsync(() => w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct), "H5", "CombinationNotOnEpc");
        Assert.That(refusal.Message, Does.Contain("Legacy E-1"));
    }

    [Test, Category("H5")]
    public async Task H5_join_that_takes_a_commissioned_smets1_system_off_the_epc_refused()
    {
        await using var w = await TestWorld.CreateAsync();
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme], w.Ct)).Must();
        foreach (var m in new[] { Smets1Hub, Smets1Esme, Smets1Ppmid })
            await w.DeclareAsync(m);
        var (chf, _) = await w.AddSmets1HubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        var ppmid = await w.AddAsync(DeviceType.PPMID, Smets1Ppmid, SmetsGeneration.SMETS1);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);
        await w.InstallAsync(chf, ppmid);
        await w.CommissionMeterAsync(esme);
        await w.RefusedUnchangedAsync(() => w.Smi.RequestJoinAsync(new JoinRequest(ImportSupplier, ppmid, esme), w.Ct), "H5", "CombinationNotOnEpc");
    }

    [Test, Category("H5")]
    public async Task H5_exact_matching_refuses_a_system_smaller_than_the_epc_combination()
    {
        await using var w = await TestWorld.CreateAsync(options: new DccOptions { EpcMatch = EpcMatch.Exact });
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme, Smets1Ppmid], w.Ct)).Must();
        var esme = await InstalledSmets1EsmeAsync(w);
        await w.RefusedUnchangedAsync(() => w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct), "H5");
    }

    [Test, Category("H5"), Category("PPC-6.12")]
    public async Task H5_a_combination_under_ppc_test_is_enrolled_for_its_testing_participant_only()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await InstalledSmets1EsmeAsync(w);
        // Another Party's PPC request does not open the combination to this Supplier.
        (await w.Products.RequestPpcTestAsync(OtherSupplier.Party, [Smets1Hub, Smets1Esme], w.Ct)).Must();
        await w.RefusedUnchangedAsync(() => w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct), "H5", "CombinationNotOnEpc");
    }

    [Test, Category("H5"), Category("PPC-6.12")]
    public async Task H5_the_testing_participant_takes_its_pending_combination_through_the_test()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await InstalledSmets1EsmeAsync(w);
        (await w.Products.RequestPpcTestAsync(ImportSupplier.Party, [Smets1Hub, Smets1Esme], w.Ct)).Must();
        (await w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct)).Must();
    }

    /// <summary>A declared SMETS1 hub, Commissioned, with a declared SMETS1 ESME installed on it: ready to ask to Commission.</summary>
    private static async Task<DeviceId> InstalledSmets1EsmeAsync(TestWorld w)
    {
        await w.DeclareAsync(Smets1Hub);
        await w.DeclareAsync(Smets1Esme);
        var (chf, _) = await w.AddSmets1HubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);
        return esme;
    }
}
