using System.Diagnostics;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace SecDcc.Cli.Tests;

/// <summary>
/// The published bundle as a bench uses it: unpacked outside any checkout, run with an environment that has no
/// .NET at all (PATH holds an empty folder, no DOTNET_ROOT, HOME a temporary folder). Publishing takes minutes, so
/// this test takes a bundle made beforehand: .ci/run publishes one and runs this test with SECDCC_BUNDLE set to its
/// .tar.gz (`./secdcc publish`, then `SECDCC_BUNDLE=$PWD/out/bundle/secdcc-…-linux-x64.tar.gz dotnet test
/// cli/SecDcc.Cli.Tests --filter TestCategory=Bundle`).
/// </summary>
[TestFixture, Category("Bundle"), NonParallelizable]
public sealed class BundleTests
{
    private const string Variable = "SECDCC_BUNDLE";
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(20);
    private string _work = "";
    private string _bundle = "";
    private string _path = "";

    [OneTimeSetUp]
    public async Task Unpack()
    {
        var archive = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(archive))
            Assert.Ignore($"No bundle to test: set {Variable} to the .tar.gz that './secdcc publish' writes (.ci/run does).");
        // dotnet test runs in the build output, so a relative path would not mean what the caller meant.
        Assert.That(Path.IsPathRooted(archive), Is.True, $"{Variable} must be an absolute path; it is '{archive}'.");
        Assert.That(File.Exists(archive), Is.True, $"{Variable} names {archive}, which does not exist.");

        _work = Directory.CreateTempSubdirectory("secdcc-bundle-test-").FullName;
        Assert.That(Above(_work, "SecDcc.Tests.sln"), Is.Null, "the test folder must lie outside any checkout");
        var tar = await Run("tar", ["-xzf", archive, "-C", _work], Environment.CurrentDirectory, inherit: true);
        Assert.That(tar.ExitCode, Is.EqualTo(0), tar.Output);
        var unpacked = Directory.GetDirectories(_work, "secdcc-*-linux-x64");
        Assert.That(unpacked, Has.Length.EqualTo(1), "the archive holds one secdcc-<version>-linux-x64 folder");
        _bundle = unpacked[0];

        // The only folder on PATH is empty: no dotnet, and no node, so the report cannot be rendered.
        _path = Directory.CreateDirectory(Path.Combine(_work, "empty-bin")).FullName;
    }

    [OneTimeTearDown]
    public void Delete()
    {
        if (_work.Length > 0) Directory.Delete(_work, recursive: true);
    }

    [Test]
    public async Task A_clause_runs_without_the_sdk_and_its_matrix_and_evidence_pack_follow()
    {
        var output = Path.Combine(_work, "run");

        var run = await Bundle("run", "--tags", "AC-4.12", "--out", output);

        Assert.That(run.ExitCode, Is.EqualTo(0), run.Output);
        var counts = Regex.Match(run.Stdout, @"^(\d+) passed, (\d+) failed, (\d+) skipped", RegexOptions.Multiline);
        Assert.That(counts.Success, Is.True, run.Output);
        Assert.That(int.Parse(counts.Groups[1].Value), Is.GreaterThan(0), run.Output);
        Assert.That(counts.Groups[2].Value, Is.EqualTo("0"), run.Output);
        Assert.That(run.Stdout, Does.Contain($"from {Path.Combine(_bundle, "features")}"), "the scenarios come from the bundle's features/");
        Assert.That(run.Stdout, Does.Contain("DCC: reference DCC process"));
        Assert.That(run.Stdout, Does.Contain("Verdict: PASS"));
        Assert.That(run.Stderr, Does.Contain("Report not rendered: node not found on PATH"), "without node the run says why there is no report");
        Assert.That(File.Exists(Path.Combine(output, "allure-report", "clause-matrix.html")), Is.True, "clause matrix");
        Assert.That(File.Exists(Path.Combine(output, "evidence", "manifest.json")), Is.True, "evidence pack");

        var verify = await Bundle("evidence", "verify", Path.Combine(output, "evidence"));

        Assert.That(verify.ExitCode, Is.EqualTo(0), verify.Output);

        // From a directory with no features/ of its own, the matrix command takes the bundle's clause catalogue.
        var matrix = await Bundle("matrix", "--results", Path.Combine(output, "allure-results"), "--out", Path.Combine(_work, "matrix"));

        Assert.That(matrix.ExitCode, Is.EqualTo(0), matrix.Output);
        Assert.That(Regex.Match(matrix.Stdout, @"Clause matrix: (\d+) clauses").Groups[1].Value, Is.Not.Empty.And.Not.EqualTo("0"), matrix.Output);
        Assert.That(File.Exists(Path.Combine(_work, "matrix", "clause-matrix.html")), Is.True, matrix.Output);
    }

    [Test]
    public async Task Docker_from_a_bundle_says_it_needs_a_checkout()
    {
        var run = await Bundle("run", "--dcc", "docker", "--tags", "AC-4.12", "--out", Path.Combine(_work, "docker-run"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.Output);
        Assert.That(run.Stderr, Does.Contain("--dcc docker builds the reference DCC's image from a SecDcc checkout with the .NET SDK"));
    }

    private Task<Result> Bundle(params string[] arguments) =>
        Run(Path.Combine(_bundle, "secdcc"), arguments, _work, inherit: false);

    private async Task<Result> Run(string program, string[] arguments, string directory, bool inherit)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (!inherit)
        {
            // env -i: nothing of this test's .NET environment (DOTNET_ROOT, the SDK on PATH, MSBuild's variables) leaks in.
            start.Environment.Clear();
            start.Environment["PATH"] = _path;
            start.Environment["HOME"] = _work;
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(Limit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{program} {string.Join(' ', arguments)} did not finish within {Limit.TotalMinutes} minutes:\n{await stdout}\n{await stderr}");
        }
        return new Result(process.ExitCode, await stdout, await stderr);
    }

    private static string? Above(string start, string file)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, file)))
                return dir.FullName;
        return null;
    }

    private sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        public string Output => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
    }
}
