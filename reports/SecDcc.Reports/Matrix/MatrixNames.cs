namespace SecDcc.Reports.Matrix;

/// <summary>The words the matrix files use for verdicts and outcomes; JSON readers key on these.</summary>
public static class MatrixNames
{
    public static string Of(ClauseVerdict verdict) => verdict switch
    {
        ClauseVerdict.CoveredAndPassing => "covered-and-passing",
        ClauseVerdict.Failing => "failing",
        ClauseVerdict.Broken => "broken",
        ClauseVerdict.SkippedOnly => "skipped-only",
        ClauseVerdict.Uncovered => "uncovered",
        ClauseVerdict.Untestable => "untestable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "No name for this verdict."),
    };

    public static string Of(ScenarioOutcome outcome) => outcome.ToString().ToLowerInvariant();

    /// <summary>The scenario's tag(s) as written in the feature files, or "other".</summary>
    public static string Of(ScenarioKind kind) => kind switch
    {
        ScenarioKind.RuleMet => ScenarioRun.RuleMetTag,
        ScenarioKind.RuleBroken => ScenarioRun.RuleBrokenTag,
        ScenarioKind.RuleMet | ScenarioKind.RuleBroken => $"{ScenarioRun.RuleMetTag} {ScenarioRun.RuleBrokenTag}",
        _ => "other",
    };

    /// <summary>How a compliance reader sees the verdict.</summary>
    public static string Describe(ClauseVerdict verdict) => verdict switch
    {
        ClauseVerdict.CoveredAndPassing => "Covered, passing",
        ClauseVerdict.Failing => "Failing",
        ClauseVerdict.Broken => "Broken test",
        ClauseVerdict.SkippedOnly => "Skipped only",
        ClauseVerdict.Uncovered => "Not covered",
        ClauseVerdict.Untestable => "Not testable",
        _ => throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "No description for this verdict."),
    };
}
