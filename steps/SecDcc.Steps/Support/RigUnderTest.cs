using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;

namespace SecDcc.Steps.Support;

/// <summary>
/// The rig under test: the rig file whose Device Models play the devices' side (<see cref="RigDeviceSide"/>) and
/// whose devices the "rig under test" conformance scenarios check. <c>SECDCC_RIG</c> names it (<c>secdcc run --rig</c>
/// sets it, and <c>dotnet test</c> reads the same variable); unset, it is the checkout's rigs/emulated.yaml. This is
/// the one place the variable is read. Scenarios that show the harness catching a known-bad device start their own
/// named rigs instead (<c>Given the emulated rig "emulated-bench-quirks" is running</c>).
/// </summary>
public static class RigUnderTest
{
    public const string Variable = "SECDCC_RIG";

    public const string DefaultFile = "emulated.yaml";

    private static readonly Lock Gate = new();
    private static (string Path, RigDefinition Rig)? _loaded;

    /// <summary>
    /// The rig file the variable names, or the checkout's rigs/emulated.yaml. A relative name is taken from the current
    /// directory, else from the checkout's root: dotnet test runs in the test assembly's folder, where rigs/… is not.
    /// </summary>
    public static string FilePath
    {
        get
        {
            if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } given)
                return System.IO.Path.Combine(SuiteLayout.RigsFolder(), DefaultFile);
            var here = System.IO.Path.GetFullPath(given);
            if (System.IO.Path.IsPathRooted(given) || File.Exists(here))
                return here;
            var fromCheckout = System.IO.Path.GetFullPath(System.IO.Path.Combine(SuiteLayout.RigsFolder(), "..", given));
            return File.Exists(fromCheckout) ? fromCheckout : here;
        }
    }

    /// <summary>The rig under test, loaded once per file; a file that does not load, or a real bench, is a rig fault.</summary>
    public static RigDefinition Definition
    {
        get
        {
            var path = FilePath;
            lock (Gate)
            {
                if (_loaded is { } loaded && loaded.Path == path)
                    return loaded.Rig;
                var (rig, error) = TryLoad(path);
                if (rig is null)
                    throw new Scenarios.RigFaultException(error!);
                _loaded = (path, rig);
                return rig;
            }
        }
    }

    /// <summary>
    /// Loads a rig file for use as the rig under test: it must load, and be emulated, because the devices' side starts
    /// its Device Models in this process and the bench scenarios drive a simulated GPIO bank. The error says what was
    /// wrong and how to fix it.
    /// </summary>
    public static (RigDefinition? Rig, string? Error) TryLoad(string path)
    {
        if (!File.Exists(path))
            return (null, $"There is no rig file {path}; give a rig file such as rigs/emulated.yaml or rigs/emulated-quirky.yaml ({Variable} or secdcc run --rig).");
        RigDefinition rig;
        try
        {
            // Port paths are not checked here: a real bench's would not exist on this machine, and its error below is the one that helps.
            rig = RigFile.Load(path, new RigLoadOptions { CheckPortPaths = false });
        }
        catch (RigFileException e)
        {
            return (null, $"The rig file {path} does not load:{Environment.NewLine}{e.Message}");
        }

        if (!rig.IsEmulated)
        {
            return (null, $"{path} is a real bench (its CHF is on {rig.Chf.Port}). The rig under test plays the devices' side of every scenario in this process, which only emulated devices can do ('port: emulated'); " +
                "check a real bench with 'secdcc-emulator selftest' and 'secdcc ppc run' instead.");
        }

        return (rig, null);
    }

    /// <summary>One line per device, for the run's output, the report's environment and the evidence pack.</summary>
    public static IEnumerable<string> Describe(RigDefinition rig) =>
        rig.Devices.Select(d =>
            $"{d.Name} {d.Type} {d.Id}: {d.Model.Manufacturer} {d.Model.Model} firmware {d.Model.FirmwareVersion} ({System.IO.Path.GetFileName(d.Model.SourcePath)})" +
            (d.Model.Quirks.All.Count > 0 ? $", quirks: {d.Model.Quirks}" : string.Empty));

    /// <summary>The rig under test in a run's report environment: its name and file, and each device with its Device Model.</summary>
    public static void Record(RigDefinition rig, IDictionary<string, string> environment)
    {
        environment["Rig under test"] = $"{rig.Name} ({rig.SourcePath})";
        foreach (var (device, line) in rig.Devices.Zip(Describe(rig)))
            environment[$"Rig device {device.Name}"] = line;
    }

    /// <summary>The files the rig under test is made of: the rig file, its Device Model files and its Trust Anchor tables.</summary>
    public static IReadOnlyList<string> Files(RigDefinition rig) =>
        new[] { rig.SourcePath }
            .Concat(rig.Devices.Select(d => d.Model.SourcePath))
            .Concat(new[] { rig.TrustAnchors.CellsFile, rig.TrustAnchors.ConsentsFile }.OfType<string>())
            .Select(p => System.IO.Path.GetFullPath(p))
            .Distinct(StringComparer.Ordinal)
            .ToList();
}
