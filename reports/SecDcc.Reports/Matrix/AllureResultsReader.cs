using System.Text.Json;

namespace SecDcc.Reports.Matrix;

/// <summary>
/// Reads the scenario results of an allure-results directory. Only the fields the matrix needs are read, and
/// unknown statuses count as broken so that a result the matrix does not understand can never look like a pass.
/// </summary>
public static class AllureResultsReader
{
    public static async Task<IReadOnlyList<ScenarioRun>> ReadDirectoryAsync(string directory, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(directory))
            throw new DirectoryNotFoundException(
                $"Allure results directory not found: {Path.GetFullPath(directory)}. Pass the allure-results folder of a run (out/runs/<timestamp>/allure-results).");

        var latest = new Dictionary<string, (ScenarioRun Run, long Stop)>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(directory, "*-result.json").Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (run, historyId, stop) = await ReadFileAsync(file, cancellationToken);
            // A retried scenario leaves one file per attempt under one historyId; like Allure, keep the last.
            var key = historyId ?? file;
            if (!latest.TryGetValue(key, out var seen) || stop >= seen.Stop)
                latest[key] = (run, stop);
        }
        return latest.Values.Select(v => v.Run).OrderBy(r => r.FullName ?? r.Name, StringComparer.Ordinal).ToList();
    }

    private static async Task<(ScenarioRun Run, string? HistoryId, long Stop)> ReadFileAsync(string file, CancellationToken cancellationToken)
    {
        await using var stream = File.OpenRead(file);
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
        }
        catch (JsonException e)
        {
            throw new InvalidDataException(
                $"{file}: not a readable Allure result ({e.Message}). Remove the file or re-run the scenarios that wrote it.", e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{file}: an Allure result must be a JSON object.");
            var name = String(root, "name") ?? Path.GetFileName(file);
            var message = root.TryGetProperty("statusDetails", out var details) && details.ValueKind == JsonValueKind.Object
                ? String(details, "message")
                : null;
            var status = String(root, "status");
            var outcome = Outcome(status);
            if (outcome == ScenarioOutcome.Broken && status is not "broken")
                message = $"Allure status '{status ?? "(none)"}' is not passed, failed, broken or skipped; counted as broken. {message}".TrimEnd();
            var run = new ScenarioRun(name, String(root, "fullName"), outcome, message, ClauseTags(root), file, KindOf(root));
            var stop = root.TryGetProperty("stop", out var s) && s.TryGetInt64(out var v) ? v : 0;
            return (run, String(root, "historyId"), stop);
        }
    }

    /// <summary>Every "story" label, and every "tag" label that looks like a clause citation, without duplicates.</summary>
    private static List<string> ClauseTags(JsonElement root)
    {
        var tags = new List<string>();
        if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array) return tags;
        foreach (var label in labels.EnumerateArray())
        {
            if (label.ValueKind != JsonValueKind.Object) continue;
            var value = String(label, "value")?.Trim().TrimStart('@');
            if (string.IsNullOrEmpty(value)) continue;
            var isCitation = String(label, "name") switch
            {
                "story" => !ClauseIds.GroupTags.Contains(value),
                "tag" => ClauseIds.LooksLikeClause(value),
                _ => false,
            };
            if (isCitation && !tags.Contains(value, StringComparer.Ordinal)) tags.Add(value);
        }
        return tags;
    }

    /// <summary>The scenario's kind from its tag labels; both tags on one scenario count it on both sides.</summary>
    private static ScenarioKind KindOf(JsonElement root)
    {
        var kind = ScenarioKind.Other;
        if (!root.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Array) return kind;
        foreach (var label in labels.EnumerateArray())
        {
            if (label.ValueKind != JsonValueKind.Object || String(label, "name") != "tag") continue;
            kind |= String(label, "value")?.Trim().TrimStart('@') switch
            {
                ScenarioRun.RuleMetTag => ScenarioKind.RuleMet,
                ScenarioRun.RuleBrokenTag => ScenarioKind.RuleBroken,
                _ => ScenarioKind.Other,
            };
        }
        return kind;
    }

    private static ScenarioOutcome Outcome(string? status) => status?.ToLowerInvariant() switch
    {
        "passed" => ScenarioOutcome.Passed,
        "failed" => ScenarioOutcome.Failed,
        "skipped" => ScenarioOutcome.Skipped,
        _ => ScenarioOutcome.Broken,
    };

    private static string? String(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
