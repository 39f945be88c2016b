using Gherkin;
using Gherkin.Ast;
using Gherkin.Pickles;

namespace SecDcc.Scenarios;

/// <summary>
/// Parses every <c>*.feature</c> under a root and compiles it to <see cref="ScenarioCase"/>s. A file that does
/// not parse becomes one failing case carrying file:line:column, so it can never drop out of a run unseen.
/// </summary>
public static class FeatureLoader
{
    public static IReadOnlyList<FeatureFileCases> LoadDirectory(string root)
    {
        if (!Directory.Exists(root))
            throw new DirectoryNotFoundException(
                $"Feature directory '{root}' does not exist. Set SECDCC_FEATURES or copy the features/ folder beside the test assembly.");
        return Directory.EnumerateFiles(root, "*.feature", SearchOption.AllDirectories)
            .Order(StringComparer.Ordinal)
            .Select(path => LoadFile(path, Path.GetRelativePath(root, path).Replace('\\', '/')))
            .ToList();
    }

    public static FeatureFileCases LoadFile(string path, string relativePath) =>
        LoadText(File.ReadAllText(path), relativePath);

    public static FeatureFileCases LoadText(string text, string relativePath)
    {
        GherkinDocument document;
        try
        {
            document = new Parser().Parse(new StringReader(text));
        }
        catch (CompositeParserException e)
        {
            return Broken(relativePath, string.Join(Environment.NewLine,
                e.Errors.Select(x => $"{relativePath}:{x.Location.Line}:{x.Location.Column}: {StripLocation(x.Message)}")));
        }
        catch (ParserException e)
        {
            return Broken(relativePath, $"{relativePath}:{e.Location.Line}:{e.Location.Column}: {StripLocation(e.Message)}");
        }

        if (document.Feature is null)
            return Broken(relativePath, $"{relativePath}:1:1: the file has no 'Feature:' line");

        var feature = document.Feature;
        var keywords = IndexStepKeywords(feature);
        var examples = IndexExampleRows(feature);
        var featureTags = feature.Tags.Select(t => t.Name.TrimStart('@')).ToList();
        var cases = new List<ScenarioCase>();
        foreach (var pickle in new Compiler().Compile(document))
        {
            var locations = pickle.Locations.ToList();
            var scenarioLine = locations[^1].Line;
            var rowLine = locations.Count > 1 ? locations[0].Line : (int?)null;
            cases.Add(new ScenarioCase
            {
                FeatureFile = relativePath,
                FeatureName = feature.Name,
                FeatureDescription = feature.Description?.Trim() ?? "",
                Name = pickle.Name,
                Line = rowLine ?? scenarioLine,
                Tags = pickle.Tags.Select(t => t.Name.TrimStart('@')).Distinct(StringComparer.Ordinal).ToList(),
                FeatureTags = featureTags,
                Steps = BuildSteps(pickle, keywords),
                Parameters = rowLine is { } r && examples.TryGetValue(r, out var row) ? row : [],
            });
        }

        return new FeatureFileCases(relativePath, feature.Name, featureTags, Disambiguate(relativePath, cases));
    }

    private static List<ScenarioStep> BuildSteps(Pickle pickle, Dictionary<int, string> keywords)
    {
        var steps = new List<ScenarioStep>();
        var previous = StepKind.Given;
        foreach (var step in pickle.Steps)
        {
            var line = step.Locations.Last().Line;
            var keyword = keywords.TryGetValue(line, out var k) ? k : "* ";
            // 'And', 'But' and '*' take the kind of the step before them, as in Cucumber and Reqnroll.
            var kind = keyword.Trim() switch
            {
                "Given" => StepKind.Given,
                "When" => StepKind.When,
                "Then" => StepKind.Then,
                _ => previous,
            };
            previous = kind;
            DataTable? table = null;
            string? doc = null;
            foreach (var argument in step.Arguments)
            {
                if (argument is PickleTable t)
                    table = new DataTable(t.Rows.Select(r => (IReadOnlyList<string>)r.Cells.Select(c => c.Value).ToList()).ToList());
                else if (argument is PickleString s)
                    doc = s.Content;
            }
            steps.Add(new ScenarioStep(keyword.Trim(), kind, step.Text, line, table, doc));
        }
        return steps;
    }

    private static Dictionary<int, string> IndexStepKeywords(Feature feature)
    {
        var map = new Dictionary<int, string>();
        foreach (var child in feature.Children)
            foreach (var step in child.Steps)
                map[step.Location.Line] = step.Keyword;
        return map;
    }

    private static Dictionary<int, IReadOnlyList<KeyValuePair<string, string>>> IndexExampleRows(Feature feature)
    {
        var map = new Dictionary<int, IReadOnlyList<KeyValuePair<string, string>>>();
        foreach (var outline in feature.Children.OfType<ScenarioOutline>())
            foreach (var example in outline.Examples)
            {
                if (example.TableHeader is null) continue;
                var header = example.TableHeader.Cells.Select(c => c.Value).ToList();
                foreach (var row in example.TableBody)
                    map[row.Location.Line] = header.Zip(row.Cells.Select(c => c.Value), KeyValuePair.Create).ToList();
            }
        return map;
    }

    /// <summary>
    /// NUnit needs a unique name per test, and two scenarios with one name in a feature are almost always a
    /// copy-paste slip: rows of an outline get their values appended, and true duplicates are reported as an
    /// extra failing case while both still run.
    /// </summary>
    private static List<ScenarioCase> Disambiguate(string file, List<ScenarioCase> cases)
    {
        var result = new List<ScenarioCase>();
        var byName = cases.GroupBy(c => c.Name, StringComparer.Ordinal).ToList();
        var duplicates = new List<string>();
        foreach (var group in byName)
        {
            var items = group.ToList();
            var distinctScenarios = items.Select(c => c.Parameters.Count == 0 ? c.Line : -1).Where(l => l >= 0).Distinct().Count();
            if (distinctScenarios > 1)
                duplicates.Add($"'{group.Key}' at lines {string.Join(", ", items.Where(c => c.Parameters.Count == 0).Select(c => c.Line))}");
            foreach (var c in items)
            {
                var name = c.Name;
                if (items.Count > 1)
                    name = c.Parameters.Count > 0
                        ? $"{c.Name} ({string.Join(", ", c.Parameters.Select(p => $"{p.Key}={p.Value}"))})"
                        : $"{c.Name} (line {c.Line})";
                result.Add(Clone(c, name));
            }
        }
        // Two example rows with identical values would still clash: fall back to the line number.
        var clashes = result.GroupBy(c => c.DisplayName).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        result = result.Select(c => clashes.Contains(c) ? Clone(c, $"{c.DisplayName} [line {c.Line}]") : c).ToList();
        if (duplicates.Count > 0)
            result.Add(new ScenarioCase
            {
                FeatureFile = file,
                FeatureName = cases[0].FeatureName,
                Name = "Duplicate scenario names",
                DisplayName = "Duplicate scenario names",
                Tags = cases[0].Tags,
                LoadError = $"{file}: duplicate scenario name(s) in one feature: {string.Join("; ", duplicates)}. Give each scenario its own name.",
            });
        return result;
    }

    private static ScenarioCase Clone(ScenarioCase c, string displayName) => new()
    {
        FeatureFile = c.FeatureFile, FeatureName = c.FeatureName, FeatureDescription = c.FeatureDescription,
        Name = c.Name, Line = c.Line, Tags = c.Tags, FeatureTags = c.FeatureTags, Steps = c.Steps, Parameters = c.Parameters,
        LoadError = c.LoadError, DisplayName = displayName,
    };

    private static FeatureFileCases Broken(string file, string error) =>
        new(file, file, [], [new ScenarioCase
        {
            FeatureFile = file, FeatureName = file, Name = "Feature file does not parse",
            DisplayName = "Feature file does not parse", LoadError = error, Line = 1,
        }]);

    // Gherkin prefixes its messages with "(line:col): "; we print our own file:line:col instead.
    private static string StripLocation(string message)
    {
        var m = System.Text.RegularExpressions.Regex.Match(message, @"^\(\d+:\d+\):\s*");
        return m.Success ? message[m.Length..] : message;
    }
}
