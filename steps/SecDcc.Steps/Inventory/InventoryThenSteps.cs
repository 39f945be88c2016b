using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Inventory;

/// <summary>What the Smart Metering Inventory shows afterwards, read through Read Inventory.</summary>
[Binding]
public sealed class InventoryThenSteps(SmiWorld world)
{
    [Then("^the SMI status of the " + P.Device + " is (?:still |now )?" + P.Status + "$")]
    public async Task ThenStatusIs(string label, SmiStatus status)
    {
        var device = await world.ReadAsync(world.Device(label));
        Assert.That(device.Status, Is.EqualTo(status),
            $"The {label} {device.DeviceId} should have SMI status '{Installer.Words(status)}'; Read Inventory shows {Installer.Words(device.Status)}.");
    }

    [Then("^the " + P.Device + " has no SMI status$")]
    public async Task ThenNoStatus(string label)
    {
        var device = await world.ReadAsync(world.Device(label));
        Assert.That(device.Status, Is.Null, $"A Type 2 Device has no SMI Status (AC 2.9); the {label} {device.DeviceId} shows '{Installer.Words(device.Status)}'.");
    }

    [Then("^the " + P.Device + " is not in the Smart Metering Inventory$")]
    public async Task ThenNotListed(string label)
    {
        var device = world.Device(label);
        var reply = await world.Client.ReadDeviceAsync(device.Id, world.Ct);
        Assert.That(reply.Accepted, Is.False, $"The {label} {device.Id} should not be in the Smart Metering Inventory, but Read Inventory returns it with status {Installer.Words(reply.Value?.Status)}.");
        Assert.That(reply.Refusal!.Status, Is.EqualTo(404), $"Read Inventory of the {label} should answer 'not listed'; it answered {reply.Refusal}");
    }

    [Then("^the " + P.Device + " is in the Smart Metering Inventory$")]
    public async Task ThenListed(string label)
    {
        var device = world.Device(label);
        var reply = await world.Client.ReadDeviceAsync(device.Id, world.Ct);
        Assert.That(reply.Accepted, Is.True, $"The {label} {device.Id} should be in the Smart Metering Inventory; Read Inventory answered {reply.Refusal}");
    }

    [Then("^Read Inventory shows the " + P.Device + " with Device Type (\\S+), of its Device Model, with SMI status " + P.Status + "$")]
    public async Task ThenReadShows(string label, string deviceType, SmiStatus status)
    {
        var expected = world.Device(label);
        var device = await world.ReadAsync(expected);
        Assert.Multiple(() =>
        {
            Assert.That(device.DeviceType, Is.EqualTo(deviceType), $"Read Inventory should record the {label} as a {deviceType}.");
            Assert.That(device.Model, Is.EqualTo(expected.Model), $"Read Inventory should record the {label}'s Device Model as {expected.Model}.");
            Assert.That(device.Status, Is.EqualTo(status), $"Read Inventory should show the {label} as '{Installer.Words(status)}'.");
        });
    }

    [Then("^the " + P.Device + " is Associated with the " + P.Device + "$")]
    public async Task ThenAssociated(string label, string with) => Assert.That(await IsAssociated(label, with), Is.True,
        $"The {label} should be Associated with the {with} in the Smart Metering Inventory; it is not ({await Describe(label)}).");

    [Then("^the " + P.Device + " is not Associated with the " + P.Device + "$")]
    public async Task ThenNotAssociated(string label, string with) => Assert.That(await IsAssociated(label, with), Is.False,
        $"The {label} should not be Associated with the {with}; the Smart Metering Inventory shows it is ({await Describe(label)}).");

    [Then("^Read Inventory of the Communications Hub Function lists the " + P.Device + "$")]
    public async Task ThenHubLists(string label)
    {
        var chf = world.Device("Communications Hub Function");
        var reply = await world.Client.ReadHubAsync(chf.Id, world.Ct);
        Assert.That(reply.Accepted, Is.True, $"Read Inventory of the CHF {chf.Id}: {reply.Refusal}");
        Assert.That(reply.Value!.Devices.Select(d => d.DeviceId), Does.Contain(world.Device(label).Id),
            $"Read Inventory of the Communications Hub Function should list the {label} among the Devices Associated with it.");
    }

    [Then("^the Smart Metering Inventory records the (?:MPAN|MPRN) against the " + P.Device + "$")]
    public async Task ThenMpxnRecorded(string label)
    {
        var sent = world.SentMpxns.TryGetValue(label, out var m) ? m : throw new StepArgumentException($"No MPxN was sent for the {label}.");
        var device = await world.ReadAsync(world.Device(label));
        Assert.That(device.Mpxns, Is.EquivalentTo(sent), $"AC 4.3(b) requires the DCC to record the MPxN(s) given in the Service Request against the {label}.");
    }

    [Then("^the " + P.Device + " has no (?:MPAN|MPRN) recorded against it$")]
    public async Task ThenNoMpxn(string label)
    {
        var device = await world.ReadAsync(world.Device(label));
        Assert.That(device.Mpxns, Is.Empty, $"The {label} should have no MPxN recorded; Read Inventory shows {string.Join(", ", device.Mpxns)}.");
    }

    [Then("^the Responsible Supplier of the " + P.Device + " is the Responsible Supplier$")]
    public async Task ThenResponsibleSupplier(string label)
    {
        var device = await world.ReadAsync(world.Device(label));
        Assert.That(device.ResponsibleSuppliers, Does.Contain(world.Supplier.Party), $"The {label} should name the Responsible Supplier {world.Supplier.Party}.");
    }

    private async Task<bool> IsAssociated(string label, string with)
    {
        var device = await world.ReadAsync(world.Device(label));
        var target = world.Device(with);
        return target.DeviceType == "CHF" ? device.ChfId == target.Id : device.JoinedTo.Contains(target.Id);
    }

    private async Task<string> Describe(string label)
    {
        var d = await world.ReadAsync(world.Device(label));
        return $"CHF {d.ChfId ?? "none"}, joined to [{string.Join(", ", d.JoinedTo)}]";
    }
}
