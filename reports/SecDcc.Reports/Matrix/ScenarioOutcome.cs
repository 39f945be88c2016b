namespace SecDcc.Reports.Matrix;

public enum ScenarioOutcome { Passed, Failed, Broken, Skipped }

/// <summary>
/// What a scenario shows about the clauses it cites, from its <c>@rule-met</c> / <c>@rule-broken</c> tag: a case
/// where the rule's conditions hold and the system does what the clause requires, or a case that breaks the
/// clause and is refused or caught. A scenario with neither tag (a read-back, a report) is <see cref="Other"/>.
/// </summary>
[Flags]
public enum ScenarioKind { Other = 0, RuleMet = 1, RuleBroken = 2 }

/// <summary>One scenario's result as read from an Allure <c>*-result.json</c> file.</summary>
public sealed record ScenarioRun(
    string Name,
    string? FullName,
    ScenarioOutcome Outcome,
    string? Message,
    IReadOnlyList<string> ClauseTags,
    string ResultFile,
    ScenarioKind Kind = ScenarioKind.Other)
{
    public const string RuleMetTag = "rule-met";
    public const string RuleBrokenTag = "rule-broken";

    /// <summary>The first non-blank line of the failure message: what a reader of the matrix sees.</summary>
    public string? FirstLine =>
        Message?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}
