using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Pki;

namespace SecDcc.Smki.Tests.Pki;

/// <summary>The claim of docs/decisions/0901: one seed and epoch give byte-identical certificates and keys.</summary>
public sealed class ReproducibilityTests
{
    private static readonly Eui64 Supplier = Eui64.Parse("90-B3-D5-1F-30-01-00-00");
    private static readonly Eui64 Device = Eui64.Parse("00-DB-12-34-56-78-00-03");

    [Test]
    public void The_same_options_give_byte_identical_certificates_and_keys()
    {
        using var first = Populate(TestPki.Create("evidence-run-42"));
        using var second = Populate(TestPki.Create("evidence-run-42"));

        Assert.That(second.Issued.Select(i => i.Label), Is.EqualTo(first.Issued.Select(i => i.Label)));
        foreach (var (a, b) in first.Issued.Zip(second.Issued))
        {
            Assert.That(b.Certificate.RawData, Is.EqualTo(a.Certificate.RawData), $"{a.Label}: certificate bytes, signature included");
            Assert.That(b.PrivateKeyPem, Is.EqualTo(a.PrivateKeyPem), $"{a.Label}: private key");
        }
    }

    [Test]
    public void Another_seed_gives_other_keys_and_serials_but_the_same_subjects_and_dates()
    {
        using var first = Populate(TestPki.Create("seed-a"));
        using var second = Populate(TestPki.Create("seed-b"));

        foreach (var (a, b) in first.Issued.Zip(second.Issued))
        {
            Assert.That(b.Certificate.PublicKey.EncodedKeyValue.RawData, Is.Not.EqualTo(a.Certificate.PublicKey.EncodedKeyValue.RawData), a.Label);
            Assert.That(b.Certificate.SerialNumber, Is.Not.EqualTo(a.Certificate.SerialNumber), a.Label);
            Assert.That(b.Certificate.SubjectName.RawData, Is.EqualTo(a.Certificate.SubjectName.RawData), a.Label);
            Assert.That(b.Certificate.NotBefore, Is.EqualTo(a.Certificate.NotBefore), a.Label);
            Assert.That(b.Certificate.NotAfter, Is.EqualTo(a.Certificate.NotAfter), a.Label);
        }
    }

    [Test]
    public void The_epoch_sets_notBefore()
    {
        var epoch = new DateTimeOffset(2030, 3, 1, 0, 0, 0, TimeSpan.Zero);
        using var pki = TestPki.Create(new TestPkiOptions { Seed = "epoch", Epoch = epoch });

        Assert.That(pki.Recovery.Certificate.NotBefore.ToUniversalTime(), Is.EqualTo(epoch.UtcDateTime));
        Assert.That(pki.Recovery.Certificate.NotAfter.ToUniversalTime(), Is.EqualTo((epoch + pki.Options.OrganisationLifetime).UtcDateTime));
    }

    [Test]
    public void Written_PEM_files_are_identical_across_runs()
    {
        var dirA = Directory.CreateTempSubdirectory("smki-a-").FullName;
        var dirB = Directory.CreateTempSubdirectory("smki-b-").FullName;
        try
        {
            using (var a = Populate(TestPki.Create("files")))
            {
                a.WriteTo(dirA);
            }

            using (var b = Populate(TestPki.Create("files")))
            {
                b.WriteTo(dirB);
            }

            var namesA = Directory.GetFiles(dirA).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.That(Directory.GetFiles(dirB).Select(Path.GetFileName).Order(StringComparer.Ordinal), Is.EqualTo(namesA));
            foreach (var name in namesA)
            {
                Assert.That(File.ReadAllBytes(Path.Combine(dirB, name!)), Is.EqualTo(File.ReadAllBytes(Path.Combine(dirA, name!))), name);
            }
        }
        finally
        {
            Directory.Delete(dirA, recursive: true);
            Directory.Delete(dirB, recursive: true);
        }
    }

    private static TestPki Populate(TestPki pki)
    {
        pki.OrganisationCertificate(RemotePartyRole.Supplier, Supplier, X509KeyUsageFlags.DigitalSignature, "Supplier 1");
        pki.OrganisationCertificate(RemotePartyRole.Supplier, Supplier, X509KeyUsageFlags.KeyAgreement, "Supplier 1");
        pki.DeviceCertificate(Device, X509KeyUsageFlags.DigitalSignature);
        return pki;
    }
}
