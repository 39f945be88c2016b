using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Protocol;

public sealed class SecurityTests
{
    private static readonly Eui64 Device = Eui64.Parse("00-DB-12-34-56-78-00-03");

    [Test]
    public void A_device_certificate_names_its_device_and_verifies_against_its_issuer()
    {
        using var authority = LocalCertificateAuthority.Create("test device CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = authority.Issue(Device, key);
        using var directory = new DeviceCertificateDirectory([authority.IssuerCertificate]);

        Assert.Multiple(() =>
        {
            Assert.That(certificate.Subject, Is.Empty, "SMKI Device Certificates have an empty subject");
            Assert.That(DeviceCertificates.TryReadDeviceId(certificate, out var id), Is.True);
            Assert.That(id, Is.EqualTo(Device));
            Assert.That(directory.Add(certificate), Is.EqualTo(Device));
            Assert.That(directory.TryGetKey(Device, out var found), Is.True);
            Assert.That(found!.ExportSubjectPublicKeyInfo(), Is.EqualTo(key.ExportSubjectPublicKeyInfo()));
        });
    }

    [Test]
    public void A_certificate_from_another_issuer_is_refused_with_the_reason()
    {
        using var trusted = LocalCertificateAuthority.Create("trusted CA");
        using var other = LocalCertificateAuthority.Create("someone else's CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var certificate = other.Issue(Device, key);
        using var directory = new DeviceCertificateDirectory([trusted.IssuerCertificate]);

        Assert.Multiple(() =>
        {
            Assert.That(directory.TryAdd(certificate.RawData, out _, out var problem), Is.False);
            Assert.That(problem, Does.Contain("does not chain to a trusted issuer").And.Contain("CN=trusted CA"));
            Assert.That(directory.TryGetKey(Device, out _), Is.False);
        });
    }

    [Test]
    public void A_certificate_that_names_no_device_is_refused()
    {
        using var authority = LocalCertificateAuthority.Create("test CA");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=not a device", key, HashAlgorithmName.SHA256);
        using var plain = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using var directory = new DeviceCertificateDirectory([authority.IssuerCertificate]);

        Assert.That(directory.TryAdd(plain.RawData, out _, out var problem), Is.False);
        Assert.That(problem, Does.Contain("hardwareModuleName"));
    }

    [Test]
    public void Bytes_that_are_not_a_certificate_are_refused()
    {
        using var authority = LocalCertificateAuthority.Create("test CA");
        using var directory = new DeviceCertificateDirectory([authority.IssuerCertificate]);
        Assert.That(directory.TryAdd([1, 2, 3], out _, out var problem), Is.False);
        Assert.That(problem, Does.StartWith("not an X.509 certificate"));
    }

    [Test]
    public void An_authority_kept_in_a_folder_is_the_same_authority_when_loaded_again()
    {
        using var folder = new TempFolder();
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        X509Certificate2 issued;
        byte[] issuer;
        using (var first = LocalCertificateAuthority.LoadOrCreate(folder.Path, "kept CA"))
        {
            issued = first.Issue(Device, key);
            issuer = first.IssuerCertificate.RawData;
        }

        using var second = LocalCertificateAuthority.LoadOrCreate(folder.Path, "kept CA");
        using var directory = new DeviceCertificateDirectory([second.IssuerCertificate]);
        Assert.Multiple(() =>
        {
            Assert.That(second.IssuerCertificate.RawData, Is.EqualTo(issuer));
            Assert.That(directory.Add(issued), Is.EqualTo(Device), "a certificate issued before the reload verifies after it");
            Assert.That(directory.Add(second.Issue(Device, key)), Is.EqualTo(Device));
        });
        issued.Dispose();
    }

    [Test]
    public void The_clock_counter_only_goes_up_even_when_the_clock_stands_still()
    {
        var counter = new ClockCounter(new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(1)));
        var values = Enumerable.Range(0, 1000).Select(_ => counter.Next()).ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(values[0], Is.EqualTo(1_000_000UL), "microseconds since the epoch");
            Assert.That(values, Is.Ordered.Ascending);
            Assert.That(values.Distinct().Count(), Is.EqualTo(values.Length));
        });
    }

    [Test]
    public void A_new_clock_counter_starts_above_everything_an_earlier_one_sent()
    {
        var before = new ClockCounter().Next();
        var after = new ClockCounter().Next();
        Assert.That(after, Is.GreaterThan(before), "a restarted sender must not reuse counters");
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
