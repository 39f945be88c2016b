using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Pki;

namespace SecDcc.Smki.Tests.Pki;

public sealed class PemExportTests
{
    private string _dir = null!;
    private TestPki _pki = null!;

    [SetUp]
    public void WritePki()
    {
        _dir = Directory.CreateTempSubdirectory("smki-pem-").FullName;
        _pki = TestPki.Create("pem");
        _pki.OrganisationCertificate(RemotePartyRole.Supplier, Eui64.Parse("90-B3-D5-1F-30-01-00-00"), X509KeyUsageFlags.DigitalSignature, "Supplier 1");
        _pki.DeviceCertificate(Eui64.Parse("00-DB-12-34-56-78-00-03"), X509KeyUsageFlags.KeyAgreement);
        _pki.WriteTo(_dir);
    }

    [TearDown]
    public void Clean()
    {
        _pki.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public void Each_certificate_file_holds_the_certificate_then_its_chain()
    {
        var certificates = PemFiles.ReadCertificates(Path.Combine(_dir, "org-supplier-90B3D51F30010000-ds.pem"));

        Assert.That(certificates.Select(c => c.RawData), Is.EqualTo(new[]
        {
            _pki.Issued.Single(i => i.Label == "org-supplier-90B3D51F30010000-ds").Certificate.RawData,
            _pki.IssuingCa.Certificate.RawData,
            _pki.RootOca.Certificate.RawData,
        }));
        Assert.That(PemFiles.ReadCertificates(Path.Combine(_dir, "root-oca.pem")), Has.Count.EqualTo(1));
        Assert.That(PemFiles.ReadCertificates(Path.Combine(_dir, "chain.pem")).Select(c => c.RawData), Is.EqualTo(new[] { _pki.IssuingCa.Certificate.RawData, _pki.RootOca.Certificate.RawData }));
    }

    [Test]
    public void Keys_are_PKCS8_and_join_their_certificates_for_signing()
    {
        var keyText = File.ReadAllText(Path.Combine(_dir, "device-00DB123456780003-ka.key.pem"));
        Assert.That(keyText, Does.StartWith("-----BEGIN PRIVATE KEY-----"));

        using var joined = PemFiles.ReadWithKey(Path.Combine(_dir, "org-recovery-90B3D51F30000001-ds.pem"), Path.Combine(_dir, "org-recovery-90B3D51F30000001-ds.key.pem"));
        using var key = joined.GetECDsaPrivateKey()!;
        var signature = key.SignData("command"u8, HashAlgorithmName.SHA256);

        Assert.That(joined.RawData, Is.EqualTo(_pki.Recovery.Certificate.RawData));
        Assert.That(_pki.Recovery.Certificate.GetECDsaPublicKey()!.VerifyData("command"u8, signature, HashAlgorithmName.SHA256), Is.True);
    }

    [Test]
    public void A_key_that_is_not_the_certificates_is_refused_with_both_paths()
    {
        var e = Assert.Throws<CryptographicException>(() => PemFiles.ReadWithKey(
            Path.Combine(_dir, "org-recovery-90B3D51F30000001-ds.pem"),
            Path.Combine(_dir, "root-oca.key.pem")));
        Assert.That(e!.Message, Does.Contain("root-oca.key.pem").And.Contain("org-recovery"));
    }

    [Test]
    public void Openssl_verifies_the_written_chain()
    {
        var openssl = new[] { "/usr/bin/openssl", "/usr/local/bin/openssl" }.FirstOrDefault(File.Exists);
        if (openssl is null)
        {
            Assert.Ignore("openssl is not installed here (apt-get install openssl); the chain is still checked with X509Chain elsewhere.");
        }

        var start = new ProcessStartInfo(openssl!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            ArgumentList =
            {
                "verify", "-attime", _pki.Options.Epoch.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
                "-CAfile", Path.Combine(_dir, "root-oca.pem"), "-untrusted", Path.Combine(_dir, "issuing-oca.pem"),
                Path.Combine(_dir, "org-supplier-90B3D51F30010000-ds.pem"), Path.Combine(_dir, "device-00DB123456780003-ka.pem"),
            },
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        Assert.That(process.WaitForExit(30_000), Is.True, "openssl verify did not finish in 30 s");

        Assert.That(process.ExitCode, Is.Zero, output);
        Assert.That(output, Does.Contain("org-supplier-90B3D51F30010000-ds.pem: OK").And.Contain("device-00DB123456780003-ka.pem: OK"));
    }
}
