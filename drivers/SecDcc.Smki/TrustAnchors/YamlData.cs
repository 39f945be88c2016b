using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>Reads the small YAML files of rigs/trust-anchors, collecting every problem with its position.</summary>
internal sealed class YamlData
{
    private readonly List<string> _problems = [];

    private YamlData(string path) => Path = path;

    public string Path { get; }

    /// <summary>The root mapping of the file, or null (with the problem recorded).</summary>
    public static (YamlData Data, YamlMappingNode? Root) Open(string path)
    {
        var data = new YamlData(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            data._problems.Add($"{path}: cannot read the file: {e.Message}");
            return (data, null);
        }

        try
        {
            var stream = new YamlStream();
            stream.Load(new StringReader(text));
            if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            {
                data._problems.Add($"{path}: expected a YAML mapping at the top of the file");
                return (data, null);
            }

            return (data, root);
        }
        catch (YamlException e)
        {
            data._problems.Add($"{path}:{e.Start.Line}:{e.Start.Column}: not valid YAML: {e.Message}");
            return (data, null);
        }
    }

    public void Problem(YamlNode node, string message) => _problems.Add($"{Path}:{node.Start.Line}:{node.Start.Column}: {message}");

    public void ThrowIfAny()
    {
        if (_problems.Count > 0)
        {
            throw new TrustAnchorDataException(_problems);
        }
    }

    public YamlNode? Child(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var node) ? node : null;

    public string? Scalar(YamlMappingNode map, string key, bool required, string what)
    {
        switch (Child(map, key))
        {
            case null when required:
                Problem(map, $"'{key}' is missing: {what}");
                return null;
            case null:
                return null;
            case YamlScalarNode { Value: { Length: > 0 } value }:
                return value;
            case var other:
                Problem(other, $"'{key}' must be {what}");
                return null;
        }
    }

    public IEnumerable<T> Sequence<T>(YamlMappingNode map, string key, bool required, string what)
        where T : YamlNode
    {
        switch (Child(map, key))
        {
            case null when required:
                Problem(map, $"'{key}' is missing: {what}");
                return [];
            case null:
                return [];
            case YamlSequenceNode sequence:
                var items = new List<T>();
                foreach (var item in sequence)
                {
                    if (item is T typed)
                    {
                        items.Add(typed);
                    }
                    else
                    {
                        Problem(item, $"each entry of '{key}' must be {what}");
                    }
                }

                return items;
            case var other:
                Problem(other, $"'{key}' must be a list: {what}");
                return [];
        }
    }

    public IReadOnlyList<TrustAnchorCellId> Cells(YamlMappingNode map, string key, bool required)
    {
        var cells = new List<TrustAnchorCellId>();
        foreach (var node in Sequence<YamlScalarNode>(map, key, required, $"a Trust Anchor Cell, {TrustAnchorCellId.Grammar}"))
        {
            if (TrustAnchorCellId.TryParse(node.Value, out var cell, out var why))
            {
                if (cells.Contains(cell))
                {
                    Problem(node, $"cell {cell} is listed twice");
                }

                cells.Add(cell);
            }
            else
            {
                Problem(node, why);
            }
        }

        return cells;
    }
}
