using NUnit.Framework;
using SecDcc.Drivers.Gpio;
using SecDcc.Rigs.Bench;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Bench;

/// <summary>A meter's pulse output counted on its pulse input against its register read over the optical port.</summary>
[Binding]
public sealed class PulseSteps(BenchWorld bench)
{
    /// <summary>A load that gives a pulse about every millisecond at 1000 imp/kWh: the emulated bench's time is short.</summary>
    private const double EmulatedWatts = 3_600_000;

    private PulseMeasurement? _measurement;

    [When("^the meter \"([^\"]+)\" measures (\\d+) Wh under load, its pulses counted within (\\d+) pulses?$")]
    public async Task WhenMeasured(string meter, int energyWh, int tolerance)
    {
        var input = await bench.Bench.PulseInputAsync(meter, bench.Ct);
        var optical = bench.Ports.OpticalPort(meter) ?? throw new StepArgumentException($"{meter} has no optical port in the rig file, so its register cannot be read");
        _measurement = await PulseMeasurement.RunAsync(
            input,
            async ct => (await OpticalIdentity.ReadAsync(optical, cancellationToken: ct)).Energy
                ?? throw new RigFaultException($"{meter} sent no import register (1.8.0) on its optical port {optical}"),
            new EmulatedMeterLoad(bench.Rig.Meter(meter), EmulatedWatts, TimeSpan.FromSeconds(30)),
            energyWh,
            new PulseTolerance(Pulses: tolerance),
            bench.Ct);
        bench.Context.Attach($"pulse check of {meter}", $"{_measurement}{Environment.NewLine}register before {_measurement.Before}, after {_measurement.After}");
    }

    [Then("^the pulse count matches the change of its energy register$")]
    public void ThenMatches()
    {
        var measurement = Measurement();
        Assert.That(measurement.Finding.Passed, Is.True, measurement.Finding.Statement);
    }

    [Then("^the pulse check reports a miscount: about one pulse in (\\d+) fewer than the register's change$")]
    public void ThenMiscount(int every)
    {
        var measurement = Measurement();
        var expected = measurement.Finding.ExpectedPulses;
        Assert.Multiple(() =>
        {
            Assert.That(measurement.Finding.Passed, Is.False, $"the check passed a meter that misses pulses: {measurement.Finding.Statement}");
            Assert.That(measurement.Finding.Statement, Does.Contain("MISCOUNT").And.Contain("fewer than expected"));
            Assert.That(-measurement.Finding.Difference, Is.EqualTo(decimal.Floor(expected / every)).Within(1m), "one pulse in every N missing");
        });
    }

    private PulseMeasurement Measurement() => _measurement ?? throw new StepArgumentException("No pulse measurement was made: a When step must make it first.");
}
