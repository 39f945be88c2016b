using SecDcc.DeviceProtocol.Encoding;

namespace SecDcc.DeviceProtocol.Messages;

/// <summary>A typed message of the reference device protocol, carried as the payload of one device link frame.</summary>
public abstract record DeviceMessage
{
    public abstract ushort MessageType { get; }

    /// <summary>The message's name for logs and errors, e.g. "UpdateHanDeviceLog (0x0110)".</summary>
    public string Describe() => DeviceMessageCodec.NameOf(MessageType);

    internal abstract void WriteFields(TlvWriter writer);
}

/// <summary>A command the DCC sends a device over the WAN, signed by the DCC.</summary>
public abstract record DeviceCommand(RequestId RequestId) : DeviceMessage
{
    /// <summary>The DUIS Service Reference (Variant) this command carries out, e.g. "8.11".</summary>
    public abstract string ServiceReference { get; }
}

internal static class Fields
{
    public static void WriteRequestId(this TlvWriter w, byte tag, RequestId id) => w.WriteNested(tag, n =>
    {
        n.WriteEui(1, id.Originator);
        n.WriteEui(2, id.Target);
        n.WriteUInt(3, id.Counter);
    });

    public static RequestId ReadRequestId(this TlvReader r, byte tag)
    {
        var n = r.RequiredNested(tag, "requestId");
        var id = new RequestId(n.RequiredEui(1, "originator"), n.RequiredEui(2, "target"), n.RequiredUInt(3, "counter"));
        n.Finish();
        return id;
    }

    public static void WriteEntries(this TlvWriter w, byte tag, IEnumerable<DeviceLogEntry> entries)
    {
        foreach (var e in entries)
        {
            w.WriteNested(tag, n =>
            {
                n.WriteEui(1, e.DeviceId);
                n.WriteUInt(2, (byte)e.DeviceType);
            });
        }
    }

    public static ValueList<DeviceLogEntry> ReadEntries(this TlvReader r, byte tag) => r.RepeatedNested(tag, "entries").Select(n =>
    {
        var e = new DeviceLogEntry(n.RequiredEui(1, "deviceId"), n.RequiredEnum<DeviceType>(2, "deviceType"));
        n.Finish();
        return e;
    }).ToValueList();

    public static void WriteCells(this TlvWriter w, byte tag, IEnumerable<CredentialCell> cells)
    {
        foreach (var c in cells)
        {
            w.WriteNested(tag, n =>
            {
                n.WriteString(1, c.Name);
                n.WriteBytes(2, c.Value.Span);
            });
        }
    }

    public static ValueList<CredentialCell> ReadCells(this TlvReader r, byte tag) => r.RepeatedNested(tag, "cells").Select(n =>
    {
        var c = new CredentialCell(n.RequiredString(1, "name"), new Octets(n.RequiredBytes(2, "value").Span));
        n.Finish();
        return c;
    }).ToValueList();

    public static void WriteModel(this TlvWriter w, byte tag, DeviceModelInfo m) => w.WriteNested(tag, n =>
    {
        n.WriteString(1, m.Manufacturer);
        n.WriteString(2, m.Model);
        n.WriteString(3, m.HardwareVersion);
        n.WriteString(4, m.FirmwareVersion);
        n.WriteBytes(5, m.FirmwareHash.Span);
        n.WriteString(6, m.Smets);
    });

    public static DeviceModelInfo ReadModel(this TlvReader r, byte tag)
    {
        var n = r.RequiredNested(tag, "model");
        var m = new DeviceModelInfo(
            n.RequiredString(1, "manufacturer"),
            n.RequiredString(2, "model"),
            n.RequiredString(3, "hardwareVersion"),
            n.RequiredString(4, "firmwareVersion"),
            new Octets(n.RequiredBytes(5, "firmwareHash").Span),
            n.RequiredString(6, "smets"));
        n.Finish();
        return m;
    }
}
