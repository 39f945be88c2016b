using System.Globalization;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>
/// Correlates a response with its command. Shaped as a DUIS RequestID (originator:target:counter), so the
/// DCC can carry the Service Request's own ID through to the device and back.
/// </summary>
public readonly record struct RequestId(Eui64 Originator, Eui64 Target, ulong Counter)
{
    /// <summary>"90-B3-D5-1F-30-00-00-02:00-DB-12-34-56-78-00-03:1042".</summary>
    public override string ToString() => $"{Originator}:{Target}:{Counter.ToString(CultureInfo.InvariantCulture)}";

    public static RequestId Parse(string text)
    {
        var parts = text.Split(':');
        if (parts.Length != 3
            || !Eui64.TryParse(parts[0], out var originator)
            || !Eui64.TryParse(parts[1], out var target)
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var counter))
        {
            throw new FormatException(
                $"'{text}' is not a request ID: expected originator:target:counter, such as 90-B3-D5-1F-30-00-00-02:00-DB-12-34-56-78-00-03:1042");
        }

        return new RequestId(originator, target, counter);
    }
}

/// <summary>One entry of a Device Log: a device that may talk to the log's owner.</summary>
public sealed record DeviceLogEntry(Eui64 DeviceId, DeviceType DeviceType)
{
    public override string ToString() => $"{DeviceType} {DeviceId}";
}

/// <summary>
/// A security credential or Trust Anchor Cell (AC 3.1–3.2), by name, with its content kept as opaque bytes
/// (typically an X.509 certificate in DER). The names the emulated devices use are in <see cref="CredentialCells"/>.
/// </summary>
public sealed record CredentialCell(string Name, Octets Value)
{
    public override string ToString() => $"{Name} ({Value.Length} bytes)";
}

/// <summary>The Trust Anchor Cell names of AC 3.2's table, and the device's own certificate.</summary>
public static class CredentialCells
{
    public const string Root = "root";
    public const string Recovery = "recovery";

    /// <summary>Holds the certificate whose key signs the DCC's commands; devices verify commands with it.</summary>
    public const string AccessControlBroker = "accessControlBroker";
    public const string TransitionalCoS = "transitionalCoS";
    public const string Supplier = "supplier";
    public const string NetworkOperator = "networkOperator";
    public const string WanProvider = "wanProvider";

    /// <summary>Not a trust anchor: the device's own Device Certificate, as read by 6.24 and reissued by 6.17.</summary>
    public const string DeviceCertificate = "deviceCertificate";

    public static IReadOnlyList<string> TrustAnchors { get; } =
        [Root, Recovery, AccessControlBroker, TransitionalCoS, Supplier, NetworkOperator, WanProvider];
}

/// <summary>What the Device Model of a device says about it, as the device itself reports it.</summary>
public sealed record DeviceModelInfo(
    string Manufacturer,
    string Model,
    string HardwareVersion,
    string FirmwareVersion,
    Octets FirmwareHash,
    string Smets)
{
    public override string ToString() => $"{Manufacturer} {Model} hw {HardwareVersion} fw {FirmwareVersion} ({Smets})";
}

/// <summary>Who a device says it is: identity read over its local port.</summary>
/// <param name="Certificate">The Device Certificate in DER, binding <paramref name="DeviceId"/> to the device's public key.</param>
public sealed record DeviceIdentity(Eui64 DeviceId, DeviceType DeviceType, DeviceModelInfo Model, Octets Certificate);

/// <summary>A device's state as read over its local port.</summary>
/// <param name="Commissioned">The commissioned flag that 'Commission Device' (8.1.1) sets on a meter.</param>
/// <param name="PowerUpCount">How many times the device has started; kept in non-volatile memory.</param>
/// <param name="JoinedDevices">The device's Device Log (for a CHF, its HAN Device Log).</param>
/// <param name="ReachableDevices">Devices heard on the HAN since power-up (volatile; a CHF's view).</param>
/// <param name="WanState">For a CHF, its WAN link ("connected", "connecting", ...); empty otherwise.</param>
/// <param name="LinkStatistics">Frames received and dropped, by reason, on each of the device's links.</param>
public sealed record DeviceStateInfo(
    bool Commissioned,
    ulong PowerUpCount,
    ValueList<DeviceLogEntry> JoinedDevices,
    ValueList<Eui64> ReachableDevices,
    string WanState,
    string LinkStatistics);
