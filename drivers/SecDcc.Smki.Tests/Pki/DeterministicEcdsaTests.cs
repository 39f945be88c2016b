using System.Security.Cryptography;
using SecDcc.Smki.Pki;

namespace SecDcc.Smki.Tests.Pki;

public sealed class DeterministicEcdsaTests
{
    // RFC 6979 appendix A.2.5: ECDSA, 256 bits (prime field), SHA-256, message "sample".
    private const string RfcPrivateKey = "C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721";
    private const string RfcR = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716";
    private const string RfcS = "F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";

    [Test]
    public void Rfc6979_test_vector_for_P256_SHA256_sample()
    {
        var digest = SHA256.HashData("sample"u8);

        var (r, s) = DeterministicEcdsa.SignHash(Convert.FromHexString(RfcPrivateKey), digest);

        Assert.That(Convert.ToHexString(r), Is.EqualTo(RfcR));
        Assert.That(Convert.ToHexString(s), Is.EqualTo(RfcS));
    }

    [Test]
    public void Signatures_verify_with_the_platform_ECDsa_and_repeat_exactly()
    {
        using var key = new SeedDerivation("ecdsa").Key("signer");
        var scalar = key.ExportParameters(true).D!;
        var digest = SHA256.HashData("a TBSCertificate"u8);

        var first = DeterministicEcdsa.SignHashDer(scalar, digest);
        var second = DeterministicEcdsa.SignHashDer(scalar, digest);

        Assert.That(second, Is.EqualTo(first));
        Assert.That(key.VerifyHash(digest, first, DSASignatureFormat.Rfc3279DerSequence), Is.True);
        Assert.That(key.VerifyHash(SHA256.HashData("another"u8), first, DSASignatureFormat.Rfc3279DerSequence), Is.False);
    }

    [Test]
    public void Importing_only_D_makes_the_platform_compute_Q()
    {
        // 7·G on P-256, a published small-multiple test point.
        var d = new byte[32];
        d[31] = 7;
        using var key = ECDsa.Create();

        key.ImportParameters(new ECParameters { Curve = ECCurve.NamedCurves.nistP256, D = d });

        Assert.That(Convert.ToHexString(key.ExportParameters(false).Q.X!), Is.EqualTo("8E533B6FA0BF7B4625BB30667C01FB607EF9F8B8A80FEF5B300628703187B2A3"));
    }

    [Test]
    public void Wrong_sizes_are_refused_with_what_was_given()
    {
        var e = Assert.Throws<ArgumentException>(() => DeterministicEcdsa.SignHash(new byte[31], new byte[32]));
        Assert.That(e!.Message, Does.Contain("got 31 and 32"));
    }
}
