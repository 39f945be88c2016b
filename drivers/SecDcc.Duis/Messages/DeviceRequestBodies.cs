using System.Xml.Linq;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>8.1.1 Commission Device (CommissionDeviceSynchroniseClock).</summary>
public sealed record CommissionDevice(DateTimeOffset CurrentDateTime, int TolerancePeriodSeconds) : IDuisRequestBody
{
    public const string ElementName = "CommissionDeviceSynchroniseClock";
    public string ServiceReferenceVariant => "8.1.1";

    public XElement ToXml() => TolerancePeriodSeconds is < 0 or > 86400
        ? throw new ArgumentOutOfRangeException(nameof(TolerancePeriodSeconds), TolerancePeriodSeconds, "TolerancePeriod is 0 to 86400 seconds.")
        : E(ElementName, E("CurrentDateTime", Text(CurrentDateTime)), E("TolerancePeriod", Text(TolerancePeriodSeconds)));

    public static CommissionDevice Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new CommissionDevice(XmlValue.DateTime(r.Required("CurrentDateTime")), XmlValue.Int(r.Required("TolerancePeriod")));
        r.End();
        return body;
    }
}

/// <summary>8.7.1 Join Service (Critical) and 8.7.2 Join Service (Non-Critical): the target Device joins OtherDeviceID.</summary>
public sealed record JoinService(bool Critical, Eui64 OtherDeviceId) : IDuisRequestBody
{
    public string ServiceReferenceVariant => Critical ? "8.7.1" : "8.7.2";

    public XElement ToXml() => E(Critical ? "JoinServiceCritical" : "JoinServiceNonCritical", E("OtherDeviceID", Text(OtherDeviceId)));

    public static JoinService Read(XElement element) => new(element.Name.LocalName == "JoinServiceCritical", ReadOther(element));

    internal static Eui64 ReadOther(XElement element)
    {
        var r = new SequenceReader(element);
        var other = XmlValue.Eui(r.Required("OtherDeviceID"));
        r.End();
        return other;
    }
}

/// <summary>8.8.1 Unjoin Service (Critical) and 8.8.2 Unjoin Service (Non-Critical).</summary>
public sealed record UnjoinService(bool Critical, Eui64 OtherDeviceId) : IDuisRequestBody
{
    public string ServiceReferenceVariant => Critical ? "8.8.1" : "8.8.2";

    public XElement ToXml() => E(Critical ? "UnjoinServiceCritical" : "UnjoinServiceNonCritical", E("OtherDeviceID", Text(OtherDeviceId)));

    public static UnjoinService Read(XElement element) =>
        new(element.Name.LocalName == "UnjoinServiceCritical", JoinService.ReadOther(element));
}

/// <summary>8.9 Read Device Log.</summary>
public sealed record ReadDeviceLog(DateTimeOffset? ExecutionDateTime = null, bool ReadSecurityDetails = false) : IDuisRequestBody
{
    public const string ElementName = "ReadDeviceLog";
    public string ServiceReferenceVariant => "8.9";

    public XElement ToXml() => E(ElementName, Opt("ExecutionDateTime", ExecutionDateTime), ReadSecurityDetails ? E("ReadSecurityDetails") : null);

    public static ReadDeviceLog Read(XElement element)
    {
        var r = new SequenceReader(element);
        var when = r.Optional("ExecutionDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var security = r.Optional("ReadSecurityDetails") is not null;
        r.End();
        return new ReadDeviceLog(when, security);
    }
}

/// <summary>AddDeviceToCHFWhitelist inside 8.11: join window, install code (6–16 bytes) and the meter's MPxNs.</summary>
public sealed record ChfWhitelistEntry(
    int JoinTimePeriodSeconds,
    byte[] InstallCode,
    string? ImportMpxn = null,
    string? SecondaryImportMpan = null,
    string? ExportMpan = null)
{
    internal XElement ToXml() => E("AddDeviceToCHFWhitelist",
        E("JoinTimePeriod", Text(JoinTimePeriodSeconds)),
        E("InstallCode", Convert.ToHexString(InstallCode)),
        Opt("ImportMPxN", ImportMpxn),
        Opt("SecondaryImportMPAN", SecondaryImportMpan),
        Opt("ExportMPAN", ExportMpan));

    internal static ChfWhitelistEntry Read(XElement element)
    {
        var r = new SequenceReader(element);
        var entry = new ChfWhitelistEntry(
            XmlValue.Int(r.Required("JoinTimePeriod")),
            XmlValue.Hex(r.Required("InstallCode")),
            r.OptionalText("ImportMPxN"),
            r.OptionalText("SecondaryImportMPAN"),
            r.OptionalText("ExportMPAN"));
        r.End();
        return entry;
    }
}

/// <summary>8.11 Update HAN Device Log: add a Device (with its whitelist entry) to, or remove it from, the CHF's device log.</summary>
public sealed record UpdateHanDeviceLog(
    Eui64 DeviceId,
    HanDeviceLogRequestType RequestType,
    ChfWhitelistEntry? AddToWhitelist = null,
    DateTimeOffset? ExecutionDateTime = null) : IDuisRequestBody
{
    public const string ElementName = "UpdateHANDeviceLog";
    public string ServiceReferenceVariant => "8.11";

    public XElement ToXml() => E(ElementName,
        Opt("ExecutionDateTime", ExecutionDateTime),
        E("DeviceID", Text(DeviceId)),
        E("RequestType", XmlWrite.Enum(RequestType)),
        AddToWhitelist?.ToXml());

    public static UpdateHanDeviceLog Read(XElement element)
    {
        var r = new SequenceReader(element);
        var when = r.Optional("ExecutionDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var id = XmlValue.Eui(r.Required("DeviceID"));
        var type = XmlValue.Enum<HanDeviceLogRequestType>(r.Required("RequestType"));
        var whitelist = r.Optional("AddDeviceToCHFWhitelist") is { } a ? ChfWhitelistEntry.Read(a) : null;
        r.End();
        return new UpdateHanDeviceLog(id, type, whitelist, when);
    }
}

/// <summary>8.12.1 Restore HAN Device Log (RestoreHANDeviceLog): copy the old CHF's device log to the target CHF.</summary>
public sealed record RestoreHanDeviceLog(Eui64 OldChfId) : IDuisRequestBody
{
    public const string ElementName = "RestoreHANDeviceLog";
    public string ServiceReferenceVariant => "8.12.1";

    public XElement ToXml() => E(ElementName, E("OldCHFID", Text(OldChfId)));

    public static RestoreHanDeviceLog Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new RestoreHanDeviceLog(XmlValue.Eui(r.Required("OldCHFID")));
        r.End();
        return body;
    }
}

/// <summary>8.12.2 Restore GPF Device Log (RestoreGPFDeviceLog).</summary>
public sealed record RestoreGpfDeviceLog(Eui64 OldGpfId) : IDuisRequestBody
{
    public const string ElementName = "RestoreGPFDeviceLog";
    public string ServiceReferenceVariant => "8.12.2";

    public XElement ToXml() => E(ElementName, E("OldGPFID", Text(OldGpfId)));

    public static RestoreGpfDeviceLog Read(XElement element)
    {
        var r = new SequenceReader(element);
        var body = new RestoreGpfDeviceLog(XmlValue.Eui(r.Required("OldGPFID")));
        r.End();
        return body;
    }
}
