namespace SecDcc.Reports.Evidence;

public enum EvidenceProblemKind
{
    /// <summary>manifest.json, manifest.sig or signer.pem is missing.</summary>
    SealMissing,
    /// <summary>manifest.json cannot be read as a manifest.</summary>
    ManifestUnreadable,
    /// <summary>signer.pem cannot be read as a certificate.</summary>
    SignerUnreadable,
    /// <summary>manifest.sig is not a valid signature of manifest.json by signer.pem.</summary>
    SignatureInvalid,
    /// <summary>signer.pem is not the certificate the manifest names.</summary>
    SignerMismatch,
    /// <summary>The signer is not the certificate the verifier was told to trust.</summary>
    Untrusted,
    /// <summary>A file is present but not in the manifest.</summary>
    Added,
    /// <summary>A file in the manifest is missing.</summary>
    Removed,
    /// <summary>A file's size or SHA-256 differs from the manifest.</summary>
    Changed,
    /// <summary>The manifest lists a path outside the pack, or a path twice.</summary>
    UnsafePath,
    /// <summary>An entry of the pack is a link or another non-regular file.</summary>
    NotARegularFile,
}

public sealed record EvidenceProblem(EvidenceProblemKind Kind, string? Path, string Detail)
{
    public override string ToString() => Path is null ? $"{Label(Kind)}: {Detail}" : $"{Label(Kind)} {Path}: {Detail}";

    public static string Label(EvidenceProblemKind kind) => kind switch
    {
        EvidenceProblemKind.Added => "added",
        EvidenceProblemKind.Removed => "removed",
        EvidenceProblemKind.Changed => "changed",
        EvidenceProblemKind.SealMissing => "seal missing",
        EvidenceProblemKind.ManifestUnreadable => "manifest unreadable",
        EvidenceProblemKind.SignerUnreadable => "signer unreadable",
        EvidenceProblemKind.SignatureInvalid => "signature invalid",
        EvidenceProblemKind.SignerMismatch => "signer mismatch",
        EvidenceProblemKind.Untrusted => "untrusted signer",
        EvidenceProblemKind.UnsafePath => "unsafe path",
        EvidenceProblemKind.NotARegularFile => "not a regular file",
        _ => kind.ToString(),
    };
}

/// <summary>The outcome of verifying a pack: verified only when there is no problem at all.</summary>
public sealed record EvidenceVerification(
    string PackPath,
    EvidenceManifest? Manifest,
    string? SignerSubject,
    bool SignerChecked,
    IReadOnlyList<EvidenceProblem> Problems)
{
    public bool Verified => Problems.Count == 0;

    public int FileCount => Manifest?.Files.Count ?? 0;

    public IEnumerable<EvidenceProblem> Of(EvidenceProblemKind kind) => Problems.Where(p => p.Kind == kind);
}
