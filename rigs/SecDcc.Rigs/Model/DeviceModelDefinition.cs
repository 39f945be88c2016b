using SecDcc.DeviceProtocol.Messages;

namespace SecDcc.Rigs.Model;

/// <summary>What a Device Model file describes. CH covers both functions of a Communications Hub (CHF and GPF).</summary>
public enum ModelKind
{
    CH,
    ESME,
    GSME,
    PPMID,
    HCALCS,
    IHD,
    CAD,
}

/// <summary>A Device Model: the CPL's identifying fields, the firmware hash, and the quirks of an emulated model.</summary>
/// <param name="SourcePath">The model file, as named when loaded.</param>
/// <param name="FirmwareHash">SHA-256 of the firmware image, as the CPL records it (F2.6).</param>
/// <param name="Smets">"SMETS1" or "SMETS2+"; empty for a Type 2 device, which has no SMETS version on the CPL.</param>
public sealed record DeviceModelDefinition(
    string SourcePath,
    string Manufacturer,
    string Model,
    ModelKind Kind,
    string Smets,
    string HardwareVersion,
    string FirmwareVersion,
    Octets FirmwareHash,
    QuirkSet Quirks)
{
    /// <summary>The FLAG manufacturer ID a meter gives in its optical identification message ("SDC" when the file gives none).</summary>
    public string FlagId { get; init; } = DefaultFlagId;

    /// <summary>Impulses per kWh of the meter's pulse LED (its meter constant), for meters that have one.</summary>
    public int? MeterConstant { get; init; }

    /// <summary>How the device's join window opens, for a model that admits joins only after a button press; null: always open.</summary>
    public JoinWindowPolicy? JoinWindow { get; init; }

    public const string DefaultFlagId = "SDC";

    public DeviceModelInfo ToInfo() => new(Manufacturer, Model, HardwareVersion, FirmwareVersion, FirmwareHash, Smets);

    /// <summary>Whether a device of <paramref name="type"/> may be of this model.</summary>
    public bool Covers(DeviceType type) => Kind switch
    {
        ModelKind.CH => type is DeviceType.CHF or DeviceType.GPF,
        _ => type.ToString() == Kind.ToString(),
    };
}

/// <summary>A Device Model that admits 'Join Service' only while its join window is open, for <paramref name="Duration"/> after its button is pressed.</summary>
public sealed record JoinWindowPolicy(TimeSpan Duration)
{
    public override string ToString() => $"button, {Duration.TotalSeconds:0.###}s";
}
