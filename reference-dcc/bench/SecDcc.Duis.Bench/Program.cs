using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SecDcc.Duis;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;

// Non-device DUIS Service Requests per second through the real reference DCC over loopback: each request signed by a
// registered User, verified, applied to the SMI (SQLite, synchronous=FULL), its counter persisted, and answered signed.
// The same server's test-mode POST /bench/empty, taking the same bodies with the same concurrency, is the baseline, so the
// figures come as a ratio to what HTTP alone costs on this machine in this run. Requests are signed before the clock
// starts and responses verified after it stops: the client's cryptography is not the server's throughput.

var requests = Arg("--requests") is { } r ? int.Parse(r) : 2000;
var users = Arg("--users") is { } u ? int.Parse(u) : 8;
var dll = Arg("--service") ?? LocateService();
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = stop.Token;

var data = Directory.CreateTempSubdirectory("secdcc-duis-bench-");
var port = FreePort();
var service = StartService(dll, data.FullName, port);
try
{
    using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };
    await WaitReadyAsync(http, service, ct);
    var dccInfo = await http.GetFromJsonAsync<DccInfo>("api/v1/dcc-certificate", ct) ?? throw new InvalidOperationException("The DCC gave no certificate.");
    var dcc = Eui64.Parse(dccInfo.Eui);
    var dccResolver = new InMemoryCertificateResolver([X509Certificate2.CreateFromPem(dccInfo.CertificatePem)]);
    var parties = new List<(Eui64 Id, DuisSigningCredentials Key)>();
    for (var i = 0; i < users; i++)
    {
        var id = new Eui64(0x90B3_D51F_3040_0000UL + (ulong)i);
        var key = NewCredentials(id);
        using var registered = await http.PostAsJsonAsync("api/v1/users", new { eui = id.ToString(), roles = new[] { "IS" }, certificates = new[] { key.Certificate.ExportCertificatePem() } }, ct);
        if (!registered.IsSuccessStatusCode)
            throw new InvalidOperationException($"Registering {id}: HTTP {(int)registered.StatusCode} {await registered.Content.ReadAsStringAsync(ct)}");
        parties.Add((id, key));
    }

    Console.WriteLine($"SecDcc DUIS benchmark: {requests} requests per workload, {users} Users sending in parallel (one request in flight each), service {Path.GetFileName(dll)} on 127.0.0.1:{port}, SQLite in {data.FullName}");
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}");
    ulong counter = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    var deviceBase = 0x00DB_B000_0000_0000UL;
    var devices = new List<Eui64>();

    // 12.2 Device Pre-notification of Type 2 Devices (IHD): no CPL needed, and each one a new SMI row.
    List<(int User, string Xml)> PreNotifications(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var (id, key) = parties[i % users];
        var device = new Eui64(deviceBase++);
        devices.Add(device);
        var request = DuisRequest.Create(new RequestId(id, dcc, counter++), new DevicePreNotification(device, "SecDcc Bench", "IHD-1", SecDcc.Duis.Messages.DeviceType.Ihd, FirmwareVersion: "1.0"));
        return (i % users, DuisSigner.Sign(request.ToXml(), key));
    }).ToList();

    // 8.2 Read Inventory of the Devices the pre-notifications added.
    List<(int User, string Xml)> Reads(int count) => Enumerable.Range(0, count).Select(i =>
    {
        var (id, key) = parties[i % users];
        var request = DuisRequest.Create(new RequestId(id, dcc, counter++), ReadInventory.ByDeviceId(devices[i % devices.Count]));
        return (i % users, DuisSigner.Sign(request.ToXml(), key));
    }).ToList();

    var warmUp = PreNotifications(Math.Min(200, requests / 5));
    await RunAsync(http, "api/v1/serviceS", warmUp, users, ct);
    await RunAsync(http, "bench/empty", warmUp, users, ct);

    var writes = PreNotifications(requests);
    var reads = Reads(requests);
    var emptyForWrites = await RunAsync(http, "bench/empty", writes, users, ct);
    var write = await RunAsync(http, "api/v1/serviceS", writes, users, ct);
    var emptyForReads = await RunAsync(http, "bench/empty", reads, users, ct);
    var read = await RunAsync(http, "api/v1/serviceS", reads, users, ct);

    var (writeCodes, writeValid) = await CheckAsync(write.Answers, dccResolver, ct);
    var (readCodes, readValid) = await CheckAsync(read.Answers, dccResolver, ct);
    Console.WriteLine();
    Console.WriteLine("workload                               req/s     p50 ms   p99 ms   ratio to /bench/empty   answers");
    Report("POST /bench/empty (12.2 bodies)", emptyForWrites, null, "");
    Report("12.2 Device Pre-notification", write, emptyForWrites, $"{writeCodes}, {writeValid}/{write.Answers.Count} signatures verified");
    Report("POST /bench/empty (8.2 bodies)", emptyForReads, null, "");
    Report("8.2 Read Inventory", read, emptyForReads, $"{readCodes}, {readValid}/{read.Answers.Count} signatures verified");
    var failed = writeValid != write.Answers.Count || readValid != read.Answers.Count || !writeCodes.StartsWith("I0 ×", StringComparison.Ordinal) || !readCodes.StartsWith("I0 ×", StringComparison.Ordinal);
    return failed ? 1 : 0;
}
finally
{
    if (!service.HasExited)
    {
        service.Kill(entireProcessTree: true);
        await service.WaitForExitAsync(CancellationToken.None);
    }
    service.Dispose();
    data.Delete(recursive: true);
}

static void Report(string name, Run run, Run? baseline, string answers) =>
    Console.WriteLine($"{name,-36} {run.PerSecond,8:F0}  {run.P50,8:F2} {run.P99,8:F2}   {(baseline is null ? "1" : (run.PerSecond / baseline.PerSecond).ToString("F3")),-22}  {answers}");

// Each User sends its requests in order, one at a time (its counters must reach the DCC in order); Users run in parallel.
static async Task<Run> RunAsync(HttpClient http, string path, List<(int User, string Xml)> work, int users, CancellationToken ct)
{
    var answers = new string[work.Count];
    var latencies = new double[work.Count];
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, users).Select(async user =>
    {
        for (var i = user; i < work.Count; i += users)
        {
            var started = Stopwatch.GetTimestamp();
            using var content = new StringContent(work[i].Xml, new UTF8Encoding(false));
            content.Headers.ContentType = new MediaTypeHeaderValue("application/xml") { CharSet = "utf-8" };
            using var response = await http.PostAsync(path, content, ct);
            answers[i] = await response.Content.ReadAsStringAsync(ct);
            if (response.StatusCode != HttpStatusCode.OK)
                throw new InvalidOperationException($"POST /{path} answered HTTP {(int)response.StatusCode}: {answers[i]}");
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }
    }));
    var elapsed = clock.Elapsed;
    Array.Sort(latencies);
    return new Run(work.Count / elapsed.TotalSeconds, latencies[latencies.Length / 2], latencies[(int)(latencies.Length * 0.99)], answers);
}

static async Task<(string Codes, int Valid)> CheckAsync(IReadOnlyList<string> answers, IDuisCertificateResolver dcc, CancellationToken ct)
{
    var verifier = new DuisSignatureVerifier(dcc);
    var codes = new SortedDictionary<string, int>(StringComparer.Ordinal);
    var valid = 0;
    foreach (var xml in answers)
    {
        var verified = await verifier.VerifyAsync(xml, ct);
        if (!verified.IsValid)
            continue;
        valid++;
        var code = DuisResponse.Parse(verified.Document!).ResponseCode.Value;
        codes[code] = codes.GetValueOrDefault(code) + 1;
    }
    return (string.Join(", ", codes.Select(c => $"{c.Key} ×{c.Value}")), valid);
}

static DuisSigningCredentials NewCredentials(Eui64 id)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest($"CN=SecDcc bench User {id}", key, HashAlgorithmName.SHA256);
    request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
    using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddYears(-1), DateTimeOffset.UtcNow.AddYears(10));
    return new DuisSigningCredentials(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
}

static Process StartService(string dll, string data, int port)
{
    var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
    foreach (var a in new[] { dll, "--data", Path.Combine(data, "smi.db"), "--test-mode", "--urls", $"http://127.0.0.1:{port}" })
        start.ArgumentList.Add(a);
    // Per-request console logging would be part of the figures; the service's own warnings still show.
    start.Environment["Logging__LogLevel__Default"] = "Warning";
    var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start 'dotnet {dll}'.");
    process.OutputDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("service: " + line); };
    process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine("service: " + line); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

static async Task WaitReadyAsync(HttpClient http, Process service, CancellationToken ct)
{
    var deadline = Stopwatch.StartNew();
    while (deadline.Elapsed < TimeSpan.FromSeconds(60))
    {
        if (service.HasExited)
            throw new InvalidOperationException($"The service exited with code {service.ExitCode} before it was ready.");
        try
        {
            using var response = await http.GetAsync("api/v1/dcc-certificate", ct);
            if (response.IsSuccessStatusCode)
                return;
        }
        catch (HttpRequestException)
        {
            // Not listening yet.
        }
        await Task.Delay(100, ct);
    }
    throw new TimeoutException("The service did not answer GET /api/v1/dcc-certificate within 60 s.");
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

static string LocateService()
{
    var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        var dll = Path.Combine(dir.FullName, "reference-dcc", "SecDcc.Dcc.Service", "bin", configuration, "net10.0", "SecDcc.Dcc.Service.dll");
        if (File.Exists(dll))
            return dll;
    }
    throw new FileNotFoundException("SecDcc.Dcc.Service.dll was not found; build the benchmark (it builds the service) or pass --service <dll>.");
}

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

sealed record DccInfo(string Eui, string CertificatePem);

sealed record Run(double PerSecond, double P50, double P99, IReadOnlyList<string> Answers);
