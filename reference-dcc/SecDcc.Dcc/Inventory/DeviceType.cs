namespace SecDcc.Dcc.Inventory;

/// <summary>Device Types, named as DUIS names them.</summary>
public enum DeviceType
{
    /// <summary>Electricity Smart Meter.</summary>
    ESME,
    /// <summary>Gas Smart Meter.</summary>
    GSME,
    /// <summary>Communications Hub Function.</summary>
    CHF,
    /// <summary>Gas Proxy Function.</summary>
    GPF,
    /// <summary>Pre-Payment Meter Interface Device.</summary>
    PPMID,
    /// <summary>HAN Connected Auxiliary Load Control Switch.</summary>
    HCALCS,
    /// <summary>In-Home Display.</summary>
    IHD,
    /// <summary>Consumer Access Device.</summary>
    CAD,
}

/// <summary>What part a Device Type plays in a Smart Metering System; the rules branch on this, not on the type.</summary>
public enum DeviceClass
{
    SmartMeter,
    CommunicationsHubFunction,
    GasProxyFunction,
    /// <summary>"A Type 1 Device is a HAN Connected Auxiliary Load Control Switch or a Pre-Payment Meter Interface Device."</summary>
    Type1,
    /// <summary>"A Type 2 Device is a device that does not store or use the Security Credentials of other devices for the purposes of communicating via the HAN."</summary>
    Type2,
}

/// <summary>The facts about each Device Type, kept as data so every rule reads the same table.</summary>
public static class DeviceTypes
{
    // Type 1 / Type 2 follow the definitions in the plain-English guide to Section F
    // (shared/spec/001_9a6282c8daa3a67b.txt, "A Type 1 Device is a HAN Connected Auxiliary Load Control Switch
    // or a Pre-Payment Meter Interface Device. A Type 2 Device is a device that does not store or use the
    // Security Credentials of other devices for the purposes of communicating via the HAN."). IHDs and CADs
    // hold no Security Credentials of other devices, so they are Type 2.
    private static readonly IReadOnlyDictionary<DeviceType, DeviceClass> Classes = new Dictionary<DeviceType, DeviceClass>
    {
        [DeviceType.ESME] = DeviceClass.SmartMeter,
        [DeviceType.GSME] = DeviceClass.SmartMeter,
        [DeviceType.CHF] = DeviceClass.CommunicationsHubFunction,
        [DeviceType.GPF] = DeviceClass.GasProxyFunction,
        [DeviceType.PPMID] = DeviceClass.Type1,
        [DeviceType.HCALCS] = DeviceClass.Type1,
        [DeviceType.IHD] = DeviceClass.Type2,
        [DeviceType.CAD] = DeviceClass.Type2,
    };

    public static DeviceClass ClassOf(this DeviceType type) => Classes[type];
    public static bool IsType2(this DeviceType type) => type.ClassOf() == DeviceClass.Type2;
    public static bool IsType1(this DeviceType type) => type.ClassOf() == DeviceClass.Type1;
    public static bool IsSmartMeter(this DeviceType type) => type.ClassOf() == DeviceClass.SmartMeter;

    /// <summary>Electricity devices take MPANs; gas devices take an MPRN (AC 4.3(b)).</summary>
    public static bool IsGas(this DeviceType type) => type is DeviceType.GSME or DeviceType.GPF;

    public static bool TryParse(string? text, out DeviceType type) =>
        Enum.TryParse(text, ignoreCase: false, out type) && Enum.IsDefined(type);

    public static string Names => string.Join(", ", Enum.GetNames<DeviceType>());
}

/// <summary>SMI Status, with the names DUIS uses. Type 2 Devices have none (AC 2.9).</summary>
public enum SmiStatus
{
    Pending,
    Whitelisted,
    InstalledNotCommissioned,
    Commissioned,
    Decommissioned,
    Withdrawn,
    Suspended,
}

/// <summary>Whether a Device is a SMETS1 Device or a SMETS2+ Device.</summary>
public enum SmetsGeneration
{
    SMETS1,
    SMETS2Plus,
}

/// <summary>
/// A Device Model: manufacturer, model, hardware version and firmware version (SEC F2.2(a)–(c)).
/// Two devices that differ only in firmware version are of different Device Models.
/// </summary>
public sealed record DeviceModel(string Manufacturer, string Model, string HardwareVersion, string FirmwareVersion)
{
    /// <summary>A stable text key, used to compare and store models.</summary>
    public string Key => $"{Manufacturer}|{Model}|{HardwareVersion}|{FirmwareVersion}";

    public override string ToString() => $"{Manufacturer} {Model} (hardware {HardwareVersion}, firmware {FirmwareVersion})";
}
