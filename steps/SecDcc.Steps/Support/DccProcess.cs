using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace SecDcc.Steps.Support;

/// <summary>
/// The reference DCC started as a local process (the default target of a run): a fresh SQLite file, test mode
/// (so the virtual clock can be moved and device events injected), the Panel's public key so it can verify the
/// CPL, a loopback port chosen at start. Ready when /health/ready answers 200; if the process exits first, the
/// error carries its exit code and last output lines.
/// </summary>
public sealed class DccProcess : IDccTarget
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();
    private readonly string _dataDirectory;

    private DccProcess(Process process, Uri baseUrl, string dataDirectory)
    {
        _process = process;
        BaseUrl = baseUrl;
        _dataDirectory = dataDirectory;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseUrl { get; }

    /// <summary>Unknown until asked: the gateway picks its own port and reports it in /health/ready, where rigs look for it.</summary>
    public IPEndPoint? WanEndpoint => null;
    public string Description => $"reference DCC process {_process.Id} at {BaseUrl}";
    public bool HasExited => _process.HasExited;

    public Task<string?> RecentLogAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(RecentOutput);

    public string RecentOutput
    {
        get { lock (_tail) return string.Join(Environment.NewLine, _tail); }
    }

    public static Task<DccProcess> StartAsync(TimeSpan readyTimeout, CancellationToken cancellationToken) =>
        StartAsync(readyTimeout, panelPublicKeyPem: null, cancellationToken);

    /// <param name="panelPublicKeyPem">The Panel's public key (PEM) the DCC verifies CPL documents with (F2.15(a)); none means it refuses every CPL.</param>
    public static Task<DccProcess> StartAsync(TimeSpan readyTimeout, string? panelPublicKeyPem, CancellationToken cancellationToken) =>
        StartAsync(readyTimeout, panelPublicKeyPem, [], cancellationToken);

    /// <param name="extraArguments">More service switches, e.g. ["--wan-port", "0"] for a run that connects a rig.</param>
    public static async Task<DccProcess> StartAsync(TimeSpan readyTimeout, string? panelPublicKeyPem, IReadOnlyList<string> extraArguments,
        CancellationToken cancellationToken)
    {
        var dll = LocateServiceAssembly();
        var data = Path.Combine(Path.GetTempPath(), "secdcc-dcc-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(data);
        var httpPort = FreePort();
        var start = ServiceStartInfo(dll);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        foreach (var argument in new[] { "--urls", $"http://127.0.0.1:{httpPort}", "--data", Path.Combine(data, "smi.db"), "--test-mode" })
            start.ArgumentList.Add(argument);
        foreach (var argument in extraArguments) start.ArgumentList.Add(argument);
        // The SM WAN gateway on a free loopback port, so a rig can connect (SECDCC_DEVICES=rig); /health/ready names the port.
        // Emulated devices answer in milliseconds; 5 s rather than 30 s is what a device cut off mid-command costs a
        // power-cut scenario (docs/decisions/1310).
        if (!extraArguments.Contains("--wan-port"))
            foreach (var argument in new[] { "--wan-port", "0", "--wan-address", "127.0.0.1", "--wan-response-timeout", "00:00:05" }) start.ArgumentList.Add(argument);
        if (panelPublicKeyPem is not null)
        {
            var keyFile = Path.Combine(data, "panel-public.pem");
            await File.WriteAllTextAsync(keyFile, panelPublicKeyPem, cancellationToken);
            start.ArgumentList.Add("--panel-key");
            start.ArgumentList.Add(keyFile);
        }
        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Describe(start)}.");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            Directory.Delete(data, recursive: true);
            // Typically no 'dotnet' on PATH for a framework-dependent build: say which program was missing and the way out.
            throw new DccUnavailableException(
                $"Could not start the reference DCC ({Describe(start)}): {e.Message}. A framework-dependent build needs 'dotnet' on PATH; " +
                "a bundle made by 'secdcc publish' carries a self-contained one in its dcc/ folder.", e);
        }
        var dcc = new DccProcess(process, new Uri($"http://127.0.0.1:{httpPort}/"), data);
        await dcc.WaitUntilReadyAsync(readyTimeout, cancellationToken);
        return dcc;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var lastSeen = await DccReadiness.WaitAsync(BaseUrl, timeout, TimeSpan.FromMilliseconds(100),
            () => _process.HasExited
                ? $"The reference DCC exited with code {_process.ExitCode} before it was ready. Its last output:{Environment.NewLine}{RecentOutput}"
                : null,
            cancellationToken);
        if (lastSeen is not null)
            throw new DccUnavailableException(
                $"The reference DCC at {BaseUrl} was not ready within {timeout.TotalSeconds:0} s (waiting for /health/ready to answer 200; last: {lastSeen}). Its last output:{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>Explains a failed call: a DCC that went away must not look like a slow one.</summary>
    public string? ExplainUnavailable() =>
        _process.HasExited
            ? $"the reference DCC process exited with code {_process.ExitCode}. Its last output:{Environment.NewLine}{RecentOutput}"
            : null;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
        try { Directory.Delete(_dataDirectory, recursive: true); }
        catch (IOException) { /* a leftover temp folder is harmless; the OS cleans /tmp */ }
    }

    private void Remember(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > 40) _tail.Dequeue();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// How to start the service whose assembly is <paramref name="dll"/>: its own executable when it was published
    /// self-contained (the runtime's host policy lies beside it, so no .NET install is needed), else <c>dotnet dll</c>,
    /// as a checkout's build output is framework-dependent.
    /// </summary>
    public static ProcessStartInfo ServiceStartInfo(string dll)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(dll))!;
        var apphost = Path.Combine(directory, Path.GetFileNameWithoutExtension(dll));
        if (File.Exists(apphost) && File.Exists(Path.Combine(directory, "libhostpolicy.so")))
            return new ProcessStartInfo(apphost);
        return new ProcessStartInfo("dotnet") { ArgumentList = { dll } };
    }

    private static string Describe(ProcessStartInfo start) =>
        string.Join(' ', new[] { start.FileName }.Concat(start.ArgumentList.Take(start.FileName == "dotnet" ? 1 : 0)));

    /// <summary>
    /// SECDCC_DCC_DLL, else the bundle's dcc/ folder, else a dcc/ folder beside the harness, else the build output in
    /// the checkout.
    /// </summary>
    public static string LocateServiceAssembly()
    {
        const string name = "SecDcc.Dcc.Service.dll";
        if (Environment.GetEnvironmentVariable("SECDCC_DCC_DLL") is { Length: > 0 } configured)
            return File.Exists(configured) ? configured
                : throw new FileNotFoundException($"SECDCC_DCC_DLL points at '{configured}', which does not exist.");
        if (SuiteLayout.BundleFolder("dcc") is { } bundled)
            return File.Exists(Path.Combine(bundled, name)) ? Path.Combine(bundled, name)
                : throw new FileNotFoundException($"This bundle has no {Path.Combine(bundled, name)}: it is incomplete; publish it again with 'secdcc publish'.");
        var beside = Path.Combine(AppContext.BaseDirectory, "dcc", name);
        if (File.Exists(beside)) return beside;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var project = Path.Combine(dir.FullName, "reference-dcc", "SecDcc.Dcc.Service", "bin");
            if (!Directory.Exists(project)) continue;
            var candidates = Directory.GetFiles(project, name, SearchOption.AllDirectories)
                .Select(f => new FileInfo(f)).OrderByDescending(f => f.LastWriteTimeUtc).ToList();
            if (candidates.Count > 0) return candidates[0].FullName;
        }
        throw new FileNotFoundException(
            $"Cannot find {name}: build reference-dcc/SecDcc.Dcc.Service, publish it into a dcc/ folder beside the harness, or set SECDCC_DCC_DLL.");
    }
}

/// <summary>Where the scenarios find the DCC: a local process, a container, or a URL given by the user.</summary>
public interface IDccTarget : IAsyncDisposable
{
    Uri BaseUrl { get; }

    /// <summary>Where a rig's Communications Hub connects over the SM WAN; null while the DCC has no WAN gateway.</summary>
    IPEndPoint? WanEndpoint { get; }
    string Description { get; }

    /// <summary>Non-null when the DCC is known to have gone away, saying how.</summary>
    string? ExplainUnavailable();

    /// <summary>The DCC's recent log lines, attached to failed scenarios; null when the target cannot see them.</summary>
    Task<string?> RecentLogAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>The DCC could not be reached or went away: a rig fault, not a product defect.</summary>
public sealed class DccUnavailableException : SecDcc.Scenarios.RigFaultException
{
    public DccUnavailableException(string message) : base(message) { }
    public DccUnavailableException(string message, Exception inner) : base(message, inner) { }
}
