using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using SecDcc.Steps.Support;

namespace SecDcc.Cli.Ppc;

/// <summary>
/// The reference DCC as a child process for one PPC run: its own SQLite file, test mode (the /wan/requests endpoint and
/// the clock), the run's Panel key so it accepts the run's CPL, and the SM WAN gateway on a port it picks itself.
/// </summary>
public sealed class LocalDcc : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _tail = new();

    private LocalDcc(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseUrl { get; }

    public string RecentOutput
    {
        get { lock (_tail) return string.Join(Environment.NewLine, _tail); }
    }

    /// <exception cref="DccUnavailableException">The service could not be found, exited, or was not ready in time.</exception>
    public static async Task<LocalDcc> StartAsync(string directory, string panelPublicKeyPem, CancellationToken ct)
    {
        string dll;
        try
        {
            dll = DccProcess.LocateServiceAssembly();
        }
        catch (FileNotFoundException e)
        {
            throw new DccUnavailableException(e.Message, e);
        }
        Directory.CreateDirectory(directory);
        var keyFile = Path.Combine(directory, "panel-public.pem");
        await File.WriteAllTextAsync(keyFile, panelPublicKeyPem, ct);
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                dll, "--urls", $"http://127.0.0.1:{port}", "--data", Path.Combine(directory, "smi.db"), "--test-mode",
                "--panel-key", keyFile, "--wan-port", "0", "--wan-address", "127.0.0.1",
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var process = Process.Start(start) ?? throw new DccUnavailableException($"Could not start 'dotnet {dll}': check that the dotnet host is on PATH.");
        var dcc = new LocalDcc(process, new Uri($"http://127.0.0.1:{port}/"));
        var lastSeen = await DccReadiness.WaitAsync(dcc.BaseUrl, TimeSpan.FromSeconds(60), TimeSpan.FromMilliseconds(100),
            () => process.HasExited ? $"The reference DCC exited with code {process.ExitCode} before it was ready. Its last output:{Environment.NewLine}{dcc.RecentOutput}" : null, ct);
        if (lastSeen is not null)
        {
            await dcc.DisposeAsync();
            throw new DccUnavailableException($"The reference DCC at {dcc.BaseUrl} was not ready within 60 s (last: {lastSeen}). Its last output:{Environment.NewLine}{dcc.RecentOutput}");
        }
        return dcc;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
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
}
