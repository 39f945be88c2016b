using System.Numerics;
using System.Xml;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;
using SecDcc.Duis.Xml;

namespace SecDcc.Duis.Tests;

public class SigningTests
{
    private DuisSigningCredentials _supplier = null!;
    private InMemoryCertificateResolver _resolver = null!;

    [OneTimeSetUp]
    public void CreateParty()
    {
        _supplier = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        _resolver = new InMemoryCertificateResolver([_supplier.Certificate]);
    }

    [OneTimeTearDown]
    public void Dispose() => _supplier.Dispose();

    private static string UnsignedRequest() =>
        DuisRequest.Create(new RequestId(Zaz1Parties.Supplier, Zaz1Parties.Dcc, 1), ReadInventory.ByDeviceId(SampleRequests.Chf)).ToXml();

    [Test]
    public async Task A_signed_request_verifies_and_names_its_signer()
    {
        var signed = DuisSigner.Sign(UnsignedRequest(), _supplier);

        var result = await new DuisSignatureVerifier(_resolver).VerifyAsync(signed, CancellationToken.None);

        Assert.That(result.IsValid, Is.True, result.Reason);
        Assert.That(result.Signer, Is.SameAs(_supplier.Certificate));
        Assert.That(result.SignerReference!.SerialNumber, Is.EqualTo(DuisSignerReference.SerialOf(_supplier.Certificate)));
    }

    [Test]
    public void The_signature_has_the_shape_the_DCC_tool_writes()
    {
        var document = DuisXmlLoader.Load(DuisSigner.Sign(UnsignedRequest(), _supplier));
        var ns = new XmlNamespaceManager(document.NameTable);
        ns.AddNamespace("ds", DuisNames.XmlDsigNamespace);
        var root = document.DocumentElement!;

        Assert.Multiple(() =>
        {
            Assert.That(root.LastChild!.LocalName, Is.EqualTo("Signature"), "signature is the last child of the root");
            Assert.That(root.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:CanonicalizationMethod/@Algorithm", ns)!.Value, Is.EqualTo(DuisNames.ExclusiveC14N));
            Assert.That(root.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:SignatureMethod/@Algorithm", ns)!.Value, Is.EqualTo(DuisNames.EcdsaSha256));
            Assert.That(root.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:Reference/@URI", ns)!.Value, Is.EqualTo(string.Empty));
            Assert.That(root.SelectNodes("ds:Signature/ds:SignedInfo/ds:Reference/ds:Transforms/ds:Transform", ns)!.Count, Is.EqualTo(1));
            Assert.That(root.SelectSingleNode("ds:Signature/ds:SignedInfo/ds:Reference/ds:DigestMethod/@Algorithm", ns)!.Value, Is.EqualTo(DuisNames.Sha256));
            Assert.That(root.SelectSingleNode("ds:Signature/ds:KeyInfo", ns)!.ChildNodes.Count, Is.EqualTo(1));
            Assert.That(root.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data", ns)!.ChildNodes.Count, Is.EqualTo(1), "X509IssuerSerial only");
            Assert.That(root.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial/ds:X509IssuerName", ns)!.InnerText, Is.EqualTo("CN=Z1,OU=07"));
            var serial = root.SelectSingleNode("ds:Signature/ds:KeyInfo/ds:X509Data/ds:X509IssuerSerial/ds:X509SerialNumber", ns)!.InnerText;
            Assert.That(serial, Does.Match("^[0-9]+$"), "decimal serial");
            Assert.That(BigInteger.Parse(serial), Is.EqualTo(DuisSignerReference.SerialOf(_supplier.Certificate)));
            Assert.That(Convert.FromBase64String(root.SelectSingleNode("ds:Signature/ds:SignatureValue", ns)!.InnerText), Has.Length.EqualTo(64), "r‖s of P-256");
        });
    }

    [Test]
    public void Signing_drops_element_content_whitespace_and_any_old_signature()
    {
        var pretty = UnsignedRequest().Replace("><", ">\n  <", StringComparison.Ordinal);
        var once = DuisSigner.Sign(pretty, _supplier);
        var twice = DuisSigner.Sign(once, _supplier);

        Assert.That(once, Does.Not.Contain("\n  <"));
        Assert.That(DuisXmlLoader.Load(twice).GetElementsByTagName("Signature", DuisNames.XmlDsigNamespace).Count, Is.EqualTo(1));
        Assert.That(DigestOf(once), Is.EqualTo(DigestOf(twice)), "re-signing the same content gives the same digest");
        Assert.That(DigestOf(once), Is.EqualTo(DigestOf(DuisSigner.Sign(UnsignedRequest(), _supplier))), "indentation does not change the digest");
    }

    [Test]
    public void Whitespace_that_is_data_is_kept()
    {
        var xml = UnsignedRequest().Replace("</sr:Body>", "</sr:Body>", StringComparison.Ordinal)
            .Replace("<sr:ServiceReference>8.2</sr:ServiceReference>", "<sr:ServiceReference>8.2</sr:ServiceReference>", StringComparison.Ordinal);
        var document = DuisXmlLoader.Load(xml.Replace("<sr:Body>", "<sr:Body><!-- c --> ", StringComparison.Ordinal));
        var leaf = document.CreateElement("sr", "Leaf", DuisNames.ServiceUserGatewayNamespace);
        leaf.AppendChild(document.CreateTextNode("  "));
        document.DocumentElement!.AppendChild(leaf);

        DuisSigner.RemoveElementContentWhitespace(document);

        Assert.That(leaf.InnerText, Is.EqualTo("  "));
        Assert.That(document.OuterXml, Does.Not.Contain("--> <"));
    }

    [Test]
    public async Task A_signer_that_is_not_registered_is_refused_by_name()
    {
        using var stranger = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier2);
        var signed = DuisSigner.Sign(UnsignedRequest(), stranger);

        var result = await new DuisSignatureVerifier(_resolver).VerifyAsync(signed, CancellationToken.None);

        Assert.That(result.IsValid, Is.False);
        Assert.That(result.Failure, Is.EqualTo(DuisFailure.UnknownSigner));
        Assert.That(result.Reason, Does.Contain(DuisSignerReference.SerialOf(stranger.Certificate).ToString()));
    }

    [Test]
    public void The_issuer_is_matched_whatever_the_spacing()
    {
        var reference = DuisSignerReference.For(_supplier.Certificate);
        Assert.That(reference.IssuerName, Is.EqualTo("CN=Z1,OU=07"));
        Assert.That(new DuisSignerReference("CN=Z1, OU=07", reference.SerialNumber).Matches(_supplier.Certificate), Is.True);
        Assert.That(new DuisSignerReference("cn=z1 , ou=07", reference.SerialNumber).Matches(_supplier.Certificate), Is.True);
        Assert.That(new DuisSignerReference("CN=Z2,OU=07", reference.SerialNumber).Matches(_supplier.Certificate), Is.False);
        Assert.That(new DuisSignerReference("CN=Z1,OU=07", reference.SerialNumber + 1).Matches(_supplier.Certificate), Is.False);
    }

    [Test]
    public void A_key_that_is_not_the_certificates_is_refused()
    {
        using var one = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        using var other = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        var certPem = one.Certificate.ExportCertificatePem();
        var keyPem = other.PrivateKey.ExportPkcs8PrivateKeyPem();

        Assert.That(() => DuisSigningCredentials.FromPem(certPem, keyPem), Throws.ArgumentException.With.Message.Contains("does not belong"));
        using var good = DuisSigningCredentials.FromPem(certPem, one.PrivateKey.ExportPkcs8PrivateKeyPem());
        Assert.That(good.SignerReference, Is.EqualTo(one.SignerReference));
    }

    [Test]
    public async Task Credentials_load_from_PEM_files()
    {
        var dir = Directory.CreateTempSubdirectory("secdcc-duis-pem-");
        try
        {
            var cert = Path.Combine(dir.FullName, "cert.pem");
            var key = Path.Combine(dir.FullName, "key.pem");
            await File.WriteAllTextAsync(cert, _supplier.Certificate.ExportCertificatePem());
            await File.WriteAllTextAsync(key, _supplier.PrivateKey.ExportPkcs8PrivateKeyPem());

            using var loaded = await DuisSigningCredentials.FromPemFilesAsync(cert, key, CancellationToken.None);
            var result = await new DuisSignatureVerifier(_resolver).VerifyAsync(DuisSigner.Sign(UnsignedRequest(), loaded), CancellationToken.None);

            Assert.That(result.IsValid, Is.True, result.Reason);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    internal static string DigestOf(string signedXml)
    {
        var document = DuisXmlLoader.Load(signedXml);
        return document.GetElementsByTagName("DigestValue", DuisNames.XmlDsigNamespace)[0]!.InnerText;
    }
}
