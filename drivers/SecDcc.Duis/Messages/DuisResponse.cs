using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using SecDcc.Duis.Xml;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>What a ResponseMessage carries after ServiceReference and ServiceReferenceVariant.</summary>
public interface IResponsePayload
{
    XElement ToXml();
}

/// <summary>A payload this library has no typed model for; kept as received.</summary>
public sealed record RawResponsePayload(XElement Element) : IResponsePayload
{
    public XElement ToXml() => new(Element);
}

/// <summary>8.2 Read Inventory's answer: up to 17 devices.</summary>
public sealed record DspInventory(IReadOnlyList<InventoryDevice> Devices) : IResponsePayload
{
    public const string ElementName = "DSPInventory";

    public XElement ToXml() => Devices.Count is < 1 or > 17
        ? throw new ArgumentException($"DSPInventory holds 1 to 17 devices; got {Devices.Count}.")
        : E(ElementName, Devices.Select(d => d.ToXml()));

    public static DspInventory Read(XElement element)
    {
        var r = new SequenceReader(element);
        var devices = r.Many("Device", 1, 17).Select(InventoryDevice.Read).ToList();
        r.End();
        return new DspInventory(devices);
    }
}

/// <summary>One Device of DSPInventory, fields in schema order.</summary>
public sealed record InventoryDevice(
    Eui64 DeviceId,
    DeviceType DeviceType,
    string DeviceManufacturer,
    string DeviceModel,
    DeviceStatus? DeviceStatus = null,
    string? SmetsChtsVersion = null,
    string? DeviceFirmwareVersion = null,
    string? DeviceFirmwareVersionStatus = null,
    CplStatus? CplStatus = null,
    DateOnly? DateCommissioned = null,
    string? ImportMpxn = null,
    string? SecondaryImportMpan = null,
    string? ExportMpan = null,
    string? EsmeVariant = null,
    ulong? Uprn = null,
    string? CspRegion = null,
    string? DeviceGbcsVersion = null,
    string? HanVariant = null,
    string? S1sp = null)
{
    internal XElement ToXml() => E("Device",
        E("DeviceID", Text(DeviceId)),
        E("DeviceType", XmlWrite.Enum(DeviceType)),
        DeviceStatus is { } status ? E("DeviceStatus", XmlWrite.Enum(status)) : null,
        E("DeviceManufacturer", DeviceManufacturer),
        E("DeviceModel", DeviceModel),
        Opt("SMETSCHTSVersion", SmetsChtsVersion),
        Opt("DeviceFirmwareVersion", DeviceFirmwareVersion),
        Opt("DeviceFirmwareVersionStatus", DeviceFirmwareVersionStatus),
        CplStatus is { } cpl ? E("CPLStatus", XmlWrite.Enum(cpl)) : null,
        Opt("DateCommissioned", DateCommissioned),
        Opt("ImportMPxN", ImportMpxn),
        Opt("SecondaryImportMPAN", SecondaryImportMpan),
        Opt("ExportMPAN", ExportMpan),
        Opt("ESMEVariant", EsmeVariant),
        Opt("UPRN", Uprn),
        Opt("CSPRegion", CspRegion),
        Opt("DeviceGBCSVersion", DeviceGbcsVersion),
        Opt("HANVariant", HanVariant),
        Opt("S1SP", S1sp));

    internal static InventoryDevice Read(XElement element)
    {
        var r = new SequenceReader(element);
        var id = XmlValue.Eui(r.Required("DeviceID"));
        var type = XmlValue.Enum<DeviceType>(r.Required("DeviceType"));
        var status = r.Optional("DeviceStatus") is { } s ? XmlValue.Enum<DeviceStatus>(s) : (DeviceStatus?)null;
        var manufacturer = r.RequiredText("DeviceManufacturer");
        var model = r.RequiredText("DeviceModel");
        var smets = r.OptionalText("SMETSCHTSVersion");
        var firmware = r.OptionalText("DeviceFirmwareVersion");
        var firmwareStatus = r.OptionalText("DeviceFirmwareVersionStatus");
        var cpl = r.Optional("CPLStatus") is { } c ? XmlValue.Enum<CplStatus>(c) : (CplStatus?)null;
        var commissioned = r.Optional("DateCommissioned") is { } d ? XmlValue.Date(d) : (DateOnly?)null;
        var import = r.OptionalText("ImportMPxN");
        var secondary = r.OptionalText("SecondaryImportMPAN");
        var export = r.OptionalText("ExportMPAN");
        var variant = r.OptionalText("ESMEVariant");
        var uprn = r.Optional("UPRN") is { } u ? XmlValue.ULong(u) : (ulong?)null;
        // PropertyFilter is schema-valid here but carries nothing the inventory needs; it is skipped, not refused.
        r.Optional("PropertyFilter");
        var region = r.OptionalText("CSPRegion");
        var gbcs = r.OptionalText("DeviceGBCSVersion");
        var han = r.OptionalText("HANVariant");
        var s1sp = r.OptionalText("S1SP");
        r.End();
        return new InventoryDevice(id, type, manufacturer, model, status, smets, firmware, firmwareStatus, cpl, commissioned,
            import, secondary, export, variant, uprn, region, gbcs, han, s1sp);
    }
}

/// <summary>Body/ResponseMessage: the SRV answered and an optional payload.</summary>
public sealed record ResponseMessage(string ServiceReference, string ServiceReferenceVariant, IResponsePayload? Payload = null)
{
    internal XElement ToXml() => E("ResponseMessage",
        E("ServiceReference", ServiceReference),
        E("ServiceReferenceVariant", ServiceReferenceVariant),
        Payload?.ToXml());

    internal static ResponseMessage Read(XElement element)
    {
        var r = new SequenceReader(element);
        var sr = r.RequiredText("ServiceReference").Trim();
        var srv = r.RequiredText("ServiceReferenceVariant").Trim();
        IResponsePayload? payload = null;
        if (r.Optional(DspInventory.ElementName) is { } inventory)
        {
            payload = DspInventory.Read(inventory);
        }
        else if (element.Elements().Skip(2).FirstOrDefault() is { } other)
        {
            r.Optional(other.Name.LocalName);
            payload = new RawResponsePayload(new XElement(other));
        }
        r.End();
        return new ResponseMessage(sr, srv, payload);
    }
}

/// <summary>
/// A DUIS Response. <see cref="Diagnostic"/> is this project's free-text addition (e.g. the clause that
/// refused a request): the schema has no field for it, so it travels as a processing instruction
/// &lt;?secdcc-diagnostic …?&gt; inside the root, which the XSD ignores and the signature covers.
/// </summary>
public sealed record DuisResponse(
    ResponseCode ResponseCode,
    DateTimeOffset ResponseDateTime,
    RequestId? RequestId = null,
    RequestId? ResponseId = null,
    ResponseMessage? Message = null,
    string? Diagnostic = null,
    string SchemaVersion = DuisNames.SchemaVersion)
{
    public const string DiagnosticTarget = "secdcc-diagnostic";

    /// <summary>A Body other than ResponseMessage (device or DCC alerts), kept as received.</summary>
    public XElement? OtherBody { get; init; }

    public XDocument ToXDocument()
    {
        if (Message is null && OtherBody is null)
        {
            throw new InvalidOperationException("A Response body needs a ResponseMessage (or an alert); set Message.");
        }
        return new XDocument(
            new XDeclaration("1.0", "UTF-8", null),
            new XElement(DuisNames.Sr + "Response",
                new XAttribute(XNamespace.Xmlns + "sr", DuisNames.ServiceUserGatewayNamespace),
                new XAttribute("schemaVersion", SchemaVersion),
                Diagnostic is null ? null : new XProcessingInstruction(DiagnosticTarget, EscapeDiagnostic(Diagnostic)),
                E("Header",
                    Opt("RequestID", RequestId),
                    Opt("ResponseID", ResponseId),
                    E("ResponseCode", ResponseCode.Value),
                    E("ResponseDateTime", Text(ResponseDateTime))),
                E("Body", Message?.ToXml() ?? new XElement(OtherBody!))));
    }

    /// <summary>Compact XML (no indentation), ready to sign.</summary>
    public string ToXml() => DuisRequest.Serialize(ToXDocument());

    // A processing instruction ends at "?>"; control characters other than tab/newline are not XML.
    private static string EscapeDiagnostic(string text) =>
        new string(text.Where(c => c is '\t' or '\n' or '\r' || !char.IsControl(c)).ToArray()).Replace("?>", "? >", StringComparison.Ordinal);

    public static DuisResponse Parse(string xml, DuisXmlLoadOptions? options = null) => Parse(DuisXmlLoader.Load(xml, options));

    public static DuisResponse Parse(XmlDocument document)
    {
        var (root, version, r) = DuisRequest.OpenRoot(document, "Response");
        var diagnostic = root.Nodes().OfType<XProcessingInstruction>().FirstOrDefault(p => p.Target == DiagnosticTarget)?.Data;
        var header = new SequenceReader(r.Required("Header"));
        var requestId = header.Optional("RequestID") is { } q ? XmlValue.RequestId(q) : (RequestId?)null;
        var responseId = header.Optional("ResponseID") is { } p ? XmlValue.RequestId(p) : (RequestId?)null;
        var codeElement = header.Required("ResponseCode");
        if (!ResponseCodes.IsDefined(codeElement.Value.Trim()))
        {
            throw XmlValue.Invalid(codeElement, $"'{codeElement.Value}' is not a ResponseCode of the DUIS schema.");
        }
        var when = XmlValue.DateTime(header.Required("ResponseDateTime"));
        header.End();
        var body = r.Required("Body");
        r.End();
        var br = new SequenceReader(body);
        var content = br.RequiredChoice("ResponseMessage", "DeviceAlertMessage", "DCCAlertMessage", "SMETS1ResponseMessage");
        br.End();
        var message = content.Name.LocalName == "ResponseMessage" ? ResponseMessage.Read(content) : null;
        return new DuisResponse(new ResponseCode(codeElement.Value.Trim()), when, requestId, responseId, message, diagnostic, version)
        {
            OtherBody = message is null ? new XElement(content) : null,
        };
    }
}

/// <summary>Shapes of the DCC's answers to a request.</summary>
public static class DuisResponses
{
    /// <summary>
    /// I0 with a payload (e.g. DSPInventory). RequestID echoes the request; ResponseID defaults to the
    /// same value (see docs/decisions/0205).
    /// </summary>
    public static DuisResponse Success(RequestHeader request, DateTimeOffset now, IResponsePayload? payload = null, RequestId? responseId = null, string? diagnostic = null) =>
        new(ResponseCode.Success, now, request.RequestId, responseId ?? request.RequestId,
            new ResponseMessage(request.ServiceReference, request.ServiceReferenceVariant, payload), diagnostic);

    /// <summary>I99: a device request was accepted and passed access control, or a non-device request succeeded with nothing to return.</summary>
    public static DuisResponse Acknowledgement(RequestHeader request, DateTimeOffset now, RequestId? responseId = null, string? diagnostic = null) =>
        new(ResponseCode.Acknowledgement, now, request.RequestId, responseId ?? request.RequestId,
            new ResponseMessage(request.ServiceReference, request.ServiceReferenceVariant), diagnostic);

    /// <summary>An error (E…) or warning (W…) code with a diagnostic that says which rule refused the request.</summary>
    public static DuisResponse Refusal(RequestHeader request, ResponseCode code, DateTimeOffset now, string diagnostic, RequestId? responseId = null)
    {
        if (code.IsSuccess || code.IsAcknowledgement)
        {
            throw new ArgumentException($"{code} is not a refusal; use Success or Acknowledgement.", nameof(code));
        }
        return new DuisResponse(code, now, request.RequestId, responseId ?? request.RequestId,
            new ResponseMessage(request.ServiceReference, request.ServiceReferenceVariant), diagnostic);
    }

}
