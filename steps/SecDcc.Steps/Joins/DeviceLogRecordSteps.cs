using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Joins;

/// <summary>
/// AC 9.2–9.4: the DCC's record of each Communications Hub Function's Device Log, a replacement hub, and restoring the
/// replacement's Device Log from that record.
/// </summary>
[Binding]
public sealed class DeviceLogRecordSteps(SmiWorld world, Installer installer)
{
    private const string ReplacementChf = "other Communications Hub Function";
    private const string ReplacementGpf = "other Gas Proxy Function";

    [Given("^the " + P.Device + " has reported that it removed the " + P.Device + " from its Device Log$")]
    public async Task GivenRemoved(string owner, string label) =>
        SmiWorld.Need(await world.Devices.HanDeviceLogRemovalAsync(world.Device(owner).Id, world.Device(label).Id, world.Ct), $"report the {label}'s removal from the {owner}'s Device Log");

    [When("^the " + P.Device + " responds that it has removed the " + P.Device + " from its Device Log$")]
    public async Task WhenRemoved(string owner, string label) =>
        world.Record(await world.Devices.HanDeviceLogRemovalAsync(world.Device(owner).Id, world.Device(label).Id, world.Ct));

    /// <summary>A second delivered hub, as a replacement for the scenario's first, with its CHF connected to the SM WAN.</summary>
    [Given("^a replacement Communications Hub whose Communications Hub Function has SMI status 'commissioned'$")]
    public async Task GivenReplacementHub()
    {
        var generation = world.Device("Communications Hub Function").Generation;
        var chf = world.Declare(ReplacementChf, generation);
        var gpf = world.Declare(ReplacementGpf, generation);
        SmiWorld.Need(await world.Admin.DeliverCommunicationsHubAsync(chf.Id, gpf.Id, chf.Model, world.Supplier.Party, world.Ct), "add the replacement Communications Hub (AC 2.4)");
        await installer.DriveAsync(chf, SmiStatus.Commissioned);
    }

    [When("^" + P.Party + " asks the DCC to restore the replacement Communications Hub Function's Device Log from the Communications Hub Function it replaces$")]
    public async Task WhenRestore(string party) =>
        world.Record(await world.Client.RestoreDeviceLogAsync(world.Party(party), world.Device(ReplacementChf).Id, world.Device("Communications Hub Function").Id, null, world.Ct));

    [When("^" + P.Party + " asks the DCC to restore the replacement Communications Hub Function's Device Log with (.+) listed in the request$")]
    public async Task WhenRestoreWithEntries(string party, string labels) =>
        world.Record(await world.Client.RestoreDeviceLogAsync(world.Party(party), world.Device(ReplacementChf).Id, world.Device("Communications Hub Function").Id,
            Labels(labels).Select(l => $"{world.Device(l).Id}:{world.Device(l).DeviceType}").ToList(), world.Ct));

    [Given("^the Device Log of the replacement Communications Hub Function has been restored from the Communications Hub Function it replaces$")]
    public async Task GivenRestored()
    {
        await WhenRestore("the Responsible Supplier");
        Assert.That(world.Last!.Accepted, Is.True, $"Set-up could not restore the replacement CHF's Device Log: {world.Last.Refusal}");
        await WhenRestoreResponse("has");
    }

    [When("^the replacement Communications Hub Function responds that its Device Log (has|has not) been restored$")]
    public async Task WhenRestoreResponse(string outcome) =>
        world.Record(await world.Devices.RestoreResponseAsync(world.Device(ReplacementChf).Id, world.Device("Communications Hub Function").Id, outcome == "has", world.Ct));

    [Then("^the DCC restores (.+) from its record$")]
    public void ThenRestores(string labels)
    {
        var last = world.Last ?? throw new StepArgumentException("No restore was requested earlier in the scenario.");
        Assert.That(last.Accepted, Is.True, $"The DCC refused {last.Request}: {last.Refusal}");
        var restore = last.Value as RestoreRecord ?? throw new StepArgumentException("The last request was not a Restore Device Log request.");
        Assert.That(restore.Entries.Select(e => e.DeviceId), Is.EquivalentTo(Ids(labels)),
            $"AC 9.3: the DCC restores what its AC 9.2 record of the replaced CHF's Device Log holds ({labels}); it restores {Describe(restore.Entries)}.");
    }

    [Then("^the DCC's record of the Device Log of the " + P.Device + " (?:still )?lists (.+)$")]
    public async Task ThenRecordLists(string owner, string labels)
    {
        var device = world.Device(owner);
        var reply = await world.Client.ReadDeviceLogRecordAsync(device.Id, world.Ct);
        Assert.That(reply.Accepted, Is.True, $"Reading the DCC's record of the {owner}'s Device Log: the DCC answered {reply.Refusal}");
        Assert.That(reply.Value!.Entries.Select(e => e.DeviceId), Is.EquivalentTo(Ids(labels)),
            $"AC 9.2: the DCC's record of the {owner}'s Device Log should hold {labels}; it holds {Describe(reply.Value.Entries)}.");
    }

    [Then("^the " + P.Device + " is Associated with the replacement Communications Hub Function$")]
    public async Task ThenAssociatedWithReplacement(string label)
    {
        var record = await world.ReadAsync(world.Device(label));
        Assert.That(record.ChfId, Is.EqualTo(world.Device(ReplacementChf).Id),
            $"After the restore the {label} is in the replacement CHF's Device Log, so the DCC should Associate it with that CHF; it names {record.ChfId ?? "no CHF"}.");
    }

    /// <summary>"nothing", "the PPMID only", "the Electricity Smart Meter and the PPMID".</summary>
    private static IEnumerable<string> Labels(string text)
    {
        var t = text.Trim();
        if (t == "nothing") return [];
        if (t.EndsWith(" only", StringComparison.Ordinal)) t = t[..^5];
        return t.Split(" and ").Select(l => l.Trim().StartsWith("the ", StringComparison.Ordinal) ? l.Trim()[4..] : l.Trim());
    }

    private IEnumerable<string> Ids(string labels) => Labels(labels).Select(l => world.Device(l).Id);

    private static string Describe(IEnumerable<DeviceLogEntryRecord> entries)
    {
        var names = entries.Select(e => $"{e.DeviceType} {e.DeviceId}").ToList();
        return names.Count == 0 ? "nothing" : string.Join(", ", names);
    }
}
