using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecDcc.Reports.Evidence;

namespace SecDcc.Reports.Tests;

public sealed class EvidenceTests
{
    private static readonly TimeProvider Clock = TimeProvider.System;
    private static EvidenceSigner signer = null!;

    private TempDirectory temp = null!;
    private string pack = null!;

    [OneTimeSetUp]
    public static void CreateSigner() => signer = EvidenceSigner.CreateSelfSigned("ACME Meters Ltd", Clock);

    [OneTimeTearDown]
    public static void DisposeSigner() => signer.Dispose();

    [SetUp]
    public async Task CreatePack()
    {
        temp = new TempDirectory();
        var run = temp.Combine("run");
        temp.Write("run/allure-results/0001-result.json", """{"name":"CHF commissions","status":"passed"}""");
        temp.Write("run/allure-results/0001-attachment.xml", "<DUIS>response</DUIS>");
        temp.Write("run/clause-matrix.html", "<!DOCTYPE html><p>matrix</p>");
        temp.Write("rigs/bench.yaml", "devices:\n  - chf: /dev/ttyUSB0\n");

        pack = temp.Combine("pack");
        var builder = EvidencePack.Create(pack);
        await builder.AddDirectoryAsync(run, "", CancellationToken.None);
        await builder.AddFileAsync(temp.Combine("rigs/bench.yaml"), "rig/bench.yaml", CancellationToken.None);
        await builder.AddJsonAsync("devices/identities.json", new[] { new { DeviceId = "00-11-22-33-44-55-66-77", Model = "ACME CHF 1", Firmware = "1.2.3" } }, CancellationToken.None);
        await builder.AddJsonAsync("dcc.json", new { Version = "1.0.0", ImageDigest = "sha256:" + new string('a', 64) }, CancellationToken.None);
        await builder.SealAsync(signer, new EvidenceRunInfo("ACME Meters Ltd", "1.0.0-test")
        {
            Properties = new Dictionary<string, string> { ["run"] = "20250101-120000" },
        }, Clock, CancellationToken.None);
    }

    [TearDown]
    public void Clean() => temp.Dispose();

    [Test]
    public async Task A_fresh_pack_verifies()
    {
        var result = await Verify(pack);

        Assert.That(result.Problems, Is.Empty);
        Assert.Multiple(() =>
        {
            Assert.That(result.Verified, Is.True);
            Assert.That(result.SignerSubject, Does.Contain("CN=ACME Meters Ltd"));
            Assert.That(result.Manifest!.Files.Select(f => f.Path), Is.EqualTo(new[]
            {
                "allure-results/0001-attachment.xml", "allure-results/0001-result.json", "clause-matrix.html", "dcc.json",
                "devices/identities.json", "rig/bench.yaml", "signer.pem",
            }));
            Assert.That(result.Manifest.TestingParty, Is.EqualTo("ACME Meters Ltd"));
            Assert.That(result.Manifest.Properties["run"], Is.EqualTo("20250101-120000"));
        });
    }

    [Test]
    public async Task A_one_byte_change_in_any_file_is_caught()
    {
        var files = Directory.EnumerateFiles(pack, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
        Assert.That(files, Has.Count.EqualTo(9), "seven listed files plus manifest.json and manifest.sig");

        foreach (var file in files)
        {
            var relative = EvidencePaths.ToRelative(pack, file);
            var original = await File.ReadAllBytesAsync(file);
            foreach (var offset in new[] { 0, original.Length / 2, original.Length - 1 })
            {
                var tampered = (byte[])original.Clone();
                tampered[offset] ^= 0x01;
                await File.WriteAllBytesAsync(file, tampered);

                var result = await Verify(pack);

                var what = $"{relative} with byte {offset} flipped";
                Assert.That(result.Verified, Is.False, what);
                if (EvidencePaths.IsSealFile(relative))
                    Assert.That(result.Problems.Select(p => p.Kind), Has.Member(EvidenceProblemKind.SignatureInvalid), what);
                else
                    Assert.That(result.Of(EvidenceProblemKind.Changed).Select(p => p.Path), Is.EqualTo(new[] { relative }), what);
                await File.WriteAllBytesAsync(file, original);
            }
        }

        Assert.That((await Verify(pack)).Verified, Is.True, "restored pack");
    }

    [Test]
    public async Task An_added_file_is_reported()
    {
        temp.Write("pack/allure-results/9999-result.json", """{"name":"slipped in","status":"passed"}""");

        var result = await Verify(pack);

        Assert.That(result.Problems.Select(p => (p.Kind, p.Path)),
            Is.EqualTo(new[] { (EvidenceProblemKind.Added, (string?)"allure-results/9999-result.json") }));
    }

    [Test]
    public async Task A_removed_file_is_reported()
    {
        File.Delete(Path.Combine(pack, "rig", "bench.yaml"));

        var result = await Verify(pack);

        Assert.That(result.Problems.Select(p => (p.Kind, p.Path)),
            Is.EqualTo(new[] { (EvidenceProblemKind.Removed, (string?)"rig/bench.yaml") }));
    }

    [Test]
    public async Task A_manifest_edited_to_match_a_changed_file_fails_the_signature()
    {
        var file = Path.Combine(pack, "dcc.json");
        await File.AppendAllTextAsync(file, " ");
        var manifestPath = Path.Combine(pack, EvidencePaths.Manifest);
        var manifest = EvidenceManifest.Parse(await File.ReadAllBytesAsync(manifestPath));
        var hash = await EvidencePack.HashAsync(file, CancellationToken.None);
        var edited = manifest.Files
            .Select(f => f.Path == "dcc.json" ? new EvidenceFile(f.Path, new FileInfo(file).Length, hash) : f)
            .ToList();
        await File.WriteAllBytesAsync(manifestPath, (manifest with { Files = edited }).ToBytes());

        var result = await Verify(pack);

        Assert.That(result.Problems.Select(p => p.Kind), Is.EqualTo(new[] { EvidenceProblemKind.SignatureInvalid }), string.Join("\n", result.Problems));
    }

    [Test]
    public async Task A_signature_by_another_key_fails()
    {
        using var other = EvidenceSigner.CreateSelfSigned("ACME Meters Ltd", Clock);
        var manifest = await File.ReadAllBytesAsync(Path.Combine(pack, EvidencePaths.Manifest));
        await File.WriteAllBytesAsync(Path.Combine(pack, EvidencePaths.Signature), other.Sign(manifest));

        var result = await Verify(pack);

        Assert.That(result.Problems.Select(p => p.Kind), Is.EqualTo(new[] { EvidenceProblemKind.SignatureInvalid }));
    }

    [Test]
    public async Task A_missing_signature_is_reported()
    {
        File.Delete(Path.Combine(pack, EvidencePaths.Signature));

        var result = await Verify(pack);

        Assert.That(result.Problems.Select(p => (p.Kind, p.Path)), Is.EqualTo(new[] { (EvidenceProblemKind.SealMissing, (string?)"manifest.sig") }));
    }

    [Test]
    public async Task A_pack_resealed_by_someone_else_verifies_only_without_trust()
    {
        File.WriteAllText(Path.Combine(pack, "dcc.json"), """{"version":"forged"}""");
        foreach (var seal in new[] { EvidencePaths.Manifest, EvidencePaths.Signature, EvidencePaths.SignerCertificate })
            File.Delete(Path.Combine(pack, seal));
        using var forger = EvidenceSigner.CreateSelfSigned("ACME Meters Ltd", Clock);
        await EvidencePack.Open(pack).SealAsync(forger, new EvidenceRunInfo("ACME Meters Ltd", "1.0.0"), Clock, CancellationToken.None);

        var untrusted = await Verify(pack);
        var trusted = await Verify(pack, signer.Certificate);

        Assert.Multiple(() =>
        {
            Assert.That(untrusted.Verified, Is.True, "self-consistent, which is why --trust exists");
            Assert.That(untrusted.SignerChecked, Is.False);
            Assert.That(trusted.Problems.Select(p => p.Kind), Is.EqualTo(new[] { EvidenceProblemKind.Untrusted }));
        });
    }

    [Test]
    public async Task The_right_trusted_certificate_verifies()
    {
        var result = await Verify(pack, EvidenceSigner.LoadCertificatePem(Path.Combine(pack, EvidencePaths.SignerCertificate)));

        Assert.That((result.Verified, result.SignerChecked), Is.EqualTo((true, true)));
    }

    [Test]
    public async Task A_forged_manifest_cannot_make_the_verifier_read_outside_the_pack()
    {
        temp.Write("secret.txt", "not evidence");
        var forged = temp.Combine("forged");
        using var forger = EvidenceSigner.CreateSelfSigned("Forger", Clock);
        var builder = EvidencePack.Create(forged);
        await builder.AddBytesAsync("a.txt", "a"u8.ToArray(), CancellationToken.None);
        await builder.SealAsync(forger, new EvidenceRunInfo("Forger", "1"), Clock, CancellationToken.None);
        var manifestPath = Path.Combine(forged, EvidencePaths.Manifest);
        var manifest = EvidenceManifest.Parse(await File.ReadAllBytesAsync(manifestPath));
        var bytes = (manifest with { Files = [.. manifest.Files, new EvidenceFile("../secret.txt", 12, new string('0', 64))] }).ToBytes();
        await File.WriteAllBytesAsync(manifestPath, bytes);
        await File.WriteAllBytesAsync(Path.Combine(forged, EvidencePaths.Signature), forger.Sign(bytes));

        var result = await Verify(forged);

        Assert.That(result.Problems.Select(p => (p.Kind, p.Path)), Is.EqualTo(new[] { (EvidenceProblemKind.UnsafePath, (string?)"../secret.txt") }));
    }

    [Test]
    public async Task A_tar_gz_of_the_pack_verifies_and_carries_tampering_with_it()
    {
        var archive = temp.Combine("pack.tar.gz");
        await EvidenceArchive.WriteTarGzAsync(pack, archive, CancellationToken.None);
        var good = await Verify(archive);

        await File.AppendAllTextAsync(Path.Combine(pack, "clause-matrix.html"), "<!-- edited -->");
        var tamperedArchive = temp.Combine("tampered.tar.gz");
        await EvidenceArchive.WriteTarGzAsync(pack, tamperedArchive, CancellationToken.None);
        var bad = await Verify(tamperedArchive);

        Assert.Multiple(() =>
        {
            Assert.That(good.Problems, Is.Empty);
            Assert.That(good.FileCount, Is.EqualTo(7));
            Assert.That(bad.Of(EvidenceProblemKind.Changed).Select(p => p.Path), Is.EqualTo(new[] { "clause-matrix.html" }));
        });
    }

    [Test]
    public void A_sealed_pack_cannot_be_sealed_again() =>
        Assert.ThrowsAsync<IOException>(() =>
            EvidencePack.Open(pack).SealAsync(signer, new EvidenceRunInfo("ACME Meters Ltd", "1"), Clock, CancellationToken.None));

    [TestCase("../outside.txt")]
    [TestCase("/etc/passwd")]
    [TestCase("a/./b.txt")]
    [TestCase("manifest.json")]
    [TestCase("signer.pem")]
    public void Files_cannot_be_added_outside_the_pack_or_over_its_seal(string relative)
    {
        var builder = EvidencePack.Create(temp.Combine("new"));
        Assert.ThrowsAsync<ArgumentException>(() => builder.AddBytesAsync(relative, "x"u8.ToArray(), CancellationToken.None));
    }

    [Test]
    public void A_pack_is_not_created_in_a_directory_that_holds_files() =>
        Assert.Throws<IOException>(() => EvidencePack.Create(pack));

    [Test]
    public void A_saved_key_and_certificate_load_back_and_sign()
    {
        var certificate = temp.Combine("cert.pem");
        var key = temp.Combine("key.pem");
        signer.SavePem(certificate, key);

        using var loaded = EvidenceSigner.LoadPem(certificate, key);
        var data = "manifest"u8.ToArray();

        Assert.That(EvidenceSigner.Verify(signer.Certificate, data, loaded.Sign(data)), Is.True);
        Assert.That(File.ReadAllText(key), Does.StartWith("-----BEGIN PRIVATE KEY-----"));
        if (!OperatingSystem.IsWindows())
            Assert.That(File.GetUnixFileMode(key), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void A_key_that_does_not_match_the_certificate_is_refused()
    {
        using var other = EvidenceSigner.CreateSelfSigned("Other", Clock);
        signer.SavePem(temp.Combine("cert.pem"), temp.Combine("key.pem"));
        other.SavePem(temp.Combine("other-cert.pem"), temp.Combine("other-key.pem"));

        var error = Assert.Throws<InvalidDataException>(() => EvidenceSigner.LoadPem(temp.Combine("cert.pem"), temp.Combine("other-key.pem")));

        Assert.That(error!.Message, Does.Contain("is not the private key of the certificate"));
    }

    [Test]
    public async Task Openssl_verifies_the_signature_too()
    {
        if (!File.Exists("/usr/bin/openssl")) Assert.Ignore("openssl is not installed here.");
        var publicKey = temp.Write("public.pem", signer.Certificate.GetECDsaPublicKey()!.ExportSubjectPublicKeyInfoPem());
        var start = new ProcessStartInfo("/usr/bin/openssl",
            ["dgst", "-sha256", "-verify", publicKey, "-signature", Path.Combine(pack, EvidencePaths.Signature), Path.Combine(pack, EvidencePaths.Manifest)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token) + await process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);

        Assert.That((process.ExitCode, output.Trim()), Is.EqualTo((0, "Verified OK")));
    }

    private static Task<EvidenceVerification> Verify(string path, X509Certificate2? trusted = null) =>
        EvidencePackVerifier.VerifyAsync(path, trusted, CancellationToken.None);
}
