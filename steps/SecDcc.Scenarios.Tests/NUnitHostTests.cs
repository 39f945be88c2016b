using System.Text.Json;
using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;
using SecDcc.Reports.Allure;

namespace SecDcc.Scenarios.Tests;

/// <summary>How scenarios appear to NUnit, and what they leave in the Allure results.</summary>
public sealed class NUnitHostTests
{
    [Test]
    public void Each_feature_is_a_fixture_and_each_scenario_a_test_case_with_tags_as_categories()
    {
        var suites = new GherkinFeaturesAttribute().BuildFrom(new TypeWrapper(typeof(RuntimeScenarios))).ToList();
        var feature = suites.Single(s => s.Name.StartsWith("The runtime runs scenarios", StringComparison.Ordinal));
        var names = feature.Tests.Select(t => t.Name).ToList();
        Assert.That(names, Does.Contain("Adding two numbers"));
        Assert.That(names, Does.Contain("Adding rows of an outline (a=-4, b=9, sum=5)"));
        var adding = feature.Tests.Single(t => t.Name == "Adding two numbers");
        Assert.That(adding.Properties[PropertyNames.Category], Is.EquivalentTo(new[] { "runtime", "arithmetic", "AC-0.1" }));
        Assert.That(adding.Properties.Get(GherkinFeaturesAttribute.FeatureFileProperty), Is.EqualTo("runtime/passing.feature"));
        Assert.That(adding.Properties.Get(GherkinFeaturesAttribute.FeatureLineProperty), Is.EqualTo(9));
        Assert.That(adding.RunState, Is.EqualTo(RunState.Runnable));
    }

    [Test]
    public async Task A_scenario_leaves_an_allure_result_with_labels_nested_steps_attachments_and_a_hook_container()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-allure-" + Guid.NewGuid());
        try
        {
            var root = Path.Combine(AppContext.BaseDirectory, "cases");
            var runtime = new ScenarioRuntime(BindingRegistry.FromTypes([typeof(HookSteps), typeof(CalculatorSteps)]), root, dir);
            var scenario = FeatureLoader.LoadFile(Path.Combine(root, "hooks.feature"), "appendix-ac/hooks.feature").Cases[0];
            var result = await runtime.RunAsync(scenario);
            Assert.That(result.Status, Is.EqualTo(StepStatus.Passed), result.Describe());
            await runtime.FinishAsync();

            var resultFile = Directory.GetFiles(dir, "*-result.json").Single();
            using var json = JsonDocument.Parse(File.ReadAllText(resultFile));
            var r = json.RootElement;
            Assert.That(r.GetProperty("status").GetString(), Is.EqualTo("passed"));
            var labels = r.GetProperty("labels").EnumerateArray().Select(l => (l.GetProperty("name").GetString(), l.GetProperty("value").GetString())).ToList();
            Assert.That(labels, Does.Contain(("feature", "Hooks")));
            Assert.That(labels, Does.Contain(("epic", "appendix-ac")));
            Assert.That(labels, Does.Contain(("tag", "tagged")));
            var evidence = r.GetProperty("steps")[1];
            Assert.That(evidence.GetProperty("name").GetString(), Is.EqualTo("And evidence is attached"));
            var attachment = evidence.GetProperty("attachments")[0];
            Assert.That(attachment.GetProperty("type").GetString(), Is.EqualTo("application/xml"));
            Assert.That(File.ReadAllText(Path.Combine(dir, attachment.GetProperty("source").GetString()!)), Is.EqualTo("<Request/>"));
            var nested = evidence.GetProperty("steps")[0];
            Assert.That(nested.GetProperty("name").GetString(), Is.EqualTo("send the request"));
            Assert.That(File.ReadAllBytes(Path.Combine(dir, nested.GetProperty("attachments")[0].GetProperty("source").GetString()!)), Is.EqualTo(new byte[] { 1, 2, 3 }));

            var container = JsonDocument.Parse(File.ReadAllText(Directory.GetFiles(dir, "*-container.json").Single())).RootElement;
            Assert.That(container.GetProperty("children")[0].GetString(), Is.EqualTo(r.GetProperty("uuid").GetString()));
            Assert.That(container.GetProperty("befores").GetArrayLength(), Is.EqualTo(1));

            Assert.That(File.Exists(Path.Combine(dir, "environment.properties")), Is.True);
            var categories = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "categories.json"))).RootElement;
            Assert.That(categories.EnumerateArray().Select(c => c.GetProperty("name").GetString()),
                Is.EqualTo(new[] { "Rig faults", "Test defects", "Product defects", "Not run here" }));
            Assert.That(File.Exists(Path.Combine(dir, "executor.json")), Is.True);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task A_failure_records_its_message_and_trace_and_example_rows_become_parameters()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-allure-" + Guid.NewGuid());
        try
        {
            var root = Path.Combine(AppContext.BaseDirectory, "cases");
            // The runtime's root decides the source titles (features/sources.yaml), so point it at features/.
            var runtime = new ScenarioRuntime(BindingRegistry.FromTypes([typeof(CalculatorSteps), typeof(CalculatorAssertions)]),
                Path.Combine(AppContext.BaseDirectory, "features"), dir);
            var failing = FeatureLoader.LoadFile(Path.Combine(root, "failing.feature"), "failing.feature").Cases[0];
            await runtime.RunAsync(failing);
            var outline = FeatureLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "features", "runtime", "passing.feature"), "runtime/passing.feature")
                .Cases.First(c => c.Parameters.Count > 0);
            await runtime.RunAsync(outline);
            var results = Directory.GetFiles(dir, "*-result.json").Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement).ToList();
            var failed = results.Single(r => r.GetProperty("status").GetString() == "failed");
            Assert.That(failed.GetProperty("statusDetails").GetProperty("message").GetString(), Does.Contain("Expected: 3"));
            Assert.That(failed.GetProperty("statusDetails").GetProperty("trace").GetString(), Does.Contain("ThenTheTotalIs"));
            Assert.That(failed.GetProperty("steps")[3].GetProperty("status").GetString(), Is.EqualTo("skipped"));
            var passed = results.Single(r => r.GetProperty("status").GetString() == "passed");
            Assert.That(passed.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()), Is.EqualTo(new[] { "a", "b", "sum" }));
            Assert.That(passed.GetProperty("labels").EnumerateArray().Any(l => l.GetProperty("name").GetString() == "epic" && l.GetProperty("value").GetString() == "SecDcc scenario runtime"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Test]
    public async Task The_clause_a_scenario_is_grouped_under_is_its_own_tag_not_its_feature_s()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-allure-" + Guid.NewGuid());
        try
        {
            const string text = """
                @AC-4.11 @AC-4.12
                Feature: Group
                  @AC-4.12(b)
                  Scenario: Own clause
                    Given a calculator
                  Scenario: Only the feature's clauses
                    Given a calculator
                """;
            var cases = FeatureLoader.LoadText(text, "appendix-ac/group.feature").Cases;
            var runtime = new ScenarioRuntime(BindingRegistry.FromTypes([typeof(CalculatorSteps)]), Path.Combine(AppContext.BaseDirectory, "features"), dir);
            foreach (var c in cases) await runtime.RunAsync(c);
            var stories = Directory.GetFiles(dir, "*-result.json")
                .Select(f => JsonDocument.Parse(File.ReadAllText(f)).RootElement)
                .ToDictionary(r => r.GetProperty("name").GetString()!, r => r.GetProperty("labels").EnumerateArray()
                    .Where(l => l.GetProperty("name").GetString() == "story").Select(l => l.GetProperty("value").GetString()).ToList());
            Assert.That(stories["Own clause"], Is.EqualTo(new[] { "AC-4.12(b)" }));
            Assert.That(stories["Only the feature's clauses"], Is.EqualTo(new[] { "AC-4.11", "AC-4.12" }));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
