using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc;

/// <summary>What one run of the scheduled duties did.</summary>
public sealed record DutyReport(DateTimeOffset RanAt, int PendingRemoved, int CpaNoticesSent, int CplDocumentsApplied, int DevicesSuspended, int DevicesRestored)
{
    /// <summary>The post-commissioning duty's part (AC 5.6, 5.9–5.10, 5.13); null when it did not run.</summary>
    public PostCommissioningDutyReport? PostCommissioning { get; init; }

    /// <summary>Device Models taken off the CPL because their CPA Certificate expired (F2.12).</summary>
    public int CplEntriesExpired { get; init; }

    public bool DidAnything => PendingRemoved + CpaNoticesSent + CplDocumentsApplied + DevicesSuspended + DevicesRestored + CplEntriesExpired > 0 || PostCommissioning is { DidAnything: true };
}

/// <summary>
/// The duties that run on the clock: the SMI update after a new CPL (F2.15(b), within 24 hours of receipt), the removal from
/// the CPL of Device Models whose CPA Certificate expired (F2.12), the removal of
/// Devices 'pending' for 12 months (AC 8.2), the CPA expiry notices (F2.4) and the post-commissioning duty (AC 5.6, 5.9–5.10,
/// 5.13). Idempotent: running twice does nothing new.
/// </summary>
public sealed class ScheduledDuties(ISmiStore store, IClock clock, DccOptions options, SmiService inventory, ProductCatalogue products,
    PostCommissioningDuty? postCommissioning = null)
{
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);

    public async Task<DutyReport> RunDueAsync(CancellationToken ct)
    {
        await _oneAtATime.WaitAsync(ct);
        try
        {
            var now = clock.UtcNow;
            int applied = 0, suspended = 0, restored = 0;
            var awaiting = await store.ReadAsync((s, ct) => s.CplDocumentsAwaitingSmiUpdateAsync(ct), ct);
            var due = awaiting.Where(d => d.ReceivedAt + options.CplSmiUpdateDelay <= now).ToList();
            if (due.Count > 0)
            {
                (suspended, restored) = await inventory.ReconcileWithCplAsync(ct);
                var upTo = due.Max(d => d.Sequence);
                await store.WriteAsync<Done>(async (s, ct) =>
                {
                    await s.MarkCplSmiUpdatedAsync(upTo, clock.UtcNow, ct);
                    return Done.Value;
                }, ct);
                applied = due.Count;
            }
            // F2.12: a model whose CPA Certificate expired leaves the CPL, and its Devices are Suspended at once (AC 8.3).
            var expired = await products.RemoveExpiredCplEntriesAsync(ct);
            if (expired.Count > 0)
            {
                var (s2, r2) = await inventory.ReconcileWithCplAsync(ct);
                suspended += s2;
                restored += r2;
            }
            var removed = await inventory.RemoveExpiredPendingAsync(ct);
            var notices = await products.SendCpaExpiryNoticesAsync(ct);
            var postCommissioningReport = postCommissioning is null ? null : await postCommissioning.RunDueAsync(ct);
            return new DutyReport(now, removed, notices, applied, suspended, restored) { PostCommissioning = postCommissioningReport, CplEntriesExpired = expired.Count };
        }
        finally
        {
            _oneAtATime.Release();
        }
    }
}
