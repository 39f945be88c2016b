using System.Diagnostics;
using SecDcc.Steps.Support;

namespace SecDcc.Cli;

/// <summary>Renders allure-results to a single HTML file with the Allure generator pinned in reports/.</summary>
public static class ReportRenderer
{
    /// <summary>The report's index.html, or why there is none (the run's other outputs never depend on it).</summary>
    public sealed record Outcome(string? Index, string? Problem);

    public static async Task<Outcome> RenderAsync(string results, string reportDirectory, CancellationToken cancellationToken)
    {
        var reports = FindReportsDirectory();
        if (reports is null)
            return new(null, "no reports/allurerc.mjs found above the current directory or in this bundle; " +
                             "set SECDCC_REPORTS_DIR to the reports/ folder of a SecDcc checkout");
        var cli = Path.Combine(reports, "node_modules", "allure", "cli.js");
        if (!File.Exists(cli))
            return new(null, $"the Allure generator is not installed; run: npm ci --prefix {reports}");
        if (FindOnPath("node") is not { } node)
            return new(null, "node not found on PATH (the HTML report needs Node.js 20 or later)");
        var start = new ProcessStartInfo(node, [cli, "generate", results])
        {
            WorkingDirectory = reports,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SECDCC_REPORT_DIR"] = reportDirectory;
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {node} to render the report.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var index = Path.Combine(reportDirectory, "index.html");
        if (process.ExitCode != 0 || !File.Exists(index))
            return new(null, $"Allure generate exited {process.ExitCode}:{Environment.NewLine}{await stdout}{await stderr}");
        return new(index, null);
    }

    /// <summary>SECDCC_REPORTS_DIR, else a checkout above the current directory, else the bundle's reports/.</summary>
    private static string? FindReportsDirectory()
    {
        if (Environment.GetEnvironmentVariable("SECDCC_REPORTS_DIR") is { Length: > 0 } configured)
            return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "reports", "allurerc.mjs")))
                return Path.Combine(dir.FullName, "reports");
        return SuiteLayout.BundleFolder("reports") is { } bundled && File.Exists(Path.Combine(bundled, "allurerc.mjs")) ? bundled : null;
    }

    /// <summary>
    /// Looked up here rather than left to Process.Start, whose failure (a Win32Exception) would end the run after the
    /// scenarios had passed and before the matrix and evidence pack were written.
    /// </summary>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);
}
