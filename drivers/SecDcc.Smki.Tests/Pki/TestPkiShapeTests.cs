using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.Pki;
using SecDcc.Smki.Tests.Support;

namespace SecDcc.Smki.Tests.Pki;

public sealed class TestPkiShapeTests
{
    private static readonly DateTimeOffset During = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Eui64 Device = Eui64.Parse("00-DB-12-34-56-78-00-03");

    [Test]
    public void Root_OCA_is_a_self_signed_CA_with_role_00_and_no_authority_key_identifier()
    {
        var root = SharedPki.Use(pki => pki.RootOca.Certificate);
        var facts = CertificateFacts.Read(root);

        Assert.That(facts.Kind, Is.EqualTo(SmkiCertificateKind.CertificateAuthority));
        Assert.That(facts.Role, Is.EqualTo(RemotePartyRole.Root));
        Assert.That(facts.EntityId, Is.EqualTo(Eui64.Parse("90-B3-D5-1F-30-00-00-00")));
        Assert.That(facts.KeyUsage, Is.EqualTo(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign));
        Assert.That(facts.AuthorityKeyIdentifier, Is.Null);
        Assert.That(root.SubjectName.RawData, Is.EqualTo(root.IssuerName.RawData));
        Assert.That(root.Extensions.OfType<X509BasicConstraintsExtension>().Single().Critical, Is.True);
    }

    [Test]
    public void Issuing_OCA_has_role_07_and_names_the_root_key()
    {
        var (issuing, root) = SharedPki.Use(pki => (pki.IssuingCa.Facts, pki.RootOca.Facts));

        Assert.That(issuing.Role, Is.EqualTo(RemotePartyRole.IssuingAuthority));
        Assert.That(issuing.Kind, Is.EqualTo(SmkiCertificateKind.CertificateAuthority));
        Assert.That(issuing.AuthorityKeyIdentifier, Is.EqualTo(root.SubjectKeyIdentifier));
    }

    [TestCase(RemotePartyRole.Recovery, "90-B3-D5-1F-30-00-00-01", X509KeyUsageFlags.DigitalSignature)]
    [TestCase(RemotePartyRole.AccessControlBroker, "90-B3-D5-1F-30-00-00-02", X509KeyUsageFlags.DigitalSignature)]
    [TestCase(RemotePartyRole.AccessControlBroker, "90-B3-D5-1F-30-00-00-02", X509KeyUsageFlags.KeyAgreement)]
    [TestCase(RemotePartyRole.TransitionalCoS, "90-B3-D5-1F-30-00-00-04", X509KeyUsageFlags.DigitalSignature)]
    [TestCase(RemotePartyRole.WanProvider, "90-B3-D5-1F-30-00-00-07", X509KeyUsageFlags.DigitalSignature)]
    public void DCC_certificates_are_Organisation_Certificates_of_their_role(RemotePartyRole role, string entityId, X509KeyUsageFlags usage)
    {
        var issued = SharedPki.Use(pki => pki.Issued.Single(i => i.Facts.Role == role && i.Facts.KeyUsage == usage));

        AssertOrganisationShape(issued.Certificate, role, Eui64.Parse(entityId), usage);
    }

    [Test]
    public void A_supplier_Organisation_Certificate_has_CN_OU_and_unique_identifier_in_the_ZAZ1_order()
    {
        var issued = SharedPki.Use(pki => pki.OrganisationCertificate(RemotePartyRole.Supplier, SharedPki.Supplier1.Id, X509KeyUsageFlags.KeyAgreement, "GITTESTSUPPLIER"));

        AssertOrganisationShape(issued.Certificate, RemotePartyRole.Supplier, SharedPki.Supplier1.Id, X509KeyUsageFlags.KeyAgreement);
        Assert.That(issued.Facts.CommonName, Is.EqualTo("GITTESTSUPPLIER"));

        // The subject of Z1-supplier-ds in the DCC's keystore, byte for byte: CN (UTF8String), OU "02"
        // (UTF8String), x500UniqueIdentifier BIT STRING 90B3D51F30010000.
        Assert.That(
            Convert.ToHexString(issued.Certificate.SubjectName.RawData),
            Is.EqualTo("303B3118301606035504030C0F47495454455354535550504C494552310B3009060355040B0C02303231123010060355042D03090090B3D51F30010000"));
    }

    [Test]
    public void A_Device_Certificate_has_an_empty_subject_and_a_critical_hardwareModuleName_SAN()
    {
        var issued = SharedPki.Use(pki => pki.DeviceCertificate(Device, X509KeyUsageFlags.DigitalSignature));
        var certificate = issued.Certificate;

        Assert.That(certificate.SubjectName.RawData, Is.EqualTo(new byte[] { 0x30, 0x00 }));
        var san = certificate.Extensions[SmkiOids.SubjectAltName];
        Assert.That(san, Is.Not.Null);
        Assert.That(san!.Critical, Is.True);
        Assert.That(SmkiExtensions.ReadHardwareModuleName(san)!.Value.SerialNumber, Is.EqualTo(Device));
        Assert.That(issued.Facts.Kind, Is.EqualTo(SmkiCertificateKind.Device));
        Assert.That(issued.Facts.EntityId, Is.EqualTo(Device));
        Assert.That(issued.Facts.KeyUsage, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
        Assert.That(certificate.NotAfter.ToUniversalTime(), Is.EqualTo(new DateTime(9999, 12, 31, 23, 59, 59, DateTimeKind.Utc)));
        Assert.That(ValidityTags(certificate).NotAfter, Is.EqualTo(UniversalTagNumber.GeneralizedTime), "GBCS asks for 99991231235959Z as GeneralizedTime");
    }

    [Test]
    public void A_device_key_generated_elsewhere_can_be_certified()
    {
        using var deviceKey = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var publicKey = new X509SignatureGeneratorProbe(deviceKey).Key;

        using var certificate = SharedPki.Use(pki => pki.CertifyDeviceKey(Device, X509KeyUsageFlags.KeyAgreement, publicKey));
        var facts = CertificateFacts.Read(certificate);

        Assert.That(facts.EntityId, Is.EqualTo(Device));
        Assert.That(facts.KeyUsage, Is.EqualTo(X509KeyUsageFlags.KeyAgreement));
        Assert.That(certificate.PublicKey.ExportSubjectPublicKeyInfo(), Is.EqualTo(deviceKey.ExportSubjectPublicKeyInfo()));
        Assert.That(SharedPki.Use(pki => pki.Validate(certificate, During)), Is.EqualTo(X509ChainStatusFlags.NoError));
    }

    [Test]
    public void Every_issued_certificate_chains_to_the_root_with_X509Chain()
    {
        var statuses = SharedPki.Use(pki =>
        {
            pki.OrganisationCertificate(RemotePartyRole.NetworkOperator, SharedPki.NetworkOperator.Id, X509KeyUsageFlags.DigitalSignature);
            pki.DeviceCertificate(Device, X509KeyUsageFlags.KeyAgreement);
            return pki.Issued.Select(i => (i.Label, Status: pki.Validate(i.Certificate, During))).ToList();
        });

        Assert.That(statuses, Has.Count.GreaterThanOrEqualTo(9));
        Assert.That(statuses.Where(s => s.Status != X509ChainStatusFlags.NoError), Is.Empty);
    }

    [Test]
    public void A_certificate_of_another_PKI_does_not_chain_to_this_root()
    {
        using var other = TestPki.Create("another seed");
        var status = SharedPki.Use(pki => pki.Validate(other.Recovery.Certificate, During));

        Assert.That(status, Is.Not.EqualTo(X509ChainStatusFlags.NoError));
    }

    [Test]
    public void Certificates_are_not_valid_before_the_epoch()
    {
        var status = SharedPki.Use(pki => pki.Validate(pki.Recovery.Certificate, pki.Options.Epoch.AddDays(-1)));

        Assert.That(status.HasFlag(X509ChainStatusFlags.NotTimeValid), Is.True);
    }

    [Test]
    public void Two_keyUsages_in_one_Organisation_Certificate_are_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => SharedPki.Use(pki =>
            pki.OrganisationCertificate(RemotePartyRole.Supplier, SharedPki.Supplier1.Id, X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement)));
        Assert.That(e!.Message, Does.Contain("exactly one keyUsage"));
    }

    private static void AssertOrganisationShape(X509Certificate2 certificate, RemotePartyRole role, Eui64 entityId, X509KeyUsageFlags usage)
    {
        var facts = CertificateFacts.Read(certificate);
        Assert.That(facts.Kind, Is.EqualTo(SmkiCertificateKind.Organisation));
        Assert.That(facts.Role, Is.EqualTo(role));
        Assert.That(facts.EntityId, Is.EqualTo(entityId));
        Assert.That(facts.KeyUsage, Is.EqualTo(usage));

        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().Single();
        Assert.That(keyUsage.Critical, Is.True, "GBCS: keyUsage is critical");
        var ski = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Single();
        Assert.That(ski.Critical, Is.False);
        Assert.That(ski.SubjectKeyIdentifierBytes.Length, Is.EqualTo(8), "GBCS: RFC 5280 method (2), 8 octets");
        Assert.That(ski.SubjectKeyIdentifierBytes.Span[0] >> 4, Is.EqualTo(4), "method (2) starts with the four bits 0100");
        Assert.That(facts.SubjectKeyIdentifier, Is.EqualTo(CertificateFacts.ComputeKeyIdentifier(certificate.PublicKey)));
        var policies = certificate.Extensions[SmkiOids.CertificatePolicies];
        Assert.That(policies!.Critical, Is.True, "GBCS: certificatePolicies is critical");
        Assert.That(facts.Policies, Is.EqualTo(new[] { SmkiOids.TestPkiPolicy }));
        Assert.That(facts.AuthorityKeyIdentifier, Is.EqualTo(SharedPki.Use(pki => pki.IssuingCa.KeyIdentifier)));
        Assert.That(certificate.SignatureAlgorithm.Value, Is.EqualTo("1.2.840.10045.4.3.2"), "ecdsa-with-SHA256");
        Assert.That(Convert.ToHexString(certificate.PublicKey.EncodedParameters!.RawData!), Is.EqualTo("06082A8648CE3D030107"), "named curve P-256");
        var point = certificate.PublicKey.EncodedKeyValue.RawData;
        Assert.That((point.Length, point[0]), Is.EqualTo((65, (byte)0x04)), "GBCS: an uncompressed point");
    }

    private static (UniversalTagNumber NotBefore, UniversalTagNumber NotAfter) ValidityTags(X509Certificate2 certificate)
    {
        var tbs = new AsnReader(certificate.RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence();
        tbs.ReadEncodedValue(); // version
        tbs.ReadEncodedValue(); // serialNumber
        tbs.ReadEncodedValue(); // signature
        tbs.ReadEncodedValue(); // issuer
        var validity = tbs.ReadSequence();
        var notBefore = (UniversalTagNumber)validity.PeekTag().TagValue;
        validity.ReadEncodedValue();
        return (notBefore, (UniversalTagNumber)validity.PeekTag().TagValue);
    }

    /// <summary>The PublicKey of an ECDsa key, as a device would put in its certification request.</summary>
    private sealed class X509SignatureGeneratorProbe(System.Security.Cryptography.ECDsa key)
    {
        public PublicKey Key { get; } = X509SignatureGenerator.CreateForECDsa(key).PublicKey;
    }
}
