using NUnit.Framework;
using SecDcc.Drivers.Gpio;
using SecDcc.Drivers.Optical;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bench;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Bench;

/// <summary>
/// Bench checks of every meter of the rig under test (SECDCC_RIG, secdcc run --rig), rather than of one named meter
/// of a named rig: the pulse output against the register, and the optical identity against the Device Model file
/// and the CPL. A rig under test with no meter the check applies to is a skip with the reason, not a pass.
/// </summary>
[Binding]
public sealed class RigUnderTestSteps(BenchWorld bench, SmiWorld world)
{
    /// <summary>A load that gives a pulse about every millisecond at 1000 imp/kWh, as PulseSteps uses on an emulated bench.</summary>
    private const double EmulatedWatts = 3_600_000;

    private readonly List<(string Meter, PulseMeasurement Measurement)> _pulses = [];
    private readonly List<(string Meter, IdentityComparison Comparison)> _identities = [];

    [Given("^the rig under test is running$")]
    public Task GivenRigUnderTest() => bench.StartRigUnderTestAsync();

    [When("^every meter of the rig under test with a pulse input measures (\\d+) Wh under load, its pulses counted within (\\d+) pulses?$")]
    public async Task WhenEveryMeterMeasured(int energyWh, int tolerance)
    {
        var meters = bench.Rig.Definition.Devices.Where(d => d.Gpio.Pulse is not null).ToList();
        if (meters.Count == 0)
            Assert.Ignore($"The rig under test {bench.Rig.Definition.Name} wires no pulse input, so there is no pulse output to check.");
        foreach (var meter in meters)
        {
            var input = await bench.Bench.PulseInputAsync(meter.Name, bench.Ct);
            var optical = bench.Ports.OpticalPort(meter.Name)
                ?? throw new RigFaultException($"{meter.Name} of the rig under test has a pulse input but no optical port, so its register cannot be read to check the pulses against; give it 'optical: emulated' in {bench.Rig.Definition.SourcePath}");
            var measurement = await PulseMeasurement.RunAsync(
                input,
                async ct => (await OpticalIdentity.ReadAsync(optical, cancellationToken: ct)).Energy
                    ?? throw new RigFaultException($"{meter.Name} sent no import register (1.8.0) on its optical port {optical}"),
                new EmulatedMeterLoad(bench.Rig.Meter(meter.Name), EmulatedWatts, TimeSpan.FromSeconds(30)),
                energyWh,
                new PulseTolerance(Pulses: tolerance),
                bench.Ct);
            bench.Context.Attach($"pulse check of {meter.Name}", $"{measurement}{Environment.NewLine}register before {measurement.Before}, after {measurement.After}");
            _pulses.Add((meter.Name, measurement));
        }
    }

    [Then("^each meter's pulse count matches the change of its energy register$")]
    public void ThenEachPulseCountMatches()
    {
        if (_pulses.Count == 0)
            throw new StepArgumentException("No pulse measurement was made: a When step must make them first.");
        var wrong = _pulses.Where(p => !p.Measurement.Finding.Passed).Select(p => $"{p.Meter}: {p.Measurement.Finding.Statement}").ToList();
        Assert.That(wrong, Is.Empty, $"meters of {bench.Rig.Definition.Name} whose pulse output disagrees with their register");
    }

    [Given("^the Central Products List lists the Device Model of every meter of the rig under test with an optical port$")]
    public async Task GivenEveryModelListed()
    {
        var models = OpticalMeters().Select(d => d.Model).DistinctBy(m => m.SourcePath).ToList();
        if (models.Count == 0)
            Assert.Ignore($"The rig under test {bench.Rig.Definition.Name} has no meter with an optical port, so there is no optical identity to check.");
        foreach (var model in models)
            await OpticalSteps.ListAsync(world, model);
    }

    [When("^the harness reads the optical port of every meter of the rig under test$")]
    public async Task WhenEveryOpticalPortRead()
    {
        var cpl = await OpticalSteps.CplIdentitiesAsync(world);
        foreach (var meter in OpticalMeters())
        {
            var port = bench.Ports.OpticalPort(meter.Name)!;
            OpticalIdentity read;
            try
            {
                read = await OpticalIdentity.ReadAsync(port, cancellationToken: bench.Ct);
            }
            catch (Exception e) when (e is OpticalReadoutException or SerialPortException)
            {
                throw new RigFaultException($"the optical port of {meter.Name} ({port}) could not be read: {e.Message}", e);
            }

            var comparison = OpticalIdentityCheck.Compare(read, meter.Model, cpl);
            bench.Context.Attach($"optical identity of {meter.Name} against its model file and the CPL", $"{read}{Environment.NewLine}{comparison}");
            _identities.Add((meter.Name, comparison));
        }
    }

    [Then("^each one's manufacturer, model, firmware version and firmware hash match its Device Model file and the CPL$")]
    public void ThenEachIdentityMatches()
    {
        if (_identities.Count == 0)
            throw new StepArgumentException("No optical port was read: a When step must read them first.");
        var wrong = _identities.Where(i => !i.Comparison.Passed).Select(i => $"{i.Meter}: {i.Comparison}").ToList();
        Assert.That(wrong, Is.Empty, $"meters of {bench.Rig.Definition.Name} whose optical identity disagrees with their Device Model file or the CPL");
    }

    private IEnumerable<SecDcc.Rigs.Model.DeviceDefinition> OpticalMeters() =>
        bench.Rig.Definition.Devices.Where(d => d.Optical is not null);
}
