using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using SecDcc.Dcc.Products;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;

namespace SecDcc.Wan.Bench;

/// <summary>The reference DCC service as its own process with its SM WAN gateway, driven over its HTTP API.</summary>
public sealed class BenchDcc : IAsyncDisposable
{
    private const string Supplier = "90-B3-D5-1F-30-01-00-00";
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly ECDsa _panel;
    private readonly ECDsa _manufacturer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private long _requests;

    private BenchDcc(Process process, Uri baseAddress, ECDsa panel)
    {
        _process = process;
        _panel = panel;
        Http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public HttpClient Http { get; }
    public int WanPort { get; private set; }
    public string DccCertificatePem { get; private set; } = "";
    public string Description => $"process {_process.Id} at {Http.BaseAddress}, SM WAN gateway on port {WanPort}";

    /// <summary>Milliseconds from submit to outcome of each request since last cleared.</summary>
    public ConcurrentBag<double> Latencies { get; } = [];

    public static async Task<BenchDcc> StartAsync(string root, string work, CancellationToken ct)
    {
        var dll = new[] { "Release", "Debug" }
            .Select(c => Path.Combine(root, "reference-dcc", "SecDcc.Dcc.Service", "bin", c, "net10.0", "SecDcc.Dcc.Service.dll"))
            .Where(File.Exists)
            .OrderByDescending(File.GetLastWriteTimeUtc)
            .FirstOrDefault()
            ?? throw new FileNotFoundException("The reference DCC service is not built: dotnet build -c Release reference-dcc/SecDcc.Dcc.Service");
        var port = FreePort();
        var panel = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var panelFile = Path.Combine(work, "panel.pem");
        await File.WriteAllTextAsync(panelFile, panel.ExportSubjectPublicKeyInfoPem(), ct);
        var dcc = new BenchDcc(Process.Start(Start(dll, port, work, panelFile))!, new Uri($"http://127.0.0.1:{port}"), panel);
        await dcc.WaitReadyAsync(ct);
        return dcc;
    }

    private static ProcessStartInfo Start(string dll, int port, string work, string panelFile)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, "--data", Path.Combine(work, "smi.db"), "--test-mode", "--panel-key", panelFile, "--wan-port", "0", "--urls", $"http://127.0.0.1:{port}" })
            psi.ArgumentList.Add(a);
        psi.Environment["Logging__LogLevel__Default"] = "Warning";
        return psi;
    }

    private async Task WaitReadyAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"the service exited with code {_process.ExitCode}:\n{_output}");
            try
            {
                var ready = await Http.GetFromJsonAsync<JsonElement>("/health/ready", ct);
                WanPort = ready.GetProperty("wan").GetProperty("port").GetInt32();
                DccCertificatePem = await Http.GetStringAsync("/wan/dcc-certificate", ct);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(50, ct); // the poll interval of a readiness check
            }
        }

        throw new TimeoutException($"the service was not ready within 60 s:\n{_output}");
    }

    /// <summary>The CPL with the rig's models, an EPC entry, the SMETS1 declarations and the Electricity Distributor.</summary>
    public async Task PublishProductsAsync(RigDefinition rig, CancellationToken ct)
    {
        var models = rig.Devices.Where(d => d.Type is not SecDcc.DeviceProtocol.Messages.DeviceType.IHD).Select(d => d.Model).DistinctBy(m => m.Model).ToList();
        var entries = models.Select(Entry).ToList();
        var payload = JsonSerializer.Serialize(new { sequence = 1, issuedAt = DateTimeOffset.UtcNow.ToString("O"), entries });
        await NeedAsync(Http.PostAsync("/products/cpl", new StringContent(CplDocuments.Sign(payload, _panel), Encoding.UTF8, "application/json"), ct), "publish the CPL");
        await NeedAsync(Http.PostAsJsonAsync("/clock/run-duties", new { }, ct), "run the duties");
        await NeedAsync(Http.PostAsJsonAsync("/products/epc", new { models = models.Select(Wire) }, ct), "list the EPC");
        foreach (var m in models)
            await NeedAsync(Http.PostAsJsonAsync("/inventory/smets1-declarations", new { actor = Actor, model = Wire(m), supplierLegalName = "Bench Supplier Ltd", signedBy = "B. Ench" }, ct), "declare " + m.Model);
        await NeedAsync(Http.PostAsJsonAsync("/inventory/network-operators", new { gas = false, prefix = "10", party = "90-B3-D5-1F-30-02-00-00" }, ct), "register the ED");
    }

    /// <summary>Pre-notifies the rig's devices, trusts its device CA, and starts it connected to the gateway.</summary>
    public async Task<EmulatedRig> StartRigAsync(RigDefinition rig, string state, CancellationToken ct)
    {
        foreach (var d in rig.Devices)
            await NeedAsync(Http.PostAsJsonAsync($"/inventory/devices/{d.Id}/service-desk", new { actor = Actor, information = new Dictionary<string, string>() }, ct), "Service Desk");
        await NeedAsync(Http.PostAsJsonAsync("/inventory/communications-hubs", new { actor = Actor, chfId = rig.Chf.Id.ToString(), gpfId = rig.Gpf!.Id.ToString(), model = Wire(rig.Chf.Model), generation = "SMETS1" }, ct), "add the hub");
        foreach (var d in rig.Devices.Where(d => d.Type is not (SecDcc.DeviceProtocol.Messages.DeviceType.CHF or SecDcc.DeviceProtocol.Messages.DeviceType.GPF)))
            await NeedAsync(Http.PostAsJsonAsync("/inventory/devices", new { actor = Actor, deviceId = d.Id.ToString(), deviceType = d.Type.ToString(), model = Wire(d.Model), generation = "SMETS1" }, ct), "pre-notify " + d.Name);
        using (var authority = LocalCertificateAuthority.LoadOrCreate(state, "bench device CA"))
            await NeedAsync(Http.PostAsync("/wan/device-issuers", new StringContent(authority.IssuerCertificate.ExportCertificatePem()), ct), "trust the rig's device CA");
        using var dcc = X509Certificate2.CreateFromPem(DccCertificatePem);
        return await EmulatedRig.StartAsync(rig, new EmulatorOptions { StateDirectory = state, Wan = new TcpWan("127.0.0.1", WanPort), DccCertificate = dcc }, ct);
    }

    public async Task WaitForStatusAsync(Eui64 device, string status, CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            var d = await Http.GetFromJsonAsync<JsonElement>($"/inventory/devices/{device}", ct);
            if (d.TryGetProperty("status", out var s) && s.GetString() == status)
                return;
            await Task.Delay(20, ct); // the poll interval of a state check
        }

        throw new TimeoutException($"{device} did not become {status} within 30 s; gateway: {await StatisticsTextAsync(ct)}");
    }

    /// <summary>Submits a device request, waits for its outcome, and fails unless it succeeded; records the latency.</summary>
    public async Task MustSucceedAsync(string srv, Eui64 target, Dictionary<string, string> parameters, CancellationToken ct)
    {
        var id = $"{Supplier}:{target}:{Interlocked.Increment(ref _requests)}";
        var started = Stopwatch.GetTimestamp();
        using var submitted = await Http.PostAsJsonAsync("/wan/requests", new { requestId = id, serviceReferenceVariant = srv, actor = Actor, target = target.ToString(), parameters }, ct);
        if (submitted.StatusCode != HttpStatusCode.Accepted)
            throw new InvalidOperationException($"{srv} to {target} was refused: {await submitted.Content.ReadAsStringAsync(ct)}");
        while (true)
        {
            var state = await Http.GetFromJsonAsync<JsonElement>($"/wan/requests/{Uri.EscapeDataString(id)}", ct);
            if (state.GetProperty("state").GetString() == "completed")
            {
                Latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                var outcome = state.GetProperty("outcome");
                if (!outcome.GetProperty("successfullyExecuted").GetBoolean())
                    throw new InvalidOperationException($"{srv} to {target} failed: {outcome}");
                return;
            }

            await Task.Delay(1, ct); // the poll interval of the outcome; a User of DUIS polls or gets a callback the same way
        }
    }

    public async Task<string> StatisticsTextAsync(CancellationToken ct) => await Http.GetStringAsync("/wan/statistics", ct);

    private static object Actor => new { party = Supplier, role = "IS" };

    private static object Wire(DeviceModelDefinition m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };

    private Dictionary<string, object?> Entry(DeviceModelDefinition m)
    {
        var hash = m.FirmwareHash.ToHex().ToLowerInvariant();
        return new Dictionary<string, object?>
        {
            ["deviceType"] = m.Kind.ToString(),
            ["manufacturer"] = m.Manufacturer,
            ["model"] = m.Model,
            ["hardwareVersion"] = m.HardwareVersion,
            ["hardwareReleaseNotes"] = "n/a",
            ["firmwareVersion"] = m.FirmwareVersion,
            ["firmwareReleaseNotes"] = "n/a",
            ["firmwareHash"] = hash,
            ["firmwareHashSignature"] = CplDocuments.SignFirmwareHash(hash, _manufacturer),
            ["manufacturerKey"] = CplDocuments.PublicKeyBase64(_manufacturer),
            ["generation"] = "SMETS1",
            ["technicalSpecificationVersion"] = "SMETS1 v1.2",
        };
    }

    private async Task NeedAsync(Task<HttpResponseMessage> call, string what)
    {
        using var response = await call;
        if (!response.IsSuccessStatusCode)
            throw new InvalidOperationException($"could not {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
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
        _panel.Dispose();
        _manufacturer.Dispose();
    }
}

/// <summary>A rate and its latency percentiles.</summary>
public sealed record Measurement(double Rate, double P50, double P99)
{
    public static Measurement Of(int count, TimeSpan elapsed, double[] latencies)
    {
        Array.Sort(latencies);
        double At(double q) => latencies.Length == 0 ? double.NaN : latencies[Math.Min(latencies.Length - 1, (int)(q * latencies.Length))];
        return new Measurement(count / elapsed.TotalSeconds, At(0.5), At(0.99));
    }
}

public static class Repository
{
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecDcc.Tests.sln")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException($"No SecDcc.Tests.sln above {AppContext.BaseDirectory}: run the benchmark from its build output in the repository.");
    }
}
