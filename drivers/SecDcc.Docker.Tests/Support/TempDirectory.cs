namespace SecDcc.Docker.Tests.Support;

internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("secdcc-docker-test-").FullName;
    }

    public string Path { get; }

    public string Write(string relativePath, string content, UnixFileMode? mode = null)
    {
        var full = System.IO.Path.Combine(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        if (mode is { } m)
        {
            File.SetUnixFileMode(full, m);
        }

        return full;
    }

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
