using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>AC 12.3: the DCC includes a Communications Hub in the SMI for CH Production Proving only with the Security Sub-Committee's approval.</summary>
[Binding]
public sealed class ProductionProvingSteps(SmiWorld world)
{
    private const string Chf = "Communications Hub Function";
    private const string Gpf = "Gas Proxy Function";

    [Given("^the Security Sub-Committee has approved a Communications Hub for CH Production Proving$")]
    public async Task GivenApproved()
    {
        var (chf, gpf) = Hub();
        SmiWorld.Need(await world.Admin.ApproveProductionProvingAsync(chf.Id, gpf.Id, Reference, world.Ct), "record the Security Sub-Committee's approval (AC 12.3)");
    }

    [Given("^a Communications Hub that the Security Sub-Committee has not approved for CH Production Proving$")]
    public void GivenNotApproved() => Hub();

    [Given("^the Security Sub-Committee has approved the Communications Hub's Communications Hub Function for CH Production Proving only together with another hub's Gas Proxy Function$")]
    public async Task GivenApprovedWithOtherGpf()
    {
        var (chf, _) = Hub();
        SmiWorld.Need(await world.Admin.ApproveProductionProvingAsync(chf.Id, world.Run.NewEui64(), Reference, world.Ct), "record the Security Sub-Committee's approval (AC 12.3)");
    }

    [When("^the DCC includes the Communications Hub's Communications Hub Function and Gas Proxy Function in the Smart Metering Inventory for CH Production Proving$")]
    public async Task WhenIncluded()
    {
        var (chf, gpf) = Hub();
        world.Record(await world.Admin.IncludeForProductionProvingAsync(chf.Id, gpf.Id, chf.Model, world.Ct));
    }

    private string Reference => $"SSC-PP-{world.Number}";

    /// <summary>The scenario's hub: a CHF and GPF of the scenario's SMETS2+ Communications Hub model, named but not yet in the SMI.</summary>
    private (ScenarioDevice Chf, ScenarioDevice Gpf) Hub() =>
        (world.Declare(Chf, Generation.Smets2Plus), world.Declare(Gpf, Generation.Smets2Plus));
}
