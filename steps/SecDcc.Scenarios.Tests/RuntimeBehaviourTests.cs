using System.Text.Json;
using NUnit.Framework;
using NUnit.Framework.Internal;
using SecDcc.Reports.Allure;

namespace SecDcc.Scenarios.Tests;

/// <summary>Each behaviour of the runtime, run on its own feature files, with the outcome asserted.</summary>
public sealed class RuntimeBehaviourTests
{
    private static readonly string Cases = Path.Combine(AppContext.BaseDirectory, "cases");
    private static readonly string Features = Path.Combine(AppContext.BaseDirectory, "features");

    private static FeatureFileCases Load(string file, string root = "") =>
        FeatureLoader.LoadFile(Path.Combine(root.Length == 0 ? Cases : root, file), file);

    private static async Task<ScenarioResult> Run(ScenarioCase scenario, params Type[] bindings)
    {
        var registry = BindingRegistry.FromTypes(bindings.Length > 0 ? bindings : typeof(RuntimeBehaviourTests).Assembly.GetTypes());
        await using var run = new TestRunContext();
        return await new ScenarioExecutor(registry, run).RunAsync(scenario);
    }

    [Test]
    public void Outlines_expand_to_one_case_per_row_with_tags_inherited_and_values_substituted()
    {
        var feature = Load("runtime/passing.feature", Features);
        var rows = feature.Cases.Where(c => c.Name == "Adding rows of an outline").ToList();
        Assert.That(rows, Has.Count.EqualTo(2));
        Assert.That(rows[1].Steps.Select(s => s.Text), Is.EqualTo(new[] { "a calculator", "I add -4 and 9", "the total is 5" }));
        Assert.That(rows[1].Tags, Is.EquivalentTo(new[] { "runtime", "examples-tag" }));
        Assert.That(rows[1].Parameters.Select(p => $"{p.Key}={p.Value}"), Is.EqualTo(new[] { "a=-4", "b=9", "sum=5" }));
        Assert.That(rows.Select(r => r.DisplayName), Is.Unique);
        var plain = feature.Cases.Single(c => c.Name == "Adding two numbers");
        Assert.That(plain.Tags, Is.EquivalentTo(new[] { "runtime", "arithmetic", "AC-0.1" }));
        Assert.That(plain.Steps.Select(s => s.Kind), Is.EqualTo(new[] { StepKind.Given, StepKind.When, StepKind.Then }));
    }

    [Test]
    public void And_takes_the_kind_of_the_step_before_it()
    {
        var scenario = Load("runtime/passing.feature", Features).Cases.Single(c => c.Name.StartsWith("A table"));
        Assert.That(scenario.Steps.Skip(1).Select(s => (s.Keyword, s.Kind)),
            Is.EqualTo(new[] { ("Given", StepKind.Given), ("Then", StepKind.Then), ("And", StepKind.Then) }));
    }

    [Test]
    public async Task Tables_become_typed_rows_enums_are_read_from_words_and_doc_strings_pass_whole()
    {
        var feature = Load("runtime/passing.feature", Features);
        foreach (var scenario in feature.Cases)
        {
            var result = await Run(scenario);
            Assert.That(result.Status, Is.EqualTo(StepStatus.Passed), result.Describe());
        }
    }

    [Test]
    public async Task After_a_failed_step_the_rest_are_skipped_and_the_failure_is_a_product_defect()
    {
        var result = await Run(Load("failing.feature").Cases.Single());
        Assert.That(result.Status, Is.EqualTo(StepStatus.Failed));
        Assert.That(result.Steps.Select(s => s.Status),
            Is.EqualTo(new[] { StepStatus.Passed, StepStatus.Passed, StepStatus.Failed, StepStatus.Skipped }));
        Assert.That(result.Message, Does.Contain("line 5").And.Contain("Expected: 3"));
        Assert.That(AllureScenarioReporter.Map(result.Status), Is.EqualTo(AllureStatus.Failed));
    }

    [Test]
    public async Task An_undefined_step_fails_the_scenario_and_gives_the_binding_snippet()
    {
        var result = await Run(Load("undefined.feature").Cases.Single());
        Assert.That(result.Status, Is.EqualTo(StepStatus.Undefined));
        Assert.That(result.Steps.Select(s => s.Status),
            Is.EqualTo(new[] { StepStatus.Passed, StepStatus.Undefined, StepStatus.Skipped }));
        Assert.That(result.Message, Does.Contain("[When(\"I frobnicate the {string} {int} times\")]"));
        Assert.That(result.Message, Does.Contain("public void WhenIFrobnicateTheTimes(string p0, int p1)"));
        Assert.That(AllureScenarioReporter.Map(result.Status), Is.EqualTo(AllureStatus.Broken));
    }

    [Test]
    public void An_undefined_step_that_another_keyword_would_match_says_so()
    {
        var registry = BindingRegistry.FromTypes([typeof(CalculatorSteps)]);
        var match = registry.Match(new ScenarioStep("Then", StepKind.Then, "a calculator", 1, null, null));
        Assert.That(match, Is.TypeOf<MatchUndefined>());
        Assert.That(((MatchUndefined)match).OtherKeywordMatches.Single().Method.Name, Is.EqualTo(nameof(CalculatorSteps.GivenACalculator)));
    }

    [Test]
    public async Task An_ambiguous_step_fails_and_lists_each_match_with_its_method()
    {
        var result = await Run(Load("ambiguous.feature").Cases.Single(), typeof(AmbiguousSteps), typeof(CalculatorAssertions));
        Assert.That(result.Status, Is.EqualTo(StepStatus.Ambiguous));
        Assert.That(result.Message, Does.Contain("AmbiguousSteps.First").And.Contain("AmbiguousSteps.Second"));
        Assert.That(result.Steps[1].Status, Is.EqualTo(StepStatus.Skipped));
    }

    [Test]
    public void A_syntax_error_becomes_a_failing_case_with_file_line_and_column()
    {
        var feature = Load("syntax-error.feature");
        var broken = feature.Cases.Single();
        Assert.That(broken.LoadError, Does.Match(@"syntax-error\.feature:5:3: "));
        Assert.That(broken.LoadError, Does.Contain("This line is not Gherkin"));
    }

    [Test]
    public async Task A_syntax_error_case_fails_when_run()
    {
        var result = await Run(Load("syntax-error.feature").Cases.Single());
        Assert.That(result.Status, Is.EqualTo(StepStatus.BindingError));
        Assert.That(AllureScenarioReporter.Map(result.Status), Is.EqualTo(AllureStatus.Broken));
    }

    [Test]
    public async Task A_binding_class_that_cannot_be_built_fails_with_the_reason()
    {
        var result = await Run(Load("constructor.feature").Cases.Single(), typeof(UnbuildableSteps));
        Assert.That(result.Status, Is.EqualTo(StepStatus.BindingError));
        Assert.That(result.Message, Does.Contain("UnbuildableSteps").And.Contain("no bench is configured for this class"));
    }

    [Test]
    public void Duplicate_scenario_names_are_reported_and_both_still_run()
    {
        var cases = Load("duplicate.feature").Cases;
        Assert.That(cases.Count(c => c.LoadError is null), Is.EqualTo(2));
        Assert.That(cases.Select(c => c.DisplayName), Is.Unique);
        var report = cases.Single(c => c.LoadError is not null);
        Assert.That(report.LoadError, Does.Contain("'Same name' at lines 2, 4"));
    }

    [Test]
    public async Task Scope_is_shared_by_step_classes_and_disposed_after_the_scenario()
    {
        var before = Calculator.Disposed;
        var result = await Run(Load("runtime/passing.feature", Features).Cases.First(), typeof(CalculatorSteps), typeof(CalculatorAssertions));
        Assert.That(result.Status, Is.EqualTo(StepStatus.Passed), result.Describe());
        Assert.That(Calculator.Disposed, Is.EqualTo(before + 1), "one Calculator made for the scenario, disposed once");
    }

    [Test]
    public async Task Scenario_hooks_honour_tag_filters()
    {
        HookSteps.Log.Clear();
        foreach (var scenario in Load("hooks.feature").Cases.Where(c => c.Name != "Failing scenario"))
            Assert.That((await Run(scenario, typeof(HookSteps), typeof(CalculatorSteps))).Status, Is.EqualTo(StepStatus.Passed));
        Assert.That(HookSteps.Log, Is.EqualTo(new[] { "before tagged: Tagged scenario", "after: Tagged scenario", "after: Untagged scenario" }));
    }

    [Test]
    public async Task After_scenario_hooks_see_that_the_scenario_failed()
    {
        HookSteps.Log.Clear();
        var failing = Load("hooks.feature").Cases.Single(c => c.Name == "Failing scenario");
        var result = await Run(failing, typeof(HookSteps), typeof(CalculatorSteps), typeof(RigSteps));
        Assert.That(result.Status, Is.EqualTo(StepStatus.Pending));
        Assert.That(HookSteps.Log, Is.EqualTo(new[] { "after: Failing scenario (failed)" }));
    }

    [Test]
    public async Task Test_run_hooks_run_once_per_run()
    {
        var runtime = new ScenarioRuntime(BindingRegistry.FromTypes([typeof(HookSteps), typeof(CalculatorSteps)]), Cases, null);
        var before = HookSteps.BeforeRun;
        var after = HookSteps.AfterRun;
        foreach (var scenario in Load("hooks.feature").Cases.Where(c => c.Name != "Failing scenario")) await runtime.RunAsync(scenario);
        Assert.That(HookSteps.BeforeRun, Is.EqualTo(before + 1));
        Assert.That(HookSteps.AfterRun, Is.EqualTo(after));
        await runtime.FinishAsync();
        Assert.That(HookSteps.AfterRun, Is.EqualTo(after + 1));
    }

    [Test]
    public async Task A_silent_port_is_a_rig_fault_and_a_pending_step_is_skipped_not_passed()
    {
        var cases = Load("rigfault.feature").Cases;
        var rig = await Run(cases[0], typeof(RigSteps), typeof(CalculatorSteps), typeof(CalculatorAssertions));
        Assert.That(rig.Status, Is.EqualTo(StepStatus.RigFault));
        Assert.That(AllureScenarioReporter.Message(rig.Status, rig.Message), Does.StartWith("Rig fault:"));
        var pending = await Run(cases[1], typeof(RigSteps));
        Assert.That(pending.Status, Is.EqualTo(StepStatus.Pending));
        Assert.Throws<IgnoreException>(() => NUnitOutcome.Apply(pending));
        Assert.Throws<AssertionException>(() => NUnitOutcome.Apply(rig));
    }

    [Test]
    public async Task A_step_and_a_test_run_hook_receive_the_run_s_cancellation_token()
    {
        using var cts = new CancellationTokenSource();
        var runtime = new ScenarioRuntime(BindingRegistry.FromTypes([typeof(TokenSteps)]), Cases, null);
        var result = await runtime.RunAsync(Load("tokens.feature").Cases[0], cts.Token);
        Assert.That(result.Status, Is.EqualTo(StepStatus.Passed), result.Describe());
        Assert.That(TokenSteps.Seen, Is.EqualTo(cts.Token));
        Assert.That(TokenSteps.SeenAtRunStart, Is.EqualTo(cts.Token));
    }

    [Test]
    public async Task A_rig_fault_while_building_a_binding_class_stays_a_rig_fault()
    {
        var result = await Run(Load("tokens.feature").Cases[1], typeof(SilentBenchSteps));
        Assert.That(result.Status, Is.EqualTo(StepStatus.RigFault));
        Assert.That(result.Message, Does.Contain("/dev/ttyUSB3 did not answer"));
    }

    [Test]
    public void Cucumber_expressions_and_regexes_match_the_whole_step()
    {
        Assert.That(StepPattern.Compile("I add {int} and {int}").Match("I add 2 and 3").Groups[2].Value, Is.EqualTo("3"));
        Assert.That(StepPattern.Compile("I add {int} and {int}").IsMatch("I add 2 and 3 and 4"), Is.False);
        Assert.That(StepPattern.Compile("device {string} is {word}").Match("device \"a b\" is ok").Groups[1].Value, Is.EqualTo("a b"));
        Assert.That(StepPattern.Compile("price (in £) is {float}").IsMatch("price (in £) is 1.5"), Is.True);
        Assert.That(StepPattern.Compile(@"^the total is (\d+)$").IsMatch("the total is 12"), Is.True);
    }

    [Test]
    public void A_value_that_is_not_an_enum_member_names_the_allowed_words()
    {
        var e = Assert.Throws<StepArgumentException>(() => ValueConverter.Convert("installed", typeof(DeviceState), "argument 'state'"));
        Assert.That(e!.Message, Does.Contain("installed not commissioned").And.Contain("argument 'state'"));
    }
}
