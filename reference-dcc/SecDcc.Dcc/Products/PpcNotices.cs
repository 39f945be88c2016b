using System.Globalization;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;

namespace SecDcc.Dcc.Products;

/// <summary>
/// The notice that tells a PPC requester the outcome (BEIS consultation 6.12–6.13), and reading it back as the PPC
/// entry's record. The notice lives in the outbox, written in the same transaction as the list change, so the record and
/// the list never disagree.
/// </summary>
internal static class PpcNotices
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Notification Outcome(ProductCombination entry, PartyId requester, PpcTestResult result, DateTimeOffset now) => new()
    {
        CreatedAt = now,
        Kind = result.Passed ? NotificationKind.PpcTestPassed : NotificationKind.PpcTestFailed,
        Clause = result.Passed ? "PPC-6.12" : "PPC-6.13",
        Recipient = new Recipient(RecipientKind.TestingParticipant, requester),
        Message = Message(entry, result),
        Data = new Dictionary<string, string>
        {
            ["combinationKey"] = entry.Key,
            ["identity"] = entry.Identity,
            ["models"] = JsonSerializer.Serialize(entry.Models, Json),
            ["requestedAt"] = entry.AddedAt.ToString("O", CultureInfo.InvariantCulture),
            ["passed"] = result.Passed ? "true" : "false",
            ["explanation"] = result.Explanation?.Trim() ?? "",
            ["failures"] = JsonSerializer.Serialize(result.Failures, Json),
            ["materialChangeToDccSystems"] = result.Judgement.MaterialChangeToDccSystems ? "true" : "false",
            ["secModification"] = result.Judgement.SecModification ? "true" : "false",
        },
    };

    private static string Message(ProductCombination entry, PpcTestResult result)
    {
        var what = $"The PPC test of combination {entry.Identity} [{string.Join("; ", entry.Models)}]";
        if (result.Passed)
            return $"{what} passed; the combination is now an Eligible Product Combination.";
        var parts = new List<string> { $"{what} did not complete successfully." };
        if (result.Failures.Count > 0)
            parts.Add("What failed: " + string.Join("; ", result.Failures.Select(f => $"{f.Step}: {f.Reason}")) + ".");
        if (!string.IsNullOrWhiteSpace(result.Explanation))
            parts.Add(result.Explanation.Trim());
        parts.Add(Judgement(result.Judgement));
        return string.Join(" ", parts);
    }

    private static string Judgement(PpcJudgement j)
    {
        if (!j.EndsTheService)
            return "The DCC judges that neither a material change to DCC Systems nor a SEC modification is needed: the problem lies with the Devices. " +
                   "Correct them and ask for a test of the corrected combination.";
        var needed = (j.MaterialChangeToDccSystems, j.SecModification) switch
        {
            (true, true) => "both a material change to DCC Systems and processes and a modification of the SEC",
            (true, false) => "a material change to DCC Systems and processes",
            _ => "a modification of the SEC",
        };
        return $"The DCC judges that {needed} would be needed for this combination to pass (BEIS consultation 6.13). " +
               "The DCC has no further obligation to test it, and this decision cannot be referred to the Panel under Testing Issue Resolution (H14.36); " +
               "to have the change made, raise a SEC Modification Proposal (6.14) — a manufacturer through the Supplier it develops the combination for.";
    }

    /// <summary>The record a PPC outcome notice holds, or null for any other notice.</summary>
    public static PpcRecord? Record(Notification n)
    {
        if (n.Kind is not (NotificationKind.PpcTestPassed or NotificationKind.PpcTestFailed))
            return null;
        // Notices written before the record fields existed carry only the key; the identity follows from the models in it.
        var key = n.Data.GetValueOrDefault("combinationKey") ?? "";
        var models = n.Data.TryGetValue("models", out var m) ? JsonSerializer.Deserialize<List<DeviceModel>>(m, Json) ?? [] : ModelsFromKey(key);
        var requestedAt = n.Data.TryGetValue("requestedAt", out var at) && DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var t) ? t : n.CreatedAt;
        var failures = n.Data.TryGetValue("failures", out var f) ? JsonSerializer.Deserialize<List<PpcFailure>>(f, Json) ?? [] : [];
        var passed = n.Kind == NotificationKind.PpcTestPassed;
        var judgement = passed ? null : new PpcJudgement(n.Data.GetValueOrDefault("materialChangeToDccSystems") == "true", n.Data.GetValueOrDefault("secModification") == "true");
        return new PpcRecord(n.Data.GetValueOrDefault("identity") ?? CombinationIdentity.Of(models), key, models, n.Recipient.Party, requestedAt,
            passed ? PpcOutcome.Passed : PpcOutcome.NotCompleted, n.CreatedAt, failures, judgement);
    }

    private static List<DeviceModel> ModelsFromKey(string key) =>
        key.Split(';', StringSplitOptions.RemoveEmptyEntries).Select(k => k.Split('|')).Where(p => p.Length == 4)
            .Select(p => new DeviceModel(p[0], p[1], p[2], p[3])).ToList();
}
