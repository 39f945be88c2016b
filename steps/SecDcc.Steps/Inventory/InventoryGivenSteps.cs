using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>Set-up: the CPL and EPC a scenario needs, and Devices in the state a Given names.</summary>
[Binding]
public sealed class InventoryGivenSteps(SmiWorld world, Installer installer)
{
    public static readonly string[] SystemTypes = ["CH", "ESME", "GSME", "PPMID", "HCALCS"];

    [Given("^the Central Products List identifies the (SMETS1|SMETS2\\+) Device Models used here$")]
    public Task GivenModelsOnCpl(string generation) => world.EnsureOnCplAsync(P.ParseGeneration(generation), SystemTypes);

    [Given("^" + P.Article + " " + P.Generation + P.Device + " with SMI status " + P.Status + "$")]
    public Task GivenDeviceWithStatus(string generation, string label, SmiStatus status) =>
        installer.CreateAsync(label, P.ParseGeneration(generation), status);

    [Given("^" + P.Article + " " + P.Generation + P.Device + " in the Smart Metering Inventory$")]
    public Task GivenDeviceListed(string generation, string label) => installer.CreateAsync(label, P.ParseGeneration(generation), null);

    [Given("^" + P.Article + " " + P.Generation + P.Device + " that is not in the Smart Metering Inventory$")]
    public void GivenDeviceNotListed(string generation, string label) => world.Declare(label, P.ParseGeneration(generation));

    [Given("^the " + P.Device + " is joined to the " + P.Device + "$")]
    public Task GivenJoined(string device, string target) => installer.JoinAsync(world.Device(device), world.Device(target));

    [Given("^the " + P.Device + " is in the Device Log of the Communications Hub Function$")]
    public async Task GivenInChfLog(string label)
    {
        var device = world.Device(label);
        await installer.EnsureHubAsync(device.Generation);
        SmiWorld.Need(await world.Client.UpdateHanDeviceLogAsync(world.Supplier, world.Device("Communications Hub Function").Id, device.Id, await world.MpxnsForAsync(device), world.Ct),
            $"add the {label} to the CHF's Device Log (AC 4.3)");
    }

    [Given("^the Service Desk has been given the Device ID and Device Model information of the SMETS1 " + P.Device + "$")]
    public async Task GivenServiceDeskInformed(string label)
    {
        var device = world.Declare(label, Generation.Smets1);
        await installer.GiveServiceDeskInformationAsync(device);
    }

    [Given("^the Service Desk has been given the details of the SMETS1 Communications Hub's Communications Hub Function and Gas Proxy Function$")]
    public async Task GivenServiceDeskInformedOfHub()
    {
        await installer.GiveServiceDeskInformationAsync(world.Declare("Communications Hub Function", Generation.Smets1));
        await installer.GiveServiceDeskInformationAsync(world.Declare("Gas Proxy Function", Generation.Smets1));
    }

    [Given("^the Responsible Supplier has given the DCC its SMETS1 declaration for the Device Model of the " + P.Device + "$")]
    public async Task GivenDeclaration(string label)
    {
        var model = world.Has(label) ? world.Device(label).Model : world.ModelFor(SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label)), Generation.Smets1);
        await Declare(model);
    }

    [Given("^the Responsible Supplier has given the DCC its SMETS1 declaration for every SMETS1 Device Model used here$")]
    public async Task GivenAllDeclarations()
    {
        foreach (var type in SystemTypes)
            await Declare(world.ModelFor(type, Generation.Smets1));
    }

    [Given("^the SMETS1 Device Models used here form an Eligible Product Combination$")]
    public async Task GivenEligibleCombination()
    {
        var models = SystemTypes.Select(t => world.ModelFor(t, Generation.Smets1)).ToList();
        SmiWorld.Need(await world.Admin.AddEligibleCombinationAsync(models, world.Ct), "put the scenario's SMETS1 combination on the EPC");
    }

    private async Task Declare(DeviceModel model) =>
        SmiWorld.Need(await world.Client.DeclareSmets1Async(world.Supplier, model, LegalName(world), "A. Compliance, Head of Metering", world.Ct),
            $"give the AC 3.8 declaration for {model}");

    public static string LegalName(SmiWorld world) => $"SecDcc Energy Supply Limited {world.Number}";
}
