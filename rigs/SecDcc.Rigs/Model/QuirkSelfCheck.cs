namespace SecDcc.Rigs.Model;

/// <summary>
/// The harness checked against itself: on a rig whose devices carry quirks, the clauses that failed must be exactly
/// the clauses those quirks declare broken (<see cref="Quirk.Declared"/>, decision record 0610). A clause that failed
/// undeclared means a quirk breaks more than it says or a scenario leaks across devices; a declared clause that passed
/// means the suite missed a non-conforming device.
/// </summary>
/// <param name="Declared">Each clause expected to fail, with the devices' quirks that declare it ("esme: pulse-miscount").</param>
/// <param name="Failed">The clauses that failed (or broke) in the run.</param>
/// <param name="Unexpected">Failed, though no quirk declares it.</param>
/// <param name="Missed">Declared, though it did not fail.</param>
/// <param name="Unobservable">Quirks the rig carries that declare no clause, with the reason.</param>
/// <param name="NotRun">Declared clauses no scenario of the run cites (a run of some tags only): neither failed nor missed.</param>
public sealed record QuirkSelfCheck(
    IReadOnlyDictionary<string, IReadOnlyList<string>> Declared,
    IReadOnlyList<string> Failed,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> Missed,
    IReadOnlyList<string> Unobservable,
    IReadOnlyList<string> NotRun)
{
    public bool Matches => Unexpected.Count == 0 && Missed.Count == 0;

    /// <summary>The devices of the rig and their quirks, one entry per device and quirk.</summary>
    public static IReadOnlyList<(string Device, Quirk Quirk)> QuirksOf(RigDefinition rig) =>
        rig.Devices.SelectMany(d => d.Model.Quirks.All.Select(q => (d.Name, q))).ToList();

    /// <param name="quirks">Each device's quirks.</param>
    /// <param name="failedClauses">The clauses whose verdict in the run is failing or broken.</param>
    /// <param name="ranClauses">The clauses some scenario of the run cites; null when every clause ran.</param>
    /// <param name="ancestorsOf">A clause's parents that the catalogue lists: a failing sub-clause fails them too.</param>
    public static QuirkSelfCheck Compare(
        IEnumerable<(string Device, Quirk Quirk)> quirks,
        IEnumerable<string> failedClauses,
        IReadOnlySet<string>? ranClauses,
        Func<string, IEnumerable<string>> ancestorsOf)
    {
        var declared = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var unobservable = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var (device, quirk) in quirks)
        {
            var breaks = quirk.Breaks;
            if (!breaks.Observable)
            {
                unobservable.Add($"{device}: {quirk.Name} ({breaks.Reason})");
                continue;
            }

            foreach (var clause in breaks.Clauses)
            {
                Declare(clause, $"{device}: {quirk.Name}");
                foreach (var parent in ancestorsOf(clause))
                    Declare(parent, $"{device}: {quirk.Name} (through {clause})");
            }
        }

        var failed = failedClauses.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        bool Ran(string clause) => ranClauses is null || ranClauses.Contains(clause);
        return new QuirkSelfCheck(
            declared.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.ToList(), StringComparer.Ordinal),
            failed,
            failed.Where(c => !declared.ContainsKey(c)).ToList(),
            declared.Keys.Where(c => Ran(c) && !failed.Contains(c, StringComparer.Ordinal)).ToList(),
            unobservable.ToList(),
            declared.Keys.Where(c => !Ran(c) && !failed.Contains(c, StringComparer.Ordinal)).ToList());

        void Declare(string clause, string by)
        {
            if (!declared.TryGetValue(clause, out var set))
                declared[clause] = set = new SortedSet<string>(StringComparer.Ordinal);
            set.Add(by);
        }
    }

    /// <summary>The check as lines for a console or a log.</summary>
    public IEnumerable<string> Describe()
    {
        yield return $"Declared broken by the rig's quirks ({Declared.Count}): {(Declared.Count == 0 ? "none" : string.Join(", ", Declared.Keys))}";
        foreach (var (clause, by) in Declared)
            yield return $"  {clause,-12} {string.Join("; ", by)}";
        foreach (var quirk in Unobservable)
            yield return $"  (not observable) {quirk}";
        yield return $"Failed in this run ({Failed.Count}): {(Failed.Count == 0 ? "none" : string.Join(", ", Failed))}";
        if (Unexpected.Count > 0)
            yield return $"  failed, though no quirk declares it: {string.Join(", ", Unexpected)}";
        if (Missed.Count > 0)
            yield return $"  declared, though it did not fail: {string.Join(", ", Missed)}";
        if (NotRun.Count > 0)
            yield return $"  declared, but no scenario of this run cites it: {string.Join(", ", NotRun)}";
        yield return Matches ? "Quirk self-check: MATCH (the failed clauses are exactly the declared ones)" : "Quirk self-check: MISMATCH";
    }
}
