using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace SecDcc.Duis.Interop;

/// <summary>What one run of the signing tool returned.</summary>
public sealed record DuisToolResult(int ExitCode, string StandardOutput, string StandardError, TimeSpan Elapsed)
{
    /// <summary>Exit codes of tool.jar: 0 ok, 1 environment, 2 error, 3 missing key or certificate, 10 XSD or signature failure.</summary>
    public bool Succeeded => ExitCode == DuisToolExitCodes.Success;

    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalMilliseconds:F0} ms\n{StandardError}";
}

public static class DuisToolExitCodes
{
    public const int Success = 0;
    public const int Environment = 1;
    public const int Error = 2;
    public const int MissingKey = 3;
    public const int ValidationFailed = 10;
}

/// <summary>One Sign or Validate of a batch.</summary>
public sealed record DuisToolJob(DuisToolMode Mode, string InputPath, bool PreserveCounter = true, string? CertificatePemPath = null, string? PrivateKeyPemPath = null)
{
    internal IEnumerable<string> Arguments()
    {
        yield return InputPath;
        if (Mode == DuisToolMode.Sign && PreserveCounter)
        {
            yield return "--preserveCounter";
        }
        if (CertificatePemPath is not null)
        {
            yield return CertificatePemPath;
        }
        if (Mode == DuisToolMode.Sign && PrivateKeyPemPath is not null)
        {
            yield return PrivateKeyPemPath;
        }
    }
}

public enum DuisToolMode { Sign, Validate }

/// <summary>
/// Runs the DCC Boxed signing tool (tool.jar from @smartdcc/duis-sign-wrap) through Java: Sign and Validate
/// one document per call, as its command line does, or many in one JVM through drivers/interop/DuisToolBatch.java.
/// </summary>
public sealed class DuisTool
{
    public const string JarRelativePath = "node_modules/@smartdcc/duis-sign-wrap/dist/tool.jar";
    public const string BatchHelperFileName = "DuisToolBatch.java";
    public const string InstallCommand = "npm ci --prefix drivers/interop";
    private const string MainPackage = "uk.co.smartdcc.boxed.xmldsig";

    public DuisTool(string interopDirectory, string java = "java", TimeSpan? timeout = null)
    {
        InteropDirectory = interopDirectory;
        Java = java;
        Timeout = timeout ?? TimeSpan.FromSeconds(60);
        JarPath = Path.Combine(interopDirectory, JarRelativePath);
        if (!File.Exists(JarPath))
        {
            throw new FileNotFoundException($"The DCC's signing tool is not installed at {JarPath}; run '{InstallCommand}' from the repository root.", JarPath);
        }
    }

    public string InteropDirectory { get; }
    public string JarPath { get; }
    public string Java { get; }
    public TimeSpan Timeout { get; }

    /// <summary>
    /// Finds drivers/interop by walking up from <paramref name="startDirectory"/> (default: the app's base
    /// directory). Returns null with the reason when the npm packages or Java are missing.
    /// </summary>
    public static DuisTool? TryLocate(out string whyNot, string? startDirectory = null, string java = "java")
    {
        var interop = FindInteropDirectory(startDirectory ?? AppContext.BaseDirectory);
        if (interop is null)
        {
            whyNot = $"drivers/interop was not found above {startDirectory ?? AppContext.BaseDirectory}.";
            return null;
        }
        if (!File.Exists(Path.Combine(interop, JarRelativePath)))
        {
            whyNot = $"The DCC's DUIS tools are not installed in {interop}; run '{InstallCommand}' from the repository root.";
            return null;
        }
        if (!IsOnPath(java))
        {
            whyNot = $"'{java}' is not on PATH; the DCC's signing tool needs a Java runtime (e.g. apt-get install default-jre-headless).";
            return null;
        }
        whyNot = string.Empty;
        return new DuisTool(interop, java);
    }

    /// <summary>drivers/interop, found by walking up from a directory; null when there is none.</summary>
    public static string? FindInteropDirectory(string startDirectory)
    {
        for (var dir = new DirectoryInfo(startDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "drivers", "interop");
            if (File.Exists(Path.Combine(candidate, "package.json")))
            {
                return candidate;
            }
        }
        return null;
    }

    private static bool IsOnPath(string program)
    {
        if (Path.IsPathRooted(program))
        {
            return File.Exists(program);
        }
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(dir => File.Exists(Path.Combine(dir, program)));
    }

    /// <summary>Signs a file; the signed document is the result's standard output.</summary>
    public Task<DuisToolResult> SignAsync(string inputPath, bool preserveCounter, CancellationToken cancellationToken, string? certificatePemPath = null, string? privateKeyPemPath = null) =>
        RunAsync(new DuisToolJob(DuisToolMode.Sign, inputPath, preserveCounter, certificatePemPath, privateKeyPemPath), cancellationToken);

    /// <summary>Checks the XSD and the signature of a file against the tool's built-in certificates (or the one given).</summary>
    public Task<DuisToolResult> ValidateAsync(string inputPath, CancellationToken cancellationToken, string? certificatePemPath = null) =>
        RunAsync(new DuisToolJob(DuisToolMode.Validate, inputPath, CertificatePemPath: certificatePemPath), cancellationToken);

    /// <summary>Signs or validates text by way of a temporary file.</summary>
    public async Task<DuisToolResult> RunOnTextAsync(DuisToolMode mode, string xml, CancellationToken cancellationToken, bool preserveCounter = true)
    {
        var file = Path.Combine(Path.GetTempPath(), $"secdcc-duis-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(file, xml, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
        try
        {
            return await RunAsync(new DuisToolJob(mode, file, preserveCounter), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            File.Delete(file);
        }
    }

    public Task<DuisToolResult> RunAsync(DuisToolJob job, CancellationToken cancellationToken) =>
        RunProcessAsync(["-cp", JarPath, $"{MainPackage}.{job.Mode}", .. job.Arguments()], Timeout, cancellationToken);

    /// <summary>
    /// Runs many jobs in one JVM (a few seconds for all templates instead of about a second each).
    /// Results come back in job order.
    /// </summary>
    /// <remarks>
    /// The tool ends the JVM with System.exit when it cannot parse a document (exit code 2, e.g. for a
    /// DOCTYPE). That job's result is then the JVM's exit code, and the batch resumes with the next job.
    /// </remarks>
    public async Task<IReadOnlyList<DuisToolResult>> RunBatchAsync(IReadOnlyList<DuisToolJob> jobs, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        var helper = Path.Combine(InteropDirectory, BatchHelperFileName);
        if (!File.Exists(helper))
        {
            throw new FileNotFoundException($"The batch helper {helper} is missing; it is part of the repository (drivers/interop).", helper);
        }
        for (var i = 0; i < jobs.Count; i++)
        {
            if (jobs[i].Arguments().Any(a => a.Contains('\t') || a.Contains('\n')))
            {
                throw new ArgumentException($"Job {i}: paths may not contain tabs or newlines.", nameof(jobs));
            }
        }
        var work = Directory.CreateTempSubdirectory("secdcc-duis-batch-");
        try
        {
            var codes = new int?[jobs.Count];
            var elapsed = TimeSpan.Zero;
            var limit = timeout ?? Timeout + TimeSpan.FromSeconds(jobs.Count);
            var next = 0;
            while (next < jobs.Count)
            {
                var manifest = new StringBuilder();
                for (var i = next; i < jobs.Count; i++)
                {
                    manifest.Append(jobs[i].Mode).Append('\t').Append(OutPath(i)).Append('\t').Append(ErrPath(i));
                    foreach (var argument in jobs[i].Arguments())
                    {
                        manifest.Append('\t').Append(argument);
                    }
                    manifest.Append('\n');
                }
                var manifestPath = Path.Combine(work.FullName, $"jobs-{next}.tsv");
                await File.WriteAllTextAsync(manifestPath, manifest.ToString(), cancellationToken).ConfigureAwait(false);

                DuisToolResult run;
                try
                {
                    var remaining = limit - elapsed;
                    if (remaining <= TimeSpan.Zero)
                    {
                        throw new TimeoutException($"No time left after {elapsed.TotalSeconds:F0} s.");
                    }
                    run = await RunProcessAsync(["-cp", JarPath, helper, manifestPath], remaining, cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException ex)
                {
                    throw new TimeoutException($"The batch of {jobs.Count} signing-tool jobs did not finish within {limit.TotalSeconds:F0} s.", ex);
                }
                elapsed += run.Elapsed;
                var done = 0;
                foreach (var line in run.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                {
                    var parts = line.Trim().Split('\t');
                    if (parts.Length == 2
                        && int.TryParse(parts[0], CultureInfo.InvariantCulture, out var index)
                        && int.TryParse(parts[1], CultureInfo.InvariantCulture, out var code)
                        && next + index < jobs.Count)
                    {
                        codes[next + index] = code;
                        done = Math.Max(done, index + 1);
                    }
                }
                next += done;
                if (next >= jobs.Count)
                {
                    break;
                }
                if (run.ExitCode == 0 || !File.Exists(ErrPath(next)))
                {
                    throw new InvalidOperationException(
                        $"The batch run of the signing tool stopped (exit code {run.ExitCode}) before job {next} of {jobs.Count} started:\n{run.StandardError}");
                }
                codes[next] = run.ExitCode;
                next++;
            }

            var results = new List<DuisToolResult>(jobs.Count);
            for (var i = 0; i < jobs.Count; i++)
            {
                results.Add(new DuisToolResult(
                    codes[i]!.Value,
                    File.Exists(OutPath(i)) ? await File.ReadAllTextAsync(OutPath(i), cancellationToken).ConfigureAwait(false) : string.Empty,
                    File.Exists(ErrPath(i)) ? await File.ReadAllTextAsync(ErrPath(i), cancellationToken).ConfigureAwait(false) : string.Empty,
                    elapsed / Math.Max(1, jobs.Count)));
            }
            return results;
        }
        finally
        {
            work.Delete(recursive: true);
        }

        string OutPath(int i) => Path.Combine(work.FullName, $"{i}.out");
        string ErrPath(int i) => Path.Combine(work.FullName, $"{i}.err");
    }

    private async Task<DuisToolResult> RunProcessAsync(IEnumerable<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Java)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = InteropDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start '{Java}'.");
        process.StandardInput.Close();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        var stdout = process.StandardOutput.ReadToEndAsync(timeoutSource.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeoutSource.Token);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
            return new DuisToolResult(process.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false), stopwatch.Elapsed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"The signing tool ({string.Join(' ', start.ArgumentList)}) did not finish within {timeout.TotalSeconds:F0} s and was stopped.");
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }
}
