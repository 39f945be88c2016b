using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.PostCommissioning;

/// <summary>What one run of the post-commissioning duty did.</summary>
public sealed record PostCommissioningDutyReport(bool Updated, int Listed, int DaysCompiled, int IncidentsRaised, int DaysDropped)
{
    public bool DidAnything => Updated || DaysCompiled + IncidentsRaised + DaysDropped > 0;
}

/// <summary>
/// The post-commissioning duty, run with the other scheduled duties on the DCC's clock:
/// <list type="number">
/// <item>records the Post Commissioning Information as it stands as the information prevailing at the end of each day that
/// has ended since the last run (the 5.10 daily and 5.9 monthly reports are compiled from these);</item>
/// <item>once a day (UTC), at its first run that day, updates the Post Commissioning Information (AC 5.6);</item>
/// <item>at every run, raises the AC 5.13 Incidents that have fallen due;</item>
/// <item>drops day records older than the AC 5.10 retention, keeping month ends for AC 5.9.</item>
/// </list>
/// All in one transaction. Idempotent: a second run on the same day changes nothing.
/// </summary>
public sealed class PostCommissioningDuty(ISmiStore store, IClock clock, DccOptions options)
{
    private static readonly IReadOnlyList<DeviceType> HubsAndMeters = [DeviceType.CHF, DeviceType.GPF, DeviceType.ESME, DeviceType.GSME];

    public static bool IsMonthEnd(DateOnly day) => day.AddDays(1).Day == 1;

    public async Task<PostCommissioningDutyReport> RunDueAsync(CancellationToken ct)
    {
        var now = clock.UtcNow;
        var today = PostCommissioningReports.DayOf(now);
        var outcome = await store.WriteAsync<PostCommissioningDutyReport>(async (s, ct) =>
        {
            var last = await s.LastPostCommissioningUpdateAsync(ct);
            var compiled = await CompileEndedDaysAsync(s, last, now, today, ct);
            var updated = false;
            var listed = 0;
            if (last is null || PostCommissioningReports.DayOf(last.Value) < today)
            {
                var entries = await BuildAsync(s, now, ct);
                await s.ReplacePostCommissioningInformationAsync(entries, now, ct);
                (updated, listed) = (true, entries.Count);
            }
            var incidents = await RaiseIncidentsAsync(s, now, ct);
            var dropped = await DropExpiredDaysAsync(s, today, ct);
            return new PostCommissioningDutyReport(updated, listed, compiled, incidents, dropped);
        }, ct);
        return outcome.Value;
    }

    /// <summary>
    /// The PCI has not changed since its last update, so it is what prevailed at the end of every day since. Days the AC 5.10
    /// retention would drop at once are skipped unless they end a month (AC 5.9 needs those).
    /// </summary>
    private async Task<int> CompileEndedDaysAsync(ISmiSession s, DateTimeOffset? lastUpdate, DateTimeOffset now, DateOnly today, CancellationToken ct)
    {
        if (lastUpdate is null)
            return 0;
        var from = (await s.LastCompiledDayAsync(ct))?.AddDays(1) ?? PostCommissioningReports.DayOf(lastUpdate.Value);
        var keepFrom = today.AddDays(-options.DailyReportRetentionDays);
        var compiled = 0;
        for (var day = from; day < today; day = day.AddDays(1))
        {
            if (day < keepFrom && !IsMonthEnd(day))
                continue;
            await s.CompileDayAsync(day, now, ct);
            compiled++;
        }
        return compiled;
    }

    /// <summary>AC 5.5, 5.7, 5.8: every SMETS2+ CHF, GPF and Smart Meter 'commissioned' for 7 days or more to which a 5.7 reason applies.</summary>
    private async Task<IReadOnlyList<PostCommissioningEntry>> BuildAsync(ISmiSession s, DateTimeOffset now, CancellationToken ct)
    {
        var candidates = await s.CommissionedDevicesAsync(HubsAndMeters, SmetsGeneration.SMETS2Plus, now - PostCommissioningRules.SevenDays, ct);
        return candidates.Select(c => PostCommissioningRules.Entry(c.Device, c.Facts, now, options.ServiceRelease13)).OfType<PostCommissioningEntry>().ToList();
    }

    /// <summary>AC 5.13: each Incident is written with the facts that record it was raised.</summary>
    private async Task<int> RaiseIncidentsAsync(ISmiSession s, DateTimeOffset now, CancellationToken ct)
    {
        var raised = 0;
        foreach (var (chf, facts) in await s.ChfIncidentCandidatesAsync(now - PostCommissioningRules.SevenDays, ct))
        {
            var (incidents, after) = PostCommissioningRules.ChfIncidents(chf, facts, now, options.ServiceRelease13);
            if (after == facts)
                continue;
            await s.PutCredentialFactsAsync(after with { UpdatedAt = now }, ct);
            foreach (var incident in incidents)
                await s.AddNotificationAsync(incident, ct);
            raised += incidents.Count;
        }
        return raised;
    }

    private async Task<int> DropExpiredDaysAsync(ISmiSession s, DateOnly today, CancellationToken ct)
    {
        var dropped = 0;
        foreach (var day in await s.CompiledDaysBeforeAsync(today.AddDays(-options.DailyReportRetentionDays), ct))
        {
            if (IsMonthEnd(day))
                continue;
            await s.DeleteCompiledDayAsync(day, ct);
            dropped++;
        }
        return dropped;
    }
}
