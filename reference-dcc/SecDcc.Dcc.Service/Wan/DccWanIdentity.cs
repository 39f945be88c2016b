using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki;
using SecDcc.Smki.Certificates;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// Who the DCC is on the SM WAN: its EUI-64 (the sender of every Command) and the key that signs its Commands,
/// with the certificate devices hold in their accessControlBroker Trust Anchor Cell to verify them.
/// </summary>
public sealed class DccWanIdentity : IDisposable
{
    /// <summary>The DCC's EUI-64 in the DUIS test environment (DUIS RequestIDs name it as the DCC).</summary>
    public static readonly Eui64 DefaultDccId = Eui64.Parse("90-B3-D5-1F-30-00-00-02");

    private DccWanIdentity(Eui64 dccId, ECDsa signingKey, X509Certificate2 certificate)
    {
        DccId = dccId;
        SigningKey = signingKey;
        Certificate = certificate;
    }

    public Eui64 DccId { get; }
    public ECDsa SigningKey { get; }
    public X509Certificate2 Certificate { get; }

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>A fresh key and a self-signed certificate for it: test mode, where nothing outlives the process.</summary>
    public static DccWanIdentity Generate()
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        // OU=04 is the Remote Party Role of an Access Control Broker certificate, as in the SMKI's organisation certificates.
        // SMKI-shaped (role OU 04, the DCC's Entity Identifier, an 8-octet subjectKeyIdentifier) so that a device's
        // accessControlBroker cell holding it can be judged under AC 3.2 like any DCC Access Control Broker Certificate.
        var request = new CertificateRequest(SmkiNames.Organisation(RemotePartyRole.AccessControlBroker, DefaultDccId, "SecDcc reference DCC access control broker"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, X509SubjectKeyIdentifierHashAlgorithm.ShortSha1, false));
        using var made = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(10));
        return new DccWanIdentity(DefaultDccId, key, X509CertificateLoader.LoadCertificate(made.RawData));
    }

    /// <summary>Loads the key (PKCS#8 PEM) and its certificate (PEM); the message says which file is wrong and why.</summary>
    public static DccWanIdentity Load(string keyFile, string certificateFile)
    {
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"--wan-key '{Path.GetFullPath(keyFile)}' does not hold an ECDSA private key in PEM ('-----BEGIN PRIVATE KEY-----'): {e.Message}", e);
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(certificateFile));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
        {
            key.Dispose();
            throw new InvalidDataException($"--wan-cert '{Path.GetFullPath(certificateFile)}' does not hold a PEM certificate: {e.Message}", e);
        }

        using var certificateKey = certificate.GetECDsaPublicKey();
        if (key.KeySize != 256 || certificateKey is null
            || !certificateKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
        {
            key.Dispose();
            certificate.Dispose();
            throw new InvalidDataException($"--wan-cert '{Path.GetFullPath(certificateFile)}' is not the certificate of the P-256 key in --wan-key '{Path.GetFullPath(keyFile)}': devices would refuse every Command.");
        }

        return new DccWanIdentity(DefaultDccId, key, certificate);
    }

    public void Dispose()
    {
        SigningKey.Dispose();
        Certificate.Dispose();
    }
}
