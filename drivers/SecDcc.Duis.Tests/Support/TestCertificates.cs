using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Duis.Signing;

namespace SecDcc.Duis.Tests.Support;

/// <summary>
/// Throw-away ZAZ1-shaped certificates made in memory, so signing tests do not depend on the npm packages:
/// an issuer "OU=07, CN=Z1" and organisation certificates with OU (role) and x500UniqueIdentifier (EUI-64).
/// </summary>
public static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Issuer = new(CreateIssuer);

    public static X509Certificate2 Z1Issuer => Issuer.Value;

    public static DuisSigningCredentials CreateXmlSigning(Eui64 party, string roleHex = "87") =>
        new(CreateOrganisation(party, roleHex, X509KeyUsageFlags.DigitalSignature, out _));

    /// <summary>An organisation certificate, with its private key attached when it is a signing one.</summary>
    public static X509Certificate2 CreateOrganisation(Eui64 party, string roleHex, X509KeyUsageFlags usage, out ECDsa key, string? commonName = null)
    {
        key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(SubjectName(roleHex, party, commonName), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        serial[0] |= 0x40;
        using var issuerKey = Z1Issuer.GetECDsaPrivateKey()!;
        var generator = X509SignatureGenerator.CreateForECDsa(issuerKey);
        using var certificate = request.Create(Z1Issuer.SubjectName, generator,
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10), serial);
        // .NET attaches an ECDSA key only to a certificate it may sign with; key-agreement ones stay public.
        return usage.HasFlag(X509KeyUsageFlags.DigitalSignature)
            ? certificate.CopyWithPrivateKey(key)
            : X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    /// <summary>A device certificate: empty subject, critical SAN otherName hardwareModuleName with the EUI-64.</summary>
    public static X509Certificate2 CreateDevice(Eui64 device)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName([0x30, 0x00]), key, HashAlgorithmName.SHA256);
        var san = new AsnWriter(AsnEncodingRules.DER);
        using (san.PushSequence())
        {
            var otherName = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            using (san.PushSequence(otherName))
            {
                san.WriteObjectIdentifier("1.3.6.1.5.5.7.8.4");
                using (san.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (san.PushSequence())
                {
                    san.WriteObjectIdentifier("1.2.826.0.1.8641679.1.2.1.1");
                    san.WriteOctetString(device.ToBytes());
                }
            }
        }
        request.CertificateExtensions.Add(new X509Extension("2.5.29.17", san.Encode(), critical: true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        using var issuerKey = Z1Issuer.GetECDsaPrivateKey()!;
        return request.Create(Z1Issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey),
            DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1), [0x11, 0x22, 0x33]);
    }

    /// <summary>OU=role, x500UniqueIdentifier=EUI-64 (BIT STRING), optional CN, in that order as in ZAZ1.</summary>
    public static X500DistinguishedName SubjectName(string roleHex, Eui64 party, string? commonName = null)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            Rdn(writer, "2.5.4.11", w => w.WriteCharacterString(UniversalTagNumber.UTF8String, roleHex));
            Rdn(writer, "2.5.4.45", w => w.WriteBitString(party.ToBytes()));
            if (commonName is not null)
            {
                Rdn(writer, "2.5.4.3", w => w.WriteCharacterString(UniversalTagNumber.UTF8String, commonName));
            }
        }
        return new X500DistinguishedName(writer.Encode());
    }

    private static void Rdn(AsnWriter writer, string oid, Action<AsnWriter> value)
    {
        using (writer.PushSetOf())
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(oid);
            value(writer);
        }
    }

    private static X509Certificate2 CreateIssuer()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            Rdn(writer, "2.5.4.11", w => w.WriteCharacterString(UniversalTagNumber.UTF8String, "07"));
            Rdn(writer, "2.5.4.3", w => w.WriteCharacterString(UniversalTagNumber.UTF8String, "Z1"));
        }
        var request = new CertificateRequest(new X500DistinguishedName(writer.Encode()), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-2), DateTimeOffset.UtcNow.AddYears(20));
    }
}
