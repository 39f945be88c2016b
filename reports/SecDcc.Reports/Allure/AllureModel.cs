using System.Text.Json.Serialization;

namespace SecDcc.Reports.Allure;

// The shapes of Allure 2/3 result files ("allure-results" format). Property names follow the format's JSON
// names through the camelCase policy of AllureJson; nothing here knows about Gherkin or NUnit.

public enum AllureStatus { Passed, Failed, Broken, Skipped, Unknown }

public sealed record AllureStatusDetails(string? Message, string? Trace = null)
{
    public bool Known { get; init; }
    public bool Muted { get; init; }
    public bool Flaky { get; init; }
}

public sealed record AllureLabel(string Name, string Value);

public sealed record AllureLink(string Name, string Url, string? Type = null);

public sealed record AllureParameter(string Name, string Value);

public sealed record AllureAttachment(string Name, string Source, string Type);

/// <summary>What a step and a test result share: a status, timings, nested steps and attachments.</summary>
public abstract class AllureExecutable
{
    public string Name { get; set; } = "";
    public AllureStatus Status { get; set; } = AllureStatus.Unknown;
    public AllureStatusDetails? StatusDetails { get; set; }
    public string Stage { get; set; } = "finished";
    public long Start { get; set; }
    public long Stop { get; set; }
    public List<AllureStep> Steps { get; set; } = [];
    public List<AllureAttachment> Attachments { get; set; } = [];
    public List<AllureParameter> Parameters { get; set; } = [];
}

public sealed class AllureStep : AllureExecutable;

public sealed class AllureResult : AllureExecutable
{
    public string Uuid { get; set; } = Guid.NewGuid().ToString();
    public string? HistoryId { get; set; }
    public string? TestCaseId { get; set; }
    public string? FullName { get; set; }
    public string? Description { get; set; }
    public List<AllureLabel> Labels { get; set; } = [];
    public List<AllureLink> Links { get; set; } = [];
}

/// <summary>A hook's run (before/after) as Allure's container files record it.</summary>
public sealed class AllureFixtureResult : AllureExecutable;

public sealed class AllureContainer
{
    public string Uuid { get; set; } = Guid.NewGuid().ToString();
    public string? Name { get; set; }
    public List<string> Children { get; set; } = [];
    public List<AllureFixtureResult> Befores { get; set; } = [];
    public List<AllureFixtureResult> Afters { get; set; } = [];
    public long Start { get; set; }
    public long Stop { get; set; }
}

/// <summary>An entry of categories.json: how Allure sorts failures into defect kinds.</summary>
public sealed record AllureCategory(string Name, IReadOnlyList<AllureStatus> MatchedStatuses)
{
    public string? MessageRegex { get; init; }
    public string? TraceRegex { get; init; }
}

public sealed record AllureExecutor(string Name, string Type)
{
    public string? BuildName { get; init; }
    public string? BuildUrl { get; init; }
    public string? ReportName { get; init; }
    [JsonPropertyName("buildOrder")] public long? BuildOrder { get; init; }
}
