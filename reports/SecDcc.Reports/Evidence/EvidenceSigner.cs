using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Reports.Evidence;

/// <summary>
/// The testing party's signing identity: an ECDSA P-256 key and its X.509 certificate. Signatures are
/// SHA-256 over the manifest bytes, DER-encoded (RFC 3279), so <c>openssl dgst -sha256 -verify</c> checks
/// them too. Owns and disposes the key.
/// </summary>
public sealed class EvidenceSigner : IDisposable
{
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private readonly ECDsa key;

    private EvidenceSigner(ECDsa key, X509Certificate2 certificate)
    {
        this.key = key;
        Certificate = certificate;
    }

    public X509Certificate2 Certificate { get; }

    public string Subject => Certificate.Subject;

    public string CertificatePem => Certificate.ExportCertificatePem() + "\n";

    /// <summary>A new key and a self-signed certificate naming the testing party, for a party that has no key yet.</summary>
    public static EvidenceSigner CreateSelfSigned(string testingParty, TimeProvider time, TimeSpan? validity = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(testingParty);
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var name = new X500DistinguishedNameBuilder();
        name.AddCommonName(testingParty);
        name.AddOrganizationName(testingParty);
        var request = new CertificateRequest(name.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = time.GetUtcNow();
        // Backdated a little so a verifier whose clock is slightly behind still sees a valid certificate.
        using var withKey = request.CreateSelfSigned(now.AddMinutes(-5), now.Add(validity ?? TimeSpan.FromDays(3 * 365)));
        var certificate = X509CertificateLoader.LoadCertificate(withKey.RawData);
        return new EvidenceSigner(key, certificate);
    }

    /// <summary>Loads a PEM certificate and its PKCS#8 (or SEC1) PEM private key, and checks they belong together.</summary>
    public static EvidenceSigner LoadPem(string certificatePath, string keyPath)
    {
        var certificate = LoadCertificatePem(certificatePath);
        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(File.ReadAllText(keyPath));
        }
        catch (ArgumentException e)
        {
            key.Dispose();
            throw new InvalidDataException(
                $"{keyPath}: no unencrypted EC private key found ({e.Message}). Give a PEM 'PRIVATE KEY' (PKCS#8) or 'EC PRIVATE KEY' block; " +
                "decrypt an encrypted key first with: openssl pkcs8 -in key.pem -out plain.pem", e);
        }
        catch (CryptographicException e)
        {
            key.Dispose();
            throw new InvalidDataException($"{keyPath}: the private key could not be read as an EC key ({e.Message}).", e);
        }

        var owned = false;
        try
        {
            if (key.ExportParameters(false).Curve.Oid?.Value != P256Oid)
                throw new InvalidDataException($"{keyPath}: the key is not on curve P-256 (prime256v1); evidence packs are signed with ECDSA P-256.");
            using var certificateKey = certificate.GetECDsaPublicKey()
                ?? throw new InvalidDataException($"{certificatePath}: the certificate does not hold an ECDSA public key.");
            if (!SamePublicKey(key, certificateKey))
                throw new InvalidDataException($"{keyPath} is not the private key of the certificate in {certificatePath} ({certificate.Subject}).");
            owned = true;
            return new EvidenceSigner(key, certificate);
        }
        finally
        {
            if (!owned) key.Dispose();
        }
    }

    public static X509Certificate2 LoadCertificatePem(string path)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"Certificate file not found: {Path.GetFullPath(path)}", path);
        try
        {
            return X509Certificate2.CreateFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{path}: not a PEM certificate ({e.Message}). Give a file with a '-----BEGIN CERTIFICATE-----' block.", e);
        }
    }

    /// <summary>Writes the certificate and the PKCS#8 private key, the key readable by its owner only.</summary>
    public void SavePem(string certificatePath, string keyPath)
    {
        File.WriteAllText(certificatePath, CertificatePem);
        var pem = key.ExportPkcs8PrivateKeyPem() + "\n";
        if (OperatingSystem.IsWindows())
        {
            File.WriteAllText(keyPath, pem);
            return;
        }
        using var stream = new FileStream(keyPath, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        });
        using var writer = new StreamWriter(stream);
        writer.Write(pem);
    }

    public byte[] Sign(ReadOnlySpan<byte> data) =>
        key.SignData(data, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);

    public static bool Verify(X509Certificate2 certificate, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        using var publicKey = certificate.GetECDsaPublicKey();
        if (publicKey is null) return false;
        return publicKey.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    public static string CertificateSha256(X509Certificate2 certificate) =>
        Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));

    public void Dispose()
    {
        key.Dispose();
        Certificate.Dispose();
    }

    private static bool SamePublicKey(ECDsa a, ECDsa b)
    {
        var pa = a.ExportParameters(false).Q;
        var pb = b.ExportParameters(false).Q;
        return pa.X.AsSpan().SequenceEqual(pb.X) && pa.Y.AsSpan().SequenceEqual(pb.Y);
    }
}
