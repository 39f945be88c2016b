using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Smki.Pki;

/// <summary>
/// ECDSA P-256 / SHA-256 with the nonce derived as RFC 6979 says, so one key and one message always give one
/// signature, and certificates made from one seed are byte-identical. The point multiplication k·G is done
/// by .NET (import k as a private key, read its public point); the rest is arithmetic mod n. It is not
/// constant-time: it is meant for the test PKI's throw-away keys only.
/// </summary>
public static class DeterministicEcdsa
{
    private const int Size = 32;

    /// <summary>The signature of a SHA-256 digest as (r, s), each 32 bytes big-endian.</summary>
    public static (byte[] R, byte[] S) SignHash(ReadOnlySpan<byte> privateScalar, ReadOnlySpan<byte> digest)
    {
        if (privateScalar.Length != Size || digest.Length != Size)
        {
            throw new ArgumentException($"P-256 with SHA-256 takes a 32-byte private scalar and a 32-byte digest; got {privateScalar.Length} and {digest.Length}");
        }

        var n = SeedDerivation.P256Order;
        var x = ToInteger(privateScalar);
        var h = ToInteger(digest) % n;
        var xOctets = privateScalar.ToArray();
        var hOctets = ToOctets(h);

        var v = Enumerable.Repeat((byte)0x01, Size).ToArray();
        var k = new byte[Size];
        k = Hmac(k, v, [0x00], xOctets, hOctets);
        v = Hmac(k, v);
        k = Hmac(k, v, [0x01], xOctets, hOctets);
        v = Hmac(k, v);

        while (true)
        {
            v = Hmac(k, v);
            var nonce = ToInteger(v);
            if (!nonce.IsZero && nonce < n)
            {
                var r = PointX(v) % n;
                var s = BigInteger.ModPow(nonce, n - 2, n) * (h + (x * r)) % n;
                if (!r.IsZero && !s.IsZero)
                {
                    return (ToOctets(r), ToOctets(s));
                }
            }

            k = Hmac(k, v, [0x00]);
            v = Hmac(k, v);
        }
    }

    /// <summary>The signature as X.509 carries it: SEQUENCE { r INTEGER, s INTEGER }.</summary>
    public static byte[] SignHashDer(ReadOnlySpan<byte> privateScalar, ReadOnlySpan<byte> digest)
    {
        var (r, s) = SignHash(privateScalar, digest);
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(ToInteger(r));
            writer.WriteInteger(ToInteger(s));
        }

        return writer.Encode();
    }

    private static BigInteger PointX(byte[] scalar)
    {
        using var point = ECDsa.Create();
        point.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = scalar });
        return ToInteger(point.ExportParameters(false).Q.X);
    }

    private static byte[] Hmac(byte[] key, params byte[][] parts)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key);
        foreach (var part in parts)
        {
            hmac.AppendData(part);
        }

        return hmac.GetHashAndReset();
    }

    private static BigInteger ToInteger(ReadOnlySpan<byte> bytes) => new(bytes, isUnsigned: true, isBigEndian: true);

    private static byte[] ToOctets(BigInteger value)
    {
        var bytes = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (bytes.Length == Size)
        {
            return bytes;
        }

        var padded = new byte[Size];
        bytes.CopyTo(padded, Size - bytes.Length);
        return padded;
    }
}

/// <summary>Signs certificates with <see cref="DeterministicEcdsa"/> (ecdsa-with-SHA256 only).</summary>
internal sealed class DeterministicEcdsaSignatureGenerator : X509SignatureGenerator
{
    private readonly byte[] _privateScalar;
    private readonly X509SignatureGenerator _standard;

    public DeterministicEcdsaSignatureGenerator(ECDsa key, byte[] privateScalar)
    {
        _privateScalar = privateScalar;
        _standard = CreateForECDsa(key);
    }

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm) =>
        _standard.GetSignatureAlgorithmIdentifier(RequireSha256(hashAlgorithm));

    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm)
    {
        RequireSha256(hashAlgorithm);
        return DeterministicEcdsa.SignHashDer(_privateScalar, SHA256.HashData(data));
    }

    protected override PublicKey BuildPublicKey() => _standard.PublicKey;

    private static HashAlgorithmName RequireSha256(HashAlgorithmName hashAlgorithm) =>
        hashAlgorithm == HashAlgorithmName.SHA256
            ? hashAlgorithm
            : throw new ArgumentException($"SMKI certificates are signed with ECDSA P-256 and SHA-256 only; {hashAlgorithm} was asked for", nameof(hashAlgorithm));
}
