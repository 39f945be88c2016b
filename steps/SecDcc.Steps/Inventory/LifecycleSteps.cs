using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>AC 2.7, 2.10, 8.1–8.3, 10.1 and H6: status changes, corrections, the communication guard and time.</summary>
[Binding]
public sealed class LifecycleSteps(SmiWorld world, Installer installer)
{
    [When("^" + P.Party + " decommissions the " + P.Device + "$")]
    public async Task WhenDecommissions(string party, string label) =>
        world.Record(await world.Client.DecommissionAsync(world.Party(party), world.Device(label).Id, world.Ct));

    [Given("^the Responsible Supplier has since (decommissioned|withdrawn) the " + P.Device + "$")]
    public async Task GivenRetired(string what, string label)
    {
        var device = world.Device(label);
        SmiWorld.Need(what == "decommissioned"
            ? await world.Client.DecommissionAsync(world.Supplier, device.Id, world.Ct)
            : await world.Client.WithdrawAsync(world.Supplier, device.Id, world.Ct), $"{what} the {label}");
    }

    [When("^" + P.Party + " withdraws the " + P.Device + "$")]
    public async Task WhenWithdraws(string party, string label) =>
        world.Record(await world.Client.WithdrawAsync(world.Party(party), world.Device(label).Id, world.Ct));

    [When("^" + P.Party + " asks the DCC to return the " + P.Device + " to 'pending'$")]
    public async Task WhenReactivates(string party, string label) =>
        world.Record(await world.Client.ReactivateAsync(world.Party(party), world.Device(label).Id, world.Ct));

    [When("^" + P.Party + " corrects the (Electricity Smart Meter|Gas Smart Meter|PPMID)'s (?:MPAN|MPRN) in the Smart Metering Inventory$")]
    public async Task WhenCorrects(string party, string label)
    {
        var device = world.Device(label);
        await world.RegisterNetworkOperatorsAsync();
        IReadOnlyList<string> mpxns = [device.IsGas ? world.NewMprn() : world.NewMpan()];
        world.SentMpxns[label + " correction"] = mpxns;
        world.Record(await world.Client.UpdateMpxnsAsync(world.Party(party), device.Id, mpxns, world.Ct));
    }

    [When("^" + P.Party + " corrects the Electricity Smart Meter's MPAN to one in the other Electricity Distributor's area$")]
    public async Task WhenCorrectsToOtherArea(string party)
    {
        var device = world.Device("Electricity Smart Meter");
        var other = world.Party("other Electricity Distributor");
        var prefix = $"18{world.Number % 1_000_000:D6}";
        SmiWorld.Need(await world.Admin.RegisterNetworkOperatorAsync(false, prefix, other.Party, world.Ct), "register the other Electricity Distributor");
        IReadOnlyList<string> mpxns = [prefix + "00001"];
        world.SentMpxns["Electricity Smart Meter correction"] = mpxns;
        world.Record(await world.Client.UpdateMpxnsAsync(world.Party(party), device.Id, mpxns, world.Ct));
    }

    [Given("^the Responsible Supplier has recorded a new Device Model for the " + P.Device + " that is on the Central Products List$")]
    public async Task GivenRecordedNewModel(string label)
    {
        await WhenRecordsNewModel("the Responsible Supplier", label, "is");
        SmiWorld.Need(world.Last!, $"record the {label}'s new Device Model");
    }

    [When("^" + P.Party + " records a new Device Model for the " + P.Device + " that (is|is not) on the Central Products List$")]
    public async Task WhenRecordsNewModel(string party, string label, string onCpl)
    {
        var device = world.Device(label);
        var type = SmiWorld.CplTypeOf(device.DeviceType);
        var variant = onCpl == "is" ? 2 : 3;
        var model = world.ModelFor(type, device.Generation, variant);
        if (variant == 2 && !world.Run.Panel.Lists(model))
        {
            world.Run.Panel.List(world.CplEntry(type, device.Generation, variant), model, world.Number);
            await world.PublishCplAsync();
        }
        var reply = world.Record(await world.Client.UpdateDeviceModelAsync(world.Party(party), device.Id, model, world.Ct));
        if (reply.Accepted) world.WithModel(label, model);
    }

    [When("^the DCC checks whether it may send a communication to the " + P.Device + " (for operational purposes|for testing under Section H14|for testing under Section T)$")]
    public async Task WhenChecksCommunication(string label, string purpose) =>
        world.Record(await world.Admin.MayCommunicateAsync(world.Device(label).Id, purpose switch
        {
            "for testing under Section H14" => CommunicationPurpose.TestingUnderH14,
            "for testing under Section T" => CommunicationPurpose.TestingUnderSectionT,
            _ => CommunicationPurpose.Operational,
        }, world.Ct));

    [Given("^the Device Model of the " + P.Device + " is removed from the Central Products List$")]
    [When("^the Device Model of the " + P.Device + " is removed from the Central Products List$")]
    public async Task WhenModelRemoved(string label)
    {
        world.Run.Panel.Delist(world.Device(label).Model);
        await world.PublishCplAsync();
    }

    [When("^the Device Model of the " + P.Device + " is added back to the Central Products List$")]
    public async Task WhenModelAddedBack(string label)
    {
        var device = world.Device(label);
        world.Run.Panel.List(world.Run.Panel.Entry(SmiWorld.CplTypeOf(device.DeviceType), device.Model, device.Generation, SmiWorld.FarExpiry), device.Model, world.Number);
        await world.PublishCplAsync();
    }

    [Given("^the " + P.Device + " has been suspended because its Device Model left the Central Products List$")]
    public Task GivenSuspended(string label) => installer.SuspendAsync(world.Device(label));

    [Given("^the DCC's 24 hours to update the Smart Metering Inventory have passed$")]
    [When("^the DCC's 24 hours to update the Smart Metering Inventory pass$")]
    public Task WhenDayPasses() => world.LetCplTakeEffectAsync();

    [Given("^(\\d+) months pass$")]
    [When("^(\\d+) months pass$")]
    public async Task WhenMonthsPass(int months)
    {
        var now = await world.Admin.NowAsync(world.Ct);
        await world.Admin.SetClockAsync(now.AddMonths(months), world.Ct);
    }

    [When("^(\\d+) months less a day pass$")]
    public async Task WhenMonthsLessADayPass(int months)
    {
        var now = await world.Admin.NowAsync(world.Ct);
        await world.Admin.SetClockAsync(now.AddMonths(months).AddDays(-1), world.Ct);
    }
}
