using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Bench;

/// <summary>The rig self-test on the emulated rig: it passes on a whole bench, and names the part when one is missing or loose.</summary>
public sealed class SelfTestTests
{
    private static readonly SelfTestOptions Quick = new() { AnswerTimeout = TimeSpan.FromMilliseconds(300), SwitchWindow = TimeSpan.FromSeconds(2), PulseWindow = TimeSpan.FromSeconds(1) };

    [Test]
    [CancelAfter(60_000)]
    public async Task The_repositorys_emulated_rig_passes_with_every_part_checked(CancellationToken ct)
    {
        var (report, _) = await RunAsync(null, ct);
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.True, report.ToString());
            Assert.That(report.Checks.Where(c => c.Part == "local port").Select(c => c.Device), Is.EquivalentTo(new[] { "chf", "gpf", "esme", "gsme", "ppmid", "ihd" }));
            Assert.That(report.Checks.Where(c => c.Part == "optical port").Select(c => c.Device), Is.EquivalentTo(new[] { "esme", "gsme" }));
            Assert.That(report.Checks.Where(c => c.Part == "power relay").Select(c => c.Device), Is.EquivalentTo(new[] { "chf", "gpf", "esme", "gsme", "ppmid", "ihd" }));
            Assert.That(report.Checks.Where(c => c.Part == "pulse input").Select(c => c.Device), Is.EqualTo(new[] { "esme" }));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_bank_without_the_relays_line_fails_naming_the_device_and_the_line(CancellationToken ct)
    {
        // The bank lacks the ESME's power line, as a relay module without the relay the rig file names would.
        var (report, _) = await RunAsync(null, ct, missing: "bench/esme-power");
        var failure = report.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That(report.Passed, Is.False);
            Assert.That((failure.Part, failure.Device), Is.EqualTo(("power relay", "esme")));
            Assert.That(failure.Statement, Does.Contain("bench/esme-power").And.Contain("no line named 'esme-power'"));
            Assert.That(report.FaultMessage, Does.StartWith("rig emulated failed its self-test"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_relay_whose_wire_is_loose_fails_as_the_device_stays_up(CancellationToken ct)
    {
        var (report, _) = await RunAsync(rig => rig.DisconnectLine("bench", "gsme-power"), ct);
        var failure = report.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That((failure.Part, failure.Device), Is.EqualTo(("power relay", "gsme")));
            Assert.That(failure.Statement, Does.Contain("still answered").And.Contain("does not switch this device's supply"));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_pulse_input_that_sees_nothing_fails(CancellationToken ct)
    {
        var (report, _) = await RunAsync(null, ct, load: false);
        var failure = report.Failures.Single();
        Assert.Multiple(() =>
        {
            Assert.That((failure.Part, failure.Device), Is.EqualTo(("pulse input", "esme")));
            Assert.That(failure.Statement, Does.Contain("saw no pulse").And.Contain("no load was put on the meter"));
        });
    }

    private static async Task<(SelfTestReport Report, string Log)> RunAsync(Action<EmulatedRig>? spoil, CancellationToken ct, bool load = true, string? missing = null)
    {
        TestRigs.RequirePseudoTerminals();
        using var folder = new TempFolder();
        var log = new MemoryEmulatorLog();
        var definition = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated.yaml"));
        var options = new EmulatorOptions
        {
            StateDirectory = folder.Path,
            Log = log,
            Wan = new TcpWan("127.0.0.1", 9),
            MissingLines = missing is null ? new HashSet<string>() : [missing],
        };
        await using var rig = await EmulatedRig.StartAsync(definition, options, ct);
        spoil?.Invoke(rig);
        await using var bench = new BenchHardware(definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var report = await RigSelfTest.RunAsync(RigPorts.Of(rig), bench, Quick with { Load = load ? RigSelfTest.EmulatedLoad(rig) : null }, ct);
        TestContext.Out.WriteLine(report);
        return (report, log.ToString());
    }
}
