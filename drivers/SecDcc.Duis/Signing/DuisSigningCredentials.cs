using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Duis.Signing;

/// <summary>
/// A certificate with its ECDSA P-256 private key, used to sign DUIS documents. Owns the certificate it
/// holds and disposes it.
/// </summary>
public sealed class DuisSigningCredentials : IDisposable
{
    public DuisSigningCredentials(X509Certificate2 certificateWithPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(certificateWithPrivateKey);
        if (!certificateWithPrivateKey.HasPrivateKey)
        {
            throw new ArgumentException(
                $"Certificate {certificateWithPrivateKey.Subject} (serial {certificateWithPrivateKey.SerialNumber}) has no private key; " +
                "load it with its PKCS#8 key (DuisSigningCredentials.FromPem) to sign with it.", nameof(certificateWithPrivateKey));
        }
        PrivateKey = certificateWithPrivateKey.GetECDsaPrivateKey()
            ?? throw new ArgumentException(
                $"Certificate {certificateWithPrivateKey.Subject} does not hold an ECDSA key; DUIS signatures are ECDSA P-256.",
                nameof(certificateWithPrivateKey));
        Certificate = certificateWithPrivateKey;
        SignerReference = DuisSignerReference.For(certificateWithPrivateKey);
    }

    public X509Certificate2 Certificate { get; }

    public ECDsa PrivateKey { get; }

    /// <summary>The issuer and serial that go into KeyInfo/X509IssuerSerial.</summary>
    public DuisSignerReference SignerReference { get; }

    /// <summary>A PEM certificate and its PKCS#8 PEM private key ("-----BEGIN PRIVATE KEY-----").</summary>
    public static DuisSigningCredentials FromPem(string certificatePem, string pkcs8PrivateKeyPem)
    {
        using var publicOnly = X509Certificate2.CreateFromPem(certificatePem);
        using var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pkcs8PrivateKeyPem);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                "The private key is not a PEM-encoded EC key (expected \"-----BEGIN PRIVATE KEY-----\", PKCS#8, as the signing tool takes).",
                nameof(pkcs8PrivateKeyPem), ex);
        }
        try
        {
            return new DuisSigningCredentials(publicOnly.CopyWithPrivateKey(key));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException(
                $"The private key does not belong to certificate {publicOnly.Subject} (serial {publicOnly.SerialNumber}).",
                nameof(pkcs8PrivateKeyPem), ex);
        }
    }

    /// <summary>Reads a PEM certificate file and a PKCS#8 PEM key file, as the signing tool's cert.pem key.pem arguments.</summary>
    public static async Task<DuisSigningCredentials> FromPemFilesAsync(string certificatePath, string privateKeyPath, CancellationToken cancellationToken)
    {
        var cert = await File.ReadAllTextAsync(certificatePath, cancellationToken).ConfigureAwait(false);
        var key = await File.ReadAllTextAsync(privateKeyPath, cancellationToken).ConfigureAwait(false);
        return FromPem(cert, key);
    }

    public void Dispose()
    {
        PrivateKey.Dispose();
        Certificate.Dispose();
    }
}

/// <summary>Names a signer the way XMLDSig's X509IssuerSerial does.</summary>
public sealed record DuisSignerReference(string IssuerName, BigInteger SerialNumber)
{
    public static DuisSignerReference For(X509Certificate2 certificate) =>
        new(DistinguishedNames.ToRfc2253(certificate.IssuerName), SerialOf(certificate));

    /// <summary>The certificate's serial as a non-negative integer (X.509 serials are positive).</summary>
    public static BigInteger SerialOf(X509Certificate2 certificate) =>
        new(certificate.SerialNumberBytes.Span, isUnsigned: true, isBigEndian: true);

    public bool Matches(X509Certificate2 certificate) =>
        SerialNumber == SerialOf(certificate)
        && DistinguishedNames.NormalizeForComparison(IssuerName)
            == DistinguishedNames.NormalizeForComparison(DistinguishedNames.ToRfc2253(certificate.IssuerName));

    public override string ToString() => $"issuer '{IssuerName}', serial {SerialNumber}";
}
