using System.Text;
using System.Text.RegularExpressions;

namespace SecDcc.Scenarios;

/// <summary>A step definition's pattern compiled to an anchored regular expression.</summary>
public static partial class StepPattern
{
    private static readonly Dictionary<string, string> Placeholders = new()
    {
        ["{int}"] = @"(-?\d+)",
        ["{float}"] = @"(-?\d*\.?\d+)",
        ["{word}"] = @"([^\s]+)",
        ["{string}"] = "\"([^\"]*)\"",
        ["{}"] = "(.*)",
    };

    public static bool IsCucumberExpression(string pattern) => PlaceholderRegex().IsMatch(pattern);

    /// <summary>
    /// Cucumber expressions ({int}, {string}…) are literal text around placeholders; anything else is a regular
    /// expression. Both match the whole step text.
    /// </summary>
    public static Regex Compile(string pattern)
    {
        string body;
        if (IsCucumberExpression(pattern))
        {
            var sb = new StringBuilder();
            var last = 0;
            foreach (Match m in PlaceholderRegex().Matches(pattern))
            {
                sb.Append(Regex.Escape(pattern[last..m.Index]));
                sb.Append(Placeholders[m.Value]);
                last = m.Index + m.Length;
            }
            sb.Append(Regex.Escape(pattern[last..]));
            body = sb.ToString();
        }
        else
        {
            body = pattern.TrimStart('^').TrimEnd('$');
        }
        return new Regex("^" + body + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    /// <summary>A Cucumber expression for an undefined step: quoted text becomes {string}, whole numbers {int}.</summary>
    public static (string Expression, List<string> ParameterTypes) Suggest(string stepText)
    {
        var types = new List<string>();
        var expression = SuggestRegex().Replace(stepText, m =>
        {
            if (m.Groups["str"].Success) { types.Add("string"); return "{string}"; }
            types.Add(m.Value.Contains('.') ? "decimal" : "int");
            return m.Value.Contains('.') ? "{float}" : "{int}";
        });
        return (expression, types);
    }

    [GeneratedRegex(@"\{(int|float|word|string)?\}")]
    private static partial Regex PlaceholderRegex();

    [GeneratedRegex("(?<str>\"[^\"]*\")|(?<![\\w.-])-?\\d+(\\.\\d+)?(?![\\w.-])")]
    private static partial Regex SuggestRegex();
}
