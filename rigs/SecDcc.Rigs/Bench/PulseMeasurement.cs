using SecDcc.Drivers.Gpio;
using SecDcc.Rigs.Emulation.Meters;

namespace SecDcc.Rigs.Bench;

/// <summary>How energy is made to flow through a meter while its pulses are counted.</summary>
public interface IMeterLoad
{
    /// <summary>"an emulated load of 3600 kW", "the bench's load bank, switched by the operator".</summary>
    string Describe { get; }

    /// <summary>Puts the load on, keeps it until the meter has measured at least <paramref name="energyWh"/>, and takes it off.</summary>
    Task RunAsync(decimal energyWh, CancellationToken cancellationToken);
}

/// <summary>An emulated meter's load, set through the emulator: on until its register has gained the energy asked for.</summary>
/// <param name="within">How long the energy may take; beyond it the meter is not measuring and the run is a bench fault.</param>
public sealed class EmulatedMeterLoad(SmartMeter meter, double watts, TimeSpan within) : IMeterLoad
{
    public string Describe => $"an emulated load of {watts / 1000:0.###} kW on {meter.Name}";

    public async Task RunAsync(decimal energyWh, CancellationToken cancellationToken)
    {
        var target = meter.EnergyWh + energyWh;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(within);
        meter.SetLoad(watts);
        try
        {
            using var poll = new PeriodicTimer(TimeSpan.FromMilliseconds(5));
            while (meter.EnergyWh < target)
            {
                await poll.WaitForNextTickAsync(deadline.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new BenchFaultException($"{meter.Name} measured {meter.EnergyWh:0.###} Wh of the {target:0.###} Wh asked for within {within.TotalSeconds:0.#} s at {watts:0} W: is it powered?");
        }
        finally
        {
            meter.SetLoad(0);
        }
    }
}

/// <summary>A real meter's load, switched by the person at the bench.</summary>
public sealed class ManualMeterLoad(string device, OperatorPrompt prompt) : IMeterLoad
{
    public string Describe => $"the load bank on {device}, switched by the operator";

    public async Task RunAsync(decimal energyWh, CancellationToken cancellationToken)
    {
        if (!await prompt($"Switch a load onto {device}, leave it until its register has gained at least {energyWh / 1000m:0.###} kWh, switch it off, then confirm.", cancellationToken).ConfigureAwait(false))
        {
            throw new OperatorDeclinedException($"the operator could not run a load through {device}");
        }
    }
}

/// <summary>A pulse count over a load, and the register before and after it, judged with <see cref="PulseCheck"/>.</summary>
public sealed record PulseMeasurement(PulseCount Count, EnergyReading Before, EnergyReading After, string Load, PulseFinding Finding)
{
    public override string ToString() => $"{Finding.Statement} (load: {Load}; {Count.Count} rising edges in {Count.Window.TotalSeconds:0.###} s, {Count.EdgeTiming})";

    /// <summary>
    /// Reads the register, counts the pulse input while <paramref name="load"/> runs <paramref name="energyWh"/>
    /// through the meter, reads the register again, and compares. The load is off during both readings, so no
    /// pulse falls between a reading and the count.
    /// </summary>
    public static async Task<PulseMeasurement> RunAsync(
        PulseInput input,
        Func<CancellationToken, Task<EnergyReading>> readRegister,
        IMeterLoad load,
        decimal energyWh,
        PulseTolerance tolerance,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.ImpulsesPerKwh <= 0)
        {
            throw new BenchFaultException($"{input.Describe()} belongs to a meter whose Device Model gives no meter constant; add meterConstant (imp/kWh) to it");
        }

        var before = await readRegister(cancellationToken).ConfigureAwait(false);
        PulseCount count;
        using (var counter = PulseCounter.Start(input.Controller, input.Line))
        {
            await load.RunAsync(energyWh, cancellationToken).ConfigureAwait(false);
            count = counter.Stop();
        }

        var after = await readRegister(cancellationToken).ConfigureAwait(false);
        var finding = PulseCheck.Compare(count.Count, before, after, input.ImpulsesPerKwh, tolerance, input.Describe());
        return new PulseMeasurement(count, before, after, load.Describe, finding);
    }
}
