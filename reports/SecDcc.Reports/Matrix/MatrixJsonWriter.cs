using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SecDcc.Reports.Matrix;

/// <summary>Writes clause-matrix.json: the same content as the HTML, for tools.</summary>
public static class MatrixJsonWriter
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    };

    public static async Task WriteAsync(ClauseMatrix matrix, string path, MatrixContext context, CancellationToken cancellationToken)
    {
        await using var stream = File.Create(path);
        await JsonSerializer.SerializeAsync(stream, ToDocument(matrix, context), Options, cancellationToken);
    }

    public static string Serialize(ClauseMatrix matrix, MatrixContext context) =>
        JsonSerializer.Serialize(ToDocument(matrix, context), Options);

    private static MatrixDocument ToDocument(ClauseMatrix matrix, MatrixContext context) => new(
        context.GeneratedAt,
        context.CataloguePath,
        context.ResultsPath,
        new Summary(
            matrix.Rows.Count,
            matrix.Rows.Count(r => r.Clause.Testable),
            matrix.ScenarioCount,
            matrix.CountByVerdict().ToDictionary(p => MatrixNames.Of(p.Key), p => p.Value),
            matrix.Unknown.Count,
            new SidesSummary(
                matrix.TwoSidedCount,
                matrix.OneSided.Count(o => o.Explained),
                matrix.OneSided.Count(o => !o.Explained))),
        matrix.Catalogue.Sources.Select(s => new SourceEntry(s.Key, s.Value)).ToList(),
        matrix.Rows.Select(r => new ClauseEntry(
            r.Clause.Id, r.Clause.ParentId, r.Clause.Source, r.Clause.Title, r.Clause.Testable, r.Clause.Why, r.Clause.Who,
            r.Clause.Note, MatrixNames.Of(r.Verdict), r.Warning, r.RuleMet, r.RuleBroken, r.Clause.OneSided,
            r.Scenarios.Select(e => Scenario(e.Scenario, e.CitedAs)).ToList())).ToList(),
        matrix.OneSided.Select(o => new OneSidedEntry(o.Row.Clause.Id, Missing(o), o.Reason)).ToList(),
        matrix.Unknown.Select(u => new UnknownEntry(u.Tag, u.DidYouMean, u.Scenarios.Select(s => Scenario(s, u.Tag)).ToList())).ToList(),
        matrix.Uncited.Select(s => Scenario(s, null)).ToList());

    private static ScenarioEntry Scenario(ScenarioRun run, string? citedAs) =>
        new(run.Name, run.FullName, MatrixNames.Of(run.Outcome), run.FirstLine, citedAs, Path.GetFileName(run.ResultFile), MatrixNames.Of(run.Kind));

    private static IReadOnlyList<string> Missing(OneSidedClause clause) =>
        [.. clause.LacksRuleMet ? [ScenarioRun.RuleMetTag] : Array.Empty<string>(), .. clause.LacksRuleBroken ? [ScenarioRun.RuleBrokenTag] : Array.Empty<string>()];

    private sealed record MatrixDocument(
        DateTimeOffset GeneratedAt, string? Catalogue, string? Results, Summary Summary, IReadOnlyList<SourceEntry> Sources,
        IReadOnlyList<ClauseEntry> Clauses, IReadOnlyList<OneSidedEntry> OneSidedClauses, IReadOnlyList<UnknownEntry> UnknownClauses,
        IReadOnlyList<ScenarioEntry> UncitedScenarios);

    private sealed record Summary(
        int Clauses, int Testable, int Scenarios, IReadOnlyDictionary<string, int> Verdicts, int UnknownClauses, SidesSummary Sides);

    /// <summary>Testable clauses with both kinds of scenario, one-sided with the catalogue's reason, and one-sided without.</summary>
    private sealed record SidesSummary(int BothKinds, int OneSidedWithReason, int OneSidedWithoutReason);

    private sealed record OneSidedEntry(string Id, IReadOnlyList<string> Missing, string? Reason);

    private sealed record SourceEntry(string Id, string Title);

    private sealed record ClauseEntry(
        string Id, string? Parent, string Source, string Title, bool Testable, string? Why, IReadOnlyList<string> Who, string? Note,
        string Verdict, string? Warning, int RuleMet, int RuleBroken, string? OneSided, IReadOnlyList<ScenarioEntry> Scenarios);

    private sealed record UnknownEntry(string Tag, string? DidYouMean, IReadOnlyList<ScenarioEntry> Scenarios);

    private sealed record ScenarioEntry(string Name, string? FullName, string Status, string? Message, string? CitedAs, string ResultFile, string Kind);
}

/// <summary>Where a matrix came from, for the record in its output files.</summary>
public sealed record MatrixContext(DateTimeOffset GeneratedAt, string? CataloguePath = null, string? ResultsPath = null);
