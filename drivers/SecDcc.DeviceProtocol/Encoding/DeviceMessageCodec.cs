using System.Collections.Frozen;
using SecDcc.DeviceProtocol.Messages;

namespace SecDcc.DeviceProtocol.Encoding;

/// <summary>
/// Encodes and decodes the payload of a device link frame (decision record 0600):
/// <code>
/// payload = version (1 byte, now 1), field*
/// field   = tag (1 byte, 1..255), length (unsigned LEB128, minimal), value
/// </code>
/// Values: unsigned numbers and enums as minimal LEB128, booleans as one byte 0/1, EUI-64s as 8 bytes
/// big-endian, text as UTF-8, nested records as a field sequence, lists as the same tag repeated. Tags below
/// 128 must be understood by the receiver; tags from 128 up are extensions it may skip. The message type is
/// the frame header's, so it is not repeated in the payload.
/// </summary>
public static class DeviceMessageCodec
{
    public const byte CurrentVersion = 1;

    private static readonly FrozenDictionary<ushort, (string Name, Func<TlvReader, DeviceMessage> Read)> Readers =
        new Dictionary<ushort, (string, Func<TlvReader, DeviceMessage>)>
        {
            [MessageTypes.DeviceCertificates] = ("DeviceCertificates", DeviceCertificatesMessage.Read),
            [MessageTypes.HubConnected] = ("HubConnected", HubConnectedAlert.Read),
            [MessageTypes.HanDeviceAlert] = ("HanDeviceAlert", HanDeviceAlert.Read),
            [MessageTypes.UpdateHanDeviceLog] = ("UpdateHanDeviceLog", UpdateHanDeviceLog.Read),
            [MessageTypes.JoinDevice] = ("JoinDevice", JoinDevice.Read),
            [MessageTypes.UnjoinDevice] = ("UnjoinDevice", UnjoinDevice.Read),
            [MessageTypes.CommissionDevice] = ("CommissionDevice", CommissionDevice.Read),
            [MessageTypes.ReadDeviceLog] = ("ReadDeviceLog", ReadDeviceLog.Read),
            [MessageTypes.RestoreDeviceLog] = ("RestoreDeviceLog", RestoreDeviceLog.Read),
            [MessageTypes.ReadSecurityCredentials] = ("ReadSecurityCredentials", ReadSecurityCredentials.Read),
            [MessageTypes.UpdateSecurityCredentials] = ("UpdateSecurityCredentials", UpdateSecurityCredentials.Read),
            [MessageTypes.IssueSecurityCredentials] = ("IssueSecurityCredentials", IssueSecurityCredentials.Read),
            [MessageTypes.CommandResponse] = ("CommandResponse", CommandResponse.Read),
            [MessageTypes.HanDiscover] = ("HanDiscover", HanDiscover.Read),
            [MessageTypes.HanAnnounce] = ("HanAnnounce", HanAnnounce.Read),
            [MessageTypes.LocalQuery] = ("LocalQuery", LocalQuery.Read),
            [MessageTypes.IdentityReport] = ("IdentityReport", IdentityReport.Read),
            [MessageTypes.DeviceLogReport] = ("DeviceLogReport", DeviceLogReport.Read),
            [MessageTypes.CredentialsReport] = ("CredentialsReport", CredentialsReport.Read),
            [MessageTypes.StateReport] = ("StateReport", StateReport.Read),
            [MessageTypes.LocalError] = ("LocalError", LocalError.Read),
        }.ToFrozenDictionary();

    /// <summary>Every message type the codec knows.</summary>
    public static IReadOnlyCollection<ushort> KnownTypes => Readers.Keys;

    /// <summary>"UpdateHanDeviceLog (0x0110)", or "unknown message type 0x0199".</summary>
    public static string NameOf(ushort messageType) =>
        Readers.TryGetValue(messageType, out var r) ? $"{r.Name} (0x{messageType:X4})" : $"unknown message type 0x{messageType:X4}";

    public static byte[] Encode(DeviceMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var writer = new TlvWriter();
        writer.WriteRawByte(CurrentVersion);
        message.WriteFields(writer);
        return writer.ToArray();
    }

    /// <exception cref="DeviceMessageFormatException">The payload is not a well-formed message of that type.</exception>
    public static DeviceMessage Decode(ushort messageType, ReadOnlyMemory<byte> payload)
    {
        if (!Readers.TryGetValue(messageType, out var entry))
        {
            throw new DeviceMessageFormatException(
                DecodeError.UnknownMessageType,
                messageType,
                0,
                $"cannot decode message type 0x{messageType:X4}: it is not one of the reference device protocol's; the peer may speak another protocol (check the Device Model's WAN adapter)");
        }

        var context = $"{entry.Name} (0x{messageType:X4})";
        if (payload.IsEmpty)
        {
            throw new DeviceMessageFormatException(DecodeError.Truncated, messageType, 0, $"cannot decode {context}: the payload is empty (it must start with the version byte)");
        }

        var version = payload.Span[0];
        if (version != CurrentVersion)
        {
            throw new DeviceMessageFormatException(
                DecodeError.UnsupportedVersion,
                messageType,
                0,
                $"cannot decode {context}: payload version {version} is not supported (this end speaks version {CurrentVersion}); update SecDcc.DeviceProtocol on the older end");
        }

        var reader = new TlvReader(payload[1..], 1, messageType, context);
        var message = entry.Read(reader);
        reader.Finish();
        return message;
    }

    /// <summary>Decodes and checks the message is of the expected kind.</summary>
    public static T Decode<T>(ushort messageType, ReadOnlyMemory<byte> payload)
        where T : DeviceMessage
    {
        var message = Decode(messageType, payload);
        return message as T ?? throw new DeviceMessageFormatException(
            DecodeError.UnknownMessageType,
            messageType,
            0,
            $"expected a {typeof(T).Name} but the frame carries {NameOf(messageType)}");
    }
}
