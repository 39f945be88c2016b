namespace SecDcc.Rigs.Tests.Support;

public static class RepoPaths
{
    /// <summary>The checkout's root: the nearest folder above the test binaries that holds SecDcc.Tests.sln.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "SecDcc.Tests.sln")))
                {
                    return dir.FullName;
                }
            }

            Assert.Ignore("the tests run outside a SecDcc checkout, so the repository's rig files cannot be found");
            return string.Empty;
        }
    }

    public static string Rigs => Path.Combine(Root, "rigs");
}

/// <summary>A folder for one test, removed afterwards.</summary>
public sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = Directory.CreateTempSubdirectory("secdcc-rigs-").FullName;
    }

    public string Path { get; }

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a failed test; the OS temp cleaner gets it.
        }
    }
}
