using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>AC 6.3: a Party that changes a SMETS1 Device's AC 3.4 details tells the Service Desk; the DCC then holds the new details.</summary>
[Binding]
public sealed class ServiceDeskSteps(SmiWorld world)
{
    [When("^" + P.Party + " tells the Service Desk that the " + P.Device + "'s SMSO connection is now '([^']+)'$")]
    public async Task WhenSmsoChanged(string party, string label, string connection) =>
        world.Record(await world.Client.ProvideServiceDeskInformationAsync(world.Party(party), world.Device(label).Id,
            new Dictionary<string, string> { ["smsoConnection"] = connection }, world.Ct));

    [When("^" + P.Party + " tells the Service Desk that the " + P.Device + "'s details now belong to the Device ID of the " + P.Device + "$")]
    public async Task WhenMovedToOtherId(string party, string label, string other) =>
        world.Record(await world.Client.ProvideServiceDeskInformationAsync(world.Party(party), world.Device(label).Id,
            new Dictionary<string, string> { ["deviceId"] = world.Declare(other, world.Device(label).Generation).Id }, world.Ct));

    [Then("^the Service Desk information the DCC holds for the " + P.Device + " gives its SMSO connection as '([^']+)'$")]
    public async Task ThenSmsoHeld(string label, string connection)
    {
        var held = await Held(label);
        Assert.That(held.Information.GetValueOrDefault("smsoConnection"), Is.EqualTo(connection),
            $"AC 6.3: once notified, the DCC holds the updated information for the {label}; it holds: {Describe(held)}");
    }

    [Then("^the Service Desk information the DCC holds for the " + P.Device + " still gives its own Device ID and Device Model$")]
    public async Task ThenOwnIdentityKept(string label)
    {
        var device = world.Device(label);
        var held = await Held(label);
        Assert.That(held.Information.GetValueOrDefault("deviceId"), Is.EqualTo(device.Id),
            $"The Device ID given to the Service Desk for the {label} (AC 3.4(a)) should be kept; the DCC holds: {Describe(held)}");
        Assert.That(held.Information.GetValueOrDefault("deviceModel"), Is.EqualTo(device.Model.ToString()),
            $"Details the notice did not change should be kept; the DCC holds: {Describe(held)}");
    }

    [Then("^the DCC records that " + P.Party + " last gave the " + P.Device + "'s Service Desk information$")]
    public async Task ThenProvidedBy(string party, string label)
    {
        var held = await Held(label);
        Assert.That(held.ProvidedBy.Party, Is.EqualTo(world.Party(party).Party),
            $"The DCC should record who notified it of the {label}'s updated information (AC 6.3); it names {held.ProvidedBy.Party} ({held.ProvidedBy.Role}).");
    }

    private async Task<ServiceDeskRecord> Held(string label)
    {
        var device = world.Device(label);
        var reply = await world.Client.ReadServiceDeskInformationAsync(device.Id, world.Ct);
        Assert.That(reply.Accepted, Is.True, $"Reading the Service Desk information of the {label} {device.Id}: the DCC answered {reply.Refusal}");
        return reply.Value!;
    }

    private static string Describe(ServiceDeskRecord held) => string.Join(", ", held.Information.Select(kv => $"{kv.Key}={kv.Value}"));
}
