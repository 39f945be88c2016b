using NUnit.Framework;
using SecDcc.Rigs.Bench;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Bench;

/// <summary>Starting a scenario's emulated rig, and the rig self-test that guards a certification run.</summary>
[Binding]
public sealed class BenchSteps(BenchWorld bench)
{
    private SelfTestReport? _report;

    [Given("^the emulated rig \"([^\"]+)\" is running$")]
    public Task GivenRig(string name) => bench.StartAsync(name);

    [Given("^the emulated rig \"([^\"]+)\" is running with the line \"([^\"]+)\" missing from its GPIO bank$")]
    public Task GivenRigWithoutLine(string name, string line) => bench.StartAsync(name, missingLines: new HashSet<string> { line });

    [Given("^the emulated rig \"([^\"]+)\" is running with the wire of the line \"([^\"/]+)/([^\"]+)\" loose$")]
    public async Task GivenRigWithLooseWire(string name, string bank, string line)
    {
        await bench.StartAsync(name);
        bench.Rig.DisconnectLine(bench.Rig.Definition.GpioBanks[bank].SimulatedName, line);
    }

    /// <summary>The gate before a certification run: a bench that fails its self-test stops the run as a rig fault.</summary>
    [Given("^the rig passes its self-test$")]
    public async Task GivenSelfTestPasses()
    {
        var report = await RunSelfTestAsync();
        if (!report.Passed)
        {
            throw new RigFaultException(report.FaultMessage);
        }
    }

    [When("^the rig self-test runs$")]
    public async Task WhenSelfTestRuns() => _report = await RunSelfTestAsync();

    [Then("^it passes, having checked every local port, optical port, power relay and pulse input of the rig$")]
    public void ThenSelfTestPasses()
    {
        var report = Report();
        var rig = bench.Rig.Definition;
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.True, report.ToString());
            Assert.That(Checked(report, "local port"), Is.EquivalentTo(rig.Devices.Select(d => d.Name)));
            Assert.That(Checked(report, "optical port"), Is.EquivalentTo(rig.Devices.Where(d => d.Optical is not null).Select(d => d.Name)));
            Assert.That(Checked(report, "power relay"), Is.EquivalentTo(rig.Devices.Where(d => d.Gpio.Power is not null).Select(d => d.Name)));
            Assert.That(Checked(report, "pulse input"), Is.EquivalentTo(rig.Devices.Where(d => d.Gpio.Pulse is not null).Select(d => d.Name)));
        });
    }

    [Then("^it fails on the power relay of \"([^\"]+)\", naming the line \"([^\"]+)\"$")]
    public void ThenSelfTestFailsOnRelay(string device, string line)
    {
        var report = Report();
        Assert.That(report.Passed, Is.False, "the self-test passed a bench with a relay missing or loose");
        var failures = report.Failures.ToList();
        Assert.Multiple(() =>
        {
            Assert.That(failures.Select(f => (f.Part, f.Device)), Is.EqualTo(new[] { ("power relay", device) }), report.ToString());
            Assert.That(failures[0].Statement, Does.Contain(line));
        });
    }

    [Then("^a run that requires the self-test stops with a rig fault naming \"([^\"]+)\"$")]
    public void ThenTheGateStopsTheRun(string line)
    {
        var fault = Assert.ThrowsAsync<RigFaultException>(GivenSelfTestPasses, "the self-test gate let a faulty bench through")!;
        Assert.That(fault.Message, Does.Contain(line).And.Contain("failed its self-test"));
        bench.Context.Attach("rig fault the gate raised", fault.Message);
    }

    [Then("^every device of the rig answers on its local port$")]
    public async Task ThenEveryDeviceAnswers()
    {
        foreach (var device in bench.Rig.Devices)
        {
            await using var port = bench.Ports.OpenLocalPort(device.Name);
            var identity = await port.ReadIdentityAsync(bench.Ct);
            Assert.That(identity.DeviceId, Is.EqualTo(device.Id), device.Name);
        }
    }

    private async Task<SelfTestReport> RunSelfTestAsync()
    {
        var options = new SelfTestOptions
        {
            AnswerTimeout = TimeSpan.FromMilliseconds(300),
            SwitchWindow = TimeSpan.FromSeconds(3),
            PulseWindow = TimeSpan.FromSeconds(3),
            Load = RigSelfTest.EmulatedLoad(bench.Rig),
        };
        var report = await RigSelfTest.RunAsync(bench.Ports, bench.Bench, options, bench.Ct);
        bench.Context.Attach("rig self-test", report.ToString());
        return report;
    }

    private SelfTestReport Report() => _report ?? throw new StepArgumentException("No self-test has run: a When step must run it first.");

    private static IEnumerable<string> Checked(SelfTestReport report, string part) =>
        report.Checks.Where(c => c.Part == part).Select(c => c.Device);
}
