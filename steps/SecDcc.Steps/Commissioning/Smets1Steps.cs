using SecDcc.Scenarios;
using SecDcc.Steps.Inventory;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Commissioning;

/// <summary>AC 3.8–3.10: the Supplier Party's SMETS1 declaration and the Panel's direction not to Commission.</summary>
[Binding]
public sealed class Smets1Steps(SmiWorld world)
{
    private const string SignedBy = "A. Compliance, Head of Metering";

    [When("^" + P.Party + " gives the DCC its SMETS1 declaration for the Device Model of the " + P.Device + "$")]
    public Task WhenDeclares(string party, string label) => Declare(party, label, InventoryGivenSteps.LegalName(world), SignedBy);

    [When("^" + P.Party + " gives the DCC a SMETS1 declaration for the Device Model of the " + P.Device + " without the Supplier Party's full legal name$")]
    public Task WhenDeclaresWithoutName(string party, string label) => Declare(party, label, "", SignedBy);

    [When("^" + P.Party + " gives the DCC a SMETS1 declaration for the Device Model of the " + P.Device + " that does not say who signed it$")]
    public Task WhenDeclaresUnsigned(string party, string label) => Declare(party, label, InventoryGivenSteps.LegalName(world), "");

    [Given("^another Supplier has given the DCC its SMETS1 declaration for the Device Model of the " + P.Device + "$")]
    public async Task GivenOtherSupplierDeclared(string label) =>
        SmiWorld.Need(await world.Client.DeclareSmets1Async(world.Party("another Supplier"), ModelOf(label), "Another Energy Supplier Limited", SignedBy, world.Ct),
            "record another Supplier's declaration");

    [Given("^the Responsible Supplier has given the DCC its SMETS1 declaration for a different firmware version of the " + P.Device + "'s Device Model$")]
    public async Task GivenDeclaredOtherFirmware(string label)
    {
        var model = world.ModelFor(SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label)), Generation.Smets1, variant: 2);
        SmiWorld.Need(await world.Client.DeclareSmets1Async(world.Supplier, model, InventoryGivenSteps.LegalName(world), SignedBy, world.Ct), "record a declaration for another firmware version");
    }

    [Given("^the Panel has directed the DCC not to Commission the " + P.Device + " until a dispute about whether it is a SMETS1 Device is resolved$")]
    public async Task GivenDirection(string label) =>
        SmiWorld.Need(await world.Admin.DirectNotToCommissionAsync(world.Device(label).Id, $"F3-DISPUTE-{world.Number}", world.Ct), "record the Panel's direction (AC 3.10)");

    [When("^the Panel directs the DCC not to Commission the " + P.Device + " until a dispute about whether it is a SMETS1 Device is resolved$")]
    public async Task WhenDirection(string label) =>
        world.Record(await world.Admin.DirectNotToCommissionAsync(world.Device(label).Id, $"F3-DISPUTE-{world.Number}", world.Ct));

    [Given("^the Panel has since lifted its direction about the " + P.Device + "$")]
    public async Task GivenDirectionLifted(string label) =>
        SmiWorld.Need(await world.Admin.LiftDirectionAsync(world.Device(label).Id, world.Ct), "lift the Panel's direction (AC 3.10)");

    private DeviceModel ModelOf(string label) => world.Has(label) ? world.Device(label).Model : world.ModelFor(SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label)), Generation.Smets1);

    private async Task Declare(string party, string label, string legalName, string signedBy) =>
        world.Record(await world.Client.DeclareSmets1Async(world.Party(party), ModelOf(label), legalName, signedBy, world.Ct));
}
