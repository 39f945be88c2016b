using System.CommandLine;
using SecDcc.Reports.Matrix;
using SecDcc.Steps.Support;

namespace SecDcc.Cli;

/// <summary>
/// <c>secdcc matrix</c>: clause → scenarios → outcome, from a run's Allure results and the clause catalogue,
/// written as clause-matrix.json and a self-contained clause-matrix.html.
/// </summary>
public static class MatrixCommand
{
    public static Command Create()
    {
        var results = new Option<DirectoryInfo>("--results")
        {
            Description = "The run's allure-results directory (e.g. out/runs/<timestamp>/allure-results).",
            Required = true,
        };
        var catalogue = new Option<FileInfo>("--catalogue")
        {
            Description = "The clause catalogue (default: features/clauses.yaml).",
            DefaultValueFactory = _ => DefaultCatalogue(),
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Where to write clause-matrix.json and clause-matrix.html; use the Allure report's directory so its clause links resolve.",
            Required = true,
        };
        var strict = new Option<bool>("--strict")
        {
            Description = "Exit 1 when a result cites a clause tag the catalogue does not list, or a testable clause lacks a rule-met or a rule-broken scenario and the catalogue gives no oneSided reason.",
        };
        var command = new Command("matrix", "Build the clause matrix from Allure results and the clause catalogue.") { results, catalogue, output, strict };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(results)!, parse.GetValue(catalogue)!, parse.GetValue(output)!, parse.GetValue(strict), cancellationToken));
        return command;
    }

    /// <summary>features/clauses.yaml under the current directory (a checkout), else the bundle's.</summary>
    private static FileInfo DefaultCatalogue()
    {
        var local = new FileInfo(Path.Combine("features", "clauses.yaml"));
        return !local.Exists && SuiteLayout.BundleFolder("features") is { } bundled ? new FileInfo(Path.Combine(bundled, "clauses.yaml")) : local;
    }

    private static async Task<int> RunAsync(DirectoryInfo results, FileInfo catalogue, DirectoryInfo output, bool strict, CancellationToken cancellationToken)
    {
        ClauseMatrixReport.Output report;
        try
        {
            report = await ClauseMatrixReport.GenerateAsync(results.FullName, catalogue.FullName, output.FullName, TimeProvider.System, cancellationToken);
        }
        catch (CatalogueException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidDataException)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var matrix = report.Matrix;
        var counts = matrix.CountByVerdict();
        Console.WriteLine($"Clause matrix: {matrix.Rows.Count} clauses ({matrix.Rows.Count(r => r.Clause.Testable)} testable) from {matrix.ScenarioCount} scenario result(s)");
        Console.WriteLine("  " + string.Join("   ", counts.Select(c => $"{MatrixNames.Describe(c.Key).ToLowerInvariant()}: {c.Value}")));
        foreach (var verdict in new[] { ClauseVerdict.Failing, ClauseVerdict.Broken })
        {
            var ids = matrix.Rows.Where(r => r.Verdict == verdict).Select(r => r.Clause.Id).ToList();
            if (ids.Count > 0) Console.WriteLine($"  {MatrixNames.Describe(verdict)}: {string.Join(", ", ids)}");
        }
        if (matrix.Unknown.Count > 0)
        {
            Console.Error.WriteLine($"{matrix.Unknown.Count} clause tag(s) in the results are not in {catalogue.FullName}:");
            foreach (var unknown in matrix.Unknown)
                Console.Error.WriteLine($"  {unknown.Tag}{(unknown.DidYouMean is { } meant ? $" (did you mean {meant}?)" : "")} – cited by " +
                                        string.Join("; ", unknown.Scenarios.Select(s => s.FullName ?? s.Name)));
        }
        if (matrix.Uncited.Count > 0)
            Console.WriteLine($"  {matrix.Uncited.Count} scenario(s) cite no clause.");
        var oneSided = matrix.OneSided;
        var unexplained = oneSided.Where(o => !o.Explained).ToList();
        Console.WriteLine($"  rule-met and rule-broken scenarios: {matrix.TwoSidedCount} clause(s) have both, " +
                          $"{oneSided.Count(o => o.Explained)} one-sided with a reason, {unexplained.Count} one-sided without");
        if (unexplained.Count > 0)
            Console.WriteLine("  One-sided without a reason: " + string.Join(", ", unexplained.Select(o => o.Row.Clause.Id)));
        IReadOnlyList<string> problems = strict ? matrix.StrictProblems() : [];
        if (problems.Count > 0)
        {
            Console.Error.WriteLine($"--strict: {problems.Count} problem(s):");
            foreach (var problem in problems) Console.Error.WriteLine($"  {problem}");
        }
        Console.WriteLine($"Wrote {report.JsonPath}");
        Console.WriteLine($"Wrote {report.HtmlPath}");
        return problems.Count > 0 ? 1 : 0;
    }
}
