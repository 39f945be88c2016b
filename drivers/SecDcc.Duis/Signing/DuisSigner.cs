using System.Globalization;
using System.Security.Cryptography.Xml;
using System.Xml;
using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Signing;

/// <summary>
/// Signs DUIS documents the way the DCC Boxed signing tool does: enveloped signature as the last child of
/// the root, exclusive c14n of SignedInfo, ECDSA-SHA256, a SHA-256 digest of the whole document
/// (Reference URI=""), and KeyInfo holding only X509IssuerSerial (issuer in RFC 2253 form, serial in decimal).
/// </summary>
public static class DuisSigner
{
    /// <summary>Signs a Request or Response and returns it as compact XML.</summary>
    /// <remarks>
    /// The output must not be re-indented: the tool drops element-content whitespace before digesting,
    /// so only compact XML has the same digest on both sides.
    /// </remarks>
    public static string Sign(string xml, DuisSigningCredentials credentials, DuisXmlLoadOptions? options = null)
    {
        var document = DuisXmlLoader.Load(xml, options);
        Sign(document, credentials);
        return ToCompactString(document);
    }

    /// <summary>Signs the document in place, after dropping any old signature and element-content whitespace.</summary>
    public static void Sign(XmlDocument document, DuisSigningCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(credentials);
        DuisSignatureAlgorithms.EnsureRegistered();
        DuisXmlLoader.RequireRoot(document, "Request", "Response");
        var root = document.DocumentElement!;

        foreach (var old in document.GetElementsByTagName("Signature", DuisNames.XmlDsigNamespace).Cast<XmlElement>().ToList())
        {
            old.ParentNode!.RemoveChild(old);
        }
        RemoveElementContentWhitespace(document);

        var signedXml = new SignedXml(document) { SigningKey = credentials.PrivateKey };
        signedXml.SignedInfo!.CanonicalizationMethod = DuisNames.ExclusiveC14N;
        signedXml.SignedInfo.SignatureMethod = DuisNames.EcdsaSha256;
        var reference = new Reference(string.Empty) { DigestMethod = DuisNames.Sha256 };
        reference.AddTransform(new XmlDsigEnvelopedSignatureTransform());
        signedXml.AddReference(reference);

        var keyInfo = new KeyInfo();
        keyInfo.AddClause(new KeyInfoNode(IssuerSerialElement(credentials.SignerReference)));
        signedXml.KeyInfo = keyInfo;

        signedXml.ComputeSignature();
        root.AppendChild(document.ImportNode(signedXml.GetXml(), deep: true));
    }

    /// <summary>The document as compact text, with the XML declaration it had (if any).</summary>
    public static string ToCompactString(XmlDocument document)
    {
        using var writer = new Utf8StringWriter();
        using (var xml = XmlWriter.Create(writer, new XmlWriterSettings
        {
            Indent = false,
            OmitXmlDeclaration = document.FirstChild is not XmlDeclaration,
            NewLineHandling = NewLineHandling.None,
        }))
        {
            document.Save(xml);
        }
        return writer.ToString();
    }

    /// <summary>The declaration names the writer's encoding; DUIS documents are sent as UTF-8.</summary>
    private sealed class Utf8StringWriter() : StringWriter(CultureInfo.InvariantCulture)
    {
        public override System.Text.Encoding Encoding => new System.Text.UTF8Encoding(false);
    }

    /// <summary>
    /// Drops whitespace-only text between elements (element content). Text that is the whole content of a
    /// leaf element is data and is kept.
    /// </summary>
    public static void RemoveElementContentWhitespace(XmlDocument document)
    {
        var doomed = new List<XmlNode>();
        Collect(document, doomed);
        foreach (var node in doomed)
        {
            node.ParentNode!.RemoveChild(node);
        }

        static void Collect(XmlNode node, List<XmlNode> doomed)
        {
            var hasElementChild = node is XmlDocument || node.ChildNodes.Cast<XmlNode>().Any(c => c.NodeType == XmlNodeType.Element);
            foreach (XmlNode child in node.ChildNodes)
            {
                if (hasElementChild && child.NodeType is XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace
                    || hasElementChild && child.NodeType == XmlNodeType.Text && string.IsNullOrWhiteSpace(child.Value))
                {
                    doomed.Add(child);
                }
                else if (child.NodeType == XmlNodeType.Element)
                {
                    Collect(child, doomed);
                }
            }
        }
    }

    private static XmlElement IssuerSerialElement(DuisSignerReference signer)
    {
        var doc = new XmlDocument();
        var x509Data = doc.CreateElement("X509Data", DuisNames.XmlDsigNamespace);
        var issuerSerial = doc.CreateElement("X509IssuerSerial", DuisNames.XmlDsigNamespace);
        var issuer = doc.CreateElement("X509IssuerName", DuisNames.XmlDsigNamespace);
        issuer.InnerText = signer.IssuerName;
        var serial = doc.CreateElement("X509SerialNumber", DuisNames.XmlDsigNamespace);
        serial.InnerText = signer.SerialNumber.ToString(CultureInfo.InvariantCulture);
        issuerSerial.AppendChild(issuer);
        issuerSerial.AppendChild(serial);
        x509Data.AppendChild(issuerSerial);
        return x509Data;
    }
}
