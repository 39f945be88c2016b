using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

public static class Smets1Flows
{
    /// <summary>A SMETS1 Electricity Smart Meter Commissioned now, on a SMETS1 hub whose Lead Supplier is the Import Supplier.</summary>
    public static async Task<DeviceId> CommissionedSmets1MeterAsync(TestWorld w)
    {
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme], w.Ct)).Must();
        await w.DeclareAsync(Smets1Hub);
        await w.DeclareAsync(Smets1Esme);
        var (chf, _) = await w.AddSmets1HubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);
        await w.CommissionMeterAsync(esme);
        return esme;
    }
}

/// <summary>AC 6.2: within 7 days of a SMETS1 Device's Commissioning its supplier and network-party credentials are the right parties'.</summary>
public sealed class Smets1CredentialTests
{
    private static async Task<IReadOnlyList<Smets1CredentialCheck>> FailingAsync(TestWorld w) => (await w.Pc().InformationAsync(w.Ct)).Smets1Failing;

    [Test, Category("AC-6.2")]
    public async Task AC_6_2_a_smets1_meter_holding_its_responsible_suppliers_and_distributors_credentials_within_7_days_meets_it()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        w.Clock.Advance(TimeSpan.FromDays(2));
        (await w.Pc().SupplierCredentialsAsync(new CredentialsHeld(esme, ImportSupplier.Party), w.Ct)).Must();
        await w.NetworkPartyAsync(esme, Distributor);
        w.Clock.Advance(TimeSpan.FromDays(5));

        Assert.That((await FailingAsync(w)).Select(c => c.DeviceId), Does.Not.Contain(esme));
        var steps = (await w.StatusAsync(esme)).Steps;
        Assert.That(steps.Select(s => (s.Clause, s.State)), Is.EqualTo(new[] { ("AC-6.2(a)", StepState.Done), ("AC-6.2(b)", StepState.Done) }));
    }

    [Test, Category("AC-6.2")]
    public async Task AC_6_2_a_smets1_meter_with_nothing_recorded_is_listed_failing_both_after_7_days_and_not_before()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        w.Clock.Advance(SixDays23Hours);
        Assert.That((await FailingAsync(w)).Select(c => c.DeviceId), Does.Not.Contain(esme), "the 7 days are not over");
        Assert.That((await w.StatusAsync(esme)).Steps.Select(s => s.State), Is.All.EqualTo(StepState.Outstanding));

        w.Clock.Advance(TimeSpan.FromHours(1));
        var failing = (await FailingAsync(w)).Single(c => c.DeviceId == esme);
        Assert.That((failing.Supplier.State, failing.NetworkParty.State), Is.EqualTo((StepState.Overdue, StepState.Overdue)));
    }

    [Test, Category("AC-6.2(b)")]
    public async Task AC_6_2_b_another_partys_network_credentials_fail_it_until_the_distributors_are_recorded()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        (await w.Pc().SupplierCredentialsAsync(new CredentialsHeld(esme, ImportSupplier.Party), w.Ct)).Must();
        await w.NetworkPartyAsync(esme, Transporter);
        w.Clock.Advance(SevenDays);
        var failing = (await FailingAsync(w)).Single(c => c.DeviceId == esme);
        Assert.That((failing.Supplier.State, failing.NetworkParty.State), Is.EqualTo((StepState.Done, StepState.Overdue)));

        w.Clock.Advance(OneDay);
        await w.NetworkPartyAsync(esme, Distributor);
        Assert.That((await FailingAsync(w)).Select(c => c.DeviceId), Does.Not.Contain(esme));
        Assert.That((await w.StatusAsync(esme)).Steps.Single(s => s.Clause == "AC-6.2(b)").State, Is.EqualTo(StepState.DoneLate));
    }

    [Test, Category("AC-6.2(a)")]
    public async Task AC_6_2_a_credentials_of_a_supplier_that_is_not_the_responsible_supplier_fail_it()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        (await w.Pc().SupplierCredentialsAsync(new CredentialsHeld(esme, OtherSupplier.Party), w.Ct)).Must();
        await w.NetworkPartyAsync(esme, Distributor);
        w.Clock.Advance(SevenDays);
        var failing = (await FailingAsync(w)).Single(c => c.DeviceId == esme);
        Assert.That((failing.Supplier.State, failing.NetworkParty.State), Is.EqualTo((StepState.Overdue, StepState.Done)));
    }

    [Test, Category("AC-6.2(b)")]
    public async Task AC_6_2_b_without_a_registered_distributor_the_required_party_is_undetermined_and_the_device_is_listed()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        (await w.Smi.UpdateMpxnAsync(new UpdateMpxnRequest(ImportSupplier, esme, ["9912345678901"]), w.Ct)).Must();
        await w.NetworkPartyAsync(esme, Distributor);
        w.Clock.Advance(SevenDays);
        Assert.That((await FailingAsync(w)).Single(c => c.DeviceId == esme).NetworkParty.State, Is.EqualTo(StepState.Undetermined));
    }

    [Test, Category("AC-6.1")]
    public async Task AC_6_1_a_smets2_meter_is_not_checked_under_6_2()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(SevenDays);
        Assert.That((await FailingAsync(w)).Select(c => c.DeviceId), Does.Not.Contain(esme));
        Assert.That((await w.StatusAsync(esme)).Steps.Select(s => s.Clause), Is.EqualTo(new[] { "AC-5.3(a)", "AC-5.3(b)", "AC-5.3(c)" }));
    }
}
