using System.CommandLine;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Reports.Evidence;

namespace SecDcc.Cli;

/// <summary>
/// <c>secdcc evidence</c>: seal a run directory into a signed evidence pack, verify a pack someone hands
/// over, and make the testing party's lasting signing identity.
/// </summary>
public static class EvidenceCommand
{
    public static Command Create()
    {
        var command = new Command("evidence", "Create and verify signed evidence packs.");
        command.Subcommands.Add(CreatePack());
        command.Subcommands.Add(VerifyPack());
        command.Subcommands.Add(KeyGen());
        return command;
    }

    private static Command CreatePack()
    {
        var from = new Option<DirectoryInfo>("--from") { Description = "The run directory to pack (Allure results, matrix, rig files…).", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "The pack directory to create; the same as --from seals the run directory in place.", Required = true };
        var key = new Option<FileInfo>("--key") { Description = "The testing party's PKCS#8 PEM private key (ECDSA P-256); with --cert." };
        var cert = new Option<FileInfo>("--cert") { Description = "The testing party's PEM certificate; with --key." };
        var party = new Option<string>("--party") { Description = "The testing party's name (default: the certificate's common name). Required without --cert." };
        var properties = new Option<string[]>("--property")
        {
            Description = "A run fact for the signed manifest, as name=value (repeatable), e.g. --property rig=bench-3.",
            AllowMultipleArgumentsPerToken = true,
        };
        var tar = new Option<bool>("--tar") { Description = "Also write <out>.tar.gz of the sealed pack." };
        var command = new Command("create", "Pack a run directory and sign its manifest.") { from, output, key, cert, party, properties, tar };
        command.SetAction((parse, cancellationToken) => CreateAsync(
            parse.GetValue(from)!, parse.GetValue(output)!, parse.GetValue(key), parse.GetValue(cert), parse.GetValue(party),
            parse.GetValue(properties) ?? [], parse.GetValue(tar), cancellationToken));
        return command;
    }

    private static Command VerifyPack()
    {
        var path = new Argument<string>("PATH") { Description = "The pack's directory or its .tar.gz." };
        var trust = new Option<FileInfo>("--trust") { Description = "The PEM certificate the pack must be signed with (the testing party's signer.pem, obtained separately)." };
        var command = new Command("verify", "Check a pack's signature and every file in it.") { path, trust };
        command.SetAction((parse, cancellationToken) => VerifyAsync(parse.GetValue(path)!, parse.GetValue(trust), cancellationToken));
        return command;
    }

    private static Command KeyGen()
    {
        var party = new Option<string>("--party") { Description = "The testing party's name, for the certificate's subject.", Required = true };
        var output = new Option<DirectoryInfo>("--out") { Description = "Directory for key.pem and cert.pem.", Required = true };
        var years = new Option<int>("--years") { Description = "Years the certificate is valid (default 3).", DefaultValueFactory = _ => 3 };
        var command = new Command("keygen", "Make an ECDSA P-256 key and self-signed certificate for signing packs.") { party, output, years };
        command.SetAction(parse => KeyGenerate(parse.GetValue(party)!, parse.GetValue(output)!, parse.GetValue(years)));
        return command;
    }

    private static async Task<int> CreateAsync(
        DirectoryInfo from, DirectoryInfo output, FileInfo? key, FileInfo? cert, string? party, string[] properties, bool tar,
        CancellationToken cancellationToken)
    {
        if ((key is null) != (cert is null))
            return Fail("Give --key and --cert together (the private key and its certificate), or neither to sign with a new self-signed certificate.");
        if (cert is null && string.IsNullOrWhiteSpace(party))
            return Fail("Without --cert, name the testing party with --party \"Name Ltd\" so the self-signed certificate says who signed.");
        if (ParseProperties(properties) is not { } facts)
            return Fail("Each --property must be name=value, e.g. --property rig=bench-3.");

        try
        {
            using var signer = cert is null
                ? EvidenceSigner.CreateSelfSigned(party!, TimeProvider.System)
                : EvidenceSigner.LoadPem(cert.FullName, key!.FullName);
            var testingParty = string.IsNullOrWhiteSpace(party) ? signer.Certificate.GetNameInfo(X509NameType.SimpleName, false) : party!;

            var inPlace = Path.GetFullPath(from.FullName).TrimEnd(Path.DirectorySeparatorChar) ==
                          Path.GetFullPath(output.FullName).TrimEnd(Path.DirectorySeparatorChar);
            EvidencePack pack;
            if (inPlace) pack = EvidencePack.Open(from.FullName);
            else
            {
                pack = EvidencePack.Create(output.FullName);
                await pack.AddDirectoryAsync(from.FullName, "", cancellationToken);
            }
            var manifest = await pack.SealAsync(signer, new EvidenceRunInfo(testingParty, EvidenceWriter.ToolVersion()) { Properties = facts }, TimeProvider.System, cancellationToken);

            Console.WriteLine($"Evidence pack sealed: {manifest.Files.Count} files, signed by {signer.Subject}");
            Console.WriteLine($"  {pack.Directory}");
            if (cert is null)
                Console.WriteLine("  Signed with a new self-signed certificate whose key was not kept; for packs others can recognise as yours, " +
                                  "make a lasting key with 'secdcc evidence keygen' and pass --key and --cert.");
            if (tar)
            {
                var archive = pack.Directory.TrimEnd(Path.DirectorySeparatorChar) + ".tar.gz";
                await EvidenceArchive.WriteTarGzAsync(pack.Directory, archive, cancellationToken);
                Console.WriteLine($"  {archive}");
            }
            return 0;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or ArgumentException)
        {
            return Fail(e.Message);
        }
    }

    private static async Task<int> VerifyAsync(string path, FileInfo? trust, CancellationToken cancellationToken)
    {
        try
        {
            using var trusted = trust is null ? null : EvidenceSigner.LoadCertificatePem(trust.FullName);
            var result = await EvidencePackVerifier.VerifyAsync(path, trusted, cancellationToken);
            if (result.Verified)
            {
                Console.WriteLine($"Evidence pack verified: {result.FileCount} files, signed by {result.SignerSubject}");
                Console.WriteLine(result.SignerChecked
                    ? $"  The signer is the trusted certificate {trust!.FullName}."
                    : "  The signer was not checked against a trusted certificate; pass --trust <the signer's certificate, obtained separately> to do so.");
                return 0;
            }
            Console.Error.WriteLine($"Evidence pack NOT verified: {result.PackPath}");
            Console.Error.WriteLine($"  {result.Problems.Count} problem(s):");
            foreach (var problem in result.Problems.OrderBy(p => p.Kind).ThenBy(p => p.Path, StringComparer.Ordinal))
                Console.Error.WriteLine($"  - {problem}");
            return 1;
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Fail(e.Message);
        }
    }

    private static int KeyGenerate(string party, DirectoryInfo output, int years)
    {
        if (years is < 1 or > 30) return Fail("--years must be between 1 and 30.");
        var keyPath = Path.Combine(output.FullName, "key.pem");
        var certPath = Path.Combine(output.FullName, "cert.pem");
        if (File.Exists(keyPath) || File.Exists(certPath))
            return Fail($"{output.FullName} already holds key.pem or cert.pem; choose another directory rather than replace an identity.");
        Directory.CreateDirectory(output.FullName);
        using var signer = EvidenceSigner.CreateSelfSigned(party, TimeProvider.System, TimeSpan.FromDays(365.25 * years));
        signer.SavePem(certPath, keyPath);
        Console.WriteLine($"Signing identity for {signer.Subject}, valid until {signer.Certificate.NotAfter:yyyy-MM-dd}:");
        Console.WriteLine($"  private key: {keyPath} (keep it secret)");
        Console.WriteLine($"  certificate: {certPath} (give it to whoever verifies your packs, for --trust)");
        return 0;
    }

    private static Dictionary<string, string>? ParseProperties(string[] properties)
    {
        var facts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            var equals = property.IndexOf('=');
            if (equals <= 0) return null;
            facts[property[..equals].Trim()] = property[(equals + 1)..].Trim();
        }
        return facts;
    }


    private static int Fail(string message)
    {
        Console.Error.WriteLine(message);
        return 2;
    }
}
