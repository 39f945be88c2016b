using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.Pki;

/// <summary>
/// A certificate the test PKI issued, with its private key. The PKI owns it: disposing the PKI disposes it.
/// </summary>
public sealed class IssuedCertificate : IDisposable
{
    internal IssuedCertificate(string label, X509Certificate2 certificate, ECDsa key, byte[] privateScalar)
    {
        Label = label;
        PrivateScalar = privateScalar;
        Certificate = certificate;
        Key = key;
        Facts = CertificateFacts.Read(certificate);
    }

    /// <summary>The derivation label, also the file name stem on export ("dcc-recovery-ds").</summary>
    public string Label { get; }

    /// <summary>The certificate without its private key.</summary>
    public X509Certificate2 Certificate { get; }

    public ECDsa Key { get; }

    internal byte[] PrivateScalar { get; }

    public CertificateFacts Facts { get; }

    public KeyIdentifier KeyIdentifier => Facts.SubjectKeyIdentifier;

    public string CertificatePem => Certificate.ExportCertificatePem();

    /// <summary>The private key as PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), the form the DCC's signing tool takes.</summary>
    public string PrivateKeyPem => Key.ExportPkcs8PrivateKeyPem();

    /// <summary>A copy of the certificate joined to its private key, for signing; the caller disposes it.</summary>
    public X509Certificate2 WithPrivateKey() => Certificate.CopyWithPrivateKey(Key);

    public override string ToString() => $"{Label}: {Facts}";

    public void Dispose()
    {
        Certificate.Dispose();
        Key.Dispose();
    }
}
