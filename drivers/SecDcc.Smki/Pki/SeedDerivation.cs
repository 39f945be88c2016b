using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace SecDcc.Smki.Pki;

/// <summary>
/// Everything the test PKI needs that would otherwise be random, derived from a seed and a label with
/// HKDF-SHA256, so that one seed always yields the same keys and serial numbers.
/// </summary>
public sealed class SeedDerivation
{
    /// <summary>The order n of the NIST P-256 group.</summary>
    public static readonly BigInteger P256Order = BigInteger.Parse(
        "0FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
        System.Globalization.NumberStyles.AllowHexSpecifier,
        System.Globalization.CultureInfo.InvariantCulture);

    private static readonly byte[] Salt = Encoding.ASCII.GetBytes("SecDcc.Smki test PKI v1");

    private readonly byte[] _seed;

    public SeedDerivation(string seed)
    {
        if (string.IsNullOrEmpty(seed))
        {
            throw new ArgumentException("the PKI seed is empty; give any non-empty text, and keep it with the evidence to regenerate the same PKI", nameof(seed));
        }

        _seed = Encoding.UTF8.GetBytes(seed);
    }

    /// <summary>
    /// A P-256 private scalar for <paramref name="label"/>: HKDF output read as a big-endian integer, kept
    /// when 0 &lt; d &lt; n and otherwise derived again with a counter (rejection sampling, so no bias).
    /// </summary>
    public byte[] PrivateScalar(string label)
    {
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var candidate = Derive($"key\0{label}\0{attempt}", 32);
            var d = new BigInteger(candidate, isUnsigned: true, isBigEndian: true);
            if (!d.IsZero && d < P256Order)
            {
                return candidate;
            }
        }

        // Each attempt fails with probability below 2^-32; a thousand in a row means HKDF itself is broken.
        throw new CryptographicException($"no P-256 scalar could be derived for '{label}' in 1000 attempts");
    }

    /// <summary>An ECDSA P-256 key whose private scalar is <see cref="PrivateScalar"/>; .NET computes Q from D.</summary>
    public ECDsa Key(string label)
    {
        var key = ECDsa.Create();
        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = PrivateScalar(label) });
        return key;
    }

    /// <summary>A 16-byte positive certificate serial number with a non-zero first byte (minimal DER).</summary>
    public byte[] SerialNumber(string label)
    {
        var serial = Derive($"serial\0{label}", 16);
        serial[0] = (byte)((serial[0] & 0x3F) | 0x40);
        return serial;
    }

    private byte[] Derive(string info, int length) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, _seed, length, Salt, Encoding.UTF8.GetBytes(info));
}
