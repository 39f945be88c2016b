using System.Formats.Tar;
using System.Security.Cryptography;

namespace SecDcc.Docker.Build;

/// <summary>
/// The files sent to the engine for a build, gathered from one or more folders and written as a tar.
/// The tar is deterministic (sorted entries, fixed times, uid/gid 0, modes 0644/0755), so its SHA-256 identifies
/// the context and can name a cached image: the same files give the same hash on any machine.
/// </summary>
public sealed class BuildContext
{
    // A fixed, unremarkable timestamp: real mtimes would change the hash on every checkout.
    private static readonly DateTimeOffset FixedTime = new(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly SortedDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Paths => _entries.Keys;

    /// <summary>Everything under <paramref name="directory"/> that its own .dockerignore does not exclude; the Dockerfile and .dockerignore are always sent, as the Docker CLI does.</summary>
    public static BuildContext FromDirectory(string directory, string dockerfile = "Dockerfile")
    {
        var context = new BuildContext();
        context.AddDirectory(directory, string.Empty, DockerIgnore.Load(directory), alwaysInclude: [dockerfile, DockerIgnore.FileName]);
        return context;
    }

    /// <summary>Adds the files under <paramref name="sourceDirectory"/> beneath <paramref name="targetPrefix"/> ("" for the root).</summary>
    public BuildContext AddDirectory(string sourceDirectory, string targetPrefix, DockerIgnore? ignore = null, IReadOnlyCollection<string>? alwaysInclude = null)
    {
        var root = new DirectoryInfo(sourceDirectory);
        if (!root.Exists)
        {
            throw new DockerContextException($"build context folder {root.FullName} does not exist");
        }

        ignore ??= DockerIgnore.Empty;
        var prefix = targetPrefix.Trim('/');
        if (prefix.Length > 0)
        {
            AddParents(prefix + "/");
            Put(new Entry(prefix, EntryKind.Directory, null, null, DirectoryMode));
        }

        Walk(root, string.Empty);
        return this;

        void Walk(DirectoryInfo dir, string relative)
        {
            foreach (var info in dir.EnumerateFileSystemInfos())
            {
                var rel = relative.Length == 0 ? info.Name : $"{relative}/{info.Name}";
                var keep = alwaysInclude?.Contains(rel) == true || !ignore.IsExcluded(rel);
                var target = prefix.Length == 0 ? rel : $"{prefix}/{rel}";
                if (info.LinkTarget is { } link)
                {
                    if (keep)
                    {
                        Put(new Entry(target, EntryKind.SymbolicLink, null, link, info.UnixFileMode));
                    }
                }
                else if (info is DirectoryInfo sub)
                {
                    // An excluded folder is still walked when a later '!' line may bring part of it back.
                    if (keep || ignore.HasNegations)
                    {
                        if (keep)
                        {
                            Put(new Entry(target, EntryKind.Directory, null, null, sub.UnixFileMode));
                        }

                        Walk(sub, rel);
                    }
                }
                else if (keep)
                {
                    AddParents(target);
                    Put(new Entry(target, EntryKind.File, info.FullName, null, info.UnixFileMode));
                }
            }
        }
    }

    /// <summary>Adds one file at <paramref name="targetPath"/>, keeping its mode.</summary>
    public BuildContext AddFile(string sourceFile, string targetPath)
    {
        var info = new FileInfo(sourceFile);
        if (!info.Exists)
        {
            throw new DockerContextException($"build context file {info.FullName} does not exist");
        }

        var target = targetPath.Trim('/');
        AddParents(target);
        Put(new Entry(target, EntryKind.File, info.FullName, null, info.UnixFileMode));
        return this;
    }

    /// <summary>
    /// Applies a context-level .dockerignore to everything added so far, matching paths as they are in the
    /// context (as the Docker CLI does with the .dockerignore at a context's root). A folder that is excluded
    /// but still holds re-included entries stays.
    /// </summary>
    public BuildContext Exclude(DockerIgnore ignore, params string[] alwaysInclude)
    {
        var keptLeaves = _entries.Values
            .Where(e => e.Kind != EntryKind.Directory && (alwaysInclude.Contains(e.Path) || !ignore.IsExcluded(e.Path)))
            .Select(e => e.Path)
            .ToList();
        foreach (var entry in _entries.Values.ToList())
        {
            var keep = entry.Kind == EntryKind.Directory
                ? !ignore.IsExcluded(entry.Path) || keptLeaves.Any(p => p.StartsWith(entry.Path + "/", StringComparison.Ordinal))
                : keptLeaves.Contains(entry.Path);
            if (!keep)
            {
                _entries.Remove(entry.Path);
            }
        }

        return this;
    }

    public async Task WriteTarAsync(Stream destination, CancellationToken cancellationToken)
    {
        await using var writer = new TarWriter(destination, TarEntryFormat.Gnu, leaveOpen: true);
        foreach (var entry in _entries.Values)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var tarEntry = new GnuTarEntry(entry.Kind switch
            {
                EntryKind.Directory => TarEntryType.Directory,
                EntryKind.SymbolicLink => TarEntryType.SymbolicLink,
                _ => TarEntryType.RegularFile,
            }, entry.Kind == EntryKind.Directory ? entry.Path + "/" : entry.Path)
            {
                ModificationTime = FixedTime,
                AccessTime = FixedTime,
                ChangeTime = FixedTime,
                Uid = 0,
                Gid = 0,
                UserName = string.Empty,
                GroupName = string.Empty,
                Mode = NormalMode(entry),
            };

            if (entry.Kind == EntryKind.SymbolicLink)
            {
                tarEntry.LinkName = entry.LinkTarget!;
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            }
            else if (entry.Kind == EntryKind.File)
            {
                await using var data = OpenSource(entry.SourcePath!);
                tarEntry.DataStream = data;
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await writer.WriteEntryAsync(tarEntry, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>SHA-256 (lower-case hex) of the tar that <see cref="WriteTarAsync"/> writes.</summary>
    public async Task<string> ComputeHashAsync(CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var sink = new HashingStream(hash))
        {
            await WriteTarAsync(sink, cancellationToken).ConfigureAwait(false);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>
    /// Modes as git keeps them, 0644 or 0755: a publish made under umask 077 must still be readable by the
    /// image's non-root user, and the same files must hash the same whatever the umask was.
    /// </summary>
    private static UnixFileMode NormalMode(Entry entry)
    {
        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return entry.Kind switch
        {
            EntryKind.File when (entry.Mode & anyExecute) == 0 => RegularFileMode,
            EntryKind.SymbolicLink => DirectoryMode | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite,
            _ => DirectoryMode,
        };
    }

    private const UnixFileMode RegularFileMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private void AddParents(string path)
    {
        for (var slash = path.IndexOf('/'); slash > 0; slash = path.IndexOf('/', slash + 1))
        {
            var parent = path[..slash];
            if (!_entries.ContainsKey(parent))
            {
                _entries[parent] = new Entry(parent, EntryKind.Directory, null, null, DirectoryMode);
            }
        }
    }

    private void Put(Entry entry)
    {
        if (_entries.TryGetValue(entry.Path, out var existing) && existing.Kind != entry.Kind)
        {
            throw new DockerContextException(
                $"build context path '{entry.Path}' is both a {existing.Kind} and a {entry.Kind} — two sources put different things at the same place");
        }

        _entries[entry.Path] = entry;
    }

    private static FileStream OpenSource(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DockerContextException($"cannot read {path} for the build context: {e.Message}", e);
        }
    }

    private enum EntryKind { Directory, File, SymbolicLink }

    private sealed record Entry(string Path, EntryKind Kind, string? SourcePath, string? LinkTarget, UnixFileMode Mode);

    private sealed class HashingStream(IncrementalHash hash) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => hash.AppendData(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => hash.AppendData(buffer);
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            hash.AppendData(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }
}
