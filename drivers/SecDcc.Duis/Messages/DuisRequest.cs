using System.Globalization;
using System.Xml;
using System.Xml.Linq;
using SecDcc.Duis.Xml;
using static SecDcc.Duis.Messages.XmlWrite;

namespace SecDcc.Duis.Messages;

/// <summary>The request Header: RequestID, optional sequencing, CommandVariant, ServiceReference and its variant.</summary>
public sealed record RequestHeader(
    RequestId RequestId,
    int CommandVariant,
    string ServiceReference,
    string ServiceReferenceVariant,
    bool? FirstInSequence = null,
    RequestId? PrecedingServiceRequestId = null)
{
    internal XElement ToXml() => E("Header",
        E("RequestID", Text(RequestId)),
        Opt("FirstInSequence", FirstInSequence),
        Opt("PrecedingServiceRequestID", PrecedingServiceRequestId),
        E("CommandVariant", Text(CommandVariant)),
        E("ServiceReference", ServiceReference),
        E("ServiceReferenceVariant", ServiceReferenceVariant));

    internal static RequestHeader Read(XElement header)
    {
        var r = new SequenceReader(header);
        var id = XmlValue.RequestId(r.Required("RequestID"));
        var first = r.Optional("FirstInSequence") is { } f ? XmlValue.Bool(f) : (bool?)null;
        var preceding = r.Optional("PrecedingServiceRequestID") is { } p ? XmlValue.RequestId(p) : (RequestId?)null;
        var cv = XmlValue.Int(r.Required("CommandVariant"));
        var sr = r.RequiredText("ServiceReference").Trim();
        var srv = r.RequiredText("ServiceReferenceVariant").Trim();
        r.End();
        return new RequestHeader(id, cv, sr, srv, first, preceding);
    }
}

/// <summary>A DUIS Service Request: header and body, unsigned. Sign it with <see cref="Signing.DuisSigner"/>.</summary>
public sealed record DuisRequest(RequestHeader Header, IDuisRequestBody Body, string SchemaVersion = DuisNames.SchemaVersion)
{
    /// <summary>
    /// Builds a request for the body's SRV, filling ServiceReference from the request matrix and the
    /// Command Variant from the XSD (the first it allows: 8 for non-device requests, 4 for critical
    /// ones, 1 for non-critical ones) unless one is given.
    /// </summary>
    public static DuisRequest Create(RequestId requestId, IDuisRequestBody body, int? commandVariant = null, ServiceRequestCatalogue? catalogue = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        var srv = (catalogue ?? ServiceRequestCatalogue.Default).Get(body.ServiceReferenceVariant);
        var cv = commandVariant ?? (srv.CommandVariants.Count > 0 ? srv.CommandVariants[0] : 8);
        if (srv.CommandVariants.Count > 0 && !srv.CommandVariants.Contains(cv))
        {
            throw new ArgumentException(
                $"Command Variant {cv} is not allowed for SRV {srv.ServiceReferenceVariant} ({srv.Name}); the XSD allows {string.Join(", ", srv.CommandVariants)}.",
                nameof(commandVariant));
        }
        return new DuisRequest(new RequestHeader(requestId, cv, srv.ServiceReference, srv.ServiceReferenceVariant), body);
    }

    public XDocument ToXDocument() => new(
        new XDeclaration("1.0", "UTF-8", null),
        new XElement(DuisNames.Sr + "Request",
            new XAttribute(XNamespace.Xmlns + "sr", DuisNames.ServiceUserGatewayNamespace),
            new XAttribute("schemaVersion", SchemaVersion),
            Header.ToXml(),
            E("Body", Body.ToXml())));

    /// <summary>Compact XML (no indentation), ready to sign.</summary>
    public string ToXml() => Serialize(ToXDocument());

    /// <summary>
    /// The root as LINQ to XML, its schemaVersion, and a reader over its children without the signature
    /// (which the verifier has already dealt with).
    /// </summary>
    internal static (XElement Root, string SchemaVersion, SequenceReader Children) OpenRoot(XmlDocument document, string rootName)
    {
        DuisXmlLoader.RequireRoot(document, rootName);
        var root = XElement.Parse(document.DocumentElement!.OuterXml, LoadOptions.None);
        var version = root.Attribute("schemaVersion")?.Value
            ?? throw SequenceReader.Violation($"{rootName} has no schemaVersion attribute; the schema requires one.");
        if (!decimal.TryParse(version, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
        {
            throw XmlValue.Invalid(root, $"schemaVersion '{version}' is not an xs:decimal.");
        }
        var children = new SequenceReader(new XElement(root.Name, root.Elements().Where(e => e.Name != DuisNames.Ds + "Signature")));
        return (root, version, children);
    }

    internal static string Serialize(XDocument document) =>
        document.Declaration + document.ToString(SaveOptions.DisableFormatting);

    /// <summary>Reads a request (signed or not; this does not verify the signature) with the safe loader.</summary>
    public static DuisRequest Parse(string xml, DuisXmlLoadOptions? options = null) => Parse(DuisXmlLoader.Load(xml, options));

    public static DuisRequest Parse(XmlDocument document)
    {
        var (root, version, r) = OpenRoot(document, "Request");
        var header = RequestHeader.Read(r.Required("Header"));
        var bodyElement = r.Required("Body");
        r.End();
        var br = new SequenceReader(bodyElement);
        var content = bodyElement.Elements().FirstOrDefault()
            ?? throw SequenceReader.Violation("Request/Body is empty; it holds one request element.");
        br.RequiredChoice(content.Name.LocalName);
        br.End();
        var body = RequestBodyReaders.Read(content, header.ServiceReferenceVariant);
        if (body.ServiceReferenceVariant != header.ServiceReferenceVariant)
        {
            throw new DuisException(DuisFailure.InvalidValue,
                $"The body element {content.Name.LocalName} belongs to SRV {body.ServiceReferenceVariant}, but the header says {header.ServiceReferenceVariant}.");
        }
        return new DuisRequest(header, body, version);
    }
}

/// <summary>Which reader handles which Body element.</summary>
internal static class RequestBodyReaders
{
    private static readonly Dictionary<string, Func<XElement, IDuisRequestBody>> Readers = new(StringComparer.Ordinal)
    {
        [DevicePreNotification.ElementName] = DevicePreNotification.Read,
        [CommissionDevice.ElementName] = CommissionDevice.Read,
        [ReadInventory.ElementName] = ReadInventory.Read,
        [DecommissionDevice.ElementName] = DecommissionDevice.Read,
        [UpdateInventory.ElementName] = UpdateInventory.Read,
        ["JoinServiceCritical"] = JoinService.Read,
        ["JoinServiceNonCritical"] = JoinService.Read,
        ["UnjoinServiceCritical"] = UnjoinService.Read,
        ["UnjoinServiceNonCritical"] = UnjoinService.Read,
        [Messages.ReadDeviceLog.ElementName] = Messages.ReadDeviceLog.Read,
        [UpdateHanDeviceLog.ElementName] = UpdateHanDeviceLog.Read,
        [RestoreHanDeviceLog.ElementName] = RestoreHanDeviceLog.Read,
        [RestoreGpfDeviceLog.ElementName] = RestoreGpfDeviceLog.Read,
        [ReturnLocalCommandResponse.ElementName] = ReturnLocalCommandResponse.Read,
        [ChfInstallSuccess.ElementName] = ChfInstallSuccess.Read,
        [ChfInstallNoSmWan.ElementName] = ChfInstallNoSmWan.Read,
        [ChfFaultReturn.ElementName] = ChfFaultReturn.Read,
        [ChfNoFaultReturn.ElementName] = ChfNoFaultReturn.Read,
        [UpdateSecurityCredentialsKrp.ElementName] = UpdateSecurityCredentialsKrp.Read,
        [UpdateSecurityCredentialsDevice.ElementName] = UpdateSecurityCredentialsDevice.Read,
        [IssueSecurityCredentials.ElementName] = IssueSecurityCredentials.Read,
        [UpdateSecurityCredentialsCoS.ElementName] = UpdateSecurityCredentialsCoS.Read,
        [RetrieveDeviceSecurityCredentialsKrp.ElementName] = RetrieveDeviceSecurityCredentialsKrp.Read,
        [RetrieveDeviceSecurityCredentialsDevice.ElementName] = RetrieveDeviceSecurityCredentialsDevice.Read,
    };

    /// <summary>The Body element names this library parses into typed bodies.</summary>
    public static IReadOnlyCollection<string> TypedElementNames => Readers.Keys;

    public static IDuisRequestBody Read(XElement content, string headerSrv) =>
        Readers.TryGetValue(content.Name.LocalName, out var read) && content.Name.Namespace == DuisNames.Sr
            ? read(content)
            : new RawRequestBody(headerSrv, new XElement(content));
}
