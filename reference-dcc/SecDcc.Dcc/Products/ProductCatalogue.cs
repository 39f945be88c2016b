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
            var latest = await s.LatestCplDocumentAsync(ct);
            if (latest is not null && verified.Value.Sequence <= latest.Sequence)
                return new Refusal("F2.15", "CplNotNewer",
                    $"The CPL has sequence {verified.Value.Sequence}, but the DCC already holds sequence {latest.Sequence}; a replayed or older CPL does not replace a newer one.",
                    RefusalKind.Conflict, "sequence");
            var record = new CplDocumentRecord(verified.Value.Sequence, verified.Value.IssuedAt, _clock.UtcNow, null, verified.Value.Entries.Count);
            await s.ReplaceCplAsync(record, verified.Value.Payload, verified.Value.Entries, ct);
            return record;
        }, ct);

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

    /// <summary>BEIS consultation 6.12: a Testing Participant asks for a combination to be tested; it is added to the PPC with today's date.</summary>
    public Task<Outcome<ProductCombination>> RequestPpcTestAsync(PartyId requester, IReadOnlyList<DeviceModel> models, CancellationToken ct) =>
        _store.WriteAsync<ProductCombination>(async (s, ct) =>
        {
            if (ValidateModels(models, "PPC-6.12") is { } invalid)
                return invalid;
            var existing = await s.GetCombinationAsync(ProductCombination.KeyOf(models), ct);
            if (existing is not null)
                return new Refusal("PPC-6.10", existing.List == CombinationList.EPC ? "AlreadyOnEpc" : "AlreadyOnPpc",
                    existing.List == CombinationList.EPC
                        ? "The combination is already an Eligible Product Combination; PPC tests are for combinations not on the EPC."
                        : $"The combination is already on the PPC (added {existing.AddedAt:yyyy-MM-dd}) awaiting its test.",
                    RefusalKind.Conflict, "models");
            var combination = new ProductCombination { Models = Sorted(models), List = CombinationList.PPC, AddedAt = _clock.UtcNow, Requester = requester };
            await s.PutCombinationAsync(combination, ct);
            return combination;
        }, ct);

    /// <summary>
    /// BEIS consultation 6.12–6.13: the PPC test's outcome. A pass moves the combination to the EPC; a failure removes it from
    /// the PPC and tells the requester what went wrong. Either way the requester is told.
    /// </summary>
    public Task<Outcome<ProductCombination>> RecordPpcTestResultAsync(string combinationKey, bool passed, string? explanation, CancellationToken ct) =>
        _store.WriteAsync<ProductCombination>(async (s, ct) =>
        {
            var existing = await s.GetCombinationAsync(combinationKey, ct);
            if (existing is null || existing.List != CombinationList.PPC)
                return new Refusal("PPC-6.12", "NotOnPpc", $"No combination with key '{combinationKey}' is on the PPC awaiting a test result.", RefusalKind.NotFound, "combinationKey");
            if (!passed && string.IsNullOrWhiteSpace(explanation))
                return Refusal.InvalidField("PPC-6.13", "explanation", "A failed PPC test must explain to the requester what the problem is (BEIS consultation 6.13).");
            var now = _clock.UtcNow;
            ProductCombination result;
            if (passed)
            {
                result = existing with { List = CombinationList.EPC, AddedAt = now };
                await s.PutCombinationAsync(result, ct);
            }
            else
            {
                result = existing;
                await s.DeleteCombinationAsync(combinationKey, ct);
            }
            if (existing.Requester is { } requester)
                await s.AddNotificationAsync(new Notification
                {
                    CreatedAt = now,
                    Kind = passed ? NotificationKind.PpcTestPassed : NotificationKind.PpcTestFailed,
                    Clause = passed ? "PPC-6.12" : "PPC-6.13",
                    Recipient = new Recipient(RecipientKind.TestingParticipant, requester),
                    Message = passed
                        ? $"The PPC test of [{string.Join("; ", existing.Models)}] passed; the combination is now an Eligible Product Combination."
                        : $"The PPC test of [{string.Join("; ", existing.Models)}] did not complete successfully: {explanation!.Trim()}",
                    Data = new Dictionary<string, string> { ["combinationKey"] = combinationKey, ["passed"] = passed ? "true" : "false", ["explanation"] = explanation ?? "" },
                }, ct);
            return result;
        }, ct);

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
