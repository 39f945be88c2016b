namespace SecDcc.Reports.Tests;

/// <summary>A fresh directory per test, removed afterwards.</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory() => Path = Directory.CreateTempSubdirectory("secdcc-reports-tests-").FullName;

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public string Write(string relative, string content)
    {
        var full = Combine(relative);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return full;
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}

public static class RepositoryFiles
{
    /// <summary>The checkout's features/clauses.yaml, found by walking up from the test assembly.</summary>
    public static string ClauseCatalogue()
    {
        for (var dir = new DirectoryInfo(TestContext.CurrentContext.TestDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "features", "clauses.yaml");
            if (File.Exists(candidate)) return candidate;
        }
        throw new FileNotFoundException("features/clauses.yaml not found above " + TestContext.CurrentContext.TestDirectory);
    }
}
