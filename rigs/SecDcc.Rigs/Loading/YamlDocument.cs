using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace SecDcc.Rigs.Loading;

/// <summary>Collects the errors of one load, across the rig file and the model files it names.</summary>
internal sealed class ErrorSink
{
    private readonly List<RigFileError> _errors = [];

    public IReadOnlyList<RigFileError> Errors => _errors;

    public bool Any => _errors.Count > 0;

    public void Add(string file, Mark mark, string field, string message) =>
        _errors.Add(new RigFileError(file, (int)mark.Line, (int)mark.Column, field, message));

    public void ThrowIfAny()
    {
        if (_errors.Count > 0)
        {
            throw new RigFileException(_errors.OrderBy(e => e.File, StringComparer.Ordinal).ThenBy(e => e.Line).ThenBy(e => e.Column).ToArray());
        }
    }
}

/// <summary>Parses a YAML file into nodes that remember where they were, reporting syntax errors with their position.</summary>
internal static class YamlDocument
{
    public static YamlNode? Parse(string displayPath, string text, ErrorSink errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            errors.Add(displayPath, e.Start, "(syntax)", $"{Clean(e)} — fix the YAML syntax (indentation, a missing ':' or an unclosed quote)");
            return null;
        }

        if (stream.Documents.Count != 1)
        {
            errors.Add(displayPath, Mark.Empty, "(file)", stream.Documents.Count == 0 ? "the file is empty" : "the file holds more than one YAML document; keep one per file");
            return null;
        }

        return stream.Documents[0].RootNode;
    }

    private static string Clean(YamlException e)
    {
        // YamlDotNet prefixes its own position ("(Line: 3, Col: 5, Idx: ...) - (...): "); ours is already in front.
        var message = e.InnerException?.Message ?? e.Message;
        var at = message.LastIndexOf("): ", StringComparison.Ordinal);
        return at >= 0 ? message[(at + 3)..] : message;
    }
}

/// <summary>
/// A mapping in a rig or model file, read field by field. Every accessor reports what it could not accept to the
/// <see cref="ErrorSink"/> (with the value's line and column) and returns null, so one load reports every problem.
/// </summary>
internal sealed class YamlMap
{
    private readonly YamlMappingNode _node;
    private readonly ErrorSink _errors;
    private readonly HashSet<string> _asked = [];

    private YamlMap(YamlMappingNode node, string file, string path, ErrorSink errors)
    {
        _node = node;
        File = file;
        Path = path;
        _errors = errors;
    }

    public string File { get; }

    public ErrorSink Errors => _errors;

    /// <summary>This mapping's field path, e.g. "devices[2]"; empty for the document root.</summary>
    public string Path { get; }

    public Mark Start => _node.Start;

    /// <summary>Reads <paramref name="node"/> as a mapping, or reports that it is not one.</summary>
    public static YamlMap? From(YamlNode? node, string file, string path, ErrorSink errors, string what)
    {
        if (node is YamlMappingNode mapping)
        {
            return new YamlMap(mapping, file, path, errors);
        }

        errors.Add(file, node?.Start ?? Mark.Empty, path.Length == 0 ? "(file)" : path, $"expected {what} (a mapping of 'field: value' lines), found {Describe(node)}");
        return null;
    }

    public string FieldPath(string key) => Path.Length == 0 ? key : $"{Path}.{key}";

    public void Error(YamlNode node, string key, string message) => _errors.Add(File, node.Start, FieldPath(key), message);

    public void Error(string key, string message) =>
        _errors.Add(File, Node(key)?.Start ?? _node.Start, FieldPath(key), message);

    /// <summary>The node under <paramref name="key"/>, or null when absent (or written as null).</summary>
    public YamlNode? Node(string key)
    {
        _asked.Add(key);
        if (!_node.Children.TryGetValue(new YamlScalarNode(key), out var value))
        {
            return null;
        }

        return value is YamlScalarNode { Style: ScalarStyle.Plain, Value: null or "" or "~" or "null" } ? null : value;
    }

    public YamlNode? RequiredNode(string key, string hint)
    {
        var node = Node(key);
        if (node is null)
        {
            _errors.Add(File, _node.Start, FieldPath(key), $"required field '{key}' is missing — {hint}");
        }

        return node;
    }

    public string? Scalar(string key, bool required, string hint)
    {
        var node = required ? RequiredNode(key, hint) : Node(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode scalar)
        {
            return scalar.Value;
        }

        Error(node, key, $"expected a single value, found {Describe(node)} — {hint}");
        return null;
    }

    public int? Integer(string key, bool required, string hint)
    {
        var text = Scalar(key, required, hint);
        if (text is null)
        {
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            return value;
        }

        Error(key, $"'{text}' is not a whole number — {hint}");
        return null;
    }

    /// <summary>Reports every key that no accessor asked for, naming the fields that are allowed.</summary>
    public void RejectUnknownFields()
    {
        foreach (var (keyNode, _) in _node.Children)
        {
            var key = (keyNode as YamlScalarNode)?.Value ?? "?";
            if (_asked.Contains(key))
            {
                continue;
            }

            var near = _asked.FirstOrDefault(k => string.Equals(k, key, StringComparison.OrdinalIgnoreCase) || Distance(k, key) <= 2);
            var suggestion = near is null ? string.Empty : $" — did you mean '{near}'?";
            _errors.Add(File, keyNode.Start, FieldPath(key), $"unknown field '{key}'{suggestion} (allowed here: {string.Join(", ", _asked)})");
        }
    }

    public static string Describe(YamlNode? node) => node switch
    {
        null => "nothing",
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        YamlScalarNode s => $"'{s.Value}'",
        _ => "something else",
    };

    private static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
            }
        }

        return d[a.Length, b.Length];
    }
}
