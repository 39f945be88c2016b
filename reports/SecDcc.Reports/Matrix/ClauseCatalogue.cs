namespace SecDcc.Reports.Matrix;

/// <summary>One clause in scope: what a scenario tag cites and what the matrix reports against.</summary>
public sealed record Clause(
    string Id,
    string Source,
    string Title,
    bool Testable,
    string? Why,
    IReadOnlyList<string> Who,
    string? Note = null,
    string? OneSided = null)
{
    public string? ParentId => ClauseIds.ParentOf(Id);
}

/// <summary>The clause catalogue (features/clauses.yaml): source titles and the clauses, in file order.</summary>
public sealed class ClauseCatalogue
{
    private readonly Dictionary<string, Clause> byId;

    public ClauseCatalogue(IReadOnlyDictionary<string, string> sources, IReadOnlyList<Clause> clauses)
    {
        Sources = sources;
        Clauses = clauses;
        byId = clauses.ToDictionary(c => c.Id, StringComparer.Ordinal);
    }

    /// <summary>Source key (appendix-ac, section-f, ppc) → title, in file order.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    public IReadOnlyList<Clause> Clauses { get; }

    public bool Contains(string id) => byId.ContainsKey(id);

    public Clause? Find(string id) => byId.GetValueOrDefault(id);

    public string SourceTitle(string source) => Sources.TryGetValue(source, out var title) ? title : source;
}
