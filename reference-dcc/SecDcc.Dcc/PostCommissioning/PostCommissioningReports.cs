using System.Globalization;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.PostCommissioning;

/// <summary>A calendar month (UTC), as the AC 5.9 report names it: "2025-03".</summary>
public readonly record struct ReportMonth(int Year, int Month)
{
    public DateOnly FirstDay => new(Year, Month, 1);
    public DateOnly LastDay => FirstDay.AddMonths(1).AddDays(-1);
    public ReportMonth Minus(int months) => Of(FirstDay.AddMonths(-months));
    public static ReportMonth Of(DateOnly day) => new(day.Year, day.Month);

    public static bool TryParse(string? text, out ReportMonth month)
    {
        month = default;
        if (!DateOnly.TryParseExact(text, "yyyy-MM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
            return false;
        month = Of(day);
        return true;
    }

    public override string ToString() => FirstDay.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>AC 5.12: every report under 5.9, 5.10 or 5.11 is clearly marked as being "confidential".</summary>
public static class ReportMarking
{
    public const string Confidential = "confidential";
}

/// <summary>AC 5.9(b)(i)–(vi) or (c)(i)–(vi): total, added, removed, and still listed after one, three and six months.</summary>
public sealed record MonthlyCounts(int Total, int Added, int Removed, int StillListedFromPreviousMonth, int StillListedFromPreviousThreeMonths, int StillListedFromPreviousSixMonths);

public sealed record DeviceTypeCounts(DeviceType DeviceType, MonthlyCounts Counts);

/// <summary>AC 5.9(b): one Responsible Supplier's counts per Device Type.</summary>
public sealed record SupplierMonthlyCounts(PartyId ResponsibleSupplier, IReadOnlyList<DeviceTypeCounts> DeviceTypes);

/// <summary>The AC 5.9 report for the Panel, the Security Sub-Committee and the Authority, from the PCI prevailing at the end of <see cref="Month"/>.</summary>
public sealed record MonthlyReport(ReportMonth Month, DateOnly PrevailingAtEndOf, DateTimeOffset CompiledAt, IReadOnlyList<SupplierMonthlyCounts> Suppliers, MonthlyCounts CommunicationsHubFunctions)
{
    public string Marking => ReportMarking.Confidential;
    public static readonly IReadOnlyList<string> Recipients = ["Panel", "Security Sub-Committee", "Authority"];
}

/// <summary>
/// One Device of an AC 5.10 report: (a) Device ID and Type, (b) when its entry was last updated, (c) its Commissioning date,
/// (d) which of 5.7 applies; and, in a copy for the Panel or the Authority that asks for it, the commissioning Supplier (5.11).
/// </summary>
public sealed record DailyReportRow(DeviceId DeviceId, DeviceType DeviceType, DateTimeOffset UpdatedAt, DateTimeOffset CommissionedAt, PostCommissioningReasons Reasons, PartyId? CommissioningSupplier);

/// <summary>The AC 5.10 report for one Supplier Party and one day, available until the end of <see cref="AvailableUntil"/>.</summary>
public sealed record DailyReport(DateOnly Day, PartyId Supplier, DateTimeOffset CompiledAt, DateOnly AvailableUntil, bool IncludesCommissioningSupplier, IReadOnlyList<DailyReportRow> Devices)
{
    public string Marking => ReportMarking.Confidential;
}

/// <summary>AC 5.9–5.11: the reports compiled from the Post Commissioning Information prevailing at the end of each day and month.</summary>
public sealed class PostCommissioningReports(ISmiStore store, IClock clock, DccOptions options)
{
    /// <summary>The Device Types AC 5.9(b) counts per Responsible Supplier: Smart Meters and Gas Proxy Functions.</summary>
    public static readonly IReadOnlyList<DeviceType> SupplierDeviceTypes = [DeviceType.ESME, DeviceType.GSME, DeviceType.GPF];

    public static DateOnly DayOf(DateTimeOffset t) => DateOnly.FromDateTime(t.UtcDateTime);

    /// <summary>
    /// AC 5.10: the report for <paramref name="supplier"/> on <paramref name="day"/>: the Devices other than CHFs listed in the
    /// PCI prevailing at the end of that day for which it was the Responsible Supplier. With <paramref name="includeCommissioningSupplier"/>,
    /// the copy the Panel or the Authority may ask for under AC 5.11.
    /// </summary>
    public async Task<Outcome<DailyReport>> DailyAsync(PartyId supplier, DateOnly day, bool includeCommissioningSupplier, CancellationToken ct)
    {
        var today = DayOf(clock.UtcNow);
        if (day >= today)
            return new Refusal("AC-5.10", "DayNotEnded",
                $"The report for {day:yyyy-MM-dd} is compiled after that day ends; the DCC's day is {today:yyyy-MM-dd} (UTC). Ask for an earlier date.",
                RefusalKind.Conflict, "date");
        return await store.ReadAsync<Outcome<DailyReport>>(async (s, ct) =>
        {
            var compiled = await CompiledAtAsync(s, day, today, "AC-5.10", "date", ct);
            if (!compiled.IsSuccess)
                return compiled.Refusal!;
            var rows = (await s.SnapshotAsync(day, ct))
                .Where(e => e.DeviceType != DeviceType.CHF && e.ResponsibleSuppliers.Contains(supplier))
                .Select(e => new DailyReportRow(e.DeviceId, e.DeviceType, e.UpdatedAt, e.CommissionedAt, e.Reasons, includeCommissioningSupplier ? e.CommissioningSupplier : null))
                .ToList();
            return new DailyReport(day, supplier, compiled.Value, day.AddDays(options.DailyReportRetentionDays), includeCommissioningSupplier, rows);
        }, ct);
    }

    /// <summary>AC 5.9: the report for a month that has ended, from the PCI prevailing at the end of it and of the six months before.</summary>
    public async Task<Outcome<MonthlyReport>> MonthlyAsync(ReportMonth month, CancellationToken ct)
    {
        var today = DayOf(clock.UtcNow);
        if (month.LastDay >= today)
            return new Refusal("AC-5.9", "MonthNotEnded",
                $"The report for {month} is compiled after that month ends; the DCC's day is {today:yyyy-MM-dd} (UTC). Ask for an earlier month.",
                RefusalKind.Conflict, "month");
        return await store.ReadAsync<Outcome<MonthlyReport>>(async (s, ct) =>
        {
            var compiled = await CompiledAtAsync(s, month.LastDay, today, "AC-5.9", "month", ct);
            if (!compiled.IsSuccess)
                return compiled.Refusal!;
            var current = await s.SnapshotAsync(month.LastDay, ct);
            var previous = new List<IReadOnlyList<PostCommissioningEntry>>();
            for (var k = 1; k <= 6; k++)
                previous.Add(await s.SnapshotAsync(month.Minus(k).LastDay, ct));
            return Compile(month, compiled.Value, current, previous);
        }, ct);
    }

    /// <summary>
    /// AC 5.9 from month-end snapshots: <paramref name="previous"/>[k-1] is the PCI at the end of the k-th month before (an
    /// empty list where the DCC held none). "Listed for the previous three months" means at the end of each of them.
    /// </summary>
    public static MonthlyReport Compile(ReportMonth month, DateTimeOffset compiledAt, IReadOnlyList<PostCommissioningEntry> current, IReadOnlyList<IReadOnlyList<PostCommissioningEntry>> previous)
    {
        var before = previous.Select(p => p.Select(e => e.DeviceId).ToHashSet()).ToList();
        while (before.Count < 6)
            before.Add([]);
        var now = current.Select(e => e.DeviceId).ToHashSet();
        bool ListedFor(DeviceId id, int months) => before.Take(months).All(m => m.Contains(id));

        MonthlyCounts Count(IReadOnlyList<PostCommissioningEntry> listed, IReadOnlyList<PostCommissioningEntry> listedLastMonth) => new(
            listed.Count,
            listed.Count(e => !before[0].Contains(e.DeviceId)),
            listedLastMonth.Count(e => !now.Contains(e.DeviceId)),
            listed.Count(e => ListedFor(e.DeviceId, 1)),
            listed.Count(e => ListedFor(e.DeviceId, 3)),
            listed.Count(e => ListedFor(e.DeviceId, 6)));

        var lastMonth = previous.Count > 0 ? previous[0] : [];
        var suppliers = current.Concat(lastMonth)
            .Where(e => SupplierDeviceTypes.Contains(e.DeviceType))
            .SelectMany(e => e.ResponsibleSuppliers)
            .Distinct()
            .OrderBy(p => p.ToString(), StringComparer.Ordinal)
            .Select(p => new SupplierMonthlyCounts(p, SupplierDeviceTypes
                .Select(t => new DeviceTypeCounts(t, Count(
                    current.Where(e => e.DeviceType == t && e.ResponsibleSuppliers.Contains(p)).ToList(),
                    lastMonth.Where(e => e.DeviceType == t && e.ResponsibleSuppliers.Contains(p)).ToList())))
                .ToList()))
            .ToList();
        var hubs = Count(current.Where(e => e.DeviceType == DeviceType.CHF).ToList(), lastMonth.Where(e => e.DeviceType == DeviceType.CHF).ToList());
        return new MonthlyReport(month, month.LastDay, compiledAt, suppliers, hubs);
    }

    /// <summary>When the PCI prevailing at the end of <paramref name="day"/> was recorded, or why there is none.</summary>
    private async Task<Outcome<DateTimeOffset>> CompiledAtAsync(ISmiSession s, DateOnly day, DateOnly today, string clause, string field, CancellationToken ct)
    {
        if (await s.DayCompiledAtAsync(day, ct) is { } at)
            return at;
        var last = await s.LastCompiledDayAsync(ct);
        if (last is null || last < day)
            return new Refusal(clause, "ReportNotYetCompiled",
                $"The Post Commissioning Information prevailing at the end of {day:yyyy-MM-dd} is recorded at the first run of the DCC's scheduled duties after that day; it has not run since. Run the duties, then ask again.",
                RefusalKind.Conflict, field);
        if (day < today.AddDays(-options.DailyReportRetentionDays) && !PostCommissioningDuty.IsMonthEnd(day))
            return new Refusal(clause, "ReportNoLongerKept",
                $"Reports are kept for {options.DailyReportRetentionDays} days after their day (month-end ones for the monthly report longer); the one for {day:yyyy-MM-dd} is gone.",
                RefusalKind.NotFound, field);
        return new Refusal(clause, "NoPostCommissioningInformation",
            $"The DCC held no Post Commissioning Information at the end of {day:yyyy-MM-dd}: its first daily update came later.",
            RefusalKind.NotFound, field);
    }
}
