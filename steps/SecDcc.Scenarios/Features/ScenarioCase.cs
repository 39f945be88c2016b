namespace SecDcc.Scenarios;

/// <summary>One step of a pickle, with the keyword it was written with (pickles of Gherkin 5 drop it).</summary>
public sealed record ScenarioStep(string Keyword, StepKind Kind, string Text, int Line, DataTable? Table, string? DocString);

/// <summary>
/// One runnable scenario (or one example row of an outline), or a feature file that could not be loaded and
/// must fail loudly rather than vanish. Carried as the single argument of an NUnit test case.
/// </summary>
public sealed class ScenarioCase
{
    /// <summary>Path relative to the features root, with '/' separators.</summary>
    public required string FeatureFile { get; init; }
    public required string FeatureName { get; init; }
    public string FeatureDescription { get; init; } = "";
    public required string Name { get; init; }
    public int Line { get; init; }
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The tags written on the Feature line, which every scenario of the file inherits.</summary>
    public IReadOnlyList<string> FeatureTags { get; init; } = [];
    public IReadOnlyList<ScenarioStep> Steps { get; init; } = [];

    /// <summary>Example-row values for an outline's row, header → cell.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Parameters { get; init; } = [];

    /// <summary>Set when this case stands for an error of the feature file itself (syntax, duplicate names).</summary>
    public string? LoadError { get; init; }

    /// <summary>Name unique within its feature, used for the NUnit test name.</summary>
    public string DisplayName { get; init; } = "";

    public bool HasTag(string tag) => Tags.Contains(tag.TrimStart('@'), StringComparer.OrdinalIgnoreCase);

    public override string ToString() => DisplayName.Length > 0 ? DisplayName : Name;
}

/// <summary>A feature file as loaded: its scenarios, or the error that stopped it loading.</summary>
public sealed record FeatureFileCases(string FeatureFile, string FeatureName, IReadOnlyList<string> Tags, IReadOnlyList<ScenarioCase> Cases);
