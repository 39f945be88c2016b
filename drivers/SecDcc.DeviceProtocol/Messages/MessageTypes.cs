using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>
/// The device link message types of the reference protocol (the frame header's 16-bit type). High byte:
/// 0x01 WAN (DCC ↔ CH, end to end through the CHF), 0x02 HAN housekeeping, 0x03 local port.
/// </summary>
public static class MessageTypes
{
    /// <summary>Device Certificates a device offers; unsigned, since each certificate carries its issuer's signature.</summary>
    public const ushort DeviceCertificates = 0x0100;

    /// <summary>The CHF's "connected to the SM WAN" communication (AC 4.1–4.2).</summary>
    public const ushort HubConnected = 0x0101;

    /// <summary>The CHF's "can communicate over the HAN with device X" alert (AC 4.4).</summary>
    public const ushort HanDeviceAlert = 0x0102;

    public const ushort UpdateHanDeviceLog = 0x0110;
    public const ushort JoinDevice = 0x0111;
    public const ushort UnjoinDevice = 0x0112;
    public const ushort CommissionDevice = 0x0113;
    public const ushort ReadDeviceLog = 0x0114;
    public const ushort RestoreDeviceLog = 0x0115;
    public const ushort ReadSecurityCredentials = 0x0116;
    public const ushort UpdateSecurityCredentials = 0x0117;
    public const ushort IssueSecurityCredentials = 0x0118;
    public const ushort CommandResponse = 0x0180;

    public const ushort HanDiscover = 0x0201;
    public const ushort HanAnnounce = 0x0202;

    public const ushort LocalQuery = 0x0301;
    public const ushort IdentityReport = 0x0381;
    public const ushort DeviceLogReport = 0x0382;
    public const ushort CredentialsReport = 0x0383;
    public const ushort StateReport = 0x0384;
    public const ushort LocalError = 0x03FF;

    /// <summary>Every WAN message but <see cref="DeviceCertificates"/> carries authority and must arrive signed.</summary>
    public static bool CarriesAuthority(ushort messageType) => messageType >> 8 == 0x01 && messageType != DeviceCertificates;

    /// <summary>The policy for every link of the reference protocol: WAN messages signed, HAN housekeeping and local port not.</summary>
    public static SignaturePolicy SignaturePolicy { get; } = SignaturePolicy.For(
        HubConnected, HanDeviceAlert, UpdateHanDeviceLog, JoinDevice, UnjoinDevice, CommissionDevice, ReadDeviceLog,
        RestoreDeviceLog, ReadSecurityCredentials, UpdateSecurityCredentials, IssueSecurityCredentials, CommandResponse);

    /// <summary>The link options both ends of every reference-protocol link use.</summary>
    public static LinkOptions LinkOptions { get; } = new() { Signatures = SignaturePolicy, MaxPayloadLength = 8192 };
}
