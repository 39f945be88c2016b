namespace SecDcc.Scenarios;

public enum StepStatus
{
    Passed,
    /// <summary>An assertion about the product did not hold: a product defect.</summary>
    Failed,
    /// <summary>The step threw something other than an assertion: a defect of the test code.</summary>
    Error,
    /// <summary>The bench did not answer (a port, a device, the DCC): neither product nor test defect.</summary>
    RigFault,
    Undefined,
    Ambiguous,
    BindingError,
    Pending,
    /// <summary>The step asked to skip the scenario (Assert.Ignore), e.g. for hardware this machine lacks.</summary>
    Ignored,
    /// <summary>Not run because an earlier step did not pass.</summary>
    Skipped,
}

public sealed record Attachment(string Name, byte[] Content, string MimeType);

/// <summary>A step, a hook or a sub-step as it ran.</summary>
public sealed class StepRecord(string name)
{
    public string Name { get; } = name;
    public StepStatus Status { get; set; } = StepStatus.Skipped;
    public Exception? Error { get; set; }
    public string? Message { get; set; }
    public DateTimeOffset Start { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset Stop { get; set; } = DateTimeOffset.UtcNow;
    public List<Attachment> Attachments { get; } = [];
    public List<StepRecord> Children { get; } = [];
    public StepBinding? Binding { get; set; }
}

public sealed class ScenarioResult(ScenarioCase scenario)
{
    public ScenarioCase Scenario { get; } = scenario;
    public StepStatus Status { get; set; } = StepStatus.Passed;
    public string? Message { get; set; }
    public Exception? Error { get; set; }
    public DateTimeOffset Start { get; set; } = DateTimeOffset.UtcNow;
    public DateTimeOffset Stop { get; set; }
    public List<StepRecord> BeforeHooks { get; } = [];
    public List<StepRecord> Steps { get; } = [];
    public List<StepRecord> AfterHooks { get; } = [];
    public List<Attachment> Attachments { get; } = [];

    /// <summary>A readable account of the run for test output and failure messages.</summary>
    public string Describe()
    {
        var lines = new List<string> { $"Scenario: {Scenario.DisplayName} ({Scenario.FeatureFile}:{Scenario.Line})" };
        foreach (var hook in BeforeHooks.Where(h => h.Status != StepStatus.Passed))
            lines.Add($"  [hook] {hook.Name} -> {hook.Status}");
        foreach (var step in Steps)
            lines.Add($"  {step.Name} -> {Label(step.Status)}{(step.Binding is null ? "" : $"  ({step.Binding.Method.DeclaringType?.Name}.{step.Binding.Method.Name})")}");
        foreach (var hook in AfterHooks.Where(h => h.Status != StepStatus.Passed))
            lines.Add($"  [hook] {hook.Name} -> {hook.Status}");
        if (Message is not null) { lines.Add(""); lines.Add(Message); }
        return string.Join(Environment.NewLine, lines);
    }

    private static string Label(StepStatus s) => s.ToString().ToLowerInvariant();
}

public static class Outcomes
{
    /// <summary>Which kind of outcome an exception from a step stands for.</summary>
    public static StepStatus Classify(Exception e)
    {
        e = Unwrap(e);
        var name = e.GetType().FullName ?? "";
        return e switch
        {
            PendingStepException => StepStatus.Pending,
            RigFaultException or TimeoutException or IOException or System.Net.Sockets.SocketException
                or System.Net.Http.HttpRequestException => StepStatus.RigFault,
            StepArgumentException or BindingConstructionException => StepStatus.BindingError,
            _ when name is "NUnit.Framework.IgnoreException" or "NUnit.Framework.InconclusiveException" => StepStatus.Ignored,
            _ when name.EndsWith("AssertionException", StringComparison.Ordinal)
                   || name is "NUnit.Framework.MultipleAssertException" => StepStatus.Failed,
            _ => StepStatus.Error,
        };
    }

    public static Exception Unwrap(Exception e)
    {
        while (e is System.Reflection.TargetInvocationException { InnerException: { } inner }) e = inner;
        while (e is AggregateException { InnerExceptions.Count: 1 } a) e = a.InnerExceptions[0];
        return e;
    }
}
