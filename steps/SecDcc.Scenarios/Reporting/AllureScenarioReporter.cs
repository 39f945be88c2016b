using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using SecDcc.Reports.Allure;

namespace SecDcc.Scenarios;

/// <summary>
/// Turns a <see cref="ScenarioResult"/> into Allure files: a result with nested steps and attachments, and a
/// container for its hooks. Labels group the report source document → feature → clause.
/// </summary>
public sealed partial class AllureScenarioReporter(AllureResultsWriter writer, SourceCatalogue sources)
{
    /// <summary>Where a clause tag links to; {clause} is replaced. Points into the clause matrix beside the report.</summary>
    public string ClauseLinkTemplate { get; init; } =
        Environment.GetEnvironmentVariable("SECDCC_CLAUSE_LINK") ?? "clause-matrix.html#{clause}";

    public AllureResultsWriter Writer => writer;

    public static IReadOnlyList<AllureCategory> Categories { get; } =
    [
        new("Rig faults", [AllureStatus.Broken]) { MessageRegex = "(?s)Rig fault:.*" },
        new("Test defects", [AllureStatus.Broken]),
        new("Product defects", [AllureStatus.Failed]),
        new("Not run here", [AllureStatus.Skipped]),
    ];

    public static bool IsClauseTag(string tag) => ClauseTagRegex().IsMatch(tag);

    public AllureResult Write(ScenarioResult result)
    {
        var scenario = result.Scenario;
        var epic = sources.TitleFor(scenario.FeatureFile);
        var clauses = scenario.Tags.Where(IsClauseTag).ToList();
        // A feature's clause tags cover its whole group; the clause a scenario checks is the one written on it.
        var own = clauses.Except(scenario.FeatureTags, StringComparer.Ordinal).ToList();
        var stories = own.Count > 0 ? own : clauses;
        var allure = new AllureResult
        {
            Name = scenario.DisplayName.Length > 0 ? scenario.DisplayName : scenario.Name,
            FullName = $"{scenario.FeatureFile}:{scenario.Line}",
            HistoryId = Hash($"{scenario.FeatureFile}|{scenario.Name}|{string.Join(",", scenario.Parameters)}"),
            TestCaseId = Hash($"{scenario.FeatureFile}|{scenario.Name}"),
            Description = scenario.FeatureDescription.Length > 0 ? scenario.FeatureDescription : null,
            Status = Map(result.Status),
            StatusDetails = result.Status == StepStatus.Passed ? null : new AllureStatusDetails(Message(result.Status, result.Message), result.Error?.ToString()),
            Start = result.Start.ToUnixTimeMilliseconds(),
            Stop = result.Stop.ToUnixTimeMilliseconds(),
            Parameters = scenario.Parameters.Select(p => new AllureParameter(p.Key, p.Value)).ToList(),
            Steps = result.Steps.Select(MapStep).ToList(),
            Attachments = result.Attachments.Select(WriteAttachment).ToList(),
        };
        allure.Labels.Add(new("epic", epic));
        allure.Labels.Add(new("feature", scenario.FeatureName));
        allure.Labels.Add(new("parentSuite", epic));
        allure.Labels.Add(new("suite", scenario.FeatureName));
        foreach (var clause in stories) allure.Labels.Add(new("story", clause));
        if (stories.Count > 0) allure.Labels.Add(new("subSuite", string.Join(", ", stories)));
        foreach (var tag in scenario.Tags) allure.Labels.Add(new("tag", tag));
        allure.Labels.Add(new("framework", "SecDcc.Scenarios"));
        allure.Labels.Add(new("language", "csharp"));
        allure.Labels.Add(new("host", Environment.MachineName));
        allure.Labels.Add(new("package", Path.GetDirectoryName(scenario.FeatureFile)?.Replace('/', '.') ?? ""));
        foreach (var clause in clauses)
            allure.Links.Add(new AllureLink(clause, ClauseLinkTemplate.Replace("{clause}", Uri.EscapeDataString(clause)), "tms"));
        writer.WriteResult(allure);

        if (result.BeforeHooks.Count + result.AfterHooks.Count > 0)
            writer.WriteContainer(new AllureContainer
            {
                Name = allure.Name,
                Children = [allure.Uuid],
                Befores = result.BeforeHooks.Select(MapFixture).ToList(),
                Afters = result.AfterHooks.Select(MapFixture).ToList(),
                Start = allure.Start,
                Stop = allure.Stop,
            });
        return allure;
    }

    /// <summary>The first words of a status message say which kind of defect it is; categories.json keys on them.</summary>
    public static string Message(StepStatus status, string? message) => status switch
    {
        StepStatus.RigFault => "Rig fault: " + message,
        StepStatus.Undefined => "Undefined step. " + message,
        StepStatus.Ambiguous => "Ambiguous step. " + message,
        StepStatus.BindingError => "Binding error: " + message,
        StepStatus.Error => "Test code error: " + message,
        _ => message ?? status.ToString(),
    };

    public static AllureStatus Map(StepStatus status) => status switch
    {
        StepStatus.Passed => AllureStatus.Passed,
        StepStatus.Failed => AllureStatus.Failed,
        StepStatus.Pending or StepStatus.Ignored or StepStatus.Skipped => AllureStatus.Skipped,
        _ => AllureStatus.Broken,
    };

    private AllureStep MapStep(StepRecord record) => Fill(new AllureStep(), record);

    private AllureFixtureResult MapFixture(StepRecord record) => Fill(new AllureFixtureResult(), record);

    private T Fill<T>(T target, StepRecord record) where T : AllureExecutable
    {
        target.Name = record.Name;
        target.Status = Map(record.Status);
        target.StatusDetails = record.Status is StepStatus.Passed or StepStatus.Skipped
            ? null
            : new AllureStatusDetails(Message(record.Status, record.Message ?? record.Error?.Message), record.Error?.ToString());
        target.Start = record.Start.ToUnixTimeMilliseconds();
        target.Stop = record.Stop.ToUnixTimeMilliseconds();
        target.Steps = record.Children.Select(MapStep).ToList();
        target.Attachments = record.Attachments.Select(WriteAttachment).ToList();
        if (record.Binding is not null)
            target.Parameters.Add(new AllureParameter("binding", $"{record.Binding.Method.DeclaringType?.Name}.{record.Binding.Method.Name}"));
        return target;
    }

    private AllureAttachment WriteAttachment(Attachment a) => writer.WriteAttachment(a.Name, a.Content, a.MimeType);

    private static string Hash(string s) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(s)))[..32];

    [GeneratedRegex(@"^(AC-|F\d|H\d|PPC|EPC)")]
    private static partial Regex ClauseTagRegex();
}

/// <summary>
/// Names of the source documents, keyed by the first folder under features/ (read from features/sources.yaml:
/// one "folder: Title" per line), so the report's top level is the regulatory text a scenario comes from.
/// </summary>
public sealed class SourceCatalogue(IReadOnlyDictionary<string, string> titles)
{
    public static SourceCatalogue Load(string featuresRoot)
    {
        var path = Path.Combine(featuresRoot, "sources.yaml");
        var titles = new Dictionary<string, string>(StringComparer.Ordinal);
        if (File.Exists(path))
            foreach (var line in File.ReadAllLines(path))
            {
                var trimmed = line.Trim();
                if (trimmed.Length == 0 || trimmed.StartsWith('#')) continue;
                var colon = trimmed.IndexOf(':');
                if (colon > 0) titles[trimmed[..colon].Trim()] = trimmed[(colon + 1)..].Trim().Trim('"');
            }
        return new SourceCatalogue(titles);
    }

    public string TitleFor(string featureFile)
    {
        var folder = featureFile.Contains('/') ? featureFile[..featureFile.IndexOf('/')] : "";
        return titles.TryGetValue(folder, out var title) ? title : folder.Length > 0 ? folder : "Unsorted";
    }
}
