using SecDcc.Drivers.Gpio;

namespace SecDcc.Drivers.Tests.Gpio;

/// <summary>Pulse count against the energy register's change, through the meter constant.</summary>
[TestFixture]
public sealed class PulseCheckTests
{
    private static readonly EnergyReading Before = new(12.345m);
    private static readonly EnergyReading After = new(13.345m);

    [Test]
    public void An_exact_count_passes()
    {
        var finding = PulseCheck.Compare(1000, Before, After, 1000, PulseTolerance.Exact, "line 2 (pulse input 'esme')");

        Assert.Multiple(() =>
        {
            Assert.That(finding.Passed, Is.True);
            Assert.That(finding.ExpectedPulses, Is.EqualTo(1000m));
            Assert.That(finding.Statement, Is.EqualTo(
                "line 2 (pulse input 'esme') gave 1000 pulses where the energy register moved 1 kWh (12.345 kWh → 13.345 kWh), which at 1000 imp/kWh is 1000 pulses expected: within the tolerance (exactly)"));
        });
    }

    [TestCase(998)]
    [TestCase(1002)]
    public void A_count_within_the_tolerance_passes(int counted) =>
        Assert.That(PulseCheck.Compare(counted, Before, After, 1000, new PulseTolerance(Pulses: 2)).Passed, Is.True);

    [Test]
    public void A_miscount_is_caught_and_says_by_how_much()
    {
        var more = PulseCheck.Compare(1003, Before, After, 1000, new PulseTolerance(Pulses: 2));
        var fewer = PulseCheck.Compare(990, Before, After, 1000, new PulseTolerance(Pulses: 2));

        Assert.Multiple(() =>
        {
            Assert.That(more.Passed, Is.False);
            Assert.That(more.Difference, Is.EqualTo(3m));
            Assert.That(more.Statement, Does.EndWith("1000 pulses expected: MISCOUNT: 3 more than expected, beyond the tolerance (±2 pulses, 2 pulses here)"));
            Assert.That(fewer.Passed, Is.False);
            Assert.That(fewer.Statement, Does.Contain("MISCOUNT: 10 fewer than expected"));
        });
    }

    [Test]
    public void A_percentage_tolerance_scales_with_the_expected_count()
    {
        var tolerance = new PulseTolerance(Pulses: 1, Percent: 0.5m);

        Assert.Multiple(() =>
        {
            Assert.That(PulseCheck.Compare(16_080, new EnergyReading(0), new EnergyReading(4), 4000, tolerance).Passed, Is.True, "80 off 16000 is 0.5 %");
            Assert.That(PulseCheck.Compare(16_081, new EnergyReading(0), new EnergyReading(4), 4000, tolerance).Passed, Is.False);
            Assert.That(PulseCheck.Compare(1, new EnergyReading(0), new EnergyReading(0), 4000, tolerance).Passed, Is.True, "the floor of one pulse applies when little is expected");
        });
    }

    [Test]
    public void A_register_that_went_backwards_fails_with_that_reason()
    {
        var finding = PulseCheck.Compare(10, After, Before, 1000, new PulseTolerance(Pulses: 100));

        Assert.Multiple(() =>
        {
            Assert.That(finding.Passed, Is.False);
            Assert.That(finding.Statement, Does.Contain("the energy register went backwards (13.345 kWh → 12.345 kWh)"));
        });
    }

    [TestCase("001234.567", "kWh", 1234.567)]
    [TestCase("1234567", "Wh", 1234.567)]
    [TestCase("1.234567", "MWh", 1234.567)]
    [TestCase("5", null, 5)]
    public void Register_values_are_read_in_their_units(string value, string? unit, decimal kwh) =>
        Assert.That(EnergyReading.Parse(value, unit).Kwh, Is.EqualTo(kwh));

    [Test]
    public void A_register_value_that_is_not_energy_is_refused()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => EnergyReading.Parse("12.3", "kvarh"), Throws.InstanceOf<FormatException>().With.Message.EqualTo("energy register unit 'kvarh' is not Wh, kWh or MWh"));
            Assert.That(() => EnergyReading.Parse("twelve", "kWh"), Throws.InstanceOf<FormatException>());
            Assert.That(() => PulseCheck.Compare(1, Before, After, 0, PulseTolerance.Exact), Throws.InstanceOf<ArgumentOutOfRangeException>());
        });
    }
}
