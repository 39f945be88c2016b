using System.Globalization;

namespace SecDcc.Drivers.Gpio;

/// <summary>A reading of an energy register, in kWh.</summary>
public readonly record struct EnergyReading(decimal Kwh)
{
    /// <summary>Reads a register value as a meter gives it ("001234.567" with unit "kWh", "Wh" or "MWh").</summary>
    /// <exception cref="FormatException">The value is not a number, or the unit not one of energy.</exception>
    public static EnergyReading Parse(string value, string? unit)
    {
        if (!decimal.TryParse(value.Trim(), NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            throw new FormatException($"energy register value '{value}' is not a number");
        }

        return (unit ?? "kWh").Trim() switch
        {
            "kWh" or "KWH" or "kwh" => new EnergyReading(number),
            "Wh" or "WH" or "wh" => new EnergyReading(number / 1000m),
            "MWh" or "MWH" or "mwh" => new EnergyReading(number * 1000m),
            var other => throw new FormatException($"energy register unit '{other}' is not Wh, kWh or MWh"),
        };
    }

    public override string ToString() => $"{Kwh.ToString("0.000###", CultureInfo.InvariantCulture)} kWh";
}

/// <summary>How far a pulse count may be from the register's change: the larger of a number of pulses and a percentage.</summary>
public sealed record PulseTolerance(int Pulses = 0, decimal Percent = 0)
{
    public static PulseTolerance Exact { get; } = new();

    /// <summary>The pulses allowed either way when <paramref name="expected"/> are expected.</summary>
    public decimal AllowedFor(decimal expected) => Math.Max(Pulses, Math.Abs(expected) * Percent / 100m);

    public override string ToString() => (Pulses, Percent) switch
    {
        (0, 0) => "exactly",
        (_, 0) => $"±{Pulses} pulse{(Pulses == 1 ? string.Empty : "s")}",
        (0, _) => $"±{Percent.ToString(CultureInfo.InvariantCulture)} %",
        _ => $"±{Pulses} pulses or ±{Percent.ToString(CultureInfo.InvariantCulture)} %, whichever is more",
    };
}

/// <summary>The outcome of comparing a pulse count with an energy register's change.</summary>
/// <param name="Statement">One sentence for the report: what was counted, what was expected and why, and the verdict.</param>
public sealed record PulseFinding(bool Passed, decimal ExpectedPulses, int CountedPulses, decimal AllowedDifference, string Statement)
{
    public decimal Difference => CountedPulses - ExpectedPulses;

    public override string ToString() => Statement;
}

/// <summary>Checks a meter's pulse output against its energy register, given the meter constant.</summary>
public static class PulseCheck
{
    /// <param name="counted">Pulses counted over the same period as the two readings.</param>
    /// <param name="impulsesPerKwh">The meter constant (imp/kWh), from the nameplate or the Device Model.</param>
    /// <param name="source">What gave the pulses, for the statement ("line 5 (pulse input 'esme')").</param>
    /// <remarks>
    /// A register read to 0.001 kWh at 1000 imp/kWh is itself uncertain by a pulse at each end, so a tolerance
    /// of at least two pulses (or one register step in pulses, plus one) avoids false miscounts.
    /// </remarks>
    public static PulseFinding Compare(int counted, EnergyReading before, EnergyReading after, int impulsesPerKwh, PulseTolerance tolerance, string source = "the pulse output")
    {
        if (impulsesPerKwh <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(impulsesPerKwh), impulsesPerKwh, "a meter constant is a positive number of impulses per kWh");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(counted);
        ArgumentNullException.ThrowIfNull(tolerance);
        if (tolerance.Pulses < 0 || tolerance.Percent < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tolerance), tolerance, "a tolerance cannot be negative");
        }

        var change = after.Kwh - before.Kwh;
        var expected = change * impulsesPerKwh;
        var allowed = tolerance.AllowedFor(expected);
        var reason = $"the energy register moved {Format(change)} kWh ({before} → {after}), which at {impulsesPerKwh} imp/kWh is {Format(expected)} pulses";
        if (change < 0)
        {
            return new PulseFinding(
                false,
                expected,
                counted,
                allowed,
                $"{source} gave {counted} pulses, but the energy register went backwards ({before} → {after}): the readings are out of order or the register was reset");
        }

        var difference = counted - expected;
        var passed = Math.Abs(difference) <= allowed;
        var verdict = passed
            ? $"within the tolerance ({tolerance})"
            : $"MISCOUNT: {Format(Math.Abs(difference))} {(difference > 0 ? "more" : "fewer")} than expected, beyond the tolerance ({tolerance}, {Format(allowed)} pulses here)";
        return new PulseFinding(
            passed,
            expected,
            counted,
            allowed,
            $"{source} gave {counted} pulses where {reason} expected: {verdict}");
    }

    private static string Format(decimal value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
