using System.Text;
using System.Text.RegularExpressions;
using SecDcc.Docker.Engine;

namespace SecDcc.Docker.Build;

/// <summary>
/// The subset of Docker's .dockerignore rules that SecDcc contexts need, matched the way the Docker CLI does:
/// <list type="bullet">
/// <item>one pattern a line; blank lines and lines starting with # are skipped; surrounding spaces are trimmed;</item>
/// <item>paths are relative to the context root with / separators; a leading / or ./ and a trailing / are dropped;</item>
/// <item><c>*</c> matches any run of characters except /, <c>?</c> one character except /,
/// <c>**</c> any number of whole path segments (none included), <c>\</c> takes the next character literally;</item>
/// <item>a pattern that matches a directory excludes everything under it;</item>
/// <item><c>!pattern</c> re-includes what an earlier line excluded; the last line that matches a path decides.</item>
/// </list>
/// Character classes (<c>[a-z]</c>) are not supported and are refused with the line number, rather than matched
/// differently from Docker.
/// </summary>
public sealed partial class DockerIgnore
{
    public const string FileName = ".dockerignore";

    private readonly IReadOnlyList<Rule> _rules;

    private DockerIgnore(IReadOnlyList<Rule> rules) => _rules = rules;

    public static DockerIgnore Empty { get; } = new([]);

    public bool HasNegations => _rules.Any(r => r.Negate);

    /// <summary>Reads <c>.dockerignore</c> at the root of <paramref name="contextDirectory"/>; no file means nothing is ignored.</summary>
    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, FileName);
        return File.Exists(path) ? Parse(File.ReadAllText(path), path) : Empty;
    }

    public static DockerIgnore Parse(string text, string source = FileName)
    {
        var rules = new List<Rule>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var negate = line[0] == '!';
            var pattern = Clean(negate ? line[1..].Trim() : line);
            if (pattern.Length == 0)
            {
                continue;
            }

            rules.Add(new Rule(ToRegex(pattern, source, lineNumber), negate, lineNumber, line));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>True when the path (relative to the context root, / separated) is left out of the context.</summary>
    public bool IsExcluded(string relativePath)
    {
        var path = Clean(relativePath);
        var excluded = false;
        foreach (var rule in _rules)
        {
            if (rule.Matches(path))
            {
                excluded = !rule.Negate;
            }
        }

        return excluded;
    }

    private static string Clean(string path)
    {
        // A backslash is an escape in patterns and an ordinary character in Linux names, never a separator.
        var p = path;
        while (p.StartsWith("./", StringComparison.Ordinal))
        {
            p = p[2..];
        }

        p = p.Trim('/');
        p = MultipleSlashes().Replace(p, "/");
        return p == "." ? string.Empty : p;
    }

    private static Regex ToRegex(string pattern, string source, int lineNumber)
    {
        var regex = new StringBuilder("^");
        var segments = pattern.Split('/');
        for (var s = 0; s < segments.Length; s++)
        {
            var segment = segments[s];
            var last = s == segments.Length - 1;
            if (segment == "**")
            {
                // Zero or more whole segments, with the separator that joins them to the next one.
                regex.Append(last ? ".*" : "(?:[^/]+/)*");
                continue;
            }

            for (var i = 0; i < segment.Length; i++)
            {
                var c = segment[i];
                switch (c)
                {
                    case '*':
                        regex.Append("[^/]*");
                        break;
                    case '?':
                        regex.Append("[^/]");
                        break;
                    case '\\' when i + 1 < segment.Length:
                        regex.Append(Regex.Escape(segment[++i].ToString()));
                        break;
                    case '[':
                        throw new DockerContextException(
                            $"{source}:{lineNumber}: character classes like '[…]' are not supported in '{pattern}' — " +
                            "list the names with one line each, or use * and ?");
                    default:
                        regex.Append(Regex.Escape(c.ToString()));
                        break;
                }
            }

            if (!last)
            {
                regex.Append('/');
            }
        }

        regex.Append('$');
        return new Regex(regex.ToString(), RegexOptions.CultureInvariant);
    }

    [GeneratedRegex("/{2,}")]
    private static partial Regex MultipleSlashes();

    private sealed record Rule(Regex Pattern, bool Negate, int Line, string Text)
    {
        // Docker's rule: a pattern excludes a path when it matches the path or any directory above it.
        public bool Matches(string path)
        {
            if (Pattern.IsMatch(path))
            {
                return true;
            }

            for (var slash = path.IndexOf('/'); slash >= 0; slash = path.IndexOf('/', slash + 1))
            {
                if (Pattern.IsMatch(path[..slash]))
                {
                    return true;
                }
            }

            return false;
        }
    }
}

/// <summary>A build context that cannot be assembled: a bad .dockerignore line, a missing source, a clash of paths.</summary>
public sealed class DockerContextException : DockerException
{
    public DockerContextException(string message, Exception? inner = null) : base(message, inner) { }
}
