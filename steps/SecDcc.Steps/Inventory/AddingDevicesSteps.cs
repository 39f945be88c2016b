using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>AC 2.4–2.9, 3.4–3.5: Service Requests and DCC actions that add Devices to the SMI.</summary>
[Binding]
public sealed class AddingDevicesSteps(SmiWorld world)
{
    [When("^" + P.Party + " adds " + P.Article + " " + P.Generation + P.Device + " to the Smart Metering Inventory$")]
    public Task WhenAdds(string party, string generation, string label) =>
        Add(world.Party(party), world.Declare(label, P.ParseGeneration(generation)), null);

    [When("^an Other User adds " + P.Article + " " + P.Generation + P.Device + " to the Smart Metering Inventory naming the Responsible Supplier$")]
    public Task WhenOtherUserAdds(string generation, string label) =>
        Add(world.Party("an Other User"), world.Declare(label, P.ParseGeneration(generation)), world.Supplier.Party);

    [When("^" + P.Party + " adds " + P.Article + " " + P.Generation + P.Device + " of a Device Model that is not on the Central Products List to the Smart Metering Inventory$")]
    public Task WhenAddsOffCpl(string party, string generation, string label)
    {
        var gen = P.ParseGeneration(generation);
        var device = world.Declare(label, gen);
        return Add(world.Party(party), world.WithModel(label, world.ModelFor(SmiWorld.CplTypeOf(device.DeviceType), gen, variant: 9)), null);
    }

    [When("^" + P.Party + " adds " + P.Article + " " + P.Generation + P.Device + " of the Device Model the Central Products List identifies for an? " + P.Device + "$")]
    public Task WhenAddsOtherTypesModel(string party, string generation, string label, string modelOf)
    {
        var gen = P.ParseGeneration(generation);
        world.Declare(label, gen);
        return Add(world.Party(party), world.WithModel(label, world.ModelFor(SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(modelOf)), gen)), null);
    }

    [When("^" + P.Party + " adds " + P.Article + " " + P.Generation + P.Device + " of the new Device Model to the Smart Metering Inventory$")]
    public Task WhenAddsOfNewModel(string party, string generation, string label)
    {
        world.Declare(label, P.ParseGeneration(generation));
        return Add(world.Party(party), world.WithModel(label, world.NewModel ?? throw new StepArgumentException("No new Device Model was put on a CPL earlier in the scenario.")), null);
    }

    [When("^" + P.Party + " adds the " + P.Device + " to the Smart Metering Inventory again$")]
    public Task WhenAddsAgain(string party, string label) => Add(world.Party(party), world.Device(label), null);

    [When("^" + P.Party + " adds a (SMETS1|SMETS2\\+) Communications Hub's Communications Hub Function and Gas Proxy Function to the Smart Metering Inventory$")]
    public async Task WhenAddsHub(string party, string generation)
    {
        var gen = P.ParseGeneration(generation);
        var chf = world.Declare("Communications Hub Function", gen);
        var gpf = world.Declare("Gas Proxy Function", gen);
        world.Record(await world.Client.AddCommunicationsHubAsync(world.Party(party), chf.Id, gpf.Id, chf.Model, gen, null, null, world.Ct));
    }

    [When("^" + P.Party + " adds a SMETS1 Communications Hub's Communications Hub Function to the Smart Metering Inventory without its Gas Proxy Function$")]
    public async Task WhenAddsChfWithoutGpf(string party)
    {
        var chf = world.Declare("Communications Hub Function", Generation.Smets1);
        world.Record(await world.Client.AddCommunicationsHubAsync(world.Party(party), chf.Id, null, chf.Model, Generation.Smets1, null, null, world.Ct));
    }

    [When("^" + P.Party + " adds " + P.Article + " (Communications Hub Function|Gas Proxy Function) on its own to the Smart Metering Inventory$")]
    public Task WhenAddsHalfOfHub(string party, string label) => Add(world.Party(party), world.Declare(label, Generation.Smets1), null);

    [When("^the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub it is about to deliver to the Responsible Supplier$")]
    public Task WhenDccDelivers() => Deliver(world.ModelFor("CH", Generation.Smets2Plus));

    [When("^the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub whose Device Model is not on the Central Products List$")]
    public Task WhenDccDeliversOffCpl() => Deliver(world.ModelFor("CH", Generation.Smets2Plus, variant: 9));

    [When("^the DCC adds the Communications Hub Function and Gas Proxy Function of a Communications Hub whose Device Model is on the Central Products List only as an Electricity Smart Meter$")]
    public Task WhenDccDeliversMeterModel() => Deliver(world.ModelFor("ESME", Generation.Smets2Plus));

    [When("^the Responsible Supplier gives the Service Desk the Device ID and Device Model information of the SMETS1 " + P.Device + "$")]
    public async Task WhenServiceDeskInformed(string label)
    {
        var device = world.Declare(label, Generation.Smets1);
        world.Record(await world.Client.ProvideServiceDeskInformationAsync(world.Supplier, device.Id, Installer.ServiceDeskInformation(device), world.Ct));
    }

    [Given("^the Service Desk has been given the details of the SMETS1 " + P.Device + " under the Device ID of the " + P.Device + "$")]
    public async Task GivenServiceDeskInformedOfAnother(string label, string otherLabel)
    {
        var device = world.Declare(label, Generation.Smets1);
        var other = world.Declare(otherLabel, Generation.Smets1);
        SmiWorld.Need(await world.Client.ProvideServiceDeskInformationAsync(world.Supplier, other.Id, Installer.ServiceDeskInformation(device), world.Ct),
            $"give the Service Desk details under the {otherLabel}'s Device ID");
    }

    private async Task Deliver(DeviceModel model)
    {
        world.Declare("Communications Hub Function", Generation.Smets2Plus);
        world.Declare("Gas Proxy Function", Generation.Smets2Plus);
        var chf = world.WithModel("Communications Hub Function", model);
        var gpf = world.WithModel("Gas Proxy Function", model);
        world.Record(await world.Admin.DeliverCommunicationsHubAsync(chf.Id, gpf.Id, model, world.Supplier.Party, world.Ct));
    }

    private async Task Add(Actor actor, ScenarioDevice device, string? responsibleSupplier) =>
        world.Record(await world.Client.AddDeviceAsync(actor, device.Id, device.DeviceType, device.Model, device.Generation, responsibleSupplier, world.Ct));
}
