using System.Reflection;
using SecDcc.Scenarios;

namespace SecDcc.Steps.Support;

/// <summary>
/// Where the suite's files are when it does not run from a checkout: a bundle made by <c>secdcc publish</c>
/// (scripts/publish.sh), whose root holds <see cref="BundleMarker"/>, the program in app/, the reference DCC in dcc/,
/// and features/, rigs/ and reports/ beside them (docs/decisions/0720).
/// </summary>
public static class SuiteLayout
{
    public const string BundleMarker = "secdcc-bundle.json";

    /// <summary>The bundle this program runs from, or null in a checkout (or any other build output).</summary>
    public static string? BundleRoot { get; } = FindBundleRoot(AppContext.BaseDirectory);

    /// <summary>
    /// The folder holding the marker: the program's own folder or the one above it (app/). No further: a bundle written
    /// to out/bundle/ inside a checkout must still count as a bundle, and a checkout's build output must never.
    /// </summary>
    public static string? FindBundleRoot(string programDirectory)
    {
        var dir = new DirectoryInfo(programDirectory);
        foreach (var candidate in new[] { dir, dir.Parent })
            if (candidate is not null && File.Exists(Path.Combine(candidate.FullName, BundleMarker)))
                return candidate.FullName;
        return null;
    }

    /// <summary>SECDCC_FEATURES, else the bundle's features/, else the copy the build puts beside the assembly.</summary>
    public static string FeaturesRoot(Assembly assembly) =>
        string.IsNullOrEmpty(Environment.GetEnvironmentVariable("SECDCC_FEATURES")) && BundleRoot is { } bundle
            ? Path.Combine(bundle, "features")
            : ScenarioRuntime.ResolveFeaturesRoot(assembly);

    /// <summary>A top-level folder of the bundle (rigs, reports…), or null outside one.</summary>
    public static string? BundleFolder(string name) => BundleRoot is { } bundle ? Path.Combine(bundle, name) : null;

    /// <summary>
    /// The rig files: the bundle's rigs/, else the checkout's, found above the program's folder and then above the
    /// current directory (dotnet test runs in the test assembly's folder, secdcc from anywhere in the checkout).
    /// </summary>
    public static string RigsFolder()
    {
        if (BundleFolder("rigs") is { } bundled)
            return bundled;
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "rigs");
                if (File.Exists(Path.Combine(candidate, "emulated.yaml")))
                    return candidate;
            }
        }

        throw new RigFaultException($"Cannot find the rig files (rigs/emulated.yaml) above {AppContext.BaseDirectory} or the current directory: run from a SecDcc checkout or bundle, or set SECDCC_RIGS to the folder that holds them.");
    }
}
