using SecDcc.DeviceProtocol.Encoding;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>
/// Device Certificates a device offers to its peer (the CHF sends its own and the GPF's when it connects, and
/// each HAN device's before alerting on it). A receiver accepts a certificate only if it chains to an issuer it
/// trusts and names the device by its EUI-64, so the message needs no signature of its own.
/// </summary>
public sealed record DeviceCertificatesMessage(ValueList<Octets> Certificates) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.DeviceCertificates;

    internal override void WriteFields(TlvWriter writer)
    {
        foreach (var c in Certificates)
        {
            writer.WriteBytes(1, c.Span);
        }
    }

    internal static DeviceCertificatesMessage Read(TlvReader r) =>
        new(r.RepeatedBytes(1).Select(b => new Octets(b.Span)).ToValueList());
}

/// <summary>
/// The CHF's communication confirming it has connected to the SM WAN, signed with its Device key: what
/// commissions it (AC 4.1), once the DCC has confirmed it originates from the CHF it names (AC 4.2(c)).
/// </summary>
/// <param name="PowerUpCount">The hub's power-up count, so the DCC can tell a reconnection from a restart.</param>
public sealed record HubConnectedAlert(Eui64 ChfId, Eui64? GpfId, DeviceModelInfo Model, ulong PowerUpCount) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.HubConnected;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteEui(1, ChfId);
        if (GpfId is { } gpf)
        {
            writer.WriteEui(2, gpf);
        }

        writer.WriteModel(3, Model);
        writer.WriteUInt(4, PowerUpCount);
    }

    internal static HubConnectedAlert Read(TlvReader r) =>
        new(r.RequiredEui(1, "chfId"), r.OptionalEui(2, "gpfId"), r.ReadModel(3), r.RequiredUInt(4, "powerUpCount"));
}

/// <summary>The CHF's alert that it can communicate over the HAN with a device in its HAN Device Log (AC 4.4).</summary>
public sealed record HanDeviceAlert(Eui64 ChfId, Eui64 DeviceId, DeviceType DeviceType) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.HanDeviceAlert;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteEui(1, ChfId);
        writer.WriteEui(2, DeviceId);
        writer.WriteUInt(3, (byte)DeviceType);
    }

    internal static HanDeviceAlert Read(TlvReader r) =>
        new(r.RequiredEui(1, "chfId"), r.RequiredEui(2, "deviceId"), r.RequiredEnum<DeviceType>(3, "deviceType"));
}

public enum HanLogAction : byte
{
    Add = 1,
    Remove = 2,
}

/// <summary>'Update HAN Device Log' (8.11): add a device to, or remove it from, the CHF's HAN Device Log.</summary>
/// <param name="DeviceType">Required to add a device; a removal may leave it out.</param>
/// <param name="InstallCode">The device's install code, opaque; empty when the request carries none.</param>
public sealed record UpdateHanDeviceLog(RequestId RequestId, HanLogAction Action, Eui64 DeviceId, DeviceType? DeviceType, Octets InstallCode)
    : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.UpdateHanDeviceLog;

    public override string ServiceReference => "8.11";

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteUInt(2, (byte)Action);
        writer.WriteEui(3, DeviceId);
        if (DeviceType is { } type)
        {
            writer.WriteUInt(4, (byte)type);
        }

        if (!InstallCode.IsEmpty)
        {
            writer.WriteBytes(5, InstallCode.Span);
        }
    }

    internal static UpdateHanDeviceLog Read(TlvReader r) => new(
        r.ReadRequestId(1),
        r.RequiredEnum<HanLogAction>(2, "action"),
        r.RequiredEui(3, "deviceId"),
        r.OptionalUInt(4, "deviceType") is null ? null : r.RequiredEnum<DeviceType>(4, "deviceType"),
        r.OptionalBytes(5, "installCode") is { } code ? new Octets(code.Span) : Octets.Empty);
}

/// <summary>'Join Service' (8.7.x), sent to the meter or GPF that owns the Device Log: add the device to it.</summary>
public sealed record JoinDevice(RequestId RequestId, Eui64 DeviceId, DeviceType DeviceType) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.JoinDevice;

    public override string ServiceReference => "8.7";

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteEui(2, DeviceId);
        writer.WriteUInt(3, (byte)DeviceType);
    }

    internal static JoinDevice Read(TlvReader r) =>
        new(r.ReadRequestId(1), r.RequiredEui(2, "deviceId"), r.RequiredEnum<DeviceType>(3, "deviceType"));
}

/// <summary>'Unjoin Service' (8.8.x), sent to the Device Log's owner: remove the device from it.</summary>
public sealed record UnjoinDevice(RequestId RequestId, Eui64 DeviceId) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.UnjoinDevice;

    public override string ServiceReference => "8.8";

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteEui(2, DeviceId);
    }

    internal static UnjoinDevice Read(TlvReader r) => new(r.ReadRequestId(1), r.RequiredEui(2, "deviceId"));
}

/// <summary>'Commission Device' (8.1.1, AC 4.11–4.13), sent to a Smart Meter: set its commissioned flag.</summary>
public sealed record CommissionDevice(RequestId RequestId) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.CommissionDevice;

    public override string ServiceReference => "8.1.1";

    internal override void WriteFields(TlvWriter writer) => writer.WriteRequestId(1, RequestId);

    internal static CommissionDevice Read(TlvReader r) => new(r.ReadRequestId(1));
}

/// <summary>'Read Device Log' (8.9): the response carries the Device Log's entries.</summary>
public sealed record ReadDeviceLog(RequestId RequestId) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.ReadDeviceLog;

    public override string ServiceReference => "8.9";

    internal override void WriteFields(TlvWriter writer) => writer.WriteRequestId(1, RequestId);

    internal static ReadDeviceLog Read(TlvReader r) => new(r.ReadRequestId(1));
}

/// <summary>'Restore HAN Device Log' / 'Restore GPF Device Log' (8.12.x): replace the Device Log with these entries.</summary>
public sealed record RestoreDeviceLog(RequestId RequestId, ValueList<DeviceLogEntry> Entries) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.RestoreDeviceLog;

    public override string ServiceReference => "8.12";

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteEntries(2, Entries);
    }

    internal static RestoreDeviceLog Read(TlvReader r) => new(r.ReadRequestId(1), r.ReadEntries(2));
}

/// <summary>'Retrieve Device Security Credentials' (6.24.x): the response carries the named cells, or all when none are named.</summary>
public sealed record ReadSecurityCredentials(RequestId RequestId, string ServiceReferenceVariant, ValueList<string> CellNames)
    : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.ReadSecurityCredentials;

    public override string ServiceReference => ServiceReferenceVariant;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteString(2, ServiceReferenceVariant);
        foreach (var name in CellNames)
        {
            writer.WriteString(3, name);
        }
    }

    internal static ReadSecurityCredentials Read(TlvReader r) =>
        new(r.ReadRequestId(1), r.RequiredString(2, "serviceReference"), r.RepeatedString(3, "cellNames").ToValueList());
}

/// <summary>'Update Security Credentials' (6.15.x, 6.23): write these cells; their content is opaque here.</summary>
public sealed record UpdateSecurityCredentials(RequestId RequestId, string ServiceReferenceVariant, ValueList<CredentialCell> Cells)
    : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.UpdateSecurityCredentials;

    public override string ServiceReference => ServiceReferenceVariant;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteString(2, ServiceReferenceVariant);
        writer.WriteCells(3, Cells);
    }

    internal static UpdateSecurityCredentials Read(TlvReader r) =>
        new(r.ReadRequestId(1), r.RequiredString(2, "serviceReference"), r.ReadCells(3));
}

/// <summary>'Issue Security Credentials' (6.17): the response carries the device's Device Certificate cell.</summary>
public sealed record IssueSecurityCredentials(RequestId RequestId, string ServiceReferenceVariant) : DeviceCommand(RequestId)
{
    public override ushort MessageType => MessageTypes.IssueSecurityCredentials;

    public override string ServiceReference => ServiceReferenceVariant;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteString(2, ServiceReferenceVariant);
    }

    internal static IssueSecurityCredentials Read(TlvReader r) => new(r.ReadRequestId(1), r.RequiredString(2, "serviceReference"));
}

public enum ResponseStatus : byte
{
    Success = 1,
    Failure = 2,
}

/// <summary>Why a device did not carry out a command.</summary>
public enum ResponseReason : byte
{
    None = 0,

    /// <summary>The device does not do this command (e.g. 'Commission Device' sent to an IHD).</summary>
    NotSupported = 1,

    /// <summary>The device named is not in the Device Log.</summary>
    NotInDeviceLog = 2,

    /// <summary>The device could do it but declines (a Device Model's policy).</summary>
    Refused = 3,

    /// <summary>The CHF could not pass the command on: the target is not on its HAN.</summary>
    TargetUnreachable = 4,

    /// <summary>The command's values are not acceptable (an unknown cell name, a full log).</summary>
    InvalidValue = 5,
}

/// <summary>A device's response to a command, signed by the device that executed it.</summary>
/// <param name="Entries">For 'Read Device Log': the log's entries.</param>
/// <param name="Cells">For credential commands: the cells read or issued.</param>
public sealed record CommandResponse(
    RequestId RequestId,
    ResponseStatus Status,
    ResponseReason Reason,
    string Detail,
    ValueList<DeviceLogEntry> Entries,
    ValueList<CredentialCell> Cells) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.CommandResponse;

    public bool Succeeded => Status == ResponseStatus.Success;

    public static CommandResponse Success(RequestId id, ValueList<DeviceLogEntry>? entries = null, ValueList<CredentialCell>? cells = null) =>
        new(id, ResponseStatus.Success, ResponseReason.None, string.Empty, entries ?? ValueList<DeviceLogEntry>.Empty, cells ?? ValueList<CredentialCell>.Empty);

    public static CommandResponse Failure(RequestId id, ResponseReason reason, string detail) =>
        new(id, ResponseStatus.Failure, reason, detail, ValueList<DeviceLogEntry>.Empty, ValueList<CredentialCell>.Empty);

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteRequestId(1, RequestId);
        writer.WriteUInt(2, (byte)Status);
        writer.WriteUInt(3, (byte)Reason);
        writer.WriteOptionalString(4, Detail);
        writer.WriteEntries(5, Entries);
        writer.WriteCells(6, Cells);
    }

    internal static CommandResponse Read(TlvReader r) => new(
        r.ReadRequestId(1),
        r.RequiredEnum<ResponseStatus>(2, "status"),
        r.RequiredEnum<ResponseReason>(3, "reason"),
        r.OptionalString(4, "detail") ?? string.Empty,
        r.ReadEntries(5),
        r.ReadCells(6));
}
