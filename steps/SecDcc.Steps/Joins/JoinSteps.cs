using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Joins;

/// <summary>AC 4.5–4.10 (Join Service) and 7.1 (UnJoin Service), with the joined meter's or GPF's Response.</summary>
[Binding]
public sealed class JoinSteps(SmiWorld world)
{
    [When("^" + P.Party + " sends a 'Join Service' Service Request to join the " + P.Device + " to the " + P.Device + "$")]
    public async Task WhenJoin(string party, string label, string target) =>
        world.Record(await world.Client.JoinAsync(world.Party(party), world.Device(label).Id, world.Device(target).Id, world.Ct));

    [Given("^the Responsible Supplier has sent a 'Join Service' Service Request to join the " + P.Device + " to the " + P.Device + "$")]
    public async Task GivenJoinSent(string label, string target) =>
        SmiWorld.Need(await world.Client.JoinAsync(world.Supplier, world.Device(label).Id, world.Device(target).Id, world.Ct), $"send Join Service for the {label}");

    [When("^the " + P.Device + " answers that joining the " + P.Device + " was (successfully executed|not successfully executed)$")]
    public async Task WhenJoinResponse(string target, string label, string outcome) =>
        world.Record(await world.Devices.JoinResponseAsync(world.Device(label).Id, world.Device(target).Id, outcome == "successfully executed", world.Ct));

    [When("^" + P.Party + " sends an 'UnJoin Service' Service Request to remove the " + P.Device + " from the Device Log of the " + P.Device + "$")]
    public async Task WhenUnjoin(string party, string label, string target) =>
        world.Record(await world.Client.UnjoinAsync(world.Party(party), world.Device(label).Id, world.Device(target).Id, world.Ct));

    [Given("^the Responsible Supplier has sent an 'UnJoin Service' Service Request to remove the " + P.Device + " from the Device Log of the " + P.Device + "$")]
    public async Task GivenUnjoinSent(string label, string target) =>
        SmiWorld.Need(await world.Client.UnjoinAsync(world.Supplier, world.Device(label).Id, world.Device(target).Id, world.Ct), $"send UnJoin Service for the {label}");

    [When("^the " + P.Device + " answers that removing the " + P.Device + " was (successfully executed|not successfully executed)$")]
    public async Task WhenUnjoinResponse(string target, string label, string outcome) =>
        world.Record(await world.Devices.UnjoinResponseAsync(world.Device(label).Id, world.Device(target).Id, outcome == "successfully executed", world.Ct));
}
