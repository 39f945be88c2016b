using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Products;

/// <summary>
/// F2.6: notices to the Parties about 12 and 6 months before a Device Model's CPA Certificate expires; F2.12: the Device
/// Model leaves the Central Products List when it expires.
/// </summary>
[Binding]
public sealed class CpaExpirySteps(SmiWorld world, Installer installer)
{
    private DateOnly? _expiry;

    [Given("^the Central Products List lists a new " + P.Device + " Device Model whose CPA Certificate expires in (\\d+) months$")]
    public async Task GivenModelExpiring(string label, int months)
    {
        var now = await world.Admin.NowAsync(world.Ct);
        var expiry = DateOnly.FromDateTime(now.UtcDateTime.AddMonths(months));
        var type = SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label));
        world.NewModel = world.ModelFor(type, Generation.Smets2Plus, variant: 5);
        world.Run.Panel.List(world.CplEntry(type, Generation.Smets2Plus, 5, expiry), world.NewModel, world.Number);
        await world.PublishCplAsync();
        _expiry = expiry;
    }

    [When("^the DCC's clock reaches (\\d+) months before that CPA Certificate expires$")]
    public async Task WhenClockReaches(int months)
    {
        var at = new DateTimeOffset(Expiry.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddMonths(-months).AddHours(1);
        await world.Admin.SetClockAsync(at, world.Ct);
    }

    [When("^the DCC's clock reaches a day after that CPA Certificate expires$")]
    public async Task WhenExpired() =>
        await world.Admin.SetClockAsync(new DateTimeOffset(Expiry.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1), world.Ct);

    [When("^the DCC's clock reaches a day before that CPA Certificate expires$")]
    public async Task WhenDayBefore() =>
        await world.Admin.SetClockAsync(new DateTimeOffset(Expiry.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1), world.Ct);

    [Given("^" + P.Article + " " + P.Device + " of that Device Model with SMI status " + P.Status + "$")]
    public async Task GivenDeviceOfThatModel(string label, SmiStatus status)
    {
        var model = world.NewModel ?? throw new StepArgumentException("No Device Model with a CPA expiry was put on the CPL earlier in the scenario.");
        world.Declare(label, Generation.Smets2Plus);
        var device = world.WithModel(label, model);
        await installer.PreNotifyAsync(device);
        await installer.DriveAsync(device, status);
    }

    [When("^the Panel gives the DCC a signed Central Products List that adds a new " + P.Device + " Device Model whose CPA Certificate expired yesterday$")]
    public async Task WhenListsExpired(string label)
    {
        var now = await world.Admin.NowAsync(world.Ct);
        var type = SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label));
        world.NewModel = world.ModelFor(type, Generation.Smets2Plus, variant: 6);
        var entry = world.CplEntry(type, Generation.Smets2Plus, 6, DateOnly.FromDateTime(now.UtcDateTime).AddDays(-1));
        // A single issue: the suite's Panel does not keep the stale entry, so later issues in the run are not refused for it.
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry])));
    }

    [Then("^that Device Model is (still|no longer|not) on the DCC's Central Products List$")]
    public async Task ThenListed(string still)
    {
        var model = world.NewModel ?? throw new StepArgumentException("No Device Model was put on the CPL earlier in the scenario.");
        var now = await world.Admin.NowAsync(world.Ct);
        var listed = (await world.Admin.ReadCplAsync(world.Ct)).Entries.Any(e => e.Model == model);
        if (still == "still")
            Assert.That(listed, Is.True, $"On {now:yyyy-MM-dd} the CPA Certificate of {model} (expiring {_expiry:yyyy-MM-dd}) is still valid, so the model stays on the CPL; the DCC's list no longer has it.");
        else if (still == "no longer")
            Assert.That(listed, Is.False, $"F2.12: on {now:yyyy-MM-dd} the CPA Certificate of {model} has expired ({_expiry:yyyy-MM-dd}), so the model leaves the CPL; the DCC's list still has it.");
        else
            Assert.That(listed, Is.False, $"F2.12: a CPL naming {model}, whose CPA Certificate had expired, is not to be relied on; the DCC's list has the model.");
    }

    [Then("^the Parties have been notified that the CPA Certificate of that Device Model expires in about (\\d+) months$")]
    public async Task ThenNotified(int months)
    {
        var notices = await Notices();
        Assert.That(notices.Any(n => n.Data.GetValueOrDefault("months") == months.ToString()), Is.True,
            $"F2.6 requires a notice to the Parties about {months} months before the CPA Certificate of {world.NewModel} expires ({Expiry:yyyy-MM-dd}); notices about it: {Describe(notices)}");
    }

    [Then("^no notice about that Device Model's CPA Certificate has been sent$")]
    public async Task ThenNoNotice()
    {
        var notices = await Notices();
        Assert.That(notices, Is.Empty, $"More than 12 months before expiry ({Expiry:yyyy-MM-dd}) no F2.6 notice is due; the DCC sent: {Describe(notices)}");
    }

    [Then("^the Parties have been notified (\\d+) times? about that Device Model's CPA Certificate$")]
    public async Task ThenNotifiedTimes(int count)
    {
        var notices = await Notices();
        Assert.That(notices, Has.Count.EqualTo(count), $"F2.6 gives one notice at about 12 months and one at about 6 months before expiry; the DCC sent: {Describe(notices)}");
    }

    private DateOnly Expiry => _expiry ?? throw new StepArgumentException("No Device Model with a CPA expiry was put on the CPL earlier in the scenario.");

    private async Task<List<NoticeRecord>> Notices() =>
        (await world.Client.NotificationsAsync(null, world.Ct)).Where(n => n.Kind == "CpaExpiry" && n.Data.GetValueOrDefault("modelKey") == world.NewModel!.Key).ToList();

    private static string Describe(IEnumerable<NoticeRecord> notices) =>
        string.Join(" | ", notices.Select(n => n.Message)) is { Length: > 0 } s ? s : "none";
}
