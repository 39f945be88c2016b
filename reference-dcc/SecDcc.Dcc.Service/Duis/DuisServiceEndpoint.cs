using System.Security.Cryptography.X509Certificates;
using System.Xml;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Duis.Devices;
using SecDcc.Dcc.Service.Duis.NonDevice;
using SecDcc.Dcc.Service.Duis.Parties;
using SecDcc.Dcc.Service.Duis.Replay;
using SecDcc.Duis;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Xml;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>Which URL a request came to: DCC Boxed's Send Command Service takes every request, its Non-Device Service only Command Variant 8.</summary>
public enum DuisRoute
{
    SendCommand,
    NonDevice,
}

/// <summary>The DCC's signed answer to one DUIS request.</summary>
public sealed record DuisAnswer(string Xml, ResponseCode Code, string? Diagnostic);

/// <summary>
/// The DUIS Service Request pipeline (decision 1000): read the document safely, verify its signature against the
/// registered Users' certificates, hold the signer to the RequestID's originator, check the schema, refuse a counter
/// that is not strictly greater than the last one accepted from that originator, check the Command Variant, scope and
/// eligibility, then hand the request to the non-device or the device handler. Every answer is a DUIS Response signed
/// by the DCC; every refusal carries its clause in the signed diagnostic and changes nothing.
/// </summary>
public sealed class DuisServiceEndpoint
{
    /// <summary>Answers to requests whose SRV could not be read name this one; the schema requires a ServiceReference (decision 1002).</summary>
    public const string UnreadableSrv = "8.2";

    private readonly PartyRegistry _parties;
    private readonly RequestCounterStore _counters;
    private readonly DccIdentity _dcc;
    private readonly NonDeviceServiceRequests _nonDevice;
    private readonly DeviceServiceRequests _device;
    private readonly DuisSignatureVerifier _verifier;
    private readonly DuisXmlLoadOptions _load;
    private readonly ILogger<DuisServiceEndpoint> _log;

    public DuisServiceEndpoint(PartyRegistry parties, RequestCounterStore counters, DccIdentity dcc, NonDeviceServiceRequests nonDevice,
        DeviceServiceRequests device, DuisXmlLoadOptions load, ILogger<DuisServiceEndpoint> log)
    {
        _parties = parties;
        _counters = counters;
        _dcc = dcc;
        _nonDevice = nonDevice;
        _device = device;
        _load = load;
        _log = log;
        _verifier = new DuisSignatureVerifier(parties, load);
    }

    public DuisXmlLoadOptions LoadOptions => _load;

    public static bool InScope(string srv) => NonDeviceServiceRequests.Variants.Contains(srv) || DeviceServiceRequests.Variants.Contains(srv);

    public async Task<DuisAnswer> HandleAsync(ReadOnlyMemory<byte> body, DuisRoute route, CancellationToken ct)
    {
        XmlDocument document;
        try
        {
            document = DuisXmlLoader.Load(body.Span, _load);
            DuisXmlLoader.RequireRoot(document, "Request");
        }
        catch (DuisException e)
        {
            return Refuse(null, DuisRejection.Document(e.Failure, e.Message));
        }
        catch (Exception e) when (e is ArgumentException or System.Text.DecoderFallbackException)
        {
            // An unknown encoding name or bytes that are not in the declared encoding surface as these, not as XmlException.
            return Refuse(null, DuisRejection.Document(DuisFailure.NotWellFormed, $"The document cannot be read as XML: {e.Message}"));
        }

        DuisVerification verification;
        try
        {
            verification = await _verifier.VerifyAsync(document, ct);
        }
        catch (Exception e) when (e is FormatException or XmlException or ArgumentException or System.Security.Cryptography.CryptographicException)
        {
            // SecDcc.Duis lets some malformed signature content (a SignatureValue that is not base64) escape as an exception.
            return Refuse(document, DuisRejection.Signature(DuisFailure.MalformedSignature, $"The signature could not be read: {e.Message}"));
        }
        if (!verification.IsValid)
            return Refuse(document, DuisRejection.Signature(verification.Failure ?? DuisFailure.MalformedSignature, verification.Reason));

        var admitted = await AdmitAsync(document, verification.Signer!, route, ct);
        if (admitted.Rejection is { } rejection)
            return Refuse(document, rejection);
        var request = admitted.Request!;
        ServiceOutcome outcome = NonDeviceServiceRequests.Variants.Contains(request.Srv)
            ? await _nonDevice.HandleAsync(request, ct)
            : await _device.HandleAsync(request, ct);
        return Answer(request.Header, outcome);
    }

    private sealed record Admission(AdmittedRequest? Request, DuisRejection? Rejection)
    {
        public static implicit operator Admission(DuisRejection r) => new(null, r);
    }

    private async Task<Admission> AdmitAsync(XmlDocument document, X509Certificate2 signer, DuisRoute route, CancellationToken ct)
    {
        // The signature is good, so the header is what the signer wrote; read the RequestID before anything else.
        if (!RequestId.TryParse(HeaderText(document, "RequestID"), out var requestId, out var badId))
            return DuisRejection.Document(DuisFailure.InvalidValue, badId);
        var party = _parties.Find(requestId.Originator);
        if (party is null)
            return DuisRejection.Originator("UnknownOriginator",
                $"The RequestID's originator {requestId.Originator} is not a registered DCC User; register it with its XML signing certificate (POST /api/v1/users in test mode, or --duis-parties).");
        var owner = _parties.OwnerOf(signer);
        if (owner?.Id != requestId.Originator)
            return DuisRejection.Originator("SignerNotOriginator",
                $"The request is signed with the certificate of {owner?.Id.ToString() ?? "no registered User"} ({signer.Subject}, serial {signer.SerialNumber}), " +
                $"but its RequestID names {requestId.Originator} as originator; a User signs its own requests.");
        var now = _dcc.Now;
        if (now < signer.NotBefore.ToUniversalTime() || now > signer.NotAfter.ToUniversalTime())
            return DuisRejection.Originator("CertificateNotValid",
                $"{requestId.Originator}'s signing certificate {signer.Subject} is valid from {signer.NotBefore.ToUniversalTime():O} to {signer.NotAfter.ToUniversalTime():O}, " +
                $"and the DCC's clock reads {now:O}; register a current certificate.");
        if (PartyRegistry.HasKeyUsage(signer) && !signer.Extensions.OfType<X509KeyUsageExtension>().Any(k => k.KeyUsages.HasFlag(X509KeyUsageFlags.DigitalSignature)))
            return DuisRejection.Originator("CertificateNotForSigning",
                $"{requestId.Originator}'s certificate {signer.Subject} does not have keyUsage digitalSignature, so it may not sign XML.");

        DuisRequest request;
        try
        {
            request = DuisRequest.Parse(document);
        }
        catch (DuisException e)
        {
            return DuisRejection.Document(e.Failure, e.Message);
        }
        if (StructureCheck.Compare(document, request) is { } difference)
            return DuisRejection.Document(DuisFailure.SchemaViolation, difference);
        var header = request.Header;
        if (!ServiceRequestCatalogue.Default.TryGet(header.ServiceReferenceVariant, out var variant))
            return DuisRejection.Document(DuisFailure.InvalidValue, $"'{header.ServiceReferenceVariant}' is not a Service Reference Variant of the DUIS request matrix.");
        if (variant.ServiceReference != header.ServiceReference)
            return DuisRejection.Document(DuisFailure.InvalidValue,
                $"ServiceReference is {header.ServiceReference}, but SRV {variant.ServiceReferenceVariant} belongs to Service Reference {variant.ServiceReference}.");

        // From here the request is authentic and well formed: its counter is used up whatever the outcome.
        var counter = await _counters.TryAdvanceAsync(requestId.Originator, requestId.Counter, now, ct);
        if (!counter.Accepted)
            return DuisRejection.Replay(
                $"RequestID counter {requestId.Counter} from {requestId.Originator} is not greater than {counter.LastAccepted}, the last one the DCC accepted from it; " +
                "a request is accepted once, and each new request needs a greater counter.");

        if (!InScope(variant.ServiceReferenceVariant))
            return DuisRejection.OutOfScope("ServiceRequestOutOfScope",
                $"SRV {variant.ServiceReferenceVariant} ({variant.Name}) is outside the reference DCC's scope; it serves 12.2, 8.1.1, 8.2, 8.3, 8.4, 8.7.x, 8.8.x, 8.9, 8.11, 8.12.x, 8.13, 8.14.x, 6.15.x, 6.17, 6.23 and 6.24.x.",
                "ServiceReferenceVariant");
        if (request.Body is RawRequestBody raw)
            return DuisRejection.Document(DuisFailure.SchemaViolation,
                $"SRV {variant.ServiceReferenceVariant} ({variant.Name}) does not take a {raw.Element.Name.LocalName} body.");
        if (CheckCommandVariant(header.CommandVariant, variant, route) is { } cv)
            return cv;
        if (variant.NonDevice && requestId.Target != _dcc.Eui)
            return DuisRejection.Target($"A non-device request is addressed to the DCC ({_dcc.Eui}); this RequestID's target is {requestId.Target}.");

        var role = party.Roles.FirstOrDefault(r => variant.IsEligible(ToDuisRole(r)), (UserRole)(-1));
        if (!Enum.IsDefined(role))
            return DuisRejection.NotEligible(
                $"{party} may not send SRV {variant.ServiceReferenceVariant} ({variant.Name}): the DUIS request matrix allows it to {string.Join(", ", variant.EligibleRoles)}.");
        return new Admission(new AdmittedRequest(request, party, new Actor(party.PartyId, role), variant), null);
    }

    private static DuisRejection? CheckCommandVariant(int cv, ServiceRequestVariant variant, DuisRoute route)
    {
        if (variant.CommandVariants.Count > 0 && !variant.CommandVariants.Contains(cv))
            return DuisRejection.CommandVariant($"Command Variant {cv} is not allowed for SRV {variant.ServiceReferenceVariant}; the schema allows {string.Join(", ", variant.CommandVariants)}.");
        if (cv is 2 or 3 or 6 or 7)
            return DuisRejection.LocalDelivery($"Command Variant {cv} asks for a Command for local delivery, which the reference DCC does not produce; send Command Variant {(cv is 2 or 3 ? 1 : 4)}.");
        if (cv == 5)
            return DuisRejection.CommandVariant("Command Variant 5 carries a Signed Pre-Command; the reference DCC does not transform GBCS, so send the critical Service Request itself with Command Variant 4 (decision 1000).");
        if (route == DuisRoute.NonDevice && cv != 8)
            return new DuisRejection(new ResponseCode("E13"), "DUIS-URL", "WrongServiceUrl",
                $"SRV {variant.ServiceReferenceVariant} with Command Variant {cv} is a device request; send it to /api/v1/serviceS, not the Non-Device Service URL.", "CommandVariant");
        return null;
    }

    public static SecDcc.Duis.Messages.DuisUserRole ToDuisRole(UserRole role) => Enum.Parse<SecDcc.Duis.Messages.DuisUserRole>(role.ToString());

    private static string? HeaderText(XmlDocument document, string name)
    {
        var header = document.DocumentElement!.ChildNodes.OfType<XmlElement>()
            .FirstOrDefault(e => e.LocalName == "Header" && e.NamespaceURI == DuisNames.ServiceUserGatewayNamespace);
        return header?.ChildNodes.OfType<XmlElement>().FirstOrDefault(e => e.LocalName == name && e.NamespaceURI == DuisNames.ServiceUserGatewayNamespace)?.InnerText.Trim();
    }

    // ---- answers ------------------------------------------------------------------------------------------------

    private DuisAnswer Answer(RequestHeader header, ServiceOutcome outcome)
    {
        var now = _dcc.Now;
        var response = outcome.Rejection is { } r
            ? DuisResponses.Refusal(header, r.Code, now, r.Diagnostic)
            : outcome.Code.IsAcknowledgement
                ? DuisResponses.Acknowledgement(header, now, diagnostic: outcome.Note)
                : DuisResponses.Success(header, now, outcome.Payload, diagnostic: outcome.Note);
        if (outcome.Rejection is { } logged)
            _log.LogInformation("DUIS {RequestId} ({Srv}) refused: {Rejection}", header.RequestId, header.ServiceReferenceVariant, logged);
        return new DuisAnswer(_dcc.Sign(response), response.ResponseCode, response.Diagnostic);
    }

    /// <summary>An error response to a request that may not be readable: it echoes what could be read (RequestID, SRV) and nothing else.</summary>
    private DuisAnswer Refuse(XmlDocument? document, DuisRejection rejection)
    {
        RequestId? requestId = null;
        var sr = UnreadableSrv;
        var srv = UnreadableSrv;
        if (document is not null)
        {
            if (RequestId.TryParse(HeaderText(document, "RequestID"), out var id, out _))
                requestId = id;
            if (HeaderText(document, "ServiceReferenceVariant") is { } text && ServiceRequestCatalogue.Default.TryGet(text, out var variant))
                (sr, srv) = (variant.ServiceReference, variant.ServiceReferenceVariant);
        }
        _log.LogInformation("DUIS {RequestId} ({Srv}) refused: {Rejection}", requestId?.ToString() ?? "(unreadable)", srv, rejection);
        var response = new DuisResponse(rejection.Code, _dcc.Now, requestId, requestId, new ResponseMessage(sr, srv), rejection.Diagnostic);
        return new DuisAnswer(_dcc.Sign(response), response.ResponseCode, response.Diagnostic);
    }

    /// <summary>The answer to a body that could not be read at all (e.g. over the size limit).</summary>
    public DuisAnswer Refuse(DuisRejection rejection) => Refuse(null, rejection);
}
