using System.Numerics;
using SecDcc.Smki.Pki;

namespace SecDcc.Smki.Tests.Pki;

public sealed class SeedDerivationTests
{
    [Test]
    public void The_same_seed_and_label_give_the_same_scalar_and_serial()
    {
        var a = new SeedDerivation("seed-1");
        var b = new SeedDerivation("seed-1");

        Assert.That(b.PrivateScalar("root-oca"), Is.EqualTo(a.PrivateScalar("root-oca")));
        Assert.That(b.SerialNumber("root-oca"), Is.EqualTo(a.SerialNumber("root-oca")));
    }

    [Test]
    public void Another_seed_or_label_gives_another_scalar()
    {
        var a = new SeedDerivation("seed-1");

        Assert.That(a.PrivateScalar("root-oca"), Is.Not.EqualTo(a.PrivateScalar("issuing-oca")));
        Assert.That(new SeedDerivation("seed-2").PrivateScalar("root-oca"), Is.Not.EqualTo(a.PrivateScalar("root-oca")));
        Assert.That(a.SerialNumber("root-oca"), Is.Not.EqualTo(a.SerialNumber("issuing-oca")));
    }

    [Test]
    public void Scalars_are_in_the_P256_range_and_serials_positive_and_minimal()
    {
        var derive = new SeedDerivation("range");
        for (var i = 0; i < 50; i++)
        {
            var d = new BigInteger(derive.PrivateScalar($"k{i}"), isUnsigned: true, isBigEndian: true);
            Assert.That(d, Is.GreaterThan(BigInteger.Zero).And.LessThan(SeedDerivation.P256Order));
            var serial = derive.SerialNumber($"k{i}");
            Assert.That(serial, Has.Length.EqualTo(16));
            Assert.That(serial[0], Is.InRange(0x40, 0x7F));
        }
    }

    [Test]
    public void An_empty_seed_is_refused_with_advice()
    {
        var e = Assert.Throws<ArgumentException>(() => _ = new SeedDerivation(string.Empty));
        Assert.That(e!.Message, Does.Contain("non-empty"));
    }
}
