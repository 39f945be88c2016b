using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Security.Cryptography.Xml;
using System.Xml;
using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Signing;

/// <summary>The outcome of verifying a DUIS signature.</summary>
public sealed record DuisVerification
{
    public required bool IsValid { get; init; }

    /// <summary>Why it was refused; null when valid.</summary>
    public DuisFailure? Failure { get; init; }

    /// <summary>A sentence that says what was wrong (or who signed).</summary>
    public required string Reason { get; init; }

    /// <summary>The document as received (whitespace preserved), when it could be read.</summary>
    public XmlDocument? Document { get; init; }

    /// <summary>The issuer and serial named by the signature, when it named one.</summary>
    public DuisSignerReference? SignerReference { get; init; }

    /// <summary>The registered certificate that verified the signature.</summary>
    public X509Certificate2? Signer { get; init; }

    /// <summary>Throws <see cref="DuisException"/> with the failure and reason unless valid.</summary>
    public DuisVerification ThrowIfInvalid() =>
        IsValid ? this : throw new DuisException(Failure ?? DuisFailure.MalformedSignature, Reason);

    internal static DuisVerification Refused(DuisFailure failure, string reason, XmlDocument? document = null, DuisSignerReference? signer = null) =>
        new() { IsValid = false, Failure = failure, Reason = reason, Document = document, SignerReference = signer };
}

/// <summary>
/// Verifies an enveloped DUIS signature: reads the document safely, refuses anything that could let a
/// signature over one part of a document vouch for another (signature wrapping), finds the signer's
/// certificate through an <see cref="IDuisCertificateResolver"/>, and checks digest and signature value.
/// </summary>
public sealed class DuisSignatureVerifier
{
    private readonly IDuisCertificateResolver _resolver;
    private readonly DuisXmlLoadOptions _options;

    public DuisSignatureVerifier(IDuisCertificateResolver resolver, DuisXmlLoadOptions? options = null)
    {
        _resolver = resolver ?? throw new ArgumentNullException(nameof(resolver));
        _options = options ?? DuisXmlLoadOptions.Default;
    }

    public Task<DuisVerification> VerifyAsync(string xml, CancellationToken cancellationToken)
    {
        XmlDocument document;
        try
        {
            document = DuisXmlLoader.Load(xml, _options);
        }
        catch (DuisException ex)
        {
            return Task.FromResult(DuisVerification.Refused(ex.Failure, ex.Message));
        }
        return VerifyAsync(document, cancellationToken);
    }

    /// <summary>Verifies a document that was loaded with whitespace preserved (see <see cref="DuisXmlLoader"/>).</summary>
    public async Task<DuisVerification> VerifyAsync(XmlDocument document, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        DuisSignatureAlgorithms.EnsureRegistered();
        try
        {
            DuisXmlLoader.RequireRoot(document, "Request", "Response");
        }
        catch (DuisException ex)
        {
            return DuisVerification.Refused(ex.Failure, ex.Message, document);
        }

        var structure = CheckStructure(document);
        if (structure.Refusal is not null)
        {
            return structure.Refusal;
        }
        var signature = structure.Signature!;
        var signer = structure.Signer!;

        var certificate = await _resolver.ResolveAsync(signer, cancellationToken).ConfigureAwait(false);
        if (certificate is null)
        {
            return DuisVerification.Refused(DuisFailure.UnknownSigner,
                $"The signature names {signer}, which is not a registered signing certificate; register the party's XML signing certificate with the resolver.",
                document, signer);
        }
        using var publicKey = certificate.GetECDsaPublicKey();
        if (publicKey is null)
        {
            return DuisVerification.Refused(DuisFailure.UnsupportedAlgorithm,
                $"The registered certificate for {signer} does not hold an ECDSA public key.", document, signer);
        }

        bool valid;
        try
        {
            var signedXml = new SignedXml(document);
            signedXml.LoadXml(signature);
            valid = signedXml.CheckSignature(publicKey);
        }
        catch (Exception ex) when (ex is CryptographicException or FormatException)
        {
            // A SignatureValue that is not base64 reaches us as FormatException from SignedXml.
            return DuisVerification.Refused(DuisFailure.MalformedSignature,
                $"The signature could not be processed: {ex.Message}", document, signer);
        }
        if (valid)
        {
            return new DuisVerification
            {
                IsValid = true,
                Reason = $"Signature verified; signed by {certificate.Subject} ({signer}).",
                Document = document,
                SignerReference = signer,
                Signer = certificate,
            };
        }

        // SignedXml only says yes or no; recompute the digest to tell a changed document from a bad signature.
        return DigestMatches(document, signature, structure.ExclusiveDocumentTransform, structure.DigestValue!)
            ? DuisVerification.Refused(DuisFailure.BadSignatureValue,
                $"The document digest matches but the signature value does not verify with the key of {signer}: SignedInfo was changed or the document was signed with another key.",
                document, signer)
            : DuisVerification.Refused(DuisFailure.DigestMismatch,
                "The document's SHA-256 digest does not match the signed DigestValue: the content was changed after signing " +
                "(or was re-indented; sign and send compact XML).",
                document, signer);
    }

    private sealed record Structure(
        DuisVerification? Refusal,
        XmlElement? Signature = null,
        DuisSignerReference? Signer = null,
        bool ExclusiveDocumentTransform = false,
        byte[]? DigestValue = null);

    private static Structure CheckStructure(XmlDocument document)
    {
        var root = document.DocumentElement!;
        var signatures = document.GetElementsByTagName("Signature", DuisNames.XmlDsigNamespace).Cast<XmlElement>().ToList();
        if (signatures.Count == 0)
        {
            return Refuse(DuisFailure.NoSignature, "The document is not signed: it has no ds:Signature element.");
        }
        if (signatures.Count > 1)
        {
            return Refuse(DuisFailure.MultipleSignatures,
                $"The document has {signatures.Count} ds:Signature elements; a DUIS document has exactly one, as the last child of the root.");
        }
        var signature = signatures[0];
        if (signature.ParentNode != root)
        {
            return Refuse(DuisFailure.SignatureNotLast,
                $"The ds:Signature element is inside {signature.ParentNode?.LocalName}; it must be the last child of the root {root.LocalName}.");
        }
        for (var next = signature.NextSibling; next is not null; next = next.NextSibling)
        {
            if (next.NodeType is XmlNodeType.Element or XmlNodeType.Text or XmlNodeType.CDATA && !string.IsNullOrWhiteSpace(next.Value ?? "x"))
            {
                return Refuse(DuisFailure.SignatureNotLast,
                    $"The ds:Signature element is followed by {next.LocalName}; it must be the last child of the root {root.LocalName}.");
            }
        }

        var children = ElementChildren(signature);
        var signedInfo = children.FirstOrDefault(e => Is(e, "SignedInfo"));
        var signatureValue = children.FirstOrDefault(e => Is(e, "SignatureValue"));
        if (signedInfo is null || signatureValue is null)
        {
            return Refuse(DuisFailure.MalformedSignature, "The ds:Signature element lacks SignedInfo or SignatureValue.");
        }
        if (children.Any(e => Is(e, "Object")))
        {
            return Refuse(DuisFailure.MalformedSignature, "The ds:Signature element carries a ds:Object; DUIS signatures have none.");
        }

        var c14n = ElementChildren(signedInfo).FirstOrDefault(e => Is(e, "CanonicalizationMethod"))?.GetAttribute("Algorithm");
        if (c14n != DuisNames.ExclusiveC14N)
        {
            return Refuse(DuisFailure.UnsupportedAlgorithm,
                $"SignedInfo is canonicalised with '{c14n}'; DUIS uses exclusive c14n ({DuisNames.ExclusiveC14N}).");
        }
        var method = ElementChildren(signedInfo).FirstOrDefault(e => Is(e, "SignatureMethod"))?.GetAttribute("Algorithm");
        if (method != DuisNames.EcdsaSha256)
        {
            return Refuse(DuisFailure.UnsupportedAlgorithm,
                $"The signature method is '{method}'; DUIS uses ECDSA-SHA256 ({DuisNames.EcdsaSha256}).");
        }

        var references = ElementChildren(signedInfo).Where(e => Is(e, "Reference")).ToList();
        if (references.Count != 1)
        {
            return Refuse(DuisFailure.ReferenceNotWholeDocument,
                $"SignedInfo has {references.Count} References; a DUIS signature has exactly one, URI=\"\" (the whole document).");
        }
        var reference = references[0];
        var uri = reference.GetAttributeNode("URI");
        if (uri is null || uri.Value.Length != 0)
        {
            return Refuse(DuisFailure.ReferenceNotWholeDocument,
                $"The Reference points at {(uri is null ? "nothing (no URI)" : $"'{uri.Value}'")}; a DUIS signature covers the whole document (URI=\"\").");
        }

        var transforms = ElementChildren(reference).FirstOrDefault(e => Is(e, "Transforms"));
        var algorithms = transforms is null ? [] : ElementChildren(transforms).Select(t => t.GetAttribute("Algorithm")).ToList();
        var exclusive = algorithms.Count == 2 && algorithms[1] == DuisNames.ExclusiveC14N;
        if (algorithms.Count == 0 || algorithms[0] != DuisNames.EnvelopedSignature || (algorithms.Count == 2 && !exclusive) || algorithms.Count > 2)
        {
            return Refuse(DuisFailure.DisallowedTransform,
                $"The Reference's transforms are [{string.Join(", ", algorithms)}]; DUIS allows the enveloped-signature transform, optionally followed by exclusive c14n.");
        }
        var digestMethod = ElementChildren(reference).FirstOrDefault(e => Is(e, "DigestMethod"))?.GetAttribute("Algorithm");
        if (digestMethod != DuisNames.Sha256)
        {
            return Refuse(DuisFailure.UnsupportedAlgorithm, $"The digest method is '{digestMethod}'; DUIS uses SHA-256 ({DuisNames.Sha256}).");
        }
        byte[] digestValue;
        try
        {
            digestValue = Convert.FromBase64String(ElementChildren(reference).FirstOrDefault(e => Is(e, "DigestValue"))?.InnerText ?? string.Empty);
        }
        catch (FormatException)
        {
            return Refuse(DuisFailure.MalformedSignature, "The Reference's DigestValue is not base64.");
        }

        var keyInfo = children.FirstOrDefault(e => Is(e, "KeyInfo"));
        var issuerSerial = keyInfo is null ? null : Descendants(keyInfo).FirstOrDefault(e => Is(e, "X509IssuerSerial"));
        var issuer = issuerSerial is null ? null : ElementChildren(issuerSerial).FirstOrDefault(e => Is(e, "X509IssuerName"))?.InnerText.Trim();
        var serialText = issuerSerial is null ? null : ElementChildren(issuerSerial).FirstOrDefault(e => Is(e, "X509SerialNumber"))?.InnerText.Trim();
        if (string.IsNullOrEmpty(issuer) || !BigInteger.TryParse(serialText, NumberStyles.None, CultureInfo.InvariantCulture, out var serial))
        {
            return Refuse(DuisFailure.MissingSignerIdentity,
                "KeyInfo does not name the signer: a DUIS signature carries KeyInfo/X509Data/X509IssuerSerial with the issuer name and the decimal serial number.");
        }
        return new Structure(null, signature, new DuisSignerReference(issuer, serial), exclusive, digestValue);

        Structure Refuse(DuisFailure failure, string reason) => new(DuisVerification.Refused(failure, reason, document));
    }

    private static bool DigestMatches(XmlDocument document, XmlElement signature, bool exclusive, byte[] expected)
    {
        var copy = (XmlDocument)document.CloneNode(deep: true);
        var copySignature = copy.GetElementsByTagName("Signature", DuisNames.XmlDsigNamespace).Cast<XmlElement>().Single();
        copySignature.ParentNode!.RemoveChild(copySignature);
        Transform c14n = exclusive ? new XmlDsigExcC14NTransform() : new XmlDsigC14NTransform();
        c14n.LoadInput(copy);
        using var stream = (Stream)c14n.GetOutput(typeof(Stream));
        var actual = SHA256.HashData(stream);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }

    private static bool Is(XmlElement element, string localName) =>
        element.LocalName == localName && element.NamespaceURI == DuisNames.XmlDsigNamespace;

    private static List<XmlElement> ElementChildren(XmlElement element) => element.ChildNodes.OfType<XmlElement>().ToList();

    private static IEnumerable<XmlElement> Descendants(XmlElement element) => element.GetElementsByTagName("*").OfType<XmlElement>();
}
