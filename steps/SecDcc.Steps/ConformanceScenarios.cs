using NUnit.Framework;
using SecDcc.Scenarios;

namespace SecDcc.Steps;

/// <summary>Every scenario under features/ as an NUnit test case, one fixture per feature file.</summary>
[GherkinFeatures]
public sealed class ConformanceScenarios : ScenarioFixture;

[SetUpFixture]
public sealed class ConformanceRun : ScenarioTestRun;
