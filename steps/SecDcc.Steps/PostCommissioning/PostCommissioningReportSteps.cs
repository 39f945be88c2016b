using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.PostCommissioning;

/// <summary>Which month a scenario last saw end on the DCC's clock, for "the month just ended".</summary>
public sealed class ReportCalendar
{
    public string? EndedMonth { get; set; }
}

/// <summary>One row of expected AC 5.9 counts, as a scenario's table gives it.</summary>
public sealed class ExpectedCounts
{
    public int Total { get; set; }
    public int Added { get; set; }
    public int Removed { get; set; }
    public int PreviousMonth { get; set; }
    public int PreviousThreeMonths { get; set; }
    public int PreviousSixMonths { get; set; }
}

/// <summary>AC 5.9–5.12: the monthly and daily reports, the Panel's copy, and their confidential marking.</summary>
[Binding]
public sealed class PostCommissioningReportSteps(SmiWorld world, PostCommissioningDcc dcc, ReportCalendar calendar)
{
    private const string DailyReport = "(the Responsible Supplier's|another Supplier's) daily report for yesterday";

    [Given("^the month has ended$")]
    [When("^the month ends$")]
    public Task WhenMonthEnds() => EndMonthAsync();

    [When("^(\\d+) more months end$")]
    public async Task WhenMonthsEnd(int months)
    {
        for (var i = 0; i < months; i++)
            await EndMonthAsync();
    }

    /// <summary>Moves the DCC's clock just past the end of the current month (UTC), which runs its duties.</summary>
    private async Task EndMonthAsync()
    {
        var now = await world.Admin.NowAsync(world.Ct);
        var firstOfMonth = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero);
        calendar.EndedMonth = firstOfMonth.ToString("yyyy-MM");
        await world.Admin.SetClockAsync(firstOfMonth.AddMonths(1).AddMinutes(1), world.Ct);
    }

    private string EndedMonth => calendar.EndedMonth ?? throw new StepArgumentException("No month has ended in this scenario yet: a step like 'When the month ends' must come first.");

    private async Task<DateOnly> YesterdayAsync() => DateOnly.FromDateTime((await world.Admin.NowAsync(world.Ct)).UtcDateTime).AddDays(-1);

    // ---- AC 5.9 --------------------------------------------------------------------------------------------------

    [Then("^the monthly report for the month just ended counts the Responsible Supplier's (Electricity Smart Meters|Gas Smart Meters|Gas Proxy Functions) as$")]
    public async Task ThenMonthlyCounts(string devices, DataTable table)
    {
        var expected = table.CreateInstance<ExpectedCounts>();
        var report = JsonDccClient.Require(await dcc.MonthlyAsync(EndedMonth));
        var type = devices switch { "Electricity Smart Meters" => "ESME", "Gas Smart Meters" => "GSME", _ => "GPF" };
        var supplier = world.Supplier.Party;
        var counts = report.ResponsibleSuppliers.FirstOrDefault(s => s.ResponsibleSupplier == supplier)?.DeviceTypes.FirstOrDefault(t => t.DeviceType == type)?.Counts;
        Assert.That(counts, Is.Not.Null,
            $"AC 5.9(b): the report for {report.Month} should count the {devices} of the Responsible Supplier {supplier}; it has rows for {string.Join(", ", report.ResponsibleSuppliers.Select(s => s.ResponsibleSupplier))}.");
        Assert.That(
            (counts!.Total, counts.Added, counts.Removed, counts.StillListedFromPreviousMonth, counts.StillListedFromPreviousThreeMonths, counts.StillListedFromPreviousSixMonths),
            Is.EqualTo((expected.Total, expected.Added, expected.Removed, expected.PreviousMonth, expected.PreviousThreeMonths, expected.PreviousSixMonths)),
            $"AC 5.9(b)(i)-(vi) for the Responsible Supplier's {devices} in {report.Month}: (total, added, removed, still listed from the previous month, three months, six months).");
    }

    // ---- AC 5.10, 5.11 -------------------------------------------------------------------------------------------

    [Then("^" + DailyReport + " lists the " + P.Device + " with its Device ID and Type, update date, Commissioning date and reasons$")]
    public async Task ThenDailyLists(string whose, string label)
    {
        var yesterday = await YesterdayAsync();
        var row = await RowAsync(whose, yesterday, label, includeCommissioningSupplier: false);
        Assert.That(row, Is.Not.Null, $"AC 5.10: the {label} was in the Post Commissioning Information at the end of {yesterday:yyyy-MM-dd}, so {whose} daily report should list it.");
        var status = await dcc.StatusAsync(world.Device(label).Id);
        Assert.Multiple(() =>
        {
            Assert.That(row!.DeviceType, Is.EqualTo(world.Device(label).DeviceType), "AC 5.10(a): the Device Type.");
            Assert.That(DateOnly.FromDateTime(row.UpdatedAt.UtcDateTime), Is.EqualTo(yesterday), "AC 5.10(b): the date of the latest update of its information, made that day.");
            Assert.That(row.CommissionedAt, Is.EqualTo(status.CommissionedAt), "AC 5.10(c): the date the Device was Commissioned.");
            Assert.That(row.Reasons, Is.EqualTo(status.Listed?.Reasons), "AC 5.10(d): which of 5.7 applies.");
        });
    }

    [Then("^" + DailyReport + " does not list the " + P.Device + "$")]
    public async Task ThenDailyDoesNotList(string whose, string label)
    {
        var yesterday = await YesterdayAsync();
        Assert.That(await RowAsync(whose, yesterday, label, includeCommissioningSupplier: false), Is.Null,
            $"AC 5.10: {whose} daily report for {yesterday:yyyy-MM-dd} lists Devices other than CHFs for which it was the Responsible Supplier; the {label} should not be in it.");
    }

    [Then("^the Responsible Supplier's daily report for the day (\\d+) days ago lists the " + P.Device + "$")]
    public async Task ThenOldDailyLists(int days, string label)
    {
        var day = DateOnly.FromDateTime((await world.Admin.NowAsync(world.Ct)).UtcDateTime).AddDays(-days);
        Assert.That(await RowAsync("the Responsible Supplier's", day, label, includeCommissioningSupplier: false), Is.Not.Null,
            $"AC 5.10: the report for {day:yyyy-MM-dd} stays available for at least 30 days and lists the {label}.");
    }

    [Then("^the Panel's copy of the Responsible Supplier's daily report for yesterday names the Responsible Supplier as the Supplier whose request Commissioned the " + P.Device + "$")]
    public async Task ThenPanelCopyNamesSupplier(string label)
    {
        var row = await RowAsync("the Responsible Supplier's", await YesterdayAsync(), label, includeCommissioningSupplier: true);
        Assert.That(row?.CommissioningSupplier, Is.EqualTo(world.Supplier.Party), "AC 5.11: where the Panel asks, the copy includes the information in 5.8(e).");
    }

    [Then("^the Responsible Supplier's own daily report for yesterday names no commissioning Supplier$")]
    public async Task ThenOwnReportNamesNoSupplier()
    {
        var report = JsonDccClient.Require(await dcc.DailyAsync(world.Supplier.Party, await YesterdayAsync(), false));
        Assert.That(report.Devices.Select(d => d.CommissioningSupplier), Is.All.Null, "5.8(e) is added to a copy for the Panel or the Authority only (AC 5.11), not to the 5.10 report.");
    }

    private async Task<PcDailyRowRecord?> RowAsync(string whose, DateOnly day, string label, bool includeCommissioningSupplier)
    {
        var supplier = whose.StartsWith("another", StringComparison.Ordinal) ? world.Party("another Supplier") : world.Supplier;
        var report = JsonDccClient.Require(await dcc.DailyAsync(supplier.Party, day, includeCommissioningSupplier));
        return report.Devices.FirstOrDefault(d => d.DeviceId == world.Device(label).Id);
    }

    // ---- AC 5.12 -------------------------------------------------------------------------------------------------

    [Then("^the (monthly report for the month just ended|Responsible Supplier's daily report for yesterday|Panel's copy of the Responsible Supplier's daily report for yesterday|Post Commissioning Information) is marked confidential$")]
    public async Task ThenMarked(string report)
    {
        var (marking, path) = report switch
        {
            "monthly report for the month just ended" =>
                (JsonDccClient.Require(await dcc.MonthlyAsync(EndedMonth)).Marking, PostCommissioningDcc.MonthlyPath(EndedMonth)),
            "Post Commissioning Information" =>
                (JsonDccClient.Require(await dcc.InformationAsync()).Marking, PostCommissioningDcc.InformationPath),
            _ => await DailyMarkingAsync(report.StartsWith("Panel", StringComparison.Ordinal)),
        };
        Assert.That(marking, Is.EqualTo("confidential"), $"AC 5.12: the {report} must be clearly marked as being \"confidential\" in itself.");
        Assert.That(await dcc.MarkingHeaderAsync(path), Is.EqualTo("confidential"), $"AC 5.12: the DCC's answer carrying the {report} should say so too (Report-Marking header).");
    }

    private async Task<(string? Marking, string Path)> DailyMarkingAsync(bool panelCopy)
    {
        var yesterday = await YesterdayAsync();
        var report = JsonDccClient.Require(await dcc.DailyAsync(world.Supplier.Party, yesterday, panelCopy));
        return (report.Marking, PostCommissioningDcc.DailyPath(world.Supplier.Party, yesterday, panelCopy));
    }
}
