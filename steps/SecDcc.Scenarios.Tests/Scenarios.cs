using NUnit.Framework;
using SecDcc.Scenarios;

// The runtime's own passing features run through NUnit exactly as the conformance suite does; their Allure
// results stay beside this assembly so they never mix with a conformance report.
[assembly: AllureResultsDirectory("allure-results")]

namespace SecDcc.Scenarios.Tests
{
    [GherkinFeatures]
    public sealed class RuntimeScenarios : ScenarioFixture;

    [SetUpFixture]
    public sealed class TestRun : ScenarioTestRun;
}
