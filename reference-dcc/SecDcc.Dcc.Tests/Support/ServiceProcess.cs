using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>
/// The reference DCC service as its own process (<c>dotnet SecDcc.Dcc.Service.dll</c>) on a free loopback port, waited on
/// through /health/ready with a deadline. Disposing kills it if it is still running.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServiceProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(30) };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>The built service dll, found beside this test assembly's configuration and framework folders.</summary>
    public static string ServiceDll()
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var tfm = testBin.Name;
        var configuration = testBin.Parent!.Name;
        var referenceDcc = testBin.Parent.Parent!.Parent!.Parent!.FullName;
        var dll = Path.Combine(referenceDcc, "SecDcc.Dcc.Service", "bin", configuration, tfm, "SecDcc.Dcc.Service.dll");
        if (!File.Exists(dll))
            throw new FileNotFoundException($"The service is not built at {dll}; build SecDcc.Dcc.Tests (it references the service project) or the service itself.", dll);
        return dll;
    }

    public static async Task<ServiceProcess> StartAsync(IEnumerable<string> args, CancellationToken ct)
    {
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(ServiceDll());
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.Environment["DOTNET_ENVIRONMENT"] = "Production";
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet could not be started.");
        var service = new ServiceProcess(process, new Uri($"http://127.0.0.1:{port}"));
        await service.WaitReadyAsync(TimeSpan.FromSeconds(60), ct);
        return service;
    }

    /// <summary>Polls /health/ready until it answers 200; fails with the service's output when the deadline passes or it exits.</summary>
    public async Task WaitReadyAsync(TimeSpan deadline, CancellationToken ct)
    {
        var until = Stopwatch.StartNew();
        Exception? last = null;
        while (until.Elapsed < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it was ready:\n{Output}");
            try
            {
                using var probe = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, probe.Token);
                var response = await Http.GetAsync("/health/ready", linked.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
                last = new HttpRequestException($"/health/ready answered {(int)response.StatusCode}");
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                last = e;
            }
            await Task.Delay(50, ct); // a poll interval, not a wait for state: the loop checks readiness itself
        }
        throw new TimeoutException($"The service was not ready within {deadline} (last: {last?.Message}):\n{Output}");
    }

    /// <summary>SIGKILL: the process gets no chance to flush or shut down.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async Task<JsonElement> GetJsonAsync(string path, CancellationToken ct)
    {
        var response = await Http.GetAsync(path, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        Assert.That(response.IsSuccessStatusCode, Is.True, () => $"GET {path} answered {(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostJsonAsync(string path, object body, CancellationToken ct)
    {
        var response = await Http.PostAsJsonAsync(path, body, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostRawAsync(string path, string body, CancellationToken ct, string contentType = "application/json")
    {
        var response = await Http.PostAsync(path, new StringContent(body, Encoding.UTF8, contentType), ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
