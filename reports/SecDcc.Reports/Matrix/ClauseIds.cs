using System.Text.RegularExpressions;

namespace SecDcc.Reports.Matrix;

/// <summary>
/// The grammar of clause ids as scenarios carry them: <c>AC-4.12</c>, <c>AC-4.12(a)</c>, <c>AC-5.7(c)(i)</c>,
/// <c>F2.14</c>, <c>H5</c>, <c>H14.36</c>, <c>PPC-6.13</c>. A parenthesised suffix names a sub-clause, whose
/// parent is the id without its last suffix.
/// </summary>
public static partial class ClauseIds
{
    /// <summary>Tags that group scenarios (e.g. every PPC test carries <c>@PPC</c>) rather than cite a clause.</summary>
    public static IReadOnlySet<string> GroupTags { get; } = new HashSet<string>(["PPC", "EPC"], StringComparer.OrdinalIgnoreCase);

    public static bool IsWellFormed(string id) => WellFormed().IsMatch(id);

    /// <summary>The source a well-formed id belongs to, from its prefix; null when the id is not well formed.</summary>
    public static string? SourceOf(string id)
    {
        if (!IsWellFormed(id)) return null;
        if (id.StartsWith("AC-", StringComparison.Ordinal)) return "appendix-ac";
        if (id.StartsWith('F')) return "section-f";
        return "ppc";
    }

    /// <summary><c>AC-5.7(c)(i)</c> → <c>AC-5.7(c)</c> → <c>AC-5.7</c> → null.</summary>
    public static string? ParentOf(string id)
    {
        if (!id.EndsWith(')')) return null;
        var open = id.LastIndexOf('(');
        return open > 0 ? id[..open] : null;
    }

    public static IEnumerable<string> AncestorsOf(string id)
    {
        for (var parent = ParentOf(id); parent is not null; parent = ParentOf(parent))
            yield return parent;
    }

    /// <summary>
    /// Whether a scenario tag is meant to cite a clause, well formed or not, so that a misspelt citation
    /// (<c>AC4.12</c>, <c>ac-4.12</c>, <c>F 2.14</c>) is reported instead of being taken for an ordinary tag.
    /// </summary>
    public static bool LooksLikeClause(string tag) =>
        !GroupTags.Contains(tag) && (IsWellFormed(tag) || ClauseLike().IsMatch(tag));

    /// <summary>Folds case, spaces, dashes and underscores so a near-miss can be matched to the id it meant.</summary>
    public static string Fold(string tag) =>
        new(tag.Where(c => c is not ('-' or '_' or ' ' or '@')).Select(char.ToUpperInvariant).ToArray());

    [GeneratedRegex(@"^(?:AC-\d+\.\d+|F\d+\.\d+|H\d+(?:\.\d+)?|PPC-\d+\.\d+)(?:\([a-z]+\))*$")]
    private static partial Regex WellFormed();

    [GeneratedRegex(@"^@?(?:AC|F|H|PPC|EPC)[-_. ]?\d", RegexOptions.IgnoreCase)]
    private static partial Regex ClauseLike();
}
