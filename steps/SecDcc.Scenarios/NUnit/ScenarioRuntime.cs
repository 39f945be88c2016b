using System.Collections.Concurrent;
using System.Reflection;
using SecDcc.Reports.Allure;

namespace SecDcc.Scenarios;

/// <summary>
/// The per-assembly state of a scenario run: bindings, the test-run context, the Allure writer, and the
/// once-only BeforeTestRun / AfterTestRun hooks. Shared by the NUnit host and the secdcc command.
/// </summary>
public sealed class ScenarioRuntime
{
    private static readonly ConcurrentDictionary<Assembly, ScenarioRuntime> Runtimes = new();
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private Task? _started;
    private int _finished;

    public ScenarioRuntime(BindingRegistry registry, string featuresRoot, string? allureResults)
    {
        Registry = registry;
        FeaturesRoot = featuresRoot;
        Sources = SourceCatalogue.Load(featuresRoot);
        if (allureResults is not null)
            Allure = new AllureScenarioReporter(new AllureResultsWriter(allureResults), Sources);
        Executor = new ScenarioExecutor(registry, TestRun);
    }

    public BindingRegistry Registry { get; }
    public string FeaturesRoot { get; }
    public SourceCatalogue Sources { get; }
    public TestRunContext TestRun { get; } = new();
    public AllureScenarioReporter? Allure { get; }
    public ScenarioExecutor Executor { get; }
    public List<ScenarioResult> Results { get; } = [];

    /// <summary>Raised after each scenario, for progress displays.</summary>
    public event Action<ScenarioResult>? ScenarioFinished;

    public static ScenarioRuntime For(Assembly assembly) => Runtimes.GetOrAdd(assembly, Create);

    public static string ResolveFeaturesRoot(Assembly assembly, string relative = "features")
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("SECDCC_FEATURES");
        if (!string.IsNullOrEmpty(fromEnvironment)) return Path.GetFullPath(fromEnvironment);
        var attribute = assembly.GetCustomAttribute<FeaturesDirectoryAttribute>();
        return Path.Combine(AppContext.BaseDirectory, attribute?.Path ?? relative);
    }

    private static ScenarioRuntime Create(Assembly assembly)
    {
        var attribute = assembly.GetCustomAttribute<AllureResultsDirectoryAttribute>();
        var allure = attribute is not null
            ? attribute.Path is null ? null : Path.Combine(AppContext.BaseDirectory, attribute.Path)
            : Environment.GetEnvironmentVariable("SECDCC_ALLURE_RESULTS") is { Length: > 0 } env
                ? Path.GetFullPath(env)
                : Path.Combine(AppContext.BaseDirectory, "allure-results");
        return new ScenarioRuntime(BindingRegistry.FromAssemblies(assembly), ResolveFeaturesRoot(assembly), allure);
    }

    public async Task<ScenarioResult> RunAsync(ScenarioCase scenario, CancellationToken cancellationToken = default)
    {
        ScenarioResult result;
        try
        {
            await EnsureStartedAsync(cancellationToken);
            result = await Executor.RunAsync(scenario, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var inner = Outcomes.Unwrap(e);
            result = new ScenarioResult(scenario)
            {
                Status = Outcomes.Classify(inner) is StepStatus.Failed ? StepStatus.Error : Outcomes.Classify(inner),
                Error = inner,
                Message = $"[BeforeTestRun] failed, so no scenario can run: {inner.Message}",
                Stop = DateTimeOffset.UtcNow,
            };
            foreach (var step in scenario.Steps) result.Steps.Add(new StepRecord($"{step.Keyword} {step.Text}"));
        }
        Allure?.Write(result);
        lock (Results) Results.Add(result);
        ScenarioFinished?.Invoke(result);
        return result;
    }

    public async Task EnsureStartedAsync(CancellationToken cancellationToken)
    {
        if (_started is { IsCompletedSuccessfully: true }) return;
        await _startLock.WaitAsync(cancellationToken);
        try
        {
            // A failed BeforeTestRun is remembered, so every scenario reports it rather than retrying it.
            _started ??= RunTestRunHooks(HookKind.BeforeTestRun, cancellationToken);
        }
        finally
        {
            _startLock.Release();
        }
        await _started;
    }

    /// <summary>Runs AfterTestRun hooks, disposes run-wide objects and writes the report's run-level files.</summary>
    public async Task FinishAsync()
    {
        if (Interlocked.Exchange(ref _finished, 1) == 1) return;
        try
        {
            if (_started is not null) await RunTestRunHooks(HookKind.AfterTestRun, CancellationToken.None);
        }
        finally
        {
            await TestRun.DisposeAsync();
            WriteRunFiles();
        }
    }

    private void WriteRunFiles()
    {
        if (Allure is null) return;
        var environment = new Dictionary<string, string>(TestRun.Environment)
        {
            [".NET"] = Environment.Version.ToString(),
            ["OS"] = System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            ["Host"] = Environment.MachineName,
            ["Features"] = FeaturesRoot,
        };
        Allure.Writer.WriteEnvironment(environment);
        Allure.Writer.WriteCategories(AllureScenarioReporter.Categories);
        Allure.Writer.WriteExecutor(new AllureExecutor("SecDcc", Environment.GetEnvironmentVariable("CI") == "true" ? "ci" : "local")
        {
            BuildName = Environment.GetEnvironmentVariable("SECDCC_RUN_NAME") ?? $"SecDcc run {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm}Z",
            ReportName = "SecDcc conformance report",
        });
    }

    private async Task RunTestRunHooks(HookKind kind, CancellationToken cancellationToken)
    {
        foreach (var hook in Registry.HooksFor(kind, null))
        {
            var parameters = hook.Method.GetParameters().Select(p =>
                p.ParameterType == typeof(TestRunContext) ? TestRun
                : p.ParameterType == typeof(ScenarioRuntime) ? this
                : p.ParameterType == typeof(CancellationToken) ? (object)cancellationToken
                : throw new BindingConstructionException(
                    $"[{kind}] {hook.Method.DeclaringType?.Name}.{hook.Method.Name} may only take TestRunContext, ScenarioRuntime or CancellationToken.")).ToArray();
            var returned = hook.Method.Invoke(null, parameters);
            if (returned is Task t) await t;
            else if (returned is ValueTask v) await v;
        }
    }
}

/// <summary>Where this assembly's scenarios write Allure results, relative to the assembly; null turns it off.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class AllureResultsDirectoryAttribute(string? path) : Attribute
{
    public string? Path { get; } = path;
}

/// <summary>Where this assembly's feature files are, relative to the assembly (default "features").</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class FeaturesDirectoryAttribute(string path) : Attribute
{
    public string Path { get; } = path;
}
