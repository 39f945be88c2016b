using SecDcc.Duis.Interop;
using SecDcc.Duis.Keys;

namespace SecDcc.Duis.Tests.Support;

/// <summary>
/// Where the DCC's npm tools live for these tests, and the Ignore that names the command to install them.
/// </summary>
public static class InteropPackages
{
    private static readonly Lazy<(DuisTool? Tool, string WhyNot)> Located = new(() =>
    {
        var tool = DuisTool.TryLocate(out var whyNot);
        return (tool, whyNot);
    });

    private static readonly SemaphoreSlim KeyStoreGate = new(1, 1);
    private static DccBoxedKeyStore? _keyStore;

    /// <summary>The signing tool, or Assert.Ignore with the command that installs what is missing.</summary>
    public static DuisTool RequireTool()
    {
        var (tool, whyNot) = Located.Value;
        if (tool is null)
        {
            Assert.Ignore($"{whyNot} (CI runs '{DuisTool.InstallCommand}' before the tests.)");
        }
        return tool!;
    }

    /// <summary>drivers/interop with node_modules installed (Java not needed), or Assert.Ignore.</summary>
    public static string RequirePackages()
    {
        var dir = DuisTool.FindInteropDirectory(AppContext.BaseDirectory);
        if (dir is null || !Directory.Exists(Path.Combine(dir, "node_modules", "@smartdcc")))
        {
            Assert.Ignore($"The DCC's DUIS npm packages are not installed; run '{DuisTool.InstallCommand}' from the repository root.");
        }
        return dir!;
    }

    public static string TemplatesDirectory => Path.Combine(RequirePackages(), "node_modules", "@smartdcc", "duis-templates", "templates");

    public static string KeyStorePath => Path.Combine(RequirePackages(), "node_modules", "@smartdcc", "dccboxed-keystore", "keystore.json");

    public static async Task<DccBoxedKeyStore> KeyStoreAsync(CancellationToken cancellationToken)
    {
        var path = KeyStorePath;
        await KeyStoreGate.WaitAsync(cancellationToken);
        try
        {
            return _keyStore ??= await DccBoxedKeyStore.LoadAsync(path, cancellationToken);
        }
        finally
        {
            KeyStoreGate.Release();
        }
    }

    /// <summary>The templates of the SRVs in scope, by file-name pattern (SRV number in the name).</summary>
    public static readonly string[] InScopeSrvs =
    [
        "12.2", "8.1.1", "8.2", "8.3", "8.4", "8.7.1", "8.7.2", "8.8.1", "8.8.2", "8.9", "8.11", "8.12.1", "8.12.2",
        "8.13", "8.14.1", "8.14.2", "8.14.3", "8.14.4", "6.15.1", "6.15.2", "6.17", "6.23", "6.24.1", "6.24.2",
    ];

    /// <summary>Template files whose name carries an in-scope SRV ("_8.7.1_", "8.2_READ…").</summary>
    public static IReadOnlyList<string> InScopeTemplates()
    {
        var files = Directory.GetFiles(TemplatesDirectory, "*.XML").OrderBy(f => f, StringComparer.Ordinal).ToList();
        return files.Where(f => InScopeSrvs.Any(srv => SrvOfFileName(Path.GetFileName(f)) == srv)).ToList();
    }

    /// <summary>The SRV a template's file name carries: the first token that looks like "8.7.1".</summary>
    public static string? SrvOfFileName(string fileName) =>
        fileName.Split('_').FirstOrDefault(token => token.Length > 0 && char.IsDigit(token[0]) && token.Contains('.') && token.All(c => char.IsDigit(c) || c == '.'))?.TrimEnd('.');
}
