using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>AC 2.12: a User that receives a Response other than over the SM WAN returns it to the DCC in a 'Return Local Command Response'.</summary>
[Binding]
public sealed class LocalCommandResponseSteps(SmiWorld world)
{
    [When("^" + P.Party + " returns the " + P.Device + "'s Response that 'Commission Device' was successfully executed, received locally, in a 'Return Local Command Response'$")]
    public async Task WhenCommissionReturned(string party, string label) =>
        world.Record(await world.Client.ReturnLocalCommandResponseAsync(world.Party(party), "CommissionDevice", world.Device(label).Id, null, true, world.Ct));

    [When("^" + P.Party + " returns the " + P.Device + "'s Response that joining the " + P.Device + " was successfully executed, received locally, in a 'Return Local Command Response'$")]
    public async Task WhenJoinReturned(string party, string target, string label) =>
        world.Record(await world.Client.ReturnLocalCommandResponseAsync(world.Party(party), "JoinService", world.Device(label).Id, world.Device(target).Id, true, world.Ct));
}
