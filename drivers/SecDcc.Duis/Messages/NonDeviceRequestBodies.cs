using System.Xml.Linq;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>12.2 Device Pre-notification (DevicePrenotification).</summary>
public sealed record DevicePreNotification(
    Eui64 DeviceId,
    string DeviceManufacturer,
    string DeviceModel,
    DeviceType DeviceType,
    string? SmetsChtsVersion = null,
    string? FirmwareVersion = null,
    string? EsmeVariant = null,
    Eui64? AssociatedGpfDeviceId = null) : IDuisRequestBody
{
    public const string ElementName = "DevicePrenotification";
    public string ServiceReferenceVariant => "12.2";

    public XElement ToXml() => E(ElementName,
        E("DeviceID", Text(DeviceId)),
        E("DeviceManufacturer", DeviceManufacturer),
        E("DeviceModel", DeviceModel),
        E("DeviceType", Enum(DeviceType)),
        Opt("SMETSCHTSVersion", SmetsChtsVersion),
        Opt("FirmwareVersion", FirmwareVersion),
        Opt("ESMEVariant", EsmeVariant),
        Opt("AssociatedGPFDeviceID", AssociatedGpfDeviceId));

    public static DevicePreNotification Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new DevicePreNotification(
            XmlValue.Eui(r.Required("DeviceID")),
            r.RequiredText("DeviceManufacturer"),
            r.RequiredText("DeviceModel"),
            XmlValue.Enum<DeviceType>(r.Required("DeviceType")),
            r.OptionalText("SMETSCHTSVersion"),
            r.OptionalText("FirmwareVersion"),
            r.OptionalText("ESMEVariant"),
            r.Optional("AssociatedGPFDeviceID") is { } gpf ? XmlValue.Eui(gpf) : null);
        r.End();
        return body;
    }
}

/// <summary>8.2 Read Inventory: by exactly one of Device ID, MPxN, UPRN or property (postcode + address identifier).</summary>
public sealed record ReadInventory : IDuisRequestBody
{
    public const string ElementName = "ReadInventory";

    private ReadInventory()
    {
    }

    public Eui64? DeviceId { get; private init; }
    public string? Mpxn { get; private init; }
    public ulong? Uprn { get; private init; }
    public string? PostCode { get; private init; }
    public string? AddressIdentifier { get; private init; }

    public string ServiceReferenceVariant => "8.2";

    public static ReadInventory ByDeviceId(Eui64 deviceId) => new() { DeviceId = deviceId };
    public static ReadInventory ByMpxn(string mpxn) => new() { Mpxn = mpxn };
    public static ReadInventory ByUprn(ulong uprn) => new() { Uprn = uprn };
    public static ReadInventory ByProperty(string postCode, string addressIdentifier) =>
        new() { PostCode = postCode, AddressIdentifier = addressIdentifier };

    public XElement ToXml() => E(ElementName,
        Uprn is { } uprn ? E("UPRN", Text(uprn)) : null,
        DeviceId is { } id ? E("DeviceID", Text(id)) : null,
        Mpxn is { } mpxn ? E("MPxN", mpxn) : null,
        PostCode is not null ? E("PropertyFilter", E("PostCode", PostCode), E("AddressIdentifier", AddressIdentifier)) : null);

    public static ReadInventory Read(XElement element)
    {
        var r = new SequenceReader(element);
        var choice = r.RequiredChoice("UPRN", "DeviceID", "MPxN", "PropertyFilter");
        r.End();
        switch (choice.Name.LocalName)
        {
            case "UPRN":
                return ByUprn(XmlValue.ULong(choice));
            case "DeviceID":
                return ByDeviceId(XmlValue.Eui(choice));
            case "MPxN":
                return ByMpxn(choice.Value);
            default:
                var p = new SequenceReader(choice);
                var result = ByProperty(p.RequiredText("PostCode"), p.RequiredText("AddressIdentifier"));
                p.End();
                return result;
        }
    }
}

/// <summary>8.3 Decommission Device.</summary>
public sealed record DecommissionDevice(Eui64 DeviceId) : IDuisRequestBody
{
    public const string ElementName = "DecommissionDevice";
    public string ServiceReferenceVariant => "8.3";

    public XElement ToXml() => E(ElementName, E("DeviceID", Text(DeviceId)));

    public static DecommissionDevice Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new DecommissionDevice(XmlValue.Eui(r.Required("DeviceID")));
        r.End();
        return body;
    }
}

/// <summary>8.4 Update Inventory: a Device ID and one of five updates.</summary>
public sealed record UpdateInventory(Eui64 DeviceId, InventoryUpdate Update) : IDuisRequestBody
{
    public const string ElementName = "UpdateInventory";
    public string ServiceReferenceVariant => "8.4";

    public XElement ToXml() => E(ElementName, E("DeviceID", Text(DeviceId)), Update.ToXml());

    public static UpdateInventory Read(XElement element)
    {
        var r = new SequenceReader(element);
        var id = XmlValue.Eui(r.Required("DeviceID"));
        var choice = r.RequiredChoice("UpdateDeviceStatusExceptCH", "UpdateDeviceStatusCH", "UpdateDeviceDetails", "DeleteDevice", "UpdateMPxN");
        r.End();
        return new UpdateInventory(id, InventoryUpdate.Read(choice));
    }
}

/// <summary>The choice inside 8.4 Update Inventory.</summary>
public abstract record InventoryUpdate
{
    internal abstract XElement ToXml();

    internal static InventoryUpdate Read(XElement choice)
    {
        switch (choice.Name.LocalName)
        {
            case "UpdateDeviceStatusExceptCH":
                return new UpdateDeviceStatusExceptCh(ReadStatus(choice, UpdateDeviceStatusExceptCh.Allowed));
            case "UpdateDeviceStatusCH":
                return new UpdateDeviceStatusCh(ReadStatus(choice, UpdateDeviceStatusCh.Allowed));
            case "DeleteDevice":
                new SequenceReader(choice).End();
                return new DeleteDevice();
            case "UpdateMPxN":
                var m = new SequenceReader(choice);
                var which = m.RequiredChoice("ImportMPxN", "SecondaryImportMPAN", "ExportMPAN");
                m.End();
                return new UpdateMpxn(which.Name.LocalName switch
                {
                    "ImportMPxN" => MpxnKind.ImportMpxn,
                    "SecondaryImportMPAN" => MpxnKind.SecondaryImportMpan,
                    _ => MpxnKind.ExportMpan,
                }, which.Value);
            default:
                var d = new SequenceReader(choice);
                var details = new UpdateDeviceDetails(
                    d.OptionalText("DeviceManufacturer"),
                    d.OptionalText("DeviceModel"),
                    d.OptionalText("SMETSCHTSVersion"),
                    d.OptionalText("FirmwareVersion"),
                    d.OptionalText("ESMEVariant"));
                d.End();
                return details;
        }
    }

    private static DeviceStatus ReadStatus(XElement e, IReadOnlyCollection<DeviceStatus> allowed)
    {
        var status = XmlValue.Enum<DeviceStatus>(e);
        return allowed.Contains(status) ? status
            : throw XmlValue.Invalid(e, $"'{e.Value}' is not allowed here; the schema allows {string.Join(", ", allowed)}.");
    }
}

/// <summary>UpdateDeviceStatusExceptCH: Pending or InstalledNotCommissioned.</summary>
public sealed record UpdateDeviceStatusExceptCh(DeviceStatus Status) : InventoryUpdate
{
    public static readonly IReadOnlyCollection<DeviceStatus> Allowed = [DeviceStatus.Pending, DeviceStatus.InstalledNotCommissioned];

    internal override XElement ToXml() => Allowed.Contains(Status)
        ? E("UpdateDeviceStatusExceptCH", XmlWrite.Enum(Status))
        : throw new ArgumentException($"UpdateDeviceStatusExceptCH takes {string.Join(" or ", Allowed)}, not {Status}.");
}

/// <summary>UpdateDeviceStatusCH: Commissioned, Withdrawn or InstalledNotCommissioned.</summary>
public sealed record UpdateDeviceStatusCh(DeviceStatus Status) : InventoryUpdate
{
    public static readonly IReadOnlyCollection<DeviceStatus> Allowed =
        [DeviceStatus.Commissioned, DeviceStatus.Withdrawn, DeviceStatus.InstalledNotCommissioned];

    internal override XElement ToXml() => Allowed.Contains(Status)
        ? E("UpdateDeviceStatusCH", XmlWrite.Enum(Status))
        : throw new ArgumentException($"UpdateDeviceStatusCH takes {string.Join(", ", Allowed)}, not {Status}.");
}

/// <summary>UpdateDeviceDetails: any of the pre-notified details.</summary>
public sealed record UpdateDeviceDetails(
    string? DeviceManufacturer = null,
    string? DeviceModel = null,
    string? SmetsChtsVersion = null,
    string? FirmwareVersion = null,
    string? EsmeVariant = null) : InventoryUpdate
{
    internal override XElement ToXml() => E("UpdateDeviceDetails",
        Opt("DeviceManufacturer", DeviceManufacturer),
        Opt("DeviceModel", DeviceModel),
        Opt("SMETSCHTSVersion", SmetsChtsVersion),
        Opt("FirmwareVersion", FirmwareVersion),
        Opt("ESMEVariant", EsmeVariant));
}

/// <summary>DeleteDevice (an empty element).</summary>
public sealed record DeleteDevice : InventoryUpdate
{
    internal override XElement ToXml() => E("DeleteDevice");
}

public enum MpxnKind { ImportMpxn, SecondaryImportMpan, ExportMpan }

/// <summary>UpdateMPxN: one of ImportMPxN, SecondaryImportMPAN, ExportMPAN.</summary>
public sealed record UpdateMpxn(MpxnKind Kind, string Value) : InventoryUpdate
{
    internal override XElement ToXml() => E("UpdateMPxN", E(Kind switch
    {
        MpxnKind.ImportMpxn => "ImportMPxN",
        MpxnKind.SecondaryImportMpan => "SecondaryImportMPAN",
        _ => "ExportMPAN",
    }, Value));
}

/// <summary>8.13 Return Local Command Response.</summary>
public sealed record ReturnLocalCommandResponse(byte[] DeviceGbcsResponse, RequestId? OriginalRequestId = null) : IDuisRequestBody
{
    public const string ElementName = "ReturnLocalCommandResponse";
    public string ServiceReferenceVariant => "8.13";

    public XElement ToXml() => E(ElementName,
        Opt("OriginalRequestID", OriginalRequestId),
        E("DeviceGBCSResponse", Text(DeviceGbcsResponse)));

    public static ReturnLocalCommandResponse Read(XElement element)
    {
        var r = new SequenceReader(element);
        var original = r.Optional("OriginalRequestID") is { } o ? XmlValue.RequestId(o) : (RequestId?)null;
        var body = new ReturnLocalCommandResponse(XmlValue.Base64(r.Required("DeviceGBCSResponse")), original);
        r.End();
        return body;
    }
}
