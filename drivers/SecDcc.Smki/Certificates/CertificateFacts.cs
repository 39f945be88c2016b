using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.Smki.Certificates;

/// <summary>What kind of SMKI certificate a certificate is, judged by its shape.</summary>
public enum SmkiCertificateKind
{
    /// <summary>Subject OU carries a Remote Party Role and the certificate is not a CA.</summary>
    Organisation,

    /// <summary>A CA certificate (basicConstraints cA): Root OCA or Issuing Authority.</summary>
    CertificateAuthority,

    /// <summary>Empty subject; the SAN hardwareModuleName names the device.</summary>
    Device,
}

/// <summary>
/// The facts the trust anchor checks need from an SMKI certificate, read once: Remote Party Role, Entity
/// Identifier (x500UniqueIdentifier or SAN hwSerialNum), keyUsage, key identifiers and issuer.
/// </summary>
public sealed record CertificateFacts(
    SmkiCertificateKind Kind,
    RemotePartyRole? Role,
    Eui64? EntityId,
    string? CommonName,
    X509KeyUsageFlags KeyUsage,
    KeyIdentifier SubjectKeyIdentifier,
    KeyIdentifier? AuthorityKeyIdentifier,
    string Issuer,
    string SerialNumber,
    IReadOnlyList<string> Policies,
    byte[] RawData)
{
    /// <summary>Reads a DER certificate.</summary>
    /// <exception cref="SmkiCertificateException">It is not a certificate, or lacks what every SMKI certificate has.</exception>
    public static CertificateFacts Read(ReadOnlySpan<byte> der)
    {
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            throw new SmkiCertificateException($"the {der.Length} bytes are not a DER X.509 certificate: {e.Message}", e);
        }

        using (certificate)
        {
            return Read(certificate);
        }
    }

    /// <summary>Reads the first certificate of a PEM text.</summary>
    public static CertificateFacts ReadPem(string pem)
    {
        try
        {
            using var certificate = X509Certificate2.CreateFromPem(pem);
            return Read(certificate);
        }
        catch (CryptographicException e)
        {
            throw new SmkiCertificateException($"the text holds no PEM certificate that .NET can read: {e.Message}", e);
        }
    }

    public static CertificateFacts Read(X509Certificate2 certificate)
    {
        var keyUsage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault()
            ?? throw new SmkiCertificateException($"certificate {Describe(certificate)} has no keyUsage extension; every SMKI certificate has a critical one");
        var ski = certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().FirstOrDefault()
            ?? throw new SmkiCertificateException($"certificate {Describe(certificate)} has no subjectKeyIdentifier; GBCS requires one (8 octets, RFC 5280 method 2)");
        var aki = certificate.Extensions.OfType<X509AuthorityKeyIdentifierExtension>().FirstOrDefault()?.KeyIdentifier;
        var isCa = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault()?.CertificateAuthority ?? false;
        var policies = certificate.Extensions[SmkiOids.CertificatePolicies] is { } p ? SmkiExtensions.ReadPolicies(p) : [];

        var subject = SmkiSubject.Read(certificate);
        var role = subject.Role;
        var entityId = subject.EntityId;
        var commonName = subject.CommonName;
        var kind = isCa ? SmkiCertificateKind.CertificateAuthority : SmkiCertificateKind.Organisation;
        if (role is null && entityId is null && commonName is null)
        {
            if (certificate.Extensions[SmkiOids.SubjectAltName] is null)
                throw new SmkiCertificateException($"certificate {Describe(certificate)} has an empty subject and no subjectAltName; a Device Certificate names its device in a SAN hardwareModuleName");
            entityId = subject.DeviceId
                ?? throw new SmkiCertificateException($"certificate {Describe(certificate)} has an empty subject and its SAN has no hardwareModuleName (1.3.6.1.5.5.7.8.4)");
            kind = SmkiCertificateKind.Device;
        }
        else if (role is null && !isCa)
        {
            throw new SmkiCertificateException($"certificate {Describe(certificate)} has no subject OU; an Organisation Certificate's OU is its Remote Party Role as two hex digits");
        }

        return new CertificateFacts(
            kind,
            role,
            entityId,
            commonName,
            keyUsage.KeyUsages,
            new KeyIdentifier(ski.SubjectKeyIdentifierBytes.ToArray()),
            aki is { } a ? new KeyIdentifier(a.ToArray()) : null,
            certificate.IssuerName.Name,
            certificate.SerialNumber,
            policies,
            certificate.RawData);
    }

    /// <summary>"Organisation Certificate supplier 90-B3-D5-1F-30-01-00-00 digitalSignature" and the like.</summary>
    public override string ToString() => Kind switch
    {
        SmkiCertificateKind.Device => $"Device Certificate {EntityId} {KeyUsages.Name(KeyUsage)}",
        SmkiCertificateKind.CertificateAuthority => $"CA certificate '{CommonName}' {KeyUsages.Name(KeyUsage)}",
        _ => $"Organisation Certificate {Role?.Name()} {EntityId} {KeyUsages.Name(KeyUsage)}",
    };

    private static string Describe(X509Certificate2 certificate) => SmkiSubject.Describe(certificate);

    /// <summary>The key identifier GBCS uses everywhere: RFC 5280 method (2), 8 octets, of a public key.</summary>
    public static KeyIdentifier ComputeKeyIdentifier(PublicKey publicKey)
    {
        var extension = new X509SubjectKeyIdentifierExtension(publicKey, X509SubjectKeyIdentifierHashAlgorithm.ShortSha1, critical: false);
        return new KeyIdentifier(extension.SubjectKeyIdentifierBytes.ToArray());
    }
}
