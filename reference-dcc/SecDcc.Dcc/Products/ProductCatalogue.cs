using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc.Products;

/// <summary>
/// The product lists: the Central Products List as received from the Panel (F2.14–F2.15), the Deployed Products List
/// derived from the SMI (F2.16), and the SMETS1 Eligible and Pending Product Combinations (BEIS consultation 2.4–2.5, 6.10–6.16).
/// </summary>
public sealed class ProductCatalogue
{
    private readonly ISmiStore _store;
    private readonly IClock _clock;
    private readonly DccOptions _options;

    public ProductCatalogue(ISmiStore store, IClock clock, DccOptions options)
    {
        _store = store;
        _clock = clock;
        _options = options;
    }

    /// <summary>
    /// F2.14(a), F2.15: receives a Panel-signed CPL. A bad signature or field is refused whole and nothing changes; a
    /// verified CPL becomes the one the DCC relies on at once, and the SMI is brought in line with it by the scheduled
    /// duties within the configured delay (at most 24 hours, F2.15(b)).
    /// </summary>
    public Task<Outcome<CplDocumentRecord>> ReceiveCplAsync(string signedDocument, CancellationToken ct) =>
        _store.WriteAsync<CplDocumentRecord>(async (s, ct) =>
        {
            var verified = CplDocuments.Verify(signedDocument, _options.PanelPublicKeysPem);
            if (!verified.IsSuccess)
                return verified.Refusal!;
            if (ListsExpiredCpa(verified.Value) is { } stale)
                return stale;
            var latest = await s.LatestCplDocumentAsync(ct);
            if (latest is not null && verified.Value.Sequence <= latest.Sequence)
                return new Refusal("F2.15", "CplNotNewer",
                    $"The CPL has sequence {verified.Value.Sequence}, but the DCC already holds sequence {latest.Sequence}; a replayed or older CPL does not replace a newer one.",
                    RefusalKind.Conflict, "sequence");
            var record = new CplDocumentRecord(verified.Value.Sequence, verified.Value.IssuedAt, _clock.UtcNow, null, verified.Value.Entries.Count);
            await s.ReplaceCplAsync(record, verified.Value.Payload, verified.Value.Entries, ct);
            return record;
        }, ct);

    /// <summary>
    /// F2.12: the Panel removes a Device Model from the CPL when its CPA Certificate expires. An issue that still lists a
    /// model whose CPA Certificate had expired by the issue's own date is one the Panel should not have published, so the
    /// DCC does not rely on it (refused whole, as every other fault in a CPL is).
    /// </summary>
    private static Refusal? ListsExpiredCpa(CplDocuments.Verified cpl)
    {
        var issued = DateOnly.FromDateTime(cpl.IssuedAt.UtcDateTime);
        for (var i = 0; i < cpl.Entries.Count; i++)
            if (cpl.Entries[i].CpaExpiry is { } expiry && expiry <= issued)
                return new Refusal("F2.12", "CpaCertificateExpired",
                    $"The CPL issued {issued:yyyy-MM-dd} lists Device Model {cpl.Entries[i].Model}, whose CPA Certificate expired on {expiry:yyyy-MM-dd}; " +
                    "the Panel removes such a Device Model from the CPL (F2.12). Issue the CPL without it, or with the replacement CPA Certificate's expiry date.",
                    RefusalKind.Invalid, $"entries[{i}].cpaExpiry");
        return null;
    }

    /// <summary>
    /// F2.12: when a listed Device Model's CPA Certificate expires, the model leaves the CPL the DCC relies on. The reference
    /// DCC's CPL administration plays the Panel's part here (decision 0510), so the removal happens on the DCC's clock without
    /// waiting for the next issue. Returns the models removed; the caller brings the SMI in line (AC 8.3 Suspension).
    /// </summary>
    internal async Task<IReadOnlyList<DeviceModel>> RemoveExpiredCplEntriesAsync(CancellationToken ct)
    {
        var outcome = await _store.WriteAsync<IReadOnlyList<DeviceModel>>(async (s, ct) =>
        {
            var today = DateOnly.FromDateTime(_clock.UtcNow.UtcDateTime);
            var removed = new List<DeviceModel>();
            foreach (var entry in await s.CplEntriesAsync(ct))
                if (entry.CpaExpiry is { } expiry && expiry <= today)
                {
                    await s.RemoveCplEntryAsync(entry.Model, ct);
                    removed.Add(entry.Model);
                }
            return removed;
        }, ct);
        return outcome.Value;
    }

    public Task<IReadOnlyList<CplEntry>> CplEntriesAsync(CancellationToken ct) => _store.ReadAsync((s, ct) => s.CplEntriesAsync(ct), ct);

    public Task<CplDocumentRecord?> LatestCplAsync(CancellationToken ct) => _store.ReadAsync((s, ct) => s.LatestCplDocumentAsync(ct), ct);

    public Task<IReadOnlyList<ProductCombination>> CombinationsAsync(CombinationList list, CancellationToken ct) =>
        _store.ReadAsync((s, ct) => s.CombinationsAsync(list, ct), ct);

    /// <summary>Adds a combination the DCC has proven by testing to the EPC (BEIS consultation 2.5), with today's date.</summary>
    public Task<Outcome<ProductCombination>> AddEligibleCombinationAsync(IReadOnlyList<DeviceModel> models, CancellationToken ct) =>
        _store.WriteAsync<ProductCombination>(async (s, ct) =>
        {
            if (ValidateModels(models, "PPC-2.5") is { } invalid)
                return invalid;
            var key = ProductCombination.KeyOf(models);
            var existing = await s.GetCombinationAsync(key, ct);
            if (existing?.List == CombinationList.EPC)
                return new Refusal("PPC-2.5", "AlreadyOnEpc", $"The combination is already on the EPC (added {existing.AddedAt:yyyy-MM-dd}).", RefusalKind.Conflict, "models");
            if (existing?.List == CombinationList.PPC)
                return new Refusal("PPC-6.13", "UnderPpcTest", "The combination is on the PPC under test; record its test result instead, which moves it to the EPC if it passed.", RefusalKind.Conflict, "models");
            var combination = new ProductCombination { Models = Sorted(models), List = CombinationList.EPC, AddedAt = _clock.UtcNow };
            await s.PutCombinationAsync(combination, ct);
            return combination;
        }, ct);

    /// <summary>
    /// BEIS consultation 6.12: a Testing Participant asks for a combination to be tested; it is added to the PPC with today's
    /// date. A combination already on the EPC or the PPC, compared by identity, is refused (6.10: the tests are for
    /// combinations not yet on the EPC).
    /// </summary>
    public Task<Outcome<ProductCombination>> RequestPpcTestAsync(PartyId requester, IReadOnlyList<DeviceModel> models, CancellationToken ct) =>
        _store.WriteAsync<ProductCombination>(async (s, ct) =>
        {
            if (ValidateModels(models, "PPC-6.12") is { } invalid)
                return invalid;
            var existing = await s.GetCombinationAsync(ProductCombination.KeyOf(models), ct) ?? await FindByIdentityAsync(s, CombinationIdentity.Of(models), ct);
            if (existing is not null)
                return new Refusal("PPC-6.10", existing.List == CombinationList.EPC ? "AlreadyOnEpc" : "AlreadyOnPpc",
                    existing.List == CombinationList.EPC
                        ? $"The combination {existing.Identity} is already an Eligible Product Combination (added {existing.AddedAt:yyyy-MM-dd}); PPC tests are for combinations not on the EPC."
                        : $"The combination {existing.Identity} is already on the PPC (added {existing.AddedAt:yyyy-MM-dd}) awaiting its test.",
                    RefusalKind.Conflict, "models");
            var combination = new ProductCombination { Models = Sorted(models), List = CombinationList.PPC, AddedAt = _clock.UtcNow, Requester = requester };
            await s.PutCombinationAsync(combination, ct);
            return combination;
        }, ct);

    /// <summary>The outcome with only a pass flag and an explanation; see the <see cref="PpcTestResult"/> overload.</summary>
    public Task<Outcome<ProductCombination>> RecordPpcTestResultAsync(string combinationKey, bool passed, string? explanation, CancellationToken ct) =>
        RecordPpcTestResultAsync(combinationKey, new PpcTestResult { Passed = passed, Explanation = explanation }, ct);

    /// <summary>
    /// BEIS consultation 6.12–6.13: the PPC test's outcome for the combination with this key or identity. A pass moves the
    /// combination to the EPC with today's date; a failure takes it off the PPC. Either way the requester is told, and the
    /// notice is the PPC entry's record of its outcome (<see cref="PpcRecordsAsync"/>). A failure notice names what failed
    /// and says whether the DCC judges a material change to its systems or a SEC modification is needed (6.13, H14.36).
    /// </summary>
    public Task<Outcome<ProductCombination>> RecordPpcTestResultAsync(string combinationKeyOrIdentity, PpcTestResult result, CancellationToken ct) =>
        _store.WriteAsync<ProductCombination>(async (s, ct) =>
        {
            var existing = CombinationIdentity.IsIdentity(combinationKeyOrIdentity)
                ? await FindByIdentityAsync(s, combinationKeyOrIdentity, ct)
                : await s.GetCombinationAsync(combinationKeyOrIdentity, ct);
            if (existing is null || existing.List != CombinationList.PPC)
                return new Refusal("PPC-6.12", "NotOnPpc",
                    $"No combination with key or identity '{combinationKeyOrIdentity}' is on the PPC awaiting a test result; request the test first (POST /products/ppc).",
                    RefusalKind.NotFound, "combinationKey");
            if (!result.Passed && result.Failures.Count == 0 && string.IsNullOrWhiteSpace(result.Explanation))
                return Refusal.InvalidField("PPC-6.13", "explanation",
                    "A failed PPC test must tell the requester what the problem is (BEIS consultation 6.13): give the failed requests or alerts, or an explanation.");
            for (var i = 0; i < result.Failures.Count; i++)
                if (string.IsNullOrWhiteSpace(result.Failures[i].Step) || string.IsNullOrWhiteSpace(result.Failures[i].Reason))
                    return Refusal.InvalidField("PPC-6.13", $"failures[{i}]", "Each failure names the Service Request or Alert (step) and why it failed (reason).");
            if (result.Passed && (result.Failures.Count > 0 || result.Judgement.EndsTheService))
                return Refusal.InvalidField("PPC-6.13", "passed",
                    "A passed PPC test cannot list failures or a judgement that DCC Systems or the SEC must change; record it as failed instead.");
            var now = _clock.UtcNow;
            ProductCombination moved;
            if (result.Passed)
            {
                moved = existing with { List = CombinationList.EPC, AddedAt = now };
                await s.PutCombinationAsync(moved, ct);
            }
            else
            {
                moved = existing;
                await s.DeleteCombinationAsync(existing.Key, ct);
            }
            if (existing.Requester is { } requester)
                await s.AddNotificationAsync(PpcNotices.Outcome(existing, requester, result, now), ct);
            return moved;
        }, ct);

    /// <summary>
    /// Every PPC entry with its outcome: those on the PPC now (pending), and those concluded, from the outcome notices.
    /// Ordered by request date, then identity.
    /// </summary>
    public Task<IReadOnlyList<PpcRecord>> PpcRecordsAsync(CancellationToken ct) =>
        _store.ReadAsync<IReadOnlyList<PpcRecord>>(async (s, ct) =>
        {
            var records = (await s.CombinationsAsync(CombinationList.PPC, ct))
                .Select(c => new PpcRecord(c.Identity, c.Key, c.Models, c.Requester, c.AddedAt, PpcOutcome.Pending, null, [], null))
                .ToList();
            long after = 0;
            while (true)
            {
                var page = await s.NotificationsAsync(after, 500, null, ct);
                foreach (var n in page)
                    if (PpcNotices.Record(n) is { } record)
                        records.Add(record);
                if (page.Count < 500)
                    break;
                after = page[^1].Id;
            }
            return records.OrderBy(r => r.RequestedAt).ThenBy(r => r.Identity, StringComparer.Ordinal).ToList();
        }, ct);

    /// <summary>The EPC and the PPC with their outcomes, signed by the DCC's key, for the Panel to publish (BEIS consultation 2.5).</summary>
    public async Task<string> SignedListsAsync(System.Security.Cryptography.ECDsa dccKey, CancellationToken ct)
    {
        var epc = await CombinationsAsync(CombinationList.EPC, ct);
        var ppc = await PpcRecordsAsync(ct);
        return ProductListsDocument.Sign(ProductListsDocument.Build(_clock.UtcNow, epc, ppc), dccKey);
    }

    private static async Task<ProductCombination?> FindByIdentityAsync(ISmiSession s, string identity, CancellationToken ct)
    {
        foreach (var list in new[] { CombinationList.EPC, CombinationList.PPC })
            foreach (var c in await s.CombinationsAsync(list, ct))
                if (c.Identity == identity)
                    return c;
        return null;
    }

    /// <summary>
    /// F2.16: the Deployed Products List — every combination of Device Models that comprises a Smart Metering System in the
    /// SMI (a Smart Meter, its CHF, its GPF for gas, its Type 1 Devices), with the Type 2 Devices Associated with it.
    /// </summary>
    public Task<IReadOnlyList<DeployedCombination>> DeployedProductsAsync(CancellationToken ct) =>
        _store.ReadAsync<IReadOnlyList<DeployedCombination>>(async (s, ct) =>
        {
            var devices = new Dictionary<DeviceId, Device>();
            DeviceId? after = null;
            while (true)
            {
                var page = await s.ListDevicesAsync(after, 5000, ct);
                foreach (var d in page)
                    devices[d.Id] = d;
                if (page.Count < 5000)
                    break;
                after = page[^1].Id;
            }
            var joinedTo = devices.Values.SelectMany(d => d.JoinedTo.Select(t => (Device: d.Id, Target: t))).ToLookup(x => x.Target, x => x.Device);
            var counts = new Dictionary<string, (List<DeviceModel> System, List<DeviceModel> Type2, int Count)>();
            foreach (var meter in devices.Values.Where(d => d.Type.IsSmartMeter() && d.Status is not (SmiStatus.Decommissioned or SmiStatus.Withdrawn)))
            {
                var members = new Dictionary<DeviceId, Device> { [meter.Id] = meter };
                var type2 = new Dictionary<DeviceId, Device>();
                void Associated(Device d)
                {
                    foreach (var id in joinedTo[d.Id].Concat(d.JoinedTo))
                        if (devices.TryGetValue(id, out var other) && other.Status is not (SmiStatus.Decommissioned or SmiStatus.Withdrawn))
                        {
                            if (other.IsType2) type2.TryAdd(other.Id, other);
                            else if (!other.Type.IsSmartMeter()) members.TryAdd(other.Id, other);
                        }
                }
                Associated(meter);
                foreach (var gpf in members.Values.Where(m => m.Type == DeviceType.GPF).ToList())
                    Associated(gpf);
                if (meter.ChfId is { } chfId && devices.TryGetValue(chfId, out var chf))
                    members.TryAdd(chf.Id, chf);
                var system = Sorted(members.Values.Select(m => m.Model));
                var t2 = Sorted(type2.Values.Select(m => m.Model));
                var key = ProductCombination.KeyOf(system) + "#" + ProductCombination.KeyOf(t2);
                counts[key] = counts.TryGetValue(key, out var c) ? (c.System, c.Type2, c.Count + 1) : (system, t2, 1);
            }
            return counts.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => new DeployedCombination(kv.Value.System, kv.Value.Type2, kv.Value.Count)).ToList();
        }, ct);

    /// <summary>F2.4: notices to the Parties 12 and 6 months before a Device Model's CPA Certificate expires. Returns how many were sent.</summary>
    internal async Task<int> SendCpaExpiryNoticesAsync(CancellationToken ct)
    {
        var outcome = await _store.WriteAsync<int>(async (s, ct) =>
        {
            var now = _clock.UtcNow;
            var sent = 0;
            var thresholds = _options.CpaExpiryNoticeMonths.OrderBy(m => m).ToList();
            foreach (var entry in await s.CplEntriesAsync(ct))
            {
                if (entry.CpaExpiry is not { } expiryDate)
                    continue;
                var expiry = new DateTimeOffset(expiryDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
                if (now >= expiry)
                    continue;
                // The nearest threshold already reached gets a notice; further ones already passed are recorded with it,
                // so a model added to the CPL 5 months before expiry gets one notice, not two.
                var reached = thresholds.Where(m => now >= expiry.AddMonths(-m)).ToList();
                if (reached.Count == 0)
                    continue;
                var nearest = reached[0];
                if (await s.CpaNoticeSentAsync(entry.Model, nearest, ct))
                    continue;
                await s.AddNotificationAsync(new Notification
                {
                    CreatedAt = now,
                    Kind = NotificationKind.CpaExpiry,
                    Clause = "F2.6",
                    Recipient = new Recipient(RecipientKind.AllParties, null),
                    Message = $"The CPA Certificate of Device Model {entry.Model} ({entry.DeviceType}) expires on {expiryDate:yyyy-MM-dd}, in about {nearest} months; " +
                              "the Party responsible must have a replacement issued before then, or the model leaves the CPL and its Devices are Suspended.",
                    Data = new Dictionary<string, string> { ["modelKey"] = entry.Model.Key, ["cpaExpiry"] = expiryDate.ToString("yyyy-MM-dd"), ["months"] = nearest.ToString() },
                }, ct);
                foreach (var m in reached)
                    if (!await s.CpaNoticeSentAsync(entry.Model, m, ct))
                        await s.RecordCpaNoticeAsync(entry.Model, m, now, ct);
                sent++;
            }
            return sent;
        }, ct);
        return outcome.Value;
    }

    private static Refusal? ValidateModels(IReadOnlyList<DeviceModel> models, string clause)
    {
        if (models.Count == 0)
            return Refusal.InvalidField(clause, "models", "A combination lists the Device Models of a SMETS1 Smart Metering System; none were given.");
        for (var i = 0; i < models.Count; i++)
        {
            var m = models[i];
            if (string.IsNullOrWhiteSpace(m.Manufacturer) || string.IsNullOrWhiteSpace(m.Model) || string.IsNullOrWhiteSpace(m.HardwareVersion) || string.IsNullOrWhiteSpace(m.FirmwareVersion))
                return Refusal.InvalidField(clause, $"models[{i}]", "Each Device Model needs manufacturer, model, hardwareVersion and firmwareVersion.");
        }
        if (models.Select(m => m.Key).Distinct().Count() != models.Count)
            return Refusal.InvalidField(clause, "models", "A combination is a set: the same Device Model was listed twice.");
        return null;
    }

    private static List<DeviceModel> Sorted(IEnumerable<DeviceModel> models) =>
        models.DistinctBy(m => m.Key).OrderBy(m => m.Key, StringComparer.Ordinal).ToList();
}
