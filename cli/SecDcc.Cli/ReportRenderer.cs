using System.Diagnostics;

namespace SecDcc.Cli;

/// <summary>Renders allure-results to a single HTML file with the Allure generator pinned in reports/.</summary>
public static class ReportRenderer
{
    public static async Task<string?> RenderAsync(string results, string reportDirectory, CancellationToken cancellationToken)
    {
        var reports = FindReportsDirectory();
        if (reports is null)
        {
            Console.Error.WriteLine("Cannot render the report: no reports/allurerc.mjs found above the current directory. " +
                                    "Set SECDCC_REPORTS_DIR to the reports/ folder of a SecDcc checkout.");
            return null;
        }
        var cli = Path.Combine(reports, "node_modules", "allure", "cli.js");
        if (!File.Exists(cli))
        {
            Console.Error.WriteLine($"Cannot render the report: the Allure generator is not installed. Run: npm ci --prefix {reports}");
            return null;
        }
        var start = new ProcessStartInfo("node", [cli, "generate", results])
        {
            WorkingDirectory = reports,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["SECDCC_REPORT_DIR"] = reportDirectory;
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException("Could not start node to render the report; is Node.js installed?");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        var index = Path.Combine(reportDirectory, "index.html");
        if (process.ExitCode != 0 || !File.Exists(index))
        {
            Console.Error.WriteLine($"Allure generate exited {process.ExitCode}:{Environment.NewLine}{await stdout}{await stderr}");
            return null;
        }
        return index;
    }

    private static string? FindReportsDirectory()
    {
        if (Environment.GetEnvironmentVariable("SECDCC_REPORTS_DIR") is { Length: > 0 } configured)
            return Path.GetFullPath(configured);
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "reports", "allurerc.mjs")))
                return Path.Combine(dir.FullName, "reports");
        return null;
    }
}
