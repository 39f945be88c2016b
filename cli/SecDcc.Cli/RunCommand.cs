using System.CommandLine;
using System.Diagnostics;
using SecDcc.Reports.Matrix;
using SecDcc.Rigs.Model;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Cli;

/// <summary>
/// <c>secdcc run</c>: the main job. Runs the conformance scenarios in-process through the same runtime the
/// NUnit host uses, writes Allure results, renders the report, and ends with the verdict and the paths.
/// </summary>
public static class RunCommand
{
    public static Command Create()
    {
        var tags = new Option<string[]>("--tags")
        {
            Description = "Run only scenarios carrying any of these tags, e.g. --tags AC-4.12 F2.14 (with or without '@').",
            AllowMultipleArgumentsPerToken = true,
        };
        var output = new Option<DirectoryInfo>("--out")
        {
            Description = "Directory for this run's results, report and evidence (default: out/runs/<timestamp>).",
        };
        var render = new Option<bool>("--no-report") { Description = "Write Allure results but do not render the HTML report." };
        var key = new Option<FileInfo>("--key") { Description = "The testing party's private key (PKCS#8 PEM) that signs the evidence pack." };
        var cert = new Option<FileInfo>("--cert") { Description = "The certificate (PEM) of --key." };
        var party = new Option<string>("--party")
        {
            Description = "The testing party named in the evidence pack (with no --key, it is signed by a new self-signed certificate).",
            DefaultValueFactory = _ => "SecDcc test run",
        };
        var dcc = new Option<string>("--dcc")
        {
            Description = "The DCC under test: 'local' (the reference DCC as a local process, the default), 'docker' (the reference DCC in a container), or the base URL of a running DCC in test mode.",
            DefaultValueFactory = _ => "local",
        };
        var rig = new Option<FileInfo>("--rig")
        {
            Description = $"The rig under test: an emulated rig file whose Device Models play the devices' side and whose devices the bench and Trust Anchor scenarios check (default: ${RigUnderTest.Variable}, else rigs/{RigUnderTest.DefaultFile}).",
        };
        var expectQuirks = new Option<bool>("--expect-quirks")
        {
            Description = "A self-check of the harness: exit 0 only when the clauses that failed are exactly those the rig's quirks declare broken (rigs/SecDcc.Rigs/Model/Quirks.cs).",
        };
        var command = new Command("run", "Run the conformance suite and produce its report, clause matrix and signed evidence pack.")
        {
            tags, output, render, key, cert, party, dcc, rig, expectQuirks,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(
            parse.GetValue(tags) ?? [], parse.GetValue(output), !parse.GetValue(render),
            new EvidenceOptions(parse.GetValue(key), parse.GetValue(cert), parse.GetValue(party)!), parse.GetValue(dcc)!,
            parse.GetValue(rig), parse.GetValue(expectQuirks), cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] tags, DirectoryInfo? output, bool renderReport, EvidenceOptions evidence,
        string dcc, FileInfo? rigFile, bool expectQuirks, CancellationToken cancellationToken)
    {
        if ((evidence.Key is null) != (evidence.Cert is null))
        {
            Console.Error.WriteLine("Give --key and --cert together (the private key and its certificate), or neither.");
            return 2;
        }

        // The rig is checked before anything is written, so a bad rig file leaves no half-made run behind.
        if (rigFile is not null)
            Environment.SetEnvironmentVariable(RigUnderTest.Variable, rigFile.FullName);
        RigDefinition rig;
        try
        {
            var path = RigUnderTest.FilePath;
            var (loaded, error) = RigUnderTest.TryLoad(path);
            if (loaded is null)
            {
                Console.Error.WriteLine(error);
                return 2;
            }

            rig = loaded;
            Environment.SetEnvironmentVariable(RigUnderTest.Variable, path);
        }
        catch (RigFaultException e)
        {
            Console.Error.WriteLine(e.Message);
            return 2;
        }

        var devicesSide = Environment.GetEnvironmentVariable(RigDeviceSide.Variable);
        if (string.IsNullOrEmpty(devicesSide))
            Environment.SetEnvironmentVariable(RigDeviceSide.Variable, devicesSide = "rig");
        var runDirectory = output?.FullName ?? Path.Combine(Directory.GetCurrentDirectory(), "out", "runs", DateTime.UtcNow.ToString("yyyyMMdd-HHmmss"));
        var results = Path.Combine(runDirectory, "allure-results");
        Directory.CreateDirectory(results);

        var assembly = typeof(SecDcc.Steps.ConformanceScenarios).Assembly;
        var featuresRoot = SuiteLayout.FeaturesRoot(assembly);
        var runtime = new ScenarioRuntime(BindingRegistry.FromAssemblies(assembly), featuresRoot, results);
        if (!ChooseDcc(dcc, runtime)) return 2;
        var wanted = tags.Select(t => t.TrimStart('@')).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var scenarios = FeatureLoader.LoadDirectory(featuresRoot)
            .SelectMany(f => f.Cases)
            .Where(c => wanted.Count == 0 || c.Tags.Any(wanted.Contains))
            .ToList();

        Console.WriteLine($"SecDcc run: {scenarios.Count} scenario(s) from {featuresRoot}");
        Console.WriteLine($"Rig under test: {rig.Name} ({rig.SourcePath}); devices' side: {(devicesSide == "rig" ? "the rig, over the DCC's SM WAN gateway" : $"{devicesSide} ({RigDeviceSide.Variable})")}");
        foreach (var line in RigUnderTest.Describe(rig))
            Console.WriteLine("  " + line);
        RigUnderTest.Record(rig, runtime.TestRun.Environment);
        runtime.TestRun.Environment["Devices' side"] = devicesSide;
        if (scenarios.Count == 0)
        {
            Console.Error.WriteLine(wanted.Count == 0
                ? "No scenarios found: the features directory is empty."
                : $"No scenario carries any of the tags {string.Join(", ", wanted)}. Tags look like AC-4.12 or F2.14; see features/clauses.yaml.");
            return 2;
        }

        var clock = Stopwatch.StartNew();
        var counts = new Dictionary<StepStatus, int>();
        var index = 0;
        foreach (var scenario in scenarios)
        {
            var result = await runtime.RunAsync(scenario, cancellationToken);
            counts[result.Status] = counts.GetValueOrDefault(result.Status) + 1;
            index++;
            Console.WriteLine($"[{index,4}/{scenarios.Count}] {Label(result.Status),-9} {scenario.FeatureFile}:{scenario.Line}  {scenario.DisplayName}");
            if (result.Status is not (StepStatus.Passed or StepStatus.Ignored or StepStatus.Pending))
                Console.WriteLine("            " + (AllureScenarioReporter.Message(result.Status, result.Message).Split('\n')[0]));
        }
        var dccDescription = runtime.TestRun.TryGet<DccRun>(DccRun.Key, out var dccRun) ? dccRun!.Target.Description : "not started";
        var imageDigest = dccRun?.Target is DockerDccTarget docker ? docker.ImageDigest : null;
        await runtime.FinishAsync();
        clock.Stop();

        var passed = counts.GetValueOrDefault(StepStatus.Passed);
        var skipped = counts.GetValueOrDefault(StepStatus.Ignored) + counts.GetValueOrDefault(StepStatus.Pending);
        var failed = scenarios.Count - passed - skipped;
        Console.WriteLine();
        Console.WriteLine($"{passed} passed, {failed} failed, {skipped} skipped in {clock.Elapsed.TotalSeconds:0.0} s");
        Console.WriteLine($"DCC: {dccDescription}");
        Console.WriteLine($"Allure results: {results}");

        var reportDirectory = Path.Combine(runDirectory, "allure-report");
        ReportRenderer.Outcome? report = null;
        if (renderReport)
        {
            report = await ReportRenderer.RenderAsync(results, reportDirectory, cancellationToken);
            if (report.Index is not null) Console.WriteLine($"Report: {report.Index}");
        }

        // The matrix sits beside the report so the report's clause links (clause-matrix.html#AC-4.12) resolve.
        var catalogue = Path.Combine(featuresRoot, "clauses.yaml");
        var matrix = await ClauseMatrixReport.GenerateAsync(results, catalogue, reportDirectory, TimeProvider.System, cancellationToken);
        Console.WriteLine($"Clause matrix: {matrix.HtmlPath}");
        var oneSided = matrix.Matrix.OneSided;
        Console.WriteLine($"Clause sides: {matrix.Matrix.TwoSidedCount} clause(s) with rule-met and rule-broken scenarios, " +
                          $"{oneSided.Count(o => o.Explained)} one-sided with a reason, {oneSided.Count(o => !o.Explained)} one-sided without");
        if (report?.Problem is { } problem)
            Console.Error.WriteLine($"Report not rendered: {problem}. Allure results are in {results}; the clause matrix HTML is {matrix.HtmlPath}.");

        var quirks = QuirkSelfCheck.QuirksOf(rig);
        QuirkSelfCheck? selfCheck = null;
        if (quirks.Count > 0 || expectQuirks)
        {
            selfCheck = SelfCheck(quirks, matrix.Matrix);
            var lines = selfCheck.Describe().ToList();
            Console.WriteLine();
            lines.ForEach(Console.WriteLine);
            await File.WriteAllLinesAsync(Path.Combine(runDirectory, SelfCheckFile), lines, cancellationToken);
        }

        var pack = await EvidenceWriter.WriteAsync(runDirectory, featuresRoot, evidence, RigUnderTest.Files(rig),
            new Dictionary<string, string>
            {
                ["rig"] = rig.Name,
                ["rigFile"] = rig.SourcePath,
                ["rigDevices"] = string.Join("; ", RigUnderTest.Describe(rig)),
                ["devicesSide"] = devicesSide,
                ["quirkSelfCheck"] = selfCheck is null ? "(the rig carries no quirks)" : selfCheck.Matches ? "match" : "mismatch",
                ["scenarios"] = scenarios.Count.ToString(),
                ["passed"] = passed.ToString(),
                ["failed"] = failed.ToString(),
                ["skipped"] = skipped.ToString(),
                ["tags"] = wanted.Count == 0 ? "(all)" : string.Join(" ", wanted),
                ["dcc"] = dccDescription,
                ["dccImageDigest"] = imageDigest ?? "(not in Docker)",
            }, cancellationToken);
        Console.WriteLine($"Evidence pack: {pack}");
        Console.WriteLine(failed == 0 ? "Verdict: PASS" : "Verdict: FAIL");
        if (expectQuirks)
        {
            // The self-check is the verdict that matters here: the failures are the expected ones, or the harness is wrong.
            Console.WriteLine(selfCheck!.Matches
                ? "Expected quirks: MATCH, exit 0 (the run failed exactly the clauses the rig's quirks declare)"
                : "Expected quirks: MISMATCH, exit 1");
            return selfCheck.Matches ? 0 : 1;
        }

        return failed == 0 ? 0 : 1;
    }

    public const string SelfCheckFile = "quirk-self-check.txt";

    /// <summary>The rig's declared clauses against the matrix: failing or broken clauses count as failed.</summary>
    private static QuirkSelfCheck SelfCheck(IReadOnlyList<(string Device, Quirk Quirk)> quirks, ClauseMatrix matrix)
    {
        var failed = matrix.Rows.Where(r => r.Verdict is ClauseVerdict.Failing or ClauseVerdict.Broken).Select(r => r.Clause.Id);
        var ran = matrix.Rows.Where(r => r.Scenarios.Count > 0).Select(r => r.Clause.Id).ToHashSet(StringComparer.Ordinal);
        return QuirkSelfCheck.Compare(quirks, failed, ran, c => ClauseIds.AncestorsOf(c).Where(matrix.Catalogue.Contains));
    }

    /// <summary>local: the bindings start the reference DCC; docker: this command supplies a container; else a URL.</summary>
    private static bool ChooseDcc(string dcc, ScenarioRuntime runtime)
    {
        switch (dcc)
        {
            case "local":
                return true;
            case "docker":
                var root = RepositoryRoot();
                if (root is null)
                {
                    Console.Error.WriteLine(SuiteLayout.BundleRoot is null
                        ? "--dcc docker builds the reference DCC's image from a SecDcc checkout: run from inside one (no reference-dcc/Dockerfile found above the current directory)."
                        : "--dcc docker builds the reference DCC's image from a SecDcc checkout with the .NET SDK, which this bundle does not carry. " +
                          "Use the bundle's own reference DCC (--dcc local, the default), or start the DCC's image on a Docker host and pass its URL (--dcc http://HOST:8080/).");
                    return false;
                }
                runtime.TestRun.GetOrAdd(DccTargetFactory.Key,
                    () => new DccTargetFactory((panelKey, ready, ct) => DockerDccTarget.StartAsync(root, panelKey, ready, ct)));
                return true;
            default:
                if (!Uri.TryCreate(dcc, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
                {
                    Console.Error.WriteLine($"--dcc '{dcc}' is neither 'local', 'docker' nor an http(s) URL of a running DCC.");
                    return false;
                }
                Environment.SetEnvironmentVariable("SECDCC_DCC_URL", url.ToString());
                return true;
        }
    }

    private static string? RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "reference-dcc", "Dockerfile")))
                return dir.FullName;
        return null;
    }

    private static string Label(StepStatus status) => status switch
    {
        StepStatus.Passed => "PASS",
        StepStatus.Failed => "FAIL",
        StepStatus.RigFault => "RIG-FAULT",
        StepStatus.Ignored or StepStatus.Pending => "SKIP",
        _ => "BROKEN",
    };
}
