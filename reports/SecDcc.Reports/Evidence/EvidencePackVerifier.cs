using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Reports.Evidence;

/// <summary>
/// Verifies a pack: the signature over manifest.json first, then every file against it. Every problem is
/// collected (files are still compared when the signature fails, so the report says what was touched).
/// </summary>
public static class EvidencePackVerifier
{
    /// <summary>Verifies a pack directory, or a .tar.gz of one (unpacked into a temporary directory first).</summary>
    public static async Task<EvidenceVerification> VerifyAsync(string path, X509Certificate2? trusted, CancellationToken cancellationToken)
    {
        if (File.Exists(path) && EvidenceArchive.IsArchive(path))
        {
            var temp = Directory.CreateTempSubdirectory("secdcc-evidence-");
            try
            {
                var root = await EvidenceArchive.ExtractAsync(path, temp.FullName, cancellationToken);
                var result = await VerifyDirectoryAsync(root, trusted, cancellationToken);
                return result with { PackPath = Path.GetFullPath(path) };
            }
            finally
            {
                temp.Delete(recursive: true);
            }
        }
        if (!Directory.Exists(path))
            throw new DirectoryNotFoundException($"No evidence pack at {Path.GetFullPath(path)}: give the pack's directory or its .tar.gz.");
        return await VerifyDirectoryAsync(path, trusted, cancellationToken);
    }

    public static async Task<EvidenceVerification> VerifyDirectoryAsync(string directory, X509Certificate2? trusted, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(directory);
        var problems = new List<EvidenceProblem>();

        var manifestBytes = await ReadSealFileAsync(root, EvidencePaths.Manifest, problems, cancellationToken);
        var signature = await ReadSealFileAsync(root, EvidencePaths.Signature, problems, cancellationToken);
        var signer = ReadSigner(root, problems);

        EvidenceManifest? manifest = null;
        if (manifestBytes is not null)
        {
            try
            {
                manifest = EvidenceManifest.Parse(manifestBytes);
            }
            catch (InvalidDataException e)
            {
                problems.Add(new EvidenceProblem(EvidenceProblemKind.ManifestUnreadable, EvidencePaths.Manifest, e.Message));
            }
        }

        var signerChecked = false;
        if (manifestBytes is not null && signature is not null && signer is not null)
        {
            if (!EvidenceSigner.Verify(signer, manifestBytes, signature))
                problems.Add(new EvidenceProblem(EvidenceProblemKind.SignatureInvalid, EvidencePaths.Signature,
                    $"manifest.sig is not a valid ECDSA P-256/SHA-256 signature of manifest.json by {signer.Subject}; the manifest or the signature was altered."));
            var thumbprint = EvidenceSigner.CertificateSha256(signer);
            if (manifest is not null && manifest.Signer.CertificateSha256 != thumbprint)
                problems.Add(new EvidenceProblem(EvidenceProblemKind.SignerMismatch, EvidencePaths.SignerCertificate,
                    $"signer.pem has SHA-256 {thumbprint}, but the manifest was signed by the certificate {manifest.Signer.CertificateSha256} ({manifest.Signer.Subject})."));
            if (trusted is not null)
            {
                signerChecked = true;
                var trustedThumbprint = EvidenceSigner.CertificateSha256(trusted);
                if (trustedThumbprint != thumbprint)
                    problems.Add(new EvidenceProblem(EvidenceProblemKind.Untrusted, EvidencePaths.SignerCertificate,
                        $"signed by {signer.Subject} (certificate SHA-256 {thumbprint}), not by the trusted certificate {trusted.Subject} ({trustedThumbprint})."));
            }
        }

        if (manifest is not null)
            await CompareFilesAsync(root, manifest, problems, cancellationToken);

        var result = new EvidenceVerification(root, manifest, signer?.Subject, signerChecked, problems);
        signer?.Dispose();
        return result;
    }

    private static async Task CompareFilesAsync(string root, EvidenceManifest manifest, List<EvidenceProblem> problems, CancellationToken cancellationToken)
    {
        var listed = new Dictionary<string, EvidenceFile>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            if (!EvidencePaths.IsSafeRelative(file.Path) || EvidencePaths.IsSealFile(file.Path))
                problems.Add(new EvidenceProblem(EvidenceProblemKind.UnsafePath, file.Path, "the manifest lists a path that is not a file inside the pack; it was not read."));
            else if (!listed.TryAdd(file.Path, file))
                problems.Add(new EvidenceProblem(EvidenceProblemKind.UnsafePath, file.Path, "the manifest lists this path more than once."));
        }

        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = EvidencePaths.ToRelative(root, entry);
            var info = new FileInfo(entry);
            if (info.LinkTarget is not null)
            {
                problems.Add(new EvidenceProblem(EvidenceProblemKind.NotARegularFile, relative, $"a link to {info.LinkTarget}; a pack holds only regular files."));
                continue;
            }
            if (Directory.Exists(entry) || EvidencePaths.IsSealFile(relative)) continue;
            present.Add(relative);
            if (!listed.TryGetValue(relative, out var expected))
            {
                problems.Add(new EvidenceProblem(EvidenceProblemKind.Added, relative, $"present ({info.Length} bytes) but not in the manifest."));
                continue;
            }
            var hash = await EvidencePack.HashAsync(entry, cancellationToken);
            if (info.Length != expected.Size || hash != expected.Sha256)
                problems.Add(new EvidenceProblem(EvidenceProblemKind.Changed, relative,
                    $"{info.Length} bytes with SHA-256 {hash}; the manifest records {expected.Size} bytes with SHA-256 {expected.Sha256}."));
        }
        foreach (var missing in listed.Keys.Where(p => !present.Contains(p)).Order(StringComparer.Ordinal))
            problems.Add(new EvidenceProblem(EvidenceProblemKind.Removed, missing, "in the manifest but missing from the pack."));
    }

    private static async Task<byte[]?> ReadSealFileAsync(string root, string name, List<EvidenceProblem> problems, CancellationToken cancellationToken)
    {
        var path = Path.Combine(root, name);
        if (File.Exists(path)) return await File.ReadAllBytesAsync(path, cancellationToken);
        problems.Add(new EvidenceProblem(EvidenceProblemKind.SealMissing, name, $"{name} is missing; without it the pack cannot be verified."));
        return null;
    }

    private static X509Certificate2? ReadSigner(string root, List<EvidenceProblem> problems)
    {
        var path = Path.Combine(root, EvidencePaths.SignerCertificate);
        if (!File.Exists(path))
        {
            problems.Add(new EvidenceProblem(EvidenceProblemKind.SealMissing, EvidencePaths.SignerCertificate, "signer.pem is missing; without it the signature cannot be checked."));
            return null;
        }
        X509Certificate2? certificate = null;
        try
        {
            certificate = X509Certificate2.CreateFromPem(File.ReadAllText(path));
            // A damaged certificate can parse yet hold an undecodable key; find that out here, not mid-verification.
            using var key = certificate.GetECDsaPublicKey();
            if (key is not null) return certificate;
            problems.Add(new EvidenceProblem(EvidenceProblemKind.SignerUnreadable, EvidencePaths.SignerCertificate,
                $"the certificate ({certificate.Subject}) holds no ECDSA public key; evidence packs are signed with ECDSA P-256."));
        }
        catch (CryptographicException e)
        {
            problems.Add(new EvidenceProblem(EvidenceProblemKind.SignerUnreadable, EvidencePaths.SignerCertificate, $"not a readable PEM certificate: {e.Message}"));
        }
        certificate?.Dispose();
        return null;
    }
}
