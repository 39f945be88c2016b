using NUnit.Framework;

namespace SecDcc.Scenarios.Tests;

public enum DeviceState { Pending, InstalledNotCommissioned, Commissioned }

public sealed class DeviceRow
{
    public string DeviceId { get; set; } = "";
    public DeviceState Status { get; set; }
    public int Count { get; set; }
}

/// <summary>Shared by every step class of a scenario through constructor injection.</summary>
public sealed class Calculator : IDisposable
{
    public static int Disposed;
    public int Total { get; set; }
    public List<DeviceRow> Devices { get; } = [];
    public string? Message { get; set; }
    public bool Ready { get; set; }
    public void Dispose() => Interlocked.Increment(ref Disposed);
}

[Binding]
public sealed class CalculatorSteps(Calculator calculator)
{
    [Given("a calculator")]
    public void GivenACalculator() => calculator.Ready = true;

    [When("I add {int} and {int}")]
    public void WhenIAdd(int a, int b) => calculator.Total = a + b;

    [Given("these devices:")]
    public void GivenTheseDevices(List<DeviceRow> rows) => calculator.Devices.AddRange(rows);

    [Given("the message:")]
    public void GivenTheMessage(string message) => calculator.Message = message;
}

/// <summary>A second class that reads what the first wrote: proof that the scope is shared per scenario.</summary>
[Binding]
public sealed class CalculatorAssertions(Calculator calculator)
{
    [Then(@"^the total is (-?\d+)$")]
    public void ThenTheTotalIs(int expected)
    {
        Assert.That(calculator.Ready, Is.True, "the calculator was not made ready by an earlier step");
        Assert.That(calculator.Total, Is.EqualTo(expected));
    }

    [Then(@"^device ""(.*)"" has status (.+)$")]
    public void ThenDeviceHasStatus(string id, DeviceState state) =>
        Assert.That(calculator.Devices.Single(d => d.DeviceId == id).Status, Is.EqualTo(state));

    [Then("the devices count {int} in all")]
    public void ThenTheDevicesCount(int total) => Assert.That(calculator.Devices.Sum(d => d.Count), Is.EqualTo(total));

    [Then("the message has {int} lines")]
    public void ThenTheMessageHasLines(int lines) => Assert.That(calculator.Message!.Split('\n'), Has.Length.EqualTo(lines));
}

[Binding]
public sealed class AmbiguousSteps
{
    [Given("a step that two bindings claim")]
    public void First() { }

    [StepDefinition(@"a step that two bindings (claim|own)")]
    public void Second(string verb) { }
}

[Binding]
public sealed class UnbuildableSteps
{
    public UnbuildableSteps(Calculator calculator) =>
        throw new InvalidOperationException("no bench is configured for this class");

    [Given("a step whose class cannot be built")]
    public void Step() { }
}

[Binding]
public sealed class HookSteps(ScenarioContext context)
{
    public static readonly List<string> Log = [];
    public static int BeforeRun;
    public static int AfterRun;

    [BeforeTestRun]
    public static void BeforeTestRun() => Interlocked.Increment(ref BeforeRun);

    [AfterTestRun]
    public static void AfterTestRun() => Interlocked.Increment(ref AfterRun);

    [BeforeScenario("tagged")]
    public void BeforeTagged() => Log.Add("before tagged: " + context.Scenario.Name);

    [AfterScenario("hooks")]
    public void AfterHooksFeature() => Log.Add("after: " + context.Scenario.Name + (context.HasFailed ? " (failed)" : ""));

    [Given("evidence is attached")]
    public async Task GivenEvidenceIsAttached()
    {
        context.Attach("request", "<Request/>", "application/xml");
        await context.Step("send the request", () =>
        {
            context.Attach("response", [1, 2, 3], "application/octet-stream");
            return Task.CompletedTask;
        });
    }
}

[Binding]
public sealed class RigSteps
{
    [When("the device port does not answer")]
    public void PortSilent() => throw new RigFaultException("port /dev/ttyUSB0 did not answer within 2 s");

    [Given("a pending step")]
    public void Pending() => throw new PendingStepException();
}

[Binding]
public sealed class TokenSteps
{
    public static CancellationToken Seen;
    public static CancellationToken SeenAtRunStart;

    [BeforeTestRun]
    public static void RunStarts(TestRunContext run, CancellationToken cancellationToken) => SeenAtRunStart = cancellationToken;

    [When("the step waits on the run's token")]
    public Task Waits(CancellationToken cancellationToken)
    {
        Seen = cancellationToken;
        return Task.CompletedTask;
    }
}

[Binding]
public sealed class SilentBenchSteps
{
    public SilentBenchSteps() => throw new RigFaultException("the meter on /dev/ttyUSB3 did not answer its identity request");

    [Given("a step whose bench is silent")]
    public void Step() { }
}
