using SecDcc.Drivers.Tests.Fakes;
using SecDcc.Drivers.Gpio;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>An emulated ESME's pulse LED on its pulse input: the rate, the count against the register, and a meter that misses pulses.</summary>
public sealed class PulseTests
{
    private static readonly PulseTolerance TwoPulses = new(Pulses: 2);

    [Test]
    [CancelAfter(30_000)]
    public async Task The_led_blinks_at_the_meter_constant_for_the_load(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        var clock = new ManualTimeProvider();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path)), new EmulatorOptions { Clock = clock }, ct);
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks, Clock = clock });
        var input = await bench.PulseInputAsync("esme", ct);

        // 3.6 kW at 1000 imp/kWh is 1 Wh, so one pulse, a second; then 7.2 kW is two a second. The register is
        // read at every half second, so each pulse is given (and stamped) when its Wh is complete.
        var meter = rig.Meter("esme");
        using var counter = PulseCounter.Start(input.Controller, input.Line);
        meter.SetLoad(3600);
        Run(clock, meter, TimeSpan.FromSeconds(60));
        var atOnePerSecond = counter.CountSoFar;
        meter.SetLoad(7200);
        Run(clock, meter, TimeSpan.FromSeconds(30));
        var count = counter.Stop();

        Assert.Multiple(() =>
        {
            Assert.That(atOnePerSecond, Is.EqualTo(60));
            Assert.That(count.Count, Is.EqualTo(120));
            Assert.That(count.Timestamps[0], Is.EqualTo(TimeSpan.FromSeconds(1)), "the first pulse comes when the first Wh is complete");
            Assert.That(count.Timestamps[59] - count.Timestamps[58], Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(count.Timestamps[^1] - count.Timestamps[^2], Is.EqualTo(TimeSpan.FromSeconds(0.5)));
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_conforming_meters_pulses_match_the_change_of_its_register_read_over_the_optical_port(CancellationToken ct)
    {
        var measurement = await MeasureAsync(esmeQuirks: [], ct);
        var registerPulses = (measurement.After.Kwh - measurement.Before.Kwh) * 1000;
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Finding.Passed, Is.True, measurement.ToString());
            Assert.That(registerPulses, Is.GreaterThanOrEqualTo(200m), "the load ran until the meter had measured 200 Wh");
            Assert.That(measurement.Count.Count, Is.EqualTo(registerPulses), "not merely within the tolerance: one pulse a Wh, exactly");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_meter_that_misses_one_pulse_in_fifty_is_caught(CancellationToken ct)
    {
        var measurement = await MeasureAsync(esmeQuirks: [new Quirk(QuirkKind.PulseMiscount, Every: 50)], ct);
        var earned = (int)((measurement.After.Kwh - measurement.Before.Kwh) * 1000);
        var missed = earned / 50;
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Finding.Passed, Is.False, measurement.ToString());
            Assert.That(measurement.Count.Count, Is.EqualTo(earned - missed), "every 50th pulse the register earned is missing");
            Assert.That(measurement.Finding.Statement, Does.Contain($"MISCOUNT: {missed} fewer than expected"));
        });
    }

    private static void Run(ManualTimeProvider clock, SecDcc.Rigs.Emulation.Meters.SmartMeter meter, TimeSpan duration)
    {
        for (var t = TimeSpan.Zero; t < duration; t += TimeSpan.FromSeconds(0.5))
        {
            clock.Advance(TimeSpan.FromSeconds(0.5));
            _ = meter.EnergyWh;
        }
    }

    /// <summary>200 Wh through the ESME, counted on its pulse input and read on its optical port before and after.</summary>
    private static async Task<PulseMeasurement> MeasureAsync(Quirk[] esmeQuirks, CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path, esmeQuirks: esmeQuirks)), new EmulatorOptions(), ct);
        await using var bench = new BenchHardware(rig.Definition, new BenchOptions { SimulatedBanks = rig.SimulatedBanks });
        var input = await bench.PulseInputAsync("esme", ct);
        var optical = rig["esme"].OpticalPortPath!;
        return await PulseMeasurement.RunAsync(
            input,
            async token => (await OpticalIdentity.ReadAsync(optical, cancellationToken: token)).Energy!.Value,
            new EmulatedMeterLoad(rig.Meter("esme"), 3_600_000, TimeSpan.FromSeconds(10)),
            energyWh: 200,
            TwoPulses,
            ct);
    }
}
