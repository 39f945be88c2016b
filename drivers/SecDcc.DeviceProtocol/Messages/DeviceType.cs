namespace SecDcc.DeviceProtocol.Messages;

/// <summary>The DUIS Device Types. The numbers are the protocol's wire values; never renumber them.</summary>
public enum DeviceType : byte
{
    /// <summary>Electricity Smart Meter.</summary>
    ESME = 1,

    /// <summary>Gas Smart Meter.</summary>
    GSME = 2,

    /// <summary>Communications Hub Function.</summary>
    CHF = 3,

    /// <summary>Gas Proxy Function.</summary>
    GPF = 4,

    /// <summary>Pre-Payment Meter Interface Device.</summary>
    PPMID = 5,

    /// <summary>HAN Connected Auxiliary Load Control Switch.</summary>
    HCALCS = 6,

    /// <summary>In-Home Display (a Type 2 Device).</summary>
    IHD = 7,

    /// <summary>Consumer Access Device (a Type 2 Device).</summary>
    CAD = 8,
}

public static class DeviceTypes
{
    /// <summary>
    /// Type 2 Devices (SEC Section A: devices with no SMETS security, here IHD and CAD) are not on the CPL,
    /// have no SMI status (AC 2.9) and are never commissioned (AC 4.15).
    /// </summary>
    public static bool IsType2(this DeviceType type) => type is DeviceType.IHD or DeviceType.CAD;

    /// <summary>Devices that keep a Device Log other devices are joined to: the CHF (its HAN Device Log), meters and the GPF.</summary>
    public static bool OwnsDeviceLog(this DeviceType type) =>
        type is DeviceType.CHF or DeviceType.GPF or DeviceType.ESME or DeviceType.GSME;

    /// <summary>Smart Meters: the devices a 'Commission Device' Service Request (8.1.1, AC 4.11) is sent to.</summary>
    public static bool IsSmartMeter(this DeviceType type) => type is DeviceType.ESME or DeviceType.GSME;

    public static bool TryParse(string? text, out DeviceType type) =>
        Enum.TryParse(text, ignoreCase: false, out type) && Enum.IsDefined(type) && !int.TryParse(text, out _);

    public static string Names => string.Join(", ", Enum.GetNames<DeviceType>());
}
