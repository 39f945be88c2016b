using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Security;

/// <summary>
/// Device Certificates shaped as SMKI's: an empty subject and a critical subjectAltName whose otherName
/// hardwareModuleName (RFC 4108) carries the device's EUI-64 as hwSerialNum, over an ECDSA P-256 key.
/// </summary>
public static class DeviceCertificates
{
    /// <summary>id-on-hardwareModuleName (RFC 4108).</summary>
    public const string HardwareModuleNameOid = "1.3.6.1.5.5.7.8.4";

    /// <summary>
    /// The hwType written into emulated devices' certificates: a UUID-based OID (ITU-T X.667, arc 2.25) minted
    /// for this project. Readers here look only at hwSerialNum, so a real device's hwType is accepted too.
    /// </summary>
    public const string EmulatedHardwareTypeOid = "2.25.21134415810266058575060027784162692250";

    private const string SubjectAltNameOid = "2.5.29.17";

    /// <summary>The critical subjectAltName extension naming the device.</summary>
    public static X509Extension SubjectAltName(Eui64 deviceId, string hardwareTypeOid = EmulatedHardwareTypeOid)
    {
        Span<byte> serial = stackalloc byte[Eui64.Length];
        deviceId.Write(serial);
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            // GeneralName otherName [0] IMPLICIT OtherName { type-id, value [0] EXPLICIT HardwareModuleName }
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                w.WriteObjectIdentifier(HardwareModuleNameOid);
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)))
                using (w.PushSequence())
                {
                    w.WriteObjectIdentifier(hardwareTypeOid);
                    w.WriteOctetString(serial);
                }
            }
        }

        return new X509Extension(SubjectAltNameOid, w.Encode(), critical: true);
    }

    /// <summary>The EUI-64 in the certificate's hardwareModuleName, if it has exactly one.</summary>
    public static bool TryReadDeviceId(X509Certificate2 certificate, out Eui64 deviceId)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        deviceId = default;
        var extension = certificate.Extensions[SubjectAltNameOid];
        if (extension is null)
        {
            return false;
        }

        try
        {
            var found = new List<Eui64>();
            var names = new AsnReader(extension.RawData, AsnEncodingRules.DER).ReadSequence();
            while (names.HasData)
            {
                var tag = names.PeekTag();
                if (tag != new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true))
                {
                    names.ReadEncodedValue();
                    continue;
                }

                var other = names.ReadSequence(tag);
                if (other.ReadObjectIdentifier() != HardwareModuleNameOid)
                {
                    continue;
                }

                var hw = other.ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true)).ReadSequence();
                hw.ReadObjectIdentifier();
                var serial = hw.ReadOctetString();
                if (serial.Length == Eui64.Length)
                {
                    found.Add(Eui64.Read(serial));
                }
            }

            if (found.Count != 1)
            {
                return false;
            }

            deviceId = found[0];
            return true;
        }
        catch (AsnContentException)
        {
            // A malformed extension names no device; the caller reports the certificate as unusable.
            return false;
        }
    }
}

/// <summary>Issues Device Certificates. A locally run authority now; an SMKI-shaped PKI can stand behind the same interface.</summary>
public interface IDeviceCertificateIssuer
{
    /// <summary>The issuer's own certificate, which verifiers must trust.</summary>
    X509Certificate2 IssuerCertificate { get; }

    /// <summary>A Device Certificate binding <paramref name="deviceId"/> to <paramref name="publicKey"/>.</summary>
    X509Certificate2 Issue(Eui64 deviceId, ECDsa publicKey);
}

/// <summary>
/// A self-signed ECDSA P-256 authority that issues Device Certificates. Its key and certificate are kept as
/// PEM files so a rig's devices keep verifying across restarts.
/// </summary>
public sealed class LocalCertificateAuthority : IDeviceCertificateIssuer, IDisposable
{
    private static readonly DateTimeOffset NoExpiry = new(9999, 12, 31, 23, 59, 59, TimeSpan.Zero);
    private readonly ECDsa _key;

    private LocalCertificateAuthority(ECDsa key, X509Certificate2 certificate)
    {
        _key = key;
        IssuerCertificate = certificate;
    }

    public X509Certificate2 IssuerCertificate { get; }

    /// <summary>A new authority with a fresh key, named <paramref name="commonName"/>.</summary>
    public static LocalCertificateAuthority Create(string commonName)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN={commonName}"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), NoExpiry);
        return new LocalCertificateAuthority(key, X509CertificateLoader.LoadCertificate(certificate.RawData));
    }

    /// <summary>Loads the authority kept in <paramref name="directory"/>, or creates and keeps a new one there.</summary>
    public static LocalCertificateAuthority LoadOrCreate(string directory, string commonName)
    {
        var keyPath = Path.Combine(directory, "device-ca.key.pem");
        var certPath = Path.Combine(directory, "device-ca.cert.pem");
        if (File.Exists(keyPath) && File.Exists(certPath))
        {
            var key = ECDsa.Create();
            try
            {
                key.ImportFromPem(File.ReadAllText(keyPath));
                var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certPath));
                return new LocalCertificateAuthority(key, certificate);
            }
            catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException)
            {
                key.Dispose();
                throw new InvalidDataException(
                    $"the device certificate authority in {directory} cannot be read ({e.Message}); delete device-ca.key.pem and device-ca.cert.pem to make a new one (devices will then need new certificates: delete their state files too)",
                    e);
            }
        }

        Directory.CreateDirectory(directory);
        var created = Create(commonName);
        AtomicFile.WriteAllText(keyPath, created._key.ExportPkcs8PrivateKeyPem());
        AtomicFile.WriteAllText(certPath, created.IssuerCertificate.ExportCertificatePem());
        return created;
    }

    public X509Certificate2 Issue(Eui64 deviceId, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        var request = new CertificateRequest(new X500DistinguishedName(string.Empty), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(DeviceCertificates.SubjectAltName(deviceId));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(IssuerCertificate, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(IssuerCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(_key), DateTimeOffset.UtcNow.AddDays(-1), NoExpiry, serial);
        return X509CertificateLoader.LoadCertificate(certificate.RawData);
    }

    public void Dispose()
    {
        _key.Dispose();
        IssuerCertificate.Dispose();
    }
}
