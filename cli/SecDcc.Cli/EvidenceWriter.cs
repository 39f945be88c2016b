using System.Reflection;
using SecDcc.Reports.Evidence;

namespace SecDcc.Cli;

public sealed record EvidenceOptions(FileInfo? Key, FileInfo? Cert, string Party);

/// <summary>Seals a run's results, report, matrix and the clause catalogue into a signed evidence pack.</summary>
public static class EvidenceWriter
{
    public static async Task<string> WriteAsync(string runDirectory, string featuresRoot, EvidenceOptions options,
        IReadOnlyDictionary<string, string> facts, CancellationToken cancellationToken)
    {
        var packDirectory = Path.Combine(runDirectory, "evidence");
        var pack = EvidencePack.Create(packDirectory);
        await pack.AddDirectoryAsync(Path.Combine(runDirectory, "allure-results"), "allure-results", cancellationToken);
        var report = Path.Combine(runDirectory, "allure-report");
        if (Directory.Exists(report)) await pack.AddDirectoryAsync(report, "report", cancellationToken);
        foreach (var file in new[] { "clauses.yaml", "sources.yaml" })
            if (File.Exists(Path.Combine(featuresRoot, file)))
                await pack.AddFileAsync(Path.Combine(featuresRoot, file), "catalogue/" + file, cancellationToken);

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
