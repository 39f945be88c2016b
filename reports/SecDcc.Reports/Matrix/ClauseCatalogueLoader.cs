using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Reports.Matrix;

/// <summary>
/// Reads features/clauses.yaml. Every problem is collected with its file, line, column and field, and all of
/// them are thrown together in one <see cref="CatalogueException"/>, so a broken file is fixed in one pass.
/// </summary>
public static class ClauseCatalogueLoader
{
    /// <summary>Whom a clause may name as bound by it; a closed list so a misspelling is caught.</summary>
    public static IReadOnlySet<string> KnownParties { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "DCC", "Panel", "Security Sub-Committee", "Authority", "Party", "User", "Other User", "Supplier Party",
        "Responsible Supplier", "Lead Supplier", "Electricity Distributor", "Gas Transporter", "Manufacturer",
        "Testing Participant",
    };

    private static readonly string[] ClauseFields = ["id", "source", "title", "testable", "why", "who", "note", "oneSided"];

    public static async Task<ClauseCatalogue> LoadAsync(string path, CancellationToken cancellationToken)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException(
                $"Clause catalogue not found: {Path.GetFullPath(path)}. Pass the path of features/clauses.yaml.", path);
        var text = await File.ReadAllTextAsync(path, cancellationToken);
        return Parse(text, path);
    }

    public static ClauseCatalogue Parse(string yaml, string fileName)
    {
        var problems = new List<CatalogueProblem>();
        var root = ReadRoot(yaml, fileName, problems);
        if (root is null) throw new CatalogueException(problems);

        var reader = new Reader(fileName, problems);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        YamlSequenceNode? clauseNodes = null;
        foreach (var (keyNode, value) in root.Children)
        {
            var key = KeyName(keyNode);
            switch (key)
            {
                case "sources": ReadSources(reader, value, sources); break;
                case "clauses":
                    clauseNodes = value as YamlSequenceNode;
                    if (clauseNodes is null) reader.Problem(value, "clauses", "must be a list of clauses (each item starting with '- id: ...').");
                    break;
                default: reader.Problem(keyNode, key, "unknown top-level field; expected 'sources' and 'clauses'."); break;
            }
        }
        if (sources.Count == 0) reader.Problem(root, "sources", "missing or empty; list each source key with its title, e.g. 'appendix-ac: SEC Appendix AC'.");
        if (clauseNodes is null)
        {
            if (!root.Children.ContainsKey("clauses")) reader.Problem(root, "clauses", "missing; the catalogue has no clauses.");
            throw new CatalogueException(problems);
        }

        var clauses = new List<Clause>();
        var firstSeen = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var item in clauseNodes.Children)
        {
            if (ReadClause(reader, item, sources) is not { } read) continue;
            var (clause, idNode) = read;
            if (firstSeen.TryGetValue(clause.Id, out var first))
            {
                reader.Problem(idNode, "id", $"duplicate id '{clause.Id}'; it is already defined at line {first.Start.Line}.");
                continue;
            }
            firstSeen[clause.Id] = idNode;
            clauses.Add(clause);
        }

        foreach (var clause in clauses)
            if (clause.ParentId is { } parent && !firstSeen.ContainsKey(parent))
                reader.Problem(firstSeen[clause.Id], "id", $"sub-clause '{clause.Id}' has no parent entry '{parent}'; add '{parent}' so its coverage can roll up.");

        if (problems.Count > 0) throw new CatalogueException(problems);
        return new ClauseCatalogue(sources, clauses);
    }

    private static YamlMappingNode? ReadRoot(string yaml, string fileName, List<CatalogueProblem> problems)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            var message = e.InnerException is { } inner ? $"{e.Message} ({inner.Message})" : e.Message;
            problems.Add(new CatalogueProblem(fileName, (int)e.Start.Line, (int)e.Start.Column, "yaml", $"not valid YAML: {message}"));
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add(new CatalogueProblem(fileName, 1, 1, "yaml",
                "the catalogue must be a mapping with 'sources' and 'clauses'."));
            return null;
        }
        return root;
    }

    private static void ReadSources(Reader reader, YamlNode node, Dictionary<string, string> sources)
    {
        if (node is not YamlMappingNode map)
        {
            reader.Problem(node, "sources", "must map each source key to its title, e.g. 'appendix-ac: SEC Appendix AC'.");
            return;
        }
        foreach (var (key, value) in map.Children)
        {
            var name = KeyName(key);
            if (reader.Text(value, $"sources.{name}") is { } title) sources[name] = title;
        }
    }

    private static (Clause Clause, YamlNode IdNode)? ReadClause(Reader reader, YamlNode item, IReadOnlyDictionary<string, string> sources)
    {
        if (item is not YamlMappingNode map)
        {
            reader.Problem(item, "clause", "each item under 'clauses' must be a mapping with id, source, title, testable and who.");
            return null;
        }
        foreach (var key in map.Children.Keys)
        {
            var name = KeyName(key);
            if (!ClauseFields.Contains(name))
                reader.Problem(key, name, $"unknown field; a clause has {string.Join(", ", ClauseFields)}.");
        }

        var idNode = reader.Required(map, "id");
        var id = idNode is null ? null : reader.Text(idNode, "id");
        var label = id ?? $"clause at line {map.Start.Line}";
        if (id is not null && !ClauseIds.IsWellFormed(id))
        {
            reader.Problem(idNode!, "id", $"'{id}' is not a clause id; write it as AC-4.12, AC-4.12(a), F2.14, H5 or PPC-6.13.");
            id = null;
        }

        var sourceNode = reader.Required(map, "source");
        var source = sourceNode is null ? null : reader.Text(sourceNode, "source");
        if (source is not null && sourceNode is not null)
        {
            if (!sources.ContainsKey(source))
                reader.Problem(sourceNode, "source", $"{label}: unknown source '{source}'; use one of {string.Join(", ", sources.Keys)}.");
            else if (id is not null && ClauseIds.SourceOf(id) is { } expected && expected != source)
                reader.Problem(sourceNode, "source", $"{label}: an id like '{id}' belongs to source '{expected}', not '{source}'.");
        }

        var titleNode = reader.Required(map, "title");
        var title = titleNode is null ? null : reader.Text(titleNode, "title");

        var testableNode = reader.Required(map, "testable");
        bool? testable = null;
        if (testableNode is not null)
        {
            testable = (testableNode as YamlScalarNode)?.Value switch { "true" => true, "false" => false, _ => null };
            if (testable is null)
                reader.Problem(testableNode, "testable", $"{label}: must be true or false, got '{(testableNode as YamlScalarNode)?.Value ?? testableNode.NodeType.ToString()}'.");
        }

        string? why = null;
        if (map.Children.TryGetValue("why", out var whyNode)) why = reader.Text(whyNode, "why");
        if (testable == false && why is null && whyNode is null)
            reader.Problem(map, "why", $"{label}: a clause that is not testable needs 'why' (e.g. 'a duty of the Panel with no effect on the DCC').");
        if (testable == true && whyNode is not null)
            reader.Problem(whyNode, "why", $"{label}: 'why' is only for clauses that are not testable; remove it or set testable: false.");

        var who = ReadWho(reader, map, label, testable);

        string? note = null;
        if (map.Children.TryGetValue("note", out var noteNode)) note = reader.Text(noteNode, "note");

        string? oneSided = null;
        if (map.Children.TryGetValue("oneSided", out var oneSidedNode))
        {
            oneSided = reader.Text(oneSidedNode, "oneSided");
            if (oneSided is "true" or "false" or "yes" or "no")
            {
                reader.Problem(oneSidedNode, "oneSided", $"{label}: give the reason one kind of scenario cannot exist (e.g. 'a DCC duty with no input a Party could get wrong'), not '{oneSided}'.");
                oneSided = null;
            }
            else if (testable == false)
                reader.Problem(oneSidedNode, "oneSided", $"{label}: 'oneSided' is only for testable clauses; remove it or set testable: true.");
        }

        if (id is null || source is null || title is null || testable is null || who is null) return null;
        return (new Clause(id, source, title, testable.Value, why, who, note, oneSided), idNode!);
    }

    private static IReadOnlyList<string>? ReadWho(Reader reader, YamlMappingNode map, string label, bool? testable)
    {
        var node = reader.Required(map, "who");
        if (node is null) return null;
        if (node is not YamlSequenceNode list)
        {
            reader.Problem(node, "who", $"{label}: must be a list, e.g. [DCC] or [Responsible Supplier, DCC].");
            return null;
        }
        var who = new List<string>();
        foreach (var entry in list.Children)
        {
            var name = reader.Text(entry, "who");
            if (name is null) continue;
            if (!KnownParties.Contains(name))
                reader.Problem(entry, "who", $"{label}: unknown party '{name}'; use one of {string.Join(", ", KnownParties)}.");
            else who.Add(name);
        }
        if (list.Children.Count == 0 && testable == true)
            reader.Problem(node, "who", $"{label}: a testable clause must name whom it binds.");
        return who;
    }

    private static string KeyName(YamlNode key) => (key as YamlScalarNode)?.Value ?? key.ToString();

    private sealed class Reader(string fileName, List<CatalogueProblem> problems)
    {
        public void Problem(YamlNode node, string field, string message) =>
            problems.Add(new CatalogueProblem(fileName, (int)node.Start.Line, (int)node.Start.Column, field, message));

        public YamlNode? Required(YamlMappingNode map, string field)
        {
            if (map.Children.TryGetValue(field, out var node)) return node;
            var id = map.Children.TryGetValue("id", out var idNode) && idNode is YamlScalarNode s ? s.Value : null;
            Problem(map, field, $"{(id is null ? "clause" : id)}: missing required field '{field}'.");
            return null;
        }

        public string? Text(YamlNode node, string field)
        {
            if (node is YamlScalarNode { Value: { } value } && value.Trim().Length > 0) return value.Trim();
            Problem(node, field, node is YamlScalarNode ? "must not be empty." : "must be a single line of text.");
            return null;
        }
    }
}
