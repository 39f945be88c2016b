using System.Text;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Optical;
using SecDcc.Rigs.Emulation.State;
using SecDcc.Rigs.Model;

namespace SecDcc.Rigs.Emulation.Meters;

/// <summary>
/// An emulated SMETS1 Smart Meter (ESME or GSME). It announces itself on the HAN at power-up (the CHF admits it
/// once whitelisted), keeps a Device Log that 'Join' and 'Unjoin' (8.7/8.8) change, and sets its commissioned
/// flag on 'Commission Device' (8.1.1, AC 4.11–4.13). Every command must carry the DCC's signature, checked
/// against the accessControlBroker Trust Anchor Cell; its responses are signed with the meter's own key.
/// <para>An ESME measures the load it is given into its import register (1.8.0) and blinks its pulse LED at its
/// meter constant; a meter with an optical port answers IEC 62056-21 mode C readout there with its identity
/// and registers while it is powered.</para>
/// </summary>
public sealed class SmartMeter : EmulatedDevice
{
    /// <summary>The project's data set for the manufacturer's name (OBIS leaves 96.1.x to manufacturers).</summary>
    public const string ManufacturerAddress = "96.1.2";

    /// <summary>OBIS C.2.8, the active firmware's signature: here the firmware hash, as hex.</summary>
    public const string FirmwareHashAddress = "0.2.8";

    /// <summary>OBIS 1.8.0, import active energy.</summary>
    public const string EnergyAddress = "1.8.0";

    private readonly Metrology? _metrology;
    private OpticalPortEmulator? _optical;

    internal SmartMeter(DeviceContext context)
        : base(context)
    {
        if (Type == DeviceType.ESME)
        {
            _metrology = new Metrology(Clock, Model.MeterConstant, Quirks.MiscountEvery);
            _metrology.Pulse += () => PulseLed?.Invoke();
        }
    }

    /// <summary>One blink of the pulse LED (an ESME with a meter constant): the bench drives the pulse input from it.</summary>
    public event Action? PulseLed;

    /// <summary>The load on the meter in watts; 0 until set.</summary>
    public double Load => _metrology?.LoadWatts ?? 0;

    /// <summary>The import energy register, in Wh, up to now.</summary>
    public decimal EnergyWh => _metrology?.Advance() ?? 0;

    /// <summary>What the optical port answers with, while the meter is powered.</summary>
    public OpticalMeterIdentity OpticalIdentity => new(
        Model.FlagId,
        '5',
        Printable(Model.Model, 16),
        Printable(Model.Model, 64),
        OpticalFirmwareVersion,
        Id.Value.ToString("X16", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The firmware version on the optical port: the model file's, but for "wrong-optical-firmware".</summary>
    public string OpticalFirmwareVersion =>
        Quirks.Has(QuirkKind.WrongOpticalFirmware) ? OtherVersion(Model.FirmwareVersion) : Model.FirmwareVersion;

    /// <summary>Sets the load the meter measures (the bench's load bank); an ESME only.</summary>
    /// <exception cref="InvalidOperationException">A gas meter: it measures no electrical load.</exception>
    public void SetLoad(double watts)
    {
        var metrology = _metrology ?? throw new InvalidOperationException($"{Name} is a {Type}: only an ESME measures an electrical load");
        metrology.SetLoad(watts);
        ShowRegister(metrology);
        Log.Write(Name, $"load set to {watts:0.###} W");
    }

    /// <summary>Corrupts one byte of the next optical data block (its BCC no longer matches), as a smeared probe would.</summary>
    /// <exception cref="InvalidOperationException">The meter has no optical port, or is powered off.</exception>
    public void GarbleNextOpticalBlock()
    {
        var optical = _optical ?? throw new InvalidOperationException(
            OpticalPort is null ? $"{Name} has no optical port in the rig file (add 'optical: emulated')" : $"{Name} is powered off: its optical port is dark");
        optical.GarbleNextBlock = true;
    }

    protected private override async Task OnPoweredOnAsync(CancellationToken cancellationToken)
    {
        if (OpticalPort is { } port)
        {
            _optical = OpticalPortEmulator.Start(port.Master, OpticalIdentity, OpticalRegisters());
        }

        if (_metrology is { } metrology)
        {
            Track(Task.Run(() => MeasureAsync(metrology, cancellationToken), CancellationToken.None));
        }

        await AnnounceAsync(cancellationToken).ConfigureAwait(false);
    }

    protected private override async Task OnPoweringOffAsync()
    {
        if (Interlocked.Exchange(ref _optical, null) is { } optical)
        {
            await optical.DisposeAsync().ConfigureAwait(false);
        }

        if (_metrology is { } metrology)
        {
            metrology.Stop();

            // The register is kept as a meter's power-fail store keeps it: written whole as the supply goes.
            await PersistAsync().ConfigureAwait(false);
        }
    }

    protected private override void RestoreNonVolatile(NonVolatileState state) => _metrology?.Start(state.EnergyWh, state.PulsesDue);

    protected private override void StoreNonVolatile(NonVolatileState state)
    {
        if (_metrology is { } metrology)
        {
            state.EnergyWh = metrology.Advance();
            state.PulsesDue = metrology.PulsesDue;
        }
    }

    protected private override CommandResponse Execute(DeviceCommand command)
    {
        if (command is not CommissionDevice commission)
        {
            return base.Execute(command);
        }

        Commissioned = true;
        return CommandResponse.Success(commission.RequestId);
    }

    /// <summary>Moves the register on the device's clock and shows it on the optical port, until the power goes.</summary>
    private async Task MeasureAsync(Metrology metrology, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(10), Clock);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            ShowRegister(metrology);
        }
    }

    /// <summary>Puts the register as it is now on the optical port, so a readout after a load change sees the change.</summary>
    private void ShowRegister(Metrology metrology) =>
        _optical?.SetRegister(EnergyAddress, Metrology.Format(metrology.Advance()), "kWh");

    private List<DataSet> OpticalRegisters()
    {
        List<DataSet> sets =
        [
            new(ManufacturerAddress, Printable(Model.Manufacturer, 64)),
            new(FirmwareHashAddress, ReportedModel.FirmwareHash.ToHex()),
        ];
        if (_metrology is { } metrology)
        {
            sets.Add(new DataSet(EnergyAddress, Metrology.Format(metrology.Advance()), "kWh"));
        }

        return sets;
    }

    /// <summary>Keeps what IEC 62056-21 allows in an identification or a data value: printable ASCII without its delimiters.</summary>
    private static string Printable(string text, int max)
    {
        var kept = new StringBuilder();
        foreach (var c in text.Where(c => c is >= ' ' and <= '~' && !"()/!*".Contains(c)))
        {
            kept.Append(c);
        }

        return kept.Length == 0 ? "METER" : kept.Length > max ? kept.ToString(0, max) : kept.ToString();
    }

    /// <summary>"4.0.3" → "4.0.4": a plausible other build, for the quirk.</summary>
    private static string OtherVersion(string version)
    {
        var at = version.Length;
        while (at > 0 && char.IsAsciiDigit(version[at - 1]))
        {
            at--;
        }

        return at < version.Length && int.TryParse(version[at..], out var last)
            ? version[..at] + (last + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : version + "-1";
    }
}
