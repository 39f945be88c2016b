using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using R = SecDcc.Dcc.PostCommissioning.PostCommissioningReasons;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>AC 5.9–5.12: the monthly and daily reports compiled from the Post Commissioning Information.</summary>
public sealed class ReportTests
{
    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 9, 0, 0, TimeSpan.Zero);
    private static DateOnly Day(int year, int month, int day) => new(year, month, day);

    private static async Task<MonthlyReport> MonthlyAsync(TestWorld w, int year, int month) =>
        (await w.Pc().Reports.MonthlyAsync(new ReportMonth(year, month), w.Ct)).Must();

    private static MonthlyCounts Esme(MonthlyReport report, Actor supplier) =>
        report.Suppliers.Single(s => s.ResponsibleSupplier == supplier.Party).DeviceTypes.Single(t => t.DeviceType == DeviceType.ESME).Counts;

    [Test, Category("AC-5.9")]
    public async Task AC_5_9_monthly_counts_follow_devices_added_removed_and_still_listed_over_the_months()
    {
        await using var w = await TestWorld.CreateAsync();
        var (hubA, _, meterA) = await w.Smets2ElectricityAsync();
        var (_, _, otherMeter) = await OtherSuppliersMeterAsync(w);
        await w.SetAsync(At(2025, 1, 8));
        Assert.That(await w.EntryAsync(meterA), Is.Not.Null);

        await w.SetAsync(At(2025, 2, 1));
        var january = await MonthlyAsync(w, 2025, 1);
        Assert.That((january.Month.ToString(), january.PrevailingAtEndOf), Is.EqualTo(("2025-01", Day(2025, 1, 31))));
        Assert.That(Esme(january, ImportSupplier), Is.EqualTo(new MonthlyCounts(1, 1, 0, 0, 0, 0)));
        Assert.That(Esme(january, OtherSupplier), Is.EqualTo(new MonthlyCounts(1, 1, 0, 0, 0, 0)));
        Assert.That(january.Suppliers.Single(s => s.ResponsibleSupplier == ImportSupplier.Party).DeviceTypes.Select(t => t.DeviceType),
            Is.EqualTo(new[] { DeviceType.ESME, DeviceType.GSME, DeviceType.GPF }));
        Assert.That(january.CommunicationsHubFunctions, Is.EqualTo(new MonthlyCounts(2, 2, 0, 0, 0, 0)));

        await w.SetAsync(At(2025, 2, 10));
        await w.Smets2ElectricityAsync();
        await w.SetAsync(At(2025, 2, 17));
        await w.SetAsync(At(2025, 3, 1));
        Assert.That(Esme(await MonthlyAsync(w, 2025, 2), ImportSupplier), Is.EqualTo(new MonthlyCounts(2, 1, 0, 1, 0, 0)));

        await w.SetAsync(At(2025, 3, 5));
        await w.CompleteStepsAsync(meterA);
        await w.CompleteStepsAsync(hubA);
        await w.SetAsync(At(2025, 3, 6));
        Assert.That(await w.EntryAsync(meterA), Is.Null);
        await w.SetAsync(At(2025, 4, 1));
        var march = await MonthlyAsync(w, 2025, 3);
        Assert.That(Esme(march, ImportSupplier), Is.EqualTo(new MonthlyCounts(1, 0, 1, 1, 0, 0)), "meter A removed; meter B listed since February");
        Assert.That(march.CommunicationsHubFunctions, Is.EqualTo(new MonthlyCounts(2, 0, 1, 2, 0, 0)), "hub A removed; the other two listed since February, not since December");

        await w.SetAsync(At(2025, 6, 1));
        Assert.That(Esme(await MonthlyAsync(w, 2025, 4), ImportSupplier).StillListedFromPreviousThreeMonths, Is.Zero, "not listed at the end of January");
        Assert.That(Esme(await MonthlyAsync(w, 2025, 5), ImportSupplier), Is.EqualTo(new MonthlyCounts(1, 0, 0, 1, 1, 0)), "listed at the end of February, March and April");

        await w.SetAsync(At(2025, 9, 1));
        Assert.That(Esme(await MonthlyAsync(w, 2025, 7), ImportSupplier).StillListedFromPreviousSixMonths, Is.Zero);
        Assert.That(Esme(await MonthlyAsync(w, 2025, 8), ImportSupplier), Is.EqualTo(new MonthlyCounts(1, 0, 0, 1, 1, 1)), "listed at the end of each month from February to July");
        Assert.That(Esme(await MonthlyAsync(w, 2025, 8), OtherSupplier).Total, Is.EqualTo(1), $"{otherMeter} was never put right");
    }

    private static async Task<(DeviceId Chf, DeviceId Gpf, DeviceId Esme)> OtherSuppliersMeterAsync(TestWorld w)
    {
        var (chf, gpf) = await w.DeliverHubAsync(OtherSupplier);
        var esme = await w.AddAsync(DeviceType.ESME, Smets2Esme, by: OtherSupplier);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan2);
        await w.CommissionMeterAsync(esme, OtherSupplier);
        return (chf, gpf, esme);
    }

    [Test, Category("AC-5.9")]
    public async Task AC_5_9_a_month_is_reported_only_once_it_has_ended_and_its_information_is_recorded()
    {
        await using var w = await TestWorld.CreateAsync();
        (await w.Pc().Reports.MonthlyAsync(new ReportMonth(2025, 1), w.Ct)).Refused("AC-5.9", "MonthNotEnded");
        w.Clock.Set(At(2025, 2, 1));
        (await w.Pc().Reports.MonthlyAsync(new ReportMonth(2025, 1), w.Ct)).Refused("AC-5.9", "ReportNotYetCompiled");
        await w.RunDutiesAsync();
        Assert.That((await MonthlyAsync(w, 2025, 1)).Suppliers, Is.Empty);
        var before = (await w.Pc().Reports.MonthlyAsync(new ReportMonth(2024, 12), w.Ct)).Refused("AC-5.9", "NoPostCommissioningInformation");
        Assert.That(before.Kind, Is.EqualTo(RefusalKind.NotFound));
    }

    [Test, Category("AC-5.10")]
    public async Task AC_5_10_the_daily_report_lists_the_suppliers_devices_other_than_chfs_with_their_fields()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, esme) = await w.Smets2ElectricityAsync();
        await w.SetAsync(At(2025, 1, 8));
        await w.SetAsync(At(2025, 1, 9));

        var report = (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 8), false, w.Ct)).Must();
        Assert.That(report.Devices, Is.EqualTo(new[]
        {
            new DailyReportRow(esme, DeviceType.ESME, At(2025, 1, 8), Start, R.InterrogationFailed | R.IssueSecurityCredentials | R.UpdateSecurityCredentialsDevice | R.UpdateSecurityCredentialsKrp, null),
        }));
        Assert.That(report.Devices.Select(d => d.DeviceId), Does.Not.Contain(chf));
        Assert.That((report.Day, report.Supplier, report.AvailableUntil), Is.EqualTo((Day(2025, 1, 8), ImportSupplier.Party, Day(2025, 2, 7))));

        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 7), false, w.Ct)).Must().Devices, Is.Empty, "not yet 7 days at the end of 7 January");
        Assert.That((await w.Pc().Reports.DailyAsync(OtherSupplier.Party, Day(2025, 1, 8), false, w.Ct)).Must().Devices, Is.Empty, "not its Device");
    }

    [Test, Category("AC-5.10")]
    public async Task AC_5_10_a_daily_report_is_available_for_30_days_after_its_day_and_a_month_end_one_for_longer()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.SetAsync(At(2025, 1, 8));
        await w.SetAsync(At(2025, 1, 9));
        await w.SetAsync(At(2025, 2, 7));
        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 8), false, w.Ct)).Must().Devices.Single().DeviceId, Is.EqualTo(esme));

        await w.SetAsync(At(2025, 2, 8));
        (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 8), false, w.Ct)).Refused("AC-5.10", "ReportNoLongerKept");
        await w.SetAsync(At(2025, 4, 1));
        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 31), false, w.Ct)).Must().Devices, Has.Count.EqualTo(1));
    }

    [Test, Category("AC-5.10")]
    public async Task AC_5_10_a_day_is_reported_only_after_it_ends_and_the_duties_have_run()
    {
        await using var w = await TestWorld.CreateAsync();
        (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 1), false, w.Ct)).Refused("AC-5.10", "DayNotEnded");
        w.Clock.Set(At(2025, 1, 2));
        (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 1), false, w.Ct)).Refused("AC-5.10", "ReportNotYetCompiled");
        await w.RunDutiesAsync();
        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 1), false, w.Ct)).Must().Devices, Is.Empty);
        (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2024, 12, 31), false, w.Ct)).Refused("AC-5.10", "NoPostCommissioningInformation");
    }

    [Test, Category("AC-5.11")]
    public async Task AC_5_11_a_copy_for_the_panel_or_the_authority_may_add_the_commissioning_supplier()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.SetAsync(At(2025, 1, 8));
        await w.SetAsync(At(2025, 1, 9));
        var copy = (await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 8), true, w.Ct)).Must();
        Assert.That((copy.IncludesCommissioningSupplier, copy.Devices.Single().CommissioningSupplier), Is.EqualTo((true, (PartyId?)ImportSupplier.Party)));
        Assert.That(copy.Devices.Single().DeviceId, Is.EqualTo(esme));
    }

    [Test, Category("AC-5.12")]
    public async Task AC_5_12_every_report_is_marked_confidential()
    {
        await using var w = await TestWorld.CreateAsync();
        await w.SetAsync(At(2025, 2, 1));
        Assert.That((await MonthlyAsync(w, 2025, 1)).Marking, Is.EqualTo("confidential"));
        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 31), false, w.Ct)).Must().Marking, Is.EqualTo("confidential"));
        Assert.That((await w.Pc().Reports.DailyAsync(ImportSupplier.Party, Day(2025, 1, 31), true, w.Ct)).Must().Marking, Is.EqualTo("confidential"));
    }

    [Test, Category("AC-5.9")]
    public void AC_5_9_compile_counts_each_responsible_supplier_once_per_device_type_and_attributes_removals_to_last_month()
    {
        var a = new DeviceId(1);
        var b = new DeviceId(2);
        PostCommissioningEntry Gpf(DeviceId id, params Actor[] suppliers) =>
            new(id, DeviceType.GPF, Start, R.IssueSecurityCredentials, suppliers.Select(s => s.Party).ToList(), null, Start);

        var report = PostCommissioningReports.Compile(new ReportMonth(2025, 7), Start, [Gpf(a, ImportSupplier, Transporter)], [[Gpf(a, ImportSupplier), Gpf(b, OtherSupplier)]]);

        MonthlyCounts Of(Actor s) => report.Suppliers.Single(x => x.ResponsibleSupplier == s.Party).DeviceTypes.Single(t => t.DeviceType == DeviceType.GPF).Counts;
        Assert.That(Of(ImportSupplier), Is.EqualTo(new MonthlyCounts(1, 0, 0, 1, 0, 0)));
        Assert.That(Of(Transporter), Is.EqualTo(new MonthlyCounts(1, 0, 0, 1, 0, 0)));
        Assert.That(Of(OtherSupplier), Is.EqualTo(new MonthlyCounts(0, 0, 1, 0, 0, 0)), "removed since last month, so still reported (AC 5.9(b))");
        Assert.That(report.CommunicationsHubFunctions, Is.EqualTo(new MonthlyCounts(0, 0, 0, 0, 0, 0)));
    }
}
