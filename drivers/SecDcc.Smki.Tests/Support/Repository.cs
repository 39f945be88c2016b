namespace SecDcc.Smki.Tests.Support;

/// <summary>Paths in the checkout the tests read: the trust anchor data and the DCC's npm keystore.</summary>
public static class Repository
{
    public const string InstallCommand = "npm ci --prefix drivers/interop";

    public static string Root { get; } = FindRoot();

    public static string TrustAnchors => Path.Combine(Root, "rigs", "trust-anchors");

    /// <summary>The ZAZ1 keystore of @smartdcc/dccboxed-keystore, or Assert.Ignore naming the install command.</summary>
    public static string RequireKeystore()
    {
        var path = Path.Combine(Root, "drivers", "interop", "node_modules", "@smartdcc", "dccboxed-keystore", "keystore.json");
        if (!File.Exists(path))
        {
            Assert.Ignore($"{path} is not installed; run '{InstallCommand}' from the repository root.");
        }

        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecDcc.Tests.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"no SecDcc.Tests.sln above {AppContext.BaseDirectory}; run the tests from a checkout of the repository");
    }
}
