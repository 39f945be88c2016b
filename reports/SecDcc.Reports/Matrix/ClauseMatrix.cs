namespace SecDcc.Reports.Matrix;

public enum ClauseVerdict { CoveredAndPassing, Failing, Broken, SkippedOnly, Uncovered, Untestable }

/// <summary>A scenario counted for a clause, and the tag through which it counts (a sub-clause's, for a parent).</summary>
public sealed record ClauseEvidence(ScenarioRun Scenario, string CitedAs);

public sealed record ClauseRow(Clause Clause, ClauseVerdict Verdict, IReadOnlyList<ClauseEvidence> Scenarios, string? Warning)
{
    /// <summary>Scenarios (its own and its sub-clauses') where the rule's conditions hold and the system keeps it.</summary>
    public int RuleMet => Scenarios.Count(e => e.Scenario.Kind.HasFlag(ScenarioKind.RuleMet));

    /// <summary>Scenarios (its own and its sub-clauses') where the clause is broken and the DCC or the harness catches it.</summary>
    public int RuleBroken => Scenarios.Count(e => e.Scenario.Kind.HasFlag(ScenarioKind.RuleBroken));
}

/// <summary>
/// A testable clause that lacks a rule-met or a rule-broken scenario. <see cref="Reason"/> is the catalogue's
/// <c>oneSided</c> text when it says why the missing side cannot exist; such a clause still needs one scenario.
/// </summary>
public sealed record OneSidedClause(ClauseRow Row, bool LacksRuleMet, bool LacksRuleBroken)
{
    public string? Reason => LacksRuleMet && LacksRuleBroken ? null : Row.Clause.OneSided;

    public bool Explained => Reason is not null;
}

/// <summary>A clause-like tag that is not in the catalogue, with the catalogue id it probably meant.</summary>
public sealed record UnknownClause(string Tag, string? DidYouMean, IReadOnlyList<ScenarioRun> Scenarios);

/// <summary>
/// Clause → scenarios → outcome, and a verdict per clause. A scenario citing a sub-clause (AC-4.12(a)) also
/// counts for every ancestor (AC-4.12), so a parent is covered by its parts.
/// </summary>
public sealed class ClauseMatrix
{
    private ClauseMatrix(ClauseCatalogue catalogue, IReadOnlyList<ClauseRow> rows, IReadOnlyList<UnknownClause> unknown, IReadOnlyList<ScenarioRun> uncited)
    {
        Catalogue = catalogue;
        Rows = rows;
        Unknown = unknown;
        Uncited = uncited;
    }

    public ClauseCatalogue Catalogue { get; }

    /// <summary>One row per catalogue clause, in catalogue order.</summary>
    public IReadOnlyList<ClauseRow> Rows { get; }

    /// <summary>Clause tags found in the results that the catalogue does not list: typos, or clauses to add.</summary>
    public IReadOnlyList<UnknownClause> Unknown { get; }

    /// <summary>Scenarios that cite no clause at all.</summary>
    public IReadOnlyList<ScenarioRun> Uncited { get; }

    public int ScenarioCount { get; private init; }

    /// <summary>Testable clauses, in catalogue order, without both a rule-met and a rule-broken scenario.</summary>
    public IReadOnlyList<OneSidedClause> OneSided => Rows
        .Where(r => r.Clause.Testable && (r.RuleMet == 0 || r.RuleBroken == 0))
        .Select(r => new OneSidedClause(r, r.RuleMet == 0, r.RuleBroken == 0))
        .ToList();

    /// <summary>
    /// Why <c>secdcc matrix --strict</c> fails, one line each: a cited tag the catalogue lacks, or a testable clause
    /// without a rule-met or a rule-broken scenario whose catalogue entry does not say why that side cannot exist.
    /// </summary>
    public IReadOnlyList<string> StrictProblems() =>
    [
        .. Unknown.Select(u => $"{u.Tag}: cited by {u.Scenarios.Count} scenario(s) but not in the catalogue{(u.DidYouMean is { } m ? $" (did you mean {m}?)" : "")}."),
        .. OneSided.Where(o => !o.Explained).Select(o =>
            $"{o.Row.Clause.Id}: no {(o.LacksRuleMet && o.LacksRuleBroken ? "rule-met and no rule-broken" : o.LacksRuleMet ? "rule-met" : "rule-broken")} scenario; " +
            "add one, or give the catalogue entry a 'oneSided' reason saying why it cannot exist."),
    ];

    /// <summary>Testable clauses with both kinds of scenario.</summary>
    public int TwoSidedCount => Rows.Count(r => r.Clause.Testable && r.RuleMet > 0 && r.RuleBroken > 0);

    public IReadOnlyDictionary<ClauseVerdict, int> CountByVerdict() =>
        Enum.GetValues<ClauseVerdict>().ToDictionary(v => v, v => Rows.Count(r => r.Verdict == v));

    public static ClauseMatrix Build(ClauseCatalogue catalogue, IReadOnlyList<ScenarioRun> runs)
    {
        var evidence = catalogue.Clauses.ToDictionary(c => c.Id, _ => new List<ClauseEvidence>(), StringComparer.Ordinal);
        var unknown = new Dictionary<string, List<ScenarioRun>>(StringComparer.Ordinal);
        var uncited = new List<ScenarioRun>();

        foreach (var run in runs)
        {
            if (run.ClauseTags.Count == 0) uncited.Add(run);
            var countedFor = new HashSet<string>(StringComparer.Ordinal);
            foreach (var tag in run.ClauseTags)
            {
                if (!catalogue.Contains(tag))
                {
                    if (!unknown.TryGetValue(tag, out var list)) unknown[tag] = list = [];
                    list.Add(run);
                    continue;
                }
                // A scenario citing both AC-4.12 and AC-4.12(a) counts once for AC-4.12, through its own tag.
                foreach (var id in new[] { tag }.Concat(ClauseIds.AncestorsOf(tag)))
                    if (catalogue.Contains(id) && countedFor.Add(id))
                        evidence[id].Add(new ClauseEvidence(run, tag));
            }
        }

        var rows = catalogue.Clauses
            .Select(c => Row(c, evidence[c.Id]))
            .ToList();
        var unknownClauses = unknown
            .OrderBy(u => u.Key, StringComparer.Ordinal)
            .Select(u => new UnknownClause(u.Key, DidYouMean(catalogue, u.Key), u.Value))
            .ToList();
        return new ClauseMatrix(catalogue, rows, unknownClauses, uncited) { ScenarioCount = runs.Count };
    }

    public static ClauseVerdict VerdictOf(IReadOnlyCollection<ScenarioOutcome> outcomes)
    {
        if (outcomes.Count == 0) return ClauseVerdict.Uncovered;
        if (outcomes.Contains(ScenarioOutcome.Failed)) return ClauseVerdict.Failing;
        if (outcomes.Contains(ScenarioOutcome.Broken)) return ClauseVerdict.Broken;
        if (outcomes.All(o => o == ScenarioOutcome.Skipped)) return ClauseVerdict.SkippedOnly;
        return ClauseVerdict.CoveredAndPassing;
    }

    private static ClauseRow Row(Clause clause, List<ClauseEvidence> scenarios)
    {
        var ordered = scenarios
            .OrderBy(e => Severity(e.Scenario.Outcome))
            .ThenBy(e => e.Scenario.FullName ?? e.Scenario.Name, StringComparer.Ordinal)
            .ToList();
        if (!clause.Testable)
        {
            // Scenarios citing a clause the catalogue calls untestable still count: their failures must show.
            return ordered.Count == 0
                ? new ClauseRow(clause, ClauseVerdict.Untestable, ordered, null)
                : new ClauseRow(clause, VerdictOf(ordered.Select(e => e.Scenario.Outcome).ToList()), ordered,
                    $"The catalogue marks {clause.Id} as not testable, yet {ordered.Count} scenario(s) cite it; check the catalogue or the tags.");
        }
        var row = new ClauseRow(clause, VerdictOf(ordered.Select(e => e.Scenario.Outcome).ToList()), ordered, null);
        // A stale reason would hide nothing, but it would tell the reader something the scenarios contradict.
        return clause.OneSided is not null && row.RuleMet > 0 && row.RuleBroken > 0
            ? row with { Warning = $"The catalogue says {clause.Id} is one-sided ({clause.OneSided}), yet it has both rule-met and rule-broken scenarios; remove 'oneSided' or retag." }
            : row;
    }

    private static int Severity(ScenarioOutcome outcome) => outcome switch
    {
        ScenarioOutcome.Failed => 0,
        ScenarioOutcome.Broken => 1,
        ScenarioOutcome.Skipped => 2,
        _ => 3,
    };

    private static string? DidYouMean(ClauseCatalogue catalogue, string tag)
    {
        var folded = ClauseIds.Fold(tag);
        var match = catalogue.Clauses.FirstOrDefault(c => ClauseIds.Fold(c.Id) == folded);
        if (match is not null) return match.Id;
        // A sub-clause the catalogue does not list (AC-4.12(d)): point at the nearest listed ancestor.
        return ClauseIds.AncestorsOf(tag).FirstOrDefault(catalogue.Contains);
    }
}
