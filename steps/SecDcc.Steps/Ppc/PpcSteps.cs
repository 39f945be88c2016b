using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Inventory;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Ppc;

/// <summary>
/// BEIS consultation 2.4–2.5, 4.8 and 6.10–6.13 (H5, H14.36): the SMETS1 Eligible and Pending Product Combinations,
/// a Testing Participant's request for a PPC test, the outcome and the notice to the requester.
/// </summary>
[Binding]
public sealed class PpcSteps(SmiWorld world)
{
    private IReadOnlyList<DeviceModel>? _combination;

    private IReadOnlyList<DeviceModel> ScenarioCombination(int meterVariant = 1) =>
        InventoryGivenSteps.SystemTypes.Select(t => world.ModelFor(t, Generation.Smets1, t == "ESME" ? meterVariant : 1)).ToList();

    private IReadOnlyList<DeviceModel> Combination => _combination ?? throw new StepArgumentException("No combination was named earlier in the scenario.");

    [When("^a Testing Participant asks the DCC to test the combination of the SMETS1 Device Models used here$")]
    public async Task WhenRequests()
    {
        _combination = ScenarioCombination();
        world.Record(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, _combination, world.Ct));
    }

    [Given("^a Testing Participant has asked the DCC to test the combination of the SMETS1 Device Models used here$")]
    public async Task GivenRequested()
    {
        _combination = ScenarioCombination();
        SmiWorld.Need(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, _combination, world.Ct), "ask for a PPC test");
    }

    [Given("^a Testing Participant has asked the DCC to test the combination with the Electricity Smart Meter's new firmware version$")]
    public async Task GivenRequestsNewFirmware()
    {
        _combination = ScenarioCombination(meterVariant: 2);
        SmiWorld.Need(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, _combination, world.Ct), "ask for a PPC test of the new combination");
    }

    [When("^a Testing Participant asks the DCC to test the combination with the Electricity Smart Meter's new firmware version$")]
    public async Task WhenRequestsNewFirmware()
    {
        _combination = ScenarioCombination(meterVariant: 2);
        world.Record(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, _combination, world.Ct));
    }

    [When("^a Testing Participant asks the DCC to test the combination again$")]
    public async Task WhenRequestsAgain() =>
        world.Record(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, Combination, world.Ct));

    [When("^a Testing Participant asks the DCC to test a combination that lists no Device Model$")]
    public async Task WhenRequestsEmpty() =>
        world.Record(await world.Admin.RequestPpcTestAsync(world.Party("Testing Participant").Party, [], world.Ct));

    [Given("^the combination of the SMETS1 Device Models used here is named$")]
    public void GivenNamed() => _combination = ScenarioCombination();

    [When("^the DCC records that the PPC test of the combination passed$")]
    public async Task WhenPassed() => world.Record(await world.Admin.RecordPpcResultAsync(await KeyAsync(Combination), true, null, world.Ct));

    [Given("^the PPC test of the combination has passed$")]
    public async Task GivenPassed() => SmiWorld.Need(await world.Admin.RecordPpcResultAsync(await KeyAsync(Combination), true, null, world.Ct), "record the PPC test's pass");

    [When("^the DCC records that the PPC test of the combination failed because \"(.+)\"$")]
    public async Task WhenFailed(string explanation) => world.Record(await world.Admin.RecordPpcResultAsync(await KeyAsync(Combination), false, explanation, world.Ct));

    [When("^the DCC records that the PPC test of the combination failed without explaining why$")]
    public async Task WhenFailedSilently() => world.Record(await world.Admin.RecordPpcResultAsync(await KeyAsync(Combination), false, null, world.Ct));

    [When("^the DCC records a PPC test result for the combination of the SMETS1 Device Models used here$")]
    public async Task WhenResultForUnrequested()
    {
        _combination = ScenarioCombination();
        world.Record(await world.Admin.RecordPpcResultAsync(await KeyAsync(_combination), true, null, world.Ct));
    }

    [Then("^the combination (is|is not) on the (Pending|Eligible) Product Combinations list$")]
    public async Task ThenOnList(string isOrNot, string list)
    {
        var entries = list == "Pending" ? await world.Admin.PendingCombinationsAsync(world.Ct) : await world.Admin.EligibleCombinationsAsync(world.Ct);
        var present = entries.Any(c => SameSet(c.Models, Combination));
        Assert.That(present, Is.EqualTo(isOrNot == "is"),
            $"The combination [{string.Join("; ", Combination)}] should {(isOrNot == "is" ? "be" : "not be")} on the SMETS1 {list} Product Combinations list.");
    }

    [Then("^the Pending Product Combinations list names the Testing Participant as the requester$")]
    public async Task ThenRequesterNamed()
    {
        var entry = (await world.Admin.PendingCombinationsAsync(world.Ct)).FirstOrDefault(c => SameSet(c.Models, Combination));
        Assert.That(entry?.Requester, Is.EqualTo(world.Party("Testing Participant").Party), "The PPC entry should record who asked for the test (6.12).");
    }

    [Then("^the Testing Participant is told that the test passed$")]
    public async Task ThenToldPassed()
    {
        var notice = await Notice();
        Assert.That(notice?.Kind, Is.EqualTo("PpcTestPassed"), $"6.12 requires the DCC to advise the requester that the testing completed successfully; it sent: {notice?.Message ?? "nothing"}");
    }

    [Then("^the Testing Participant is told that the test failed, with the explanation \"(.+)\"$")]
    public async Task ThenToldFailed(string explanation)
    {
        var notice = await Notice();
        Assert.That(notice?.Kind, Is.EqualTo("PpcTestFailed"), $"6.13 requires the DCC to notify the requester that the test did not complete successfully; it sent: {notice?.Message ?? "nothing"}");
        Assert.That(notice!.Message, Does.Contain(explanation), "6.13 requires the notice to explain what the problem is.");
    }

    [Then("^the Testing Participant is told nothing yet$")]
    public async Task ThenToldNothing() => Assert.That(await Notice(), Is.Null, "No test result was recorded, so the requester should have no notice yet.");

    private async Task<NoticeRecord?> Notice() =>
        (await world.Client.NotificationsAsync(world.Party("Testing Participant").Party, world.Ct)).LastOrDefault(n => n.Kind.StartsWith("PpcTest", StringComparison.Ordinal));

    /// <summary>The key the DCC gave the combination on its lists; one it cannot know for a combination on neither.</summary>
    private async Task<string> KeyAsync(IReadOnlyList<DeviceModel> models)
    {
        var listed = (await world.Admin.PendingCombinationsAsync(world.Ct)).Concat(await world.Admin.EligibleCombinationsAsync(world.Ct));
        return listed.FirstOrDefault(c => SameSet(c.Models, models))?.Key ?? $"never-requested-{world.Number}";
    }

    private static bool SameSet(IEnumerable<DeviceModel> a, IEnumerable<DeviceModel> b) => a.ToHashSet().SetEquals(b);
}
