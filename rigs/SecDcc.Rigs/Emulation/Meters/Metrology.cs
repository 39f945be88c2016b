using System.Globalization;

namespace SecDcc.Rigs.Emulation.Meters;

/// <summary>
/// An emulated electricity meter's metrology: the import energy register integrates the load over time on the
/// device's clock, and the pulse LED gives one pulse for every 1/constant kWh the register gains
/// (docs/decisions/1303). Under "pulse-miscount" every Nth pulse the register earns is not given.
/// </summary>
/// <remarks>
/// Energy accrues only while <see cref="Start"/>ed (the meter is powered). Pulses are given, in order, under the
/// same lock that moves the register, so a register read and the pulses seen up to it always agree.
/// </remarks>
internal sealed class Metrology(TimeProvider clock, int? impulsesPerKwh, int? missEvery)
{
    private readonly Lock _gate = new();
    private decimal _energyWh;
    private long _pulsesDue;
    private double _watts;
    private long _last;
    private bool _running;

    /// <summary>One blink of the pulse LED; raised under the metrology's lock, so keep it short.</summary>
    public event Action? Pulse;

    public int? ImpulsesPerKwh => impulsesPerKwh;

    public double LoadWatts
    {
        get
        {
            lock (_gate)
            {
                return _watts;
            }
        }
    }

    /// <summary>Pulses the register has earned (given, or missed under the quirk), for the state file.</summary>
    public long PulsesDue
    {
        get
        {
            lock (_gate)
            {
                return _pulsesDue;
            }
        }
    }

    /// <summary>The load the meter measures, in watts: the bench's load bank, set by a test or the emulator's user.</summary>
    public void SetLoad(double watts)
    {
        if (!double.IsFinite(watts) || watts < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(watts), watts, "a load is zero or more watts (this meter measures import only)");
        }

        lock (_gate)
        {
            AdvanceLocked();
            _watts = watts;
        }
    }

    /// <summary>Starts measuring from the register the meter kept.</summary>
    public void Start(decimal energyWh, long pulsesDue)
    {
        lock (_gate)
        {
            _energyWh = energyWh;
            _pulsesDue = impulsesPerKwh is { } c && pulsesDue == 0 ? PulsesFor(energyWh, c) : pulsesDue;
            _last = clock.GetTimestamp();
            _running = true;
        }
    }

    /// <summary>Stops measuring (the power went); returns the register to keep.</summary>
    public decimal Stop()
    {
        lock (_gate)
        {
            AdvanceLocked();
            _running = false;
            return _energyWh;
        }
    }

    /// <summary>Brings the register up to now, giving the pulses it earned; returns it in Wh.</summary>
    public decimal Advance()
    {
        lock (_gate)
        {
            AdvanceLocked();
            return _energyWh;
        }
    }

    /// <summary>The register as a meter shows it: kWh to the Wh, e.g. "000012.345".</summary>
    public static string Format(decimal energyWh) =>
        (decimal.Floor(energyWh) / 1000m).ToString("000000.000", CultureInfo.InvariantCulture);

    private void AdvanceLocked()
    {
        if (!_running)
        {
            return;
        }

        var now = clock.GetTimestamp();
        var seconds = (decimal)clock.GetElapsedTime(_last, now).TotalSeconds;
        _last = now;
        _energyWh += (decimal)_watts * seconds / 3600m;
        if (impulsesPerKwh is not { } constant)
        {
            return;
        }

        var due = PulsesFor(_energyWh, constant);
        while (_pulsesDue < due)
        {
            _pulsesDue++;
            if (missEvery is { } n && _pulsesDue % n == 0)
            {
                continue;
            }

            Pulse?.Invoke();
        }
    }

    private static long PulsesFor(decimal energyWh, int impulsesPerKwh) => (long)decimal.Floor(energyWh * impulsesPerKwh / 1000m);
}
