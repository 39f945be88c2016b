using System.Formats.Tar;
using System.IO.Compression;

namespace SecDcc.Reports.Evidence;

/// <summary>
/// A sealed pack as one .tar.gz, for sending. The archive holds the pack under one top-level folder named
/// after it; extraction accepts only regular files and folders inside the target, so a crafted archive cannot
/// write elsewhere or plant links.
/// </summary>
public static class EvidenceArchive
{
    public static bool IsArchive(string path) =>
        path.EndsWith(".tar.gz", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".tgz", StringComparison.OrdinalIgnoreCase);

    public static async Task WriteTarGzAsync(string packDirectory, string archivePath, CancellationToken cancellationToken)
    {
        var root = Path.GetFullPath(packDirectory);
        if (!File.Exists(Path.Combine(root, EvidencePaths.Manifest)))
            throw new InvalidOperationException($"{root} is not sealed (no manifest.json); seal the pack before archiving it.");
        var top = Path.GetFileName(root.TrimEnd(Path.DirectorySeparatorChar));
        var temp = archivePath + ".tmp-" + Environment.ProcessId;
        await using (var file = File.Create(temp))
        await using (var gzip = new GZipStream(file, CompressionLevel.Optimal))
        await using (var tar = new TarWriter(gzip, TarEntryFormat.Pax, leaveOpen: false))
        {
            foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                cancellationToken.ThrowIfCancellationRequested();
                await tar.WriteEntryAsync(path, $"{top}/{EvidencePaths.ToRelative(root, path)}", cancellationToken);
            }
        }
        File.Move(temp, archivePath, overwrite: true);
    }

    /// <summary>Unpacks into <paramref name="targetDirectory"/> and returns the pack's root (the folder holding manifest.json).</summary>
    public static async Task<string> ExtractAsync(string archivePath, string targetDirectory, CancellationToken cancellationToken)
    {
        var target = Path.GetFullPath(targetDirectory);
        await using (var file = File.OpenRead(archivePath))
        await using (var gzip = new GZipStream(file, CompressionMode.Decompress))
        await using (var tar = new TarReader(gzip))
        {
            while (await tar.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var destination = Path.GetFullPath(Path.Combine(target, entry.Name));
                if (!destination.StartsWith(target + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                    throw new InvalidDataException($"{archivePath}: entry '{entry.Name}' would be written outside the pack; the archive is not a SecDcc evidence pack.");
                switch (entry.EntryType)
                {
                    case TarEntryType.Directory:
                        Directory.CreateDirectory(destination);
                        break;
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile:
                        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
                        await entry.ExtractToFileAsync(destination, overwrite: false, cancellationToken);
                        break;
                    default:
                        throw new InvalidDataException($"{archivePath}: entry '{entry.Name}' is a {entry.EntryType}; an evidence pack holds only regular files.");
                }
            }
        }
        if (File.Exists(Path.Combine(target, EvidencePaths.Manifest))) return target;
        var folders = Directory.GetDirectories(target);
        if (folders.Length == 1 && Directory.GetFiles(target).Length == 0) return folders[0];
        throw new InvalidDataException($"{archivePath}: no manifest.json at the top of the archive or in a single top-level folder.");
    }
}
