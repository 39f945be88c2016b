using System.Security.Cryptography;
using System.Text.Json;

namespace SecDcc.Reports.Evidence;

/// <summary>What a pack records about its run besides its files.</summary>
public sealed record EvidenceRunInfo(string TestingParty, string ToolVersion)
{
    /// <summary>Free-form run facts (run id, rig, DCC image digest…), recorded in the signed manifest.</summary>
    public IReadOnlyDictionary<string, string> Properties { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Builds a signed evidence pack: a directory holding whatever files the caller adds, then sealed with
/// manifest.json (every file's path, size and SHA-256, plus run metadata), manifest.sig and signer.pem.
/// Once sealed a pack is never re-sealed: a changed pack must fail verification, not be blessed again.
/// </summary>
public sealed class EvidencePack
{
    private EvidencePack(string directory) => Directory = directory;

    public string Directory { get; }

    /// <summary>Starts a pack in <paramref name="directory"/>, which must not exist or be empty.</summary>
    public static EvidencePack Create(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (System.IO.Directory.Exists(full) && System.IO.Directory.EnumerateFileSystemEntries(full).Any())
            throw new IOException($"Cannot create an evidence pack in {full}: the directory is not empty. Choose a new directory.");
        System.IO.Directory.CreateDirectory(full);
        return new EvidencePack(full);
    }

    /// <summary>Opens an existing directory (a run directory) to seal it where it is.</summary>
    public static EvidencePack Open(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!System.IO.Directory.Exists(full))
            throw new DirectoryNotFoundException($"Evidence directory not found: {full}");
        return new EvidencePack(full);
    }

    public async Task AddFileAsync(string sourcePath, string relativePath, CancellationToken cancellationToken)
    {
        var target = Target(relativePath);
        await using var source = File.OpenRead(sourcePath);
        await using var destination = new FileStream(target, FileMode.CreateNew, FileAccess.Write);
        await source.CopyToAsync(destination, cancellationToken);
    }

    /// <summary>Copies a directory's files (recursively) under <paramref name="relativePrefix"/> ("" for the pack root).</summary>
    public async Task AddDirectoryAsync(string sourceDirectory, string relativePrefix, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(sourceDirectory);
        if (!System.IO.Directory.Exists(root)) throw new DirectoryNotFoundException($"Directory to add not found: {root}");
        if (IsInside(Directory, root) || IsInside(root, Directory))
            throw new IOException($"Cannot add {root} to the pack in {Directory}: one is inside the other.");
        foreach (var file in System.IO.Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = EvidencePaths.ToRelative(root, file);
            if (new FileInfo(file).LinkTarget is not null)
                throw new IOException($"{file} is a symbolic link; an evidence pack holds only regular files. Copy its target instead.");
            await AddFileAsync(file, relativePrefix.Length == 0 ? relative : $"{relativePrefix.TrimEnd('/')}/{relative}", cancellationToken);
        }
    }

    public async Task AddBytesAsync(string relativePath, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        await using var destination = new FileStream(Target(relativePath), FileMode.CreateNew, FileAccess.Write);
        await destination.WriteAsync(content, cancellationToken);
    }

    /// <summary>Adds a small JSON document, e.g. the DCC's version and image digest or identities read from devices.</summary>
    public Task AddJsonAsync<T>(string relativePath, T value, CancellationToken cancellationToken) =>
        AddBytesAsync(relativePath, JsonSerializer.SerializeToUtf8Bytes(value, new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            WriteIndented = true,
        }), cancellationToken);

    /// <summary>Writes signer.pem, hashes every file, writes manifest.json and signs it into manifest.sig.</summary>
    public async Task<EvidenceManifest> SealAsync(EvidenceSigner signer, EvidenceRunInfo run, TimeProvider time, CancellationToken cancellationToken)
    {
        foreach (var seal in new[] { EvidencePaths.Manifest, EvidencePaths.Signature, EvidencePaths.SignerCertificate })
            if (File.Exists(Path.Combine(Directory, seal)))
                throw new IOException($"{Directory} already holds {seal}: it has been sealed before. Make a new pack from the run directory instead.");

        // signer.pem is written first and listed in the manifest, so every byte of it is covered by the signature.
        await File.WriteAllTextAsync(Path.Combine(Directory, EvidencePaths.SignerCertificate), signer.CertificatePem, cancellationToken);

        var files = new List<EvidenceFile>();
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = EvidencePaths.ToRelative(Directory, path);
            if (EvidencePaths.IsSealFile(relative)) continue;
            var info = new FileInfo(path);
            if (info.LinkTarget is not null)
                throw new IOException($"{path} is a symbolic link; an evidence pack holds only regular files. Replace it with a copy of its target.");
            files.Add(new EvidenceFile(relative, info.Length, await HashAsync(path, cancellationToken)));
        }
        files.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));

        var manifest = new EvidenceManifest(
            EvidenceManifest.CurrentFormat,
            time.GetUtcNow(),
            run.ToolVersion,
            run.TestingParty,
            new SortedDictionary<string, string>(run.Properties.ToDictionary(), StringComparer.Ordinal),
            new EvidenceSignerInfo(signer.Subject, EvidenceSigner.CertificateSha256(signer.Certificate)),
            EvidenceManifest.Sha256,
            files);
        var bytes = manifest.ToBytes();
        await File.WriteAllBytesAsync(Path.Combine(Directory, EvidencePaths.Manifest), bytes, cancellationToken);
        await File.WriteAllBytesAsync(Path.Combine(Directory, EvidencePaths.Signature), signer.Sign(bytes), cancellationToken);
        return manifest;
    }

    public static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    private string Target(string relativePath)
    {
        if (!EvidencePaths.IsSafeRelative(relativePath))
            throw new ArgumentException($"'{relativePath}' is not a path inside the pack; use a relative path with '/' and no '..'.", nameof(relativePath));
        if (EvidencePaths.IsSealFile(relativePath) || relativePath == EvidencePaths.SignerCertificate)
            throw new ArgumentException($"'{relativePath}' is written when the pack is sealed; store the file under another name.", nameof(relativePath));
        var target = EvidencePaths.ToFull(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        return target;
    }

    private static bool IsInside(string parent, string child)
    {
        var relative = Path.GetRelativePath(parent, child);
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
