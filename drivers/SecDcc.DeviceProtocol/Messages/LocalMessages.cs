using SecDcc.DeviceProtocol.Encoding;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>What the harness asks a device over its local port.</summary>
public enum LocalQueryKind : byte
{
    Identity = 1,
    DeviceLog = 2,
    Credentials = 3,
    State = 4,
}

/// <summary>A question on the local port; the device answers with the matching report and the same number.</summary>
public sealed record LocalQuery(uint RequestNumber, LocalQueryKind Query) : DeviceMessage
{
    public override ushort MessageType => MessageTypes.LocalQuery;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteUInt(2, (byte)Query);
    }

    internal static LocalQuery Read(TlvReader r) => new(r.RequiredUInt32(1, "requestNumber"), r.RequiredEnum<LocalQueryKind>(2, "query"));
}

/// <summary>A local-port answer: every report carries the number of the query it answers.</summary>
public abstract record LocalReport(uint RequestNumber) : DeviceMessage;

public sealed record IdentityReport(uint RequestNumber, DeviceIdentity Identity) : LocalReport(RequestNumber)
{
    public override ushort MessageType => MessageTypes.IdentityReport;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteEui(2, Identity.DeviceId);
        writer.WriteUInt(3, (byte)Identity.DeviceType);
        writer.WriteModel(4, Identity.Model);
        writer.WriteBytes(5, Identity.Certificate.Span);
    }

    internal static IdentityReport Read(TlvReader r) => new(
        r.RequiredUInt32(1, "requestNumber"),
        new DeviceIdentity(
            r.RequiredEui(2, "deviceId"),
            r.RequiredEnum<DeviceType>(3, "deviceType"),
            r.ReadModel(4),
            new Octets(r.RequiredBytes(5, "certificate").Span)));
}

public sealed record DeviceLogReport(uint RequestNumber, ValueList<DeviceLogEntry> Entries) : LocalReport(RequestNumber)
{
    public override ushort MessageType => MessageTypes.DeviceLogReport;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteEntries(2, Entries);
    }

    internal static DeviceLogReport Read(TlvReader r) => new(r.RequiredUInt32(1, "requestNumber"), r.ReadEntries(2));
}

public sealed record CredentialsReport(uint RequestNumber, ValueList<CredentialCell> Cells) : LocalReport(RequestNumber)
{
    public override ushort MessageType => MessageTypes.CredentialsReport;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteCells(2, Cells);
    }

    internal static CredentialsReport Read(TlvReader r) => new(r.RequiredUInt32(1, "requestNumber"), r.ReadCells(2));
}

public sealed record StateReport(uint RequestNumber, DeviceStateInfo State) : LocalReport(RequestNumber)
{
    public override ushort MessageType => MessageTypes.StateReport;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteBool(2, State.Commissioned);
        writer.WriteUInt(3, State.PowerUpCount);
        writer.WriteEntries(4, State.JoinedDevices);
        foreach (var id in State.ReachableDevices)
        {
            writer.WriteEui(5, id);
        }

        writer.WriteOptionalString(6, State.WanState);
        writer.WriteOptionalString(7, State.LinkStatistics);
    }

    internal static StateReport Read(TlvReader r) => new(
        r.RequiredUInt32(1, "requestNumber"),
        new DeviceStateInfo(
            r.RequiredBool(2, "commissioned"),
            r.RequiredUInt(3, "powerUpCount"),
            r.ReadEntries(4),
            r.RepeatedEui(5, "reachableDevices").ToValueList(),
            r.OptionalString(6, "wanState") ?? string.Empty,
            r.OptionalString(7, "linkStatistics") ?? string.Empty));
}

/// <summary>The device could not answer a local query; the text says why.</summary>
public sealed record LocalError(uint RequestNumber, string Message) : LocalReport(RequestNumber)
{
    public override ushort MessageType => MessageTypes.LocalError;

    internal override void WriteFields(TlvWriter writer)
    {
        writer.WriteUInt(1, RequestNumber);
        writer.WriteString(2, Message);
    }

    internal static LocalError Read(TlvReader r) => new(r.RequiredUInt32(1, "requestNumber"), r.RequiredString(2, "message"));
}
