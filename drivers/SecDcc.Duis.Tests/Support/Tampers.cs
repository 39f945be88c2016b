using System.Xml;
using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Tests.Support;

/// <summary>Ways to spoil a signed DUIS document, each with the refusal it must cause.</summary>
public static class Tampers
{
    public sealed record Tamper(string Name, Func<string, string> Apply, DuisFailure Expected);

    private const string Ds = DuisNames.XmlDsigNamespace;

    public static IReadOnlyList<Tamper> All { get; } =
    [
        new("changed element", xml => Edit(xml, d => FirstLeaf(d).InnerText += "0"), DuisFailure.DigestMismatch),
        new("changed attribute", xml => Edit(xml, d => d.DocumentElement!.SetAttribute("schemaVersion", "5.3")), DuisFailure.DigestMismatch),
        new("element added to the body", xml => Edit(xml, d =>
        {
            var body = d.GetElementsByTagName("Body", DuisNames.ServiceUserGatewayNamespace)[0]!;
            body.FirstChild!.AppendChild(d.CreateElement("sr", "Extra", DuisNames.ServiceUserGatewayNamespace));
        }), DuisFailure.DigestMismatch),
        new("signature value changed", xml => Edit(xml, d =>
        {
            var value = (XmlElement)d.GetElementsByTagName("SignatureValue", Ds)[0]!;
            var bytes = Convert.FromBase64String(value.InnerText);
            bytes[10] ^= 0x01;
            value.InnerText = Convert.ToBase64String(bytes);
        }), DuisFailure.BadSignatureValue),
        new("content changed and digest recomputed", xml => Edit(xml, d =>
        {
            FirstLeaf(d).InnerText += "0";
            ((XmlElement)d.GetElementsByTagName("DigestValue", Ds)[0]!).InnerText = DigestWithoutSignature(d);
        }), DuisFailure.BadSignatureValue),
        new("digest value zeroed", xml => Edit(xml, d =>
            ((XmlElement)d.GetElementsByTagName("DigestValue", Ds)[0]!).InnerText = Convert.ToBase64String(new byte[32])), DuisFailure.DigestMismatch),
        new("signature moved into the body", xml => Edit(xml, d =>
        {
            var signature = Signature(d);
            d.DocumentElement!.RemoveChild(signature);
            d.GetElementsByTagName("Body", DuisNames.ServiceUserGatewayNamespace)[0]!.AppendChild(signature);
        }), DuisFailure.SignatureNotLast),
        new("signature moved before the body", xml => Edit(xml, d =>
        {
            var signature = Signature(d);
            d.DocumentElement!.RemoveChild(signature);
            d.DocumentElement.InsertBefore(signature, d.DocumentElement.FirstChild);
        }), DuisFailure.SignatureNotLast),
        new("element after the signature", xml => Edit(xml, d =>
            d.DocumentElement!.AppendChild(d.CreateElement("sr", "Body", DuisNames.ServiceUserGatewayNamespace))), DuisFailure.SignatureNotLast),
        new("second signature", xml => Edit(xml, d =>
        {
            var copy = Signature(d).CloneNode(deep: true);
            d.GetElementsByTagName("Header", DuisNames.ServiceUserGatewayNamespace)[0]!.AppendChild(copy);
        }), DuisFailure.MultipleSignatures),
        new("reference wrapped to an Id", xml => Edit(xml, d =>
        {
            var reference = (XmlElement)d.GetElementsByTagName("Reference", Ds)[0]!;
            reference.SetAttribute("URI", "#body");
            ((XmlElement)d.GetElementsByTagName("Body", DuisNames.ServiceUserGatewayNamespace)[0]!).SetAttribute("Id", "body");
        }), DuisFailure.ReferenceNotWholeDocument),
        new("reference without URI", xml => Edit(xml, d =>
            ((XmlElement)d.GetElementsByTagName("Reference", Ds)[0]!).RemoveAttribute("URI")), DuisFailure.ReferenceNotWholeDocument),
        new("second reference", xml => Edit(xml, d =>
        {
            var reference = d.GetElementsByTagName("Reference", Ds)[0]!;
            reference.ParentNode!.AppendChild(reference.CloneNode(deep: true));
        }), DuisFailure.ReferenceNotWholeDocument),
        new("XPath transform added", xml => Edit(xml, d =>
        {
            var transforms = d.GetElementsByTagName("Transforms", Ds)[0]!;
            var xpath = d.CreateElement(transforms.Prefix, "Transform", Ds);
            xpath.SetAttribute("Algorithm", "http://www.w3.org/TR/1999/REC-xpath-19991116");
            transforms.AppendChild(xpath);
        }), DuisFailure.DisallowedTransform),
        new("enveloped transform removed", xml => Edit(xml, d =>
        {
            var transforms = d.GetElementsByTagName("Transforms", Ds)[0]!;
            transforms.ParentNode!.RemoveChild(transforms);
        }), DuisFailure.DisallowedTransform),
        new("signature method downgraded", xml => Edit(xml, d =>
            ((XmlElement)d.GetElementsByTagName("SignatureMethod", Ds)[0]!).SetAttribute("Algorithm", "http://www.w3.org/2000/09/xmldsig#rsa-sha1")), DuisFailure.UnsupportedAlgorithm),
        new("digest method downgraded", xml => Edit(xml, d =>
            ((XmlElement)d.GetElementsByTagName("DigestMethod", Ds)[0]!).SetAttribute("Algorithm", "http://www.w3.org/2000/09/xmldsig#sha1")), DuisFailure.UnsupportedAlgorithm),
        new("KeyInfo removed", xml => Edit(xml, d =>
        {
            var keyInfo = d.GetElementsByTagName("KeyInfo", Ds)[0]!;
            keyInfo.ParentNode!.RemoveChild(keyInfo);
        }), DuisFailure.MissingSignerIdentity),
        new("serial of another party", xml => Edit(xml, d =>
            d.GetElementsByTagName("X509SerialNumber", Ds)[0]!.InnerText = "1234567890"), DuisFailure.UnknownSigner),
        new("DTD added", xml => "<!DOCTYPE sr:Request [<!ELEMENT sr:Request ANY>]>" + StripDeclaration(xml), DuisFailure.DtdPresent),
        new("entity expansion", xml => "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">]>" +
            StripDeclaration(xml).Replace("</sr:Header>", "<sr:X>&b;</sr:X></sr:Header>", StringComparison.Ordinal), DuisFailure.DtdPresent),
        new("wrong namespace", xml => xml.Replace(DuisNames.ServiceUserGatewayNamespace, "http://example.invalid/ServiceUserGateway", StringComparison.Ordinal), DuisFailure.WrongRoot),
        new("truncated", xml => xml[..(xml.Length * 2 / 3)], DuisFailure.NotWellFormed),
        new("unsigned", xml => Edit(xml, d => d.DocumentElement!.RemoveChild(Signature(d))), DuisFailure.NoSignature),
    ];

    public static IEnumerable<TestCaseData> Cases() => All.Select(t => new TestCaseData(t).SetArgDisplayNames(t.Name));

    private static string Edit(string xml, Action<XmlDocument> edit)
    {
        var document = DuisXmlLoader.Load(xml);
        edit(document);
        return document.OuterXml;
    }

    /// <summary>What an attacker would put in DigestValue: the enveloped-signature digest of the changed document.</summary>
    private static string DigestWithoutSignature(XmlDocument d)
    {
        var copy = (XmlDocument)d.CloneNode(deep: true);
        var signature = Signature(copy);
        signature.ParentNode!.RemoveChild(signature);
        var c14n = new System.Security.Cryptography.Xml.XmlDsigC14NTransform();
        c14n.LoadInput(copy);
        using var stream = (Stream)c14n.GetOutput(typeof(Stream));
        return Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(stream));
    }

    private static XmlElement Signature(XmlDocument d) => (XmlElement)d.GetElementsByTagName("Signature", Ds)[0]!;

    private static XmlElement FirstLeaf(XmlDocument d) =>
        d.GetElementsByTagName("Body", DuisNames.ServiceUserGatewayNamespace)[0]!
            .SelectNodes(".//*[not(*)]")!.OfType<XmlElement>().First();

    private static string StripDeclaration(string xml) => xml.StartsWith("<?xml", StringComparison.Ordinal) ? xml[(xml.IndexOf("?>", StringComparison.Ordinal) + 2)..] : xml;
}
