using System.Reflection;
using SecDcc.Reports.Evidence;

namespace SecDcc.Cli;

public sealed record EvidenceOptions(FileInfo? Key, FileInfo? Cert, string Party);

/// <summary>Seals a run's results, report, matrix and the clause catalogue into a signed evidence pack.</summary>
public static class EvidenceWriter
{
    /// <param name="rigFiles">The rig under test's files (rig file, Device Model files, Trust Anchor tables), filed under rig/.</param>
    public static async Task<string> WriteAsync(string runDirectory, string featuresRoot, EvidenceOptions options,
        IReadOnlyList<string> rigFiles, IReadOnlyDictionary<string, string> facts, CancellationToken cancellationToken)
    {
        var packDirectory = Path.Combine(runDirectory, "evidence");
        var pack = EvidencePack.Create(packDirectory);
        await pack.AddDirectoryAsync(Path.Combine(runDirectory, "allure-results"), "allure-results", cancellationToken);
        var report = Path.Combine(runDirectory, "allure-report");
        if (Directory.Exists(report)) await pack.AddDirectoryAsync(report, "report", cancellationToken);
        foreach (var file in new[] { "clauses.yaml", "sources.yaml" })
            if (File.Exists(Path.Combine(featuresRoot, file)))
                await pack.AddFileAsync(Path.Combine(featuresRoot, file), "catalogue/" + file, cancellationToken);

        // Named relative to the rig file's folder (models/…, trust-anchors/…), as the rig file refers to them.
        var rigFolder = rigFiles.Count > 0 ? Path.GetDirectoryName(rigFiles[0])! : runDirectory;
        foreach (var file in rigFiles)
        {
            var relative = Path.GetRelativePath(rigFolder, file);
            var name = relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFileName(file) : relative.Replace('\\', '/');
            await pack.AddFileAsync(file, "rig/" + name, cancellationToken);
        }

        var selfCheck = Path.Combine(runDirectory, RunCommand.SelfCheckFile);
        if (File.Exists(selfCheck)) await pack.AddFileAsync(selfCheck, RunCommand.SelfCheckFile, cancellationToken);

        using var signer = options.Cert is null
            ? EvidenceSigner.CreateSelfSigned(options.Party, TimeProvider.System)
            : EvidenceSigner.LoadPem(options.Cert.FullName, options.Key!.FullName);
        await pack.SealAsync(signer, new EvidenceRunInfo(options.Party, ToolVersion()) { Properties = facts }, TimeProvider.System, cancellationToken);
        return pack.Directory;
    }

    public static string ToolVersion() =>
        typeof(EvidenceWriter).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(EvidenceWriter).Assembly.GetName().Version?.ToString()
        ?? "unknown";
}
