namespace SecDcc.Reports.Matrix;

public enum ScenarioOutcome { Passed, Failed, Broken, Skipped }

/// <summary>One scenario's result as read from an Allure <c>*-result.json</c> file.</summary>
public sealed record ScenarioRun(
    string Name,
    string? FullName,
    ScenarioOutcome Outcome,
    string? Message,
    IReadOnlyList<string> ClauseTags,
    string ResultFile)
{
    /// <summary>The first non-blank line of the failure message: what a reader of the matrix sees.</summary>
    public string? FirstLine =>
        Message?.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0);
}
