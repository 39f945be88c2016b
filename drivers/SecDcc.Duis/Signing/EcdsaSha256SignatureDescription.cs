using System.Security.Cryptography;

namespace SecDcc.Duis.Signing;

/// <summary>
/// XMLDSig's ecdsa-sha256 (RFC 4051): SHA-256 over the canonical SignedInfo, and a signature value that is
/// r‖s (IEEE P1363, 64 bytes for P-256), not the DER form .NET uses by default. .NET ships no description
/// for this URI, so SignedXml cannot sign or verify with ECDSA until one is registered.
/// </summary>
public sealed class EcdsaSha256SignatureDescription : SignatureDescription
{
    public EcdsaSha256SignatureDescription()
    {
        KeyAlgorithm = typeof(ECDsa).AssemblyQualifiedName;
        DigestAlgorithm = typeof(SHA256).AssemblyQualifiedName;
    }

    public override HashAlgorithm CreateDigest() => SHA256.Create();

    public override AsymmetricSignatureFormatter CreateFormatter(AsymmetricAlgorithm key) =>
        new Formatter(AsEcdsa(key));

    public override AsymmetricSignatureDeformatter CreateDeformatter(AsymmetricAlgorithm key) =>
        new Deformatter(AsEcdsa(key));

    private static ECDsa AsEcdsa(AsymmetricAlgorithm key) => key as ECDsa
        ?? throw new CryptographicException(
            $"ecdsa-sha256 needs an ECDSA key; got {key?.GetType().Name ?? "none"}. Sign and verify DUIS with the party's ECDSA P-256 key.");

    private sealed class Formatter(ECDsa key) : AsymmetricSignatureFormatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = AsEcdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
            // The hash is fixed by the algorithm URI; SignedXml passes the digest's name here.
        }

        public override byte[] CreateSignature(byte[] rgbHash) =>
            _key.SignHash(rgbHash, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }

    private sealed class Deformatter(ECDsa key) : AsymmetricSignatureDeformatter
    {
        private ECDsa _key = key;

        public override void SetKey(AsymmetricAlgorithm key) => _key = AsEcdsa(key);

        public override void SetHashAlgorithm(string strName)
        {
            // As above: SHA-256 is implied by the algorithm URI.
        }

        public override bool VerifySignature(byte[] rgbHash, byte[] rgbSignature) =>
            _key.VerifyHash(rgbHash, rgbSignature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
    }
}

/// <summary>Registers the XMLDSig algorithms DUIS needs with .NET's CryptoConfig, once per process.</summary>
public static class DuisSignatureAlgorithms
{
    private static readonly object Gate = new();
    private static bool _registered;

    public static void EnsureRegistered()
    {
        lock (Gate)
        {
            if (_registered)
            {
                return;
            }
            CryptoConfig.AddAlgorithm(typeof(EcdsaSha256SignatureDescription), DuisNames.EcdsaSha256);
            _registered = true;
        }
    }
}
