using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.Tests.Support;

namespace SecDcc.Smki.Tests.Certificates;

public sealed class CertificateFactsTests
{
    [Test]
    public void Reads_role_entity_id_keyUsage_key_identifiers_and_issuer_of_an_Organisation_Certificate()
    {
        var (issued, issuing) = SharedPki.Use(pki => (pki.AccessControlBrokerKeyAgreement, pki.IssuingCa));

        var facts = CertificateFacts.Read(issued.Certificate.RawData);

        Assert.That(facts.Role, Is.EqualTo(RemotePartyRole.AccessControlBroker));
        Assert.That(facts.EntityId?.ToString(), Is.EqualTo("90-B3-D5-1F-30-00-00-02"));
        Assert.That(facts.KeyUsage, Is.EqualTo(X509KeyUsageFlags.KeyAgreement));
        Assert.That(facts.SubjectKeyIdentifier, Is.EqualTo(issued.KeyIdentifier));
        Assert.That(facts.AuthorityKeyIdentifier, Is.EqualTo(issuing.KeyIdentifier));
        Assert.That(facts.Issuer, Is.EqualTo(issuing.Certificate.SubjectName.Name));
        Assert.That(facts.ToString(), Is.EqualTo("Organisation Certificate accessControlBroker 90-B3-D5-1F-30-00-00-02 keyAgreement"));
    }

    [Test]
    public void Reads_a_PEM_certificate()
    {
        var pem = SharedPki.Use(pki => pki.TransitionalCoS.CertificatePem);

        Assert.That(CertificateFacts.ReadPem(pem).Role, Is.EqualTo(RemotePartyRole.TransitionalCoS));
    }

    [Test]
    public void An_OU_that_is_not_two_hex_digits_is_named_in_the_error()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=web, OU=Sales", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var e = Assert.Throws<SmkiCertificateException>(() => CertificateFacts.Read(certificate));
        Assert.That(e!.Message, Does.Contain("subject OU 'Sales'").And.Contain("two hex digits"));
    }

    [Test]
    public void An_empty_subject_without_a_hardwareModuleName_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName(new byte[] { 0x30, 0x00 }), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var e = Assert.Throws<SmkiCertificateException>(() => CertificateFacts.Read(certificate));
        Assert.That(e!.Message, Does.Contain("empty subject and no subjectAltName"));
    }

    [Test]
    public void A_certificate_without_keyUsage_is_refused()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = new CertificateRequest("OU=02", key, HashAlgorithmName.SHA256).CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));

        var e = Assert.Throws<SmkiCertificateException>(() => CertificateFacts.Read(certificate));
        Assert.That(e!.Message, Does.Contain("no keyUsage"));
    }

    [Test]
    public void Bytes_that_are_not_a_certificate_are_refused()
    {
        var e = Assert.Throws<SmkiCertificateException>(() => CertificateFacts.Read(new byte[] { 1, 2, 3 }));
        Assert.That(e!.Message, Does.Contain("3 bytes are not a DER X.509 certificate"));
    }
}
