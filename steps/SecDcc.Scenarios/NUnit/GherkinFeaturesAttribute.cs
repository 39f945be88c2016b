using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using NUnit.Framework.Internal.Builders;

namespace SecDcc.Scenarios;

/// <summary>
/// Put on a class deriving from <see cref="ScenarioFixture"/>: every feature file under the features root becomes
/// an NUnit fixture named after the feature, and every scenario (or example row) one test case in it. Tags become
/// categories (<c>dotnet test --filter TestCategory=AC-4.12</c>); file and line become properties.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class GherkinFeaturesAttribute : NUnitAttribute, IFixtureBuilder2
{
    public const string FeatureFileProperty = "FeatureFile";
    public const string FeatureLineProperty = "FeatureLine";

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo) => BuildFrom(typeInfo, AllowAll.Instance);

    public IEnumerable<TestSuite> BuildFrom(ITypeInfo typeInfo, IPreFilter filter)
    {
        var runMethod = typeInfo.GetMethods(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance)
            .Single(m => m.Name == nameof(ScenarioFixture.RunScenario));
        var root = ScenarioRuntime.ResolveFeaturesRoot(typeInfo.Assembly);
        IReadOnlyList<FeatureFileCases> features;
        try
        {
            features = FeatureLoader.LoadDirectory(root);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            var broken = new TestFixture(typeInfo, e);
            broken.MakeInvalid(e, $"Cannot read the feature files at '{root}': {e.Message}");
            return [broken];
        }

        var suites = new List<TestSuite>();
        foreach (var feature in features)
        {
            var fixture = new NUnitTestFixtureBuilder().BuildFrom(typeInfo, filter,
                new TestFixtureParameters([]) { TestName = FixtureName(feature) });
            fixture.Properties.Set(FeatureFileProperty, feature.FeatureFile);
            foreach (var scenario in feature.Cases)
            {
                var parameters = new TestCaseParameters([scenario]) { TestName = scenario.DisplayName };
                foreach (var tag in scenario.Tags) parameters.Properties.Add(PropertyNames.Category, tag);
                parameters.Properties.Set(FeatureFileProperty, scenario.FeatureFile);
                parameters.Properties.Set(FeatureLineProperty, scenario.Line);
                fixture.Add(new NUnitTestCaseBuilder().BuildTestMethod(runMethod, fixture, parameters));
            }
            suites.Add(fixture);
        }
        return suites;
    }

    // The file path keeps two features with the same title apart; NUnit splits names on '.', so dots go.
    private static string FixtureName(FeatureFileCases feature) =>
        $"{feature.FeatureName} [{feature.FeatureFile.Replace(".feature", "").Replace('.', '_')}]";
}

internal sealed class AllowAll : IPreFilter
{
    public static readonly AllowAll Instance = new();
    public bool IsMatch(Type type) => true;
    public bool IsMatch(Type type, System.Reflection.MethodInfo method) => true;
}

/// <summary>Base of the class that hosts scenarios; NUnit calls <see cref="RunScenario"/> once per test case.</summary>
public abstract class ScenarioFixture
{
    public async Task RunScenario(ScenarioCase scenario)
    {
        var runtime = ScenarioRuntime.For(GetType().Assembly);
        var result = await runtime.RunAsync(scenario, TestContext.CurrentContext.CancellationToken);
        NUnitOutcome.Apply(result);
    }
}

/// <summary>
/// Declare <c>[SetUpFixture] public sealed class TestRun : ScenarioTestRun;</c> in the namespace of the
/// scenario fixture so AfterTestRun hooks run and the run-level report files are written.
/// </summary>
public abstract class ScenarioTestRun
{
    [OneTimeTearDown]
    public Task FinishRun() => ScenarioRuntime.For(GetType().Assembly).FinishAsync();
}

/// <summary>The one place where scenario outcomes become NUnit outcomes.</summary>
public static class NUnitOutcome
{
    public static void Apply(ScenarioResult result)
    {
        TestContext.Out.WriteLine(result.Describe());
        var message = AllureScenarioReporter.Message(result.Status, result.Message);
        switch (result.Status)
        {
            case StepStatus.Passed:
                return;
            case StepStatus.Pending or StepStatus.Ignored or StepStatus.Skipped:
                Assert.Ignore(message);
                return;
            default:
                throw new AssertionException(message + (result.Error?.StackTrace is { } trace ? Environment.NewLine + trace : ""));
        }
    }
}
