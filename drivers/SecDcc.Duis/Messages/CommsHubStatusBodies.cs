using System.Xml.Linq;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>The fixed texts of the 8.14 Communications Hub Status Update enumerations, as in the XSD.</summary>
public static class CommsHubTexts
{
    public const string NewChfInstall = "New CHF Install";
    public const string ReplacementChfInstall = "Replacement CHF Install";
    public const string ChfInstallNoSmWan = "CHF Install - no SM WAN";

    public const string OutsidePremises = "Outside Premises";
    public const string IndoorsOnExternalWall = "Indoors on external wall";
    public const string DeepIndoors = "Deep indoors";
    public const string BasementOrCellar = "Basement or Cellar";

    public const string FaultPriorToInstallation = "Fault identified prior to installation";
    public const string FaultPostInstallation = "Fault identified post installation";

    public const string NoFaultReturnGeneral = "No Fault Return (general)";
    public const string LostOrStolenHub = "Lost or Stolen Hub";

    public const string HotShoe = "Hot-shoe";
    public const string Cradle = "Cradle";

    public const string DamagedCase = "Damaged case";
    public const string SmWanFault = "SM WAN Fault";

    public const string DetachedOrSemiDetached = "Detached / Semi Detached";
    public const string Terraced = "Terraced";
}

/// <summary>The fields 8.14.1 and 8.14.2 share, in schema order, up to CHFLocation.</summary>
internal static class ChfInstallFields
{
    public static IEnumerable<XElement?> Write(Eui64 deviceId, string installType, DateTimeOffset? installed, string? userRef, string mpxn, string? gis, bool aerial, string location) =>
    [
        E("DeviceID", Text(deviceId)),
        E("CHFInstallType", installType),
        Opt("InstallDateTime", installed),
        Opt("UserRefID", userRef),
        E("MPxN", mpxn),
        Opt("GISData", gis),
        E("AerialInstall", Text(aerial)),
        E("CHFLocation", location),
    ];

    public static (Eui64 Id, string Type, DateTimeOffset? Installed, string? UserRef, string Mpxn, string? Gis, bool Aerial, string Location) Read(SequenceReader r) =>
    (
        XmlValue.Eui(r.Required("DeviceID")),
        r.RequiredText("CHFInstallType"),
        r.Optional("InstallDateTime") is { } i ? XmlValue.DateTime(i) : null,
        r.OptionalText("UserRefID"),
        r.RequiredText("MPxN"),
        r.OptionalText("GISData"),
        XmlValue.Bool(r.Required("AerialInstall")),
        r.RequiredText("CHFLocation")
    );
}

/// <summary>8.14.1 Communications Hub Status Update – Install Success (CHFInstallSuccessSMWAN).</summary>
public sealed record ChfInstallSuccess(
    Eui64 DeviceId,
    string ChfInstallType,
    string Mpxn,
    bool AerialInstall,
    string ChfLocation,
    DateTimeOffset? InstallDateTime = null,
    string? UserRefId = null,
    string? GisData = null,
    string? AdditionalInformation = null) : IDuisRequestBody
{
    public const string ElementName = "CHFInstallSuccessSMWAN";
    public string ServiceReferenceVariant => "8.14.1";

    public XElement ToXml() => E(ElementName,
        ChfInstallFields.Write(DeviceId, ChfInstallType, InstallDateTime, UserRefId, Mpxn, GisData, AerialInstall, ChfLocation),
        Opt("AdditionalInformation", AdditionalInformation));

    public static ChfInstallSuccess Read(XElement element)
    {
        var r = new SequenceReader(element);
        var f = ChfInstallFields.Read(r);
        var info = r.OptionalText("AdditionalInformation");
        r.End();
        return new ChfInstallSuccess(f.Id, f.Type, f.Mpxn, f.Aerial, f.Location, f.Installed, f.UserRef, f.Gis, info);
    }
}

/// <summary>8.14.2 Communications Hub Status Update – Install No SM WAN (CHFInstallSuccessNoSMWAN).</summary>
public sealed record ChfInstallNoSmWan(
    Eui64 DeviceId,
    string ChfInstallType,
    string Mpxn,
    bool AerialInstall,
    string ChfLocation,
    string PremiseType,
    bool MetalObstructionCheck,
    bool ConnectivityObstructionCheck,
    bool SharedObstructionCheck,
    DateTimeOffset? InstallDateTime = null,
    string? UserRefId = null,
    string? GisData = null,
    string? AdditionalInformation = null) : IDuisRequestBody
{
    public const string ElementName = "CHFInstallSuccessNoSMWAN";
    public string ServiceReferenceVariant => "8.14.2";

    public XElement ToXml() => E(ElementName,
        ChfInstallFields.Write(DeviceId, ChfInstallType, InstallDateTime, UserRefId, Mpxn, GisData, AerialInstall, ChfLocation),
        E("PremiseType", PremiseType),
        E("MetalObstructionCheck", Text(MetalObstructionCheck)),
        E("ConnectivityObstructionCheck", Text(ConnectivityObstructionCheck)),
        E("SharedObstructionCheck", Text(SharedObstructionCheck)),
        Opt("AdditionalInformation", AdditionalInformation));

    public static ChfInstallNoSmWan Read(XElement element)
    {
        var r = new SequenceReader(element);
        var f = ChfInstallFields.Read(r);
        var premise = r.RequiredText("PremiseType");
        var metal = XmlValue.Bool(r.Required("MetalObstructionCheck"));
        var connectivity = XmlValue.Bool(r.Required("ConnectivityObstructionCheck"));
        var shared = XmlValue.Bool(r.Required("SharedObstructionCheck"));
        var info = r.OptionalText("AdditionalInformation");
        r.End();
        return new ChfInstallNoSmWan(f.Id, f.Type, f.Mpxn, f.Aerial, f.Location, premise, metal, connectivity, shared, f.Installed, f.UserRef, f.Gis, info);
    }
}

/// <summary>8.14.3 Communications Hub Status Update – Fault Return (CHFFaultReturn).</summary>
public sealed record ChfFaultReturn(
    Eui64 DeviceId,
    string ChfFaultReturnType,
    Eui64 OtherDeviceId,
    string ChfConnectionMethod,
    string ChfFaultReason,
    DateTimeOffset? UserRefDateTime = null,
    string? UserRefId = null,
    string? IncidentReference = null,
    string? AdditionalInformation = null) : IDuisRequestBody
{
    public const string ElementName = "CHFFaultReturn";
    public string ServiceReferenceVariant => "8.14.3";

    public XElement ToXml() => E(ElementName,
        E("DeviceID", Text(DeviceId)),
        E("CHFFaultReturnType", ChfFaultReturnType),
        Opt("UserRefDateTime", UserRefDateTime),
        Opt("UserRefID", UserRefId),
        E("OtherDeviceID", Text(OtherDeviceId)),
        Opt("IncidentReference", IncidentReference),
        E("CHFConnectionMethod", ChfConnectionMethod),
        E("CHFFaultReason", ChfFaultReason),
        Opt("AdditionalInformation", AdditionalInformation));

    public static ChfFaultReturn Read(XElement element)
    {
        var r = new SequenceReader(element);
        var id = XmlValue.Eui(r.Required("DeviceID"));
        var type = r.RequiredText("CHFFaultReturnType");
        var when = r.Optional("UserRefDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var userRef = r.OptionalText("UserRefID");
        var other = XmlValue.Eui(r.Required("OtherDeviceID"));
        var incident = r.OptionalText("IncidentReference");
        var method = r.RequiredText("CHFConnectionMethod");
        var reason = r.RequiredText("CHFFaultReason");
        var info = r.OptionalText("AdditionalInformation");
        r.End();
        return new ChfFaultReturn(id, type, other, method, reason, when, userRef, incident, info);
    }
}

/// <summary>8.14.4 Communications Hub Status Update – No Fault Return (CHFNoFaultReturn).</summary>
public sealed record ChfNoFaultReturn(
    Eui64 DeviceId,
    string ChfNoFaultReturnType,
    DateTimeOffset? UserRefDateTime = null,
    string? UserRefId = null,
    string? IncidentReference = null,
    string? AdditionalInformation = null) : IDuisRequestBody
{
    public const string ElementName = "CHFNoFaultReturn";
    public string ServiceReferenceVariant => "8.14.4";

    public XElement ToXml() => E(ElementName,
        E("DeviceID", Text(DeviceId)),
        E("CHFNoFaultReturnType", ChfNoFaultReturnType),
        Opt("UserRefDateTime", UserRefDateTime),
        Opt("UserRefID", UserRefId),
        Opt("IncidentReference", IncidentReference),
        Opt("AdditionalInformation", AdditionalInformation));

    public static ChfNoFaultReturn Read(XElement element)
    {
        var r = new SequenceReader(element);
        var id = XmlValue.Eui(r.Required("DeviceID"));
        var type = r.RequiredText("CHFNoFaultReturnType");
        var when = r.Optional("UserRefDateTime") is { } w ? XmlValue.DateTime(w) : (DateTimeOffset?)null;
        var userRef = r.OptionalText("UserRefID");
        var incident = r.OptionalText("IncidentReference");
        var info = r.OptionalText("AdditionalInformation");
        r.End();
        return new ChfNoFaultReturn(id, type, when, userRef, incident, info);
    }
}
