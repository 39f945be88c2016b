using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SecDcc.Dcc.Tests.Support;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using Actor = SecDcc.Dcc.Inventory.Actor;
using Eui64 = SecDcc.Drivers.Link.Eui64;
using RigDeviceType = SecDcc.DeviceProtocol.Messages.DeviceType;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// The reference DCC as its own process with its SM WAN gateway on a free port, and the Panel-signed CPL, EPC, SMETS1
/// declarations and network operators an emulated rig's Device Models need; plus what the tests do through its HTTP
/// API: device requests (POST /wan/requests), their outcomes, SMI reads and the gateway's counters.
/// </summary>
public sealed class WanWorld : IAsyncDisposable
{
    /// <summary>How long a Command waits for its Response in these tests; the late-responses quirk answers after twice this.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromSeconds(2);

    public static readonly TimeSpan Within = TimeSpan.FromSeconds(20);

    private readonly string _dir;
    private readonly CplBuilder _cpl;
    private int _requestCounter;

    private WanWorld(string dir, CplBuilder cpl, ServiceProcess dcc, int wanPort, string dccCertificatePem)
    {
        _dir = dir;
        _cpl = cpl;
        Dcc = dcc;
        WanPort = wanPort;
        DccCertificatePem = dccCertificatePem;
    }

    public ServiceProcess Dcc { get; }
    public int WanPort { get; }
    public string DccCertificatePem { get; }
    public static Actor Supplier => ImportSupplier;

    /// <summary>The repository's emulated rig (rigs/emulated.yaml): its devices and Device Models.</summary>
    public static RigDefinition RepositoryRig { get; } = RigFile.Load(Path.Combine(RepositoryRoot(), "rigs", "emulated.yaml"));

    public static DeviceModelDefinition ChModel => RepositoryRig.Chf.Model;

    /// <summary>The CH model under another name with one quirk: each quirk its own Device Model, as on a bench.</summary>
    public static DeviceModelDefinition QuirkyCh(QuirkKind kind, TimeSpan? delay = null) =>
        ChModel with { Model = $"{ChModel.Model}-{kind}", Quirks = new QuirkSet([new Quirk(kind, delay)]) };

    private static IEnumerable<DeviceModelDefinition> ChModels =>
    [
        ChModel, QuirkyCh(QuirkKind.NoHanAlert), QuirkyCh(QuirkKind.LateResponses), QuirkyCh(QuirkKind.WrongWanKey),
    ];

    public static async Task<WanWorld> StartAsync(CancellationToken ct)
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-wan-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        var cpl = new CplBuilder();
        var keyFile = Path.Combine(dir, "panel.pem");
        await File.WriteAllTextAsync(keyFile, cpl.PanelPublicKeyPem, ct);
        var dcc = await ServiceProcess.StartAsync(
            ["--data", Path.Combine(dir, "smi.db"), "--test-mode", "--panel-key", keyFile, "--wan-port", "0", "--wan-response-timeout", ResponseTimeout.ToString("c")], ct);
        var ready = await dcc.GetJsonAsync("/health/ready", ct);
        var port = ready.GetProperty("wan").GetProperty("port").GetInt32();
        var certificate = await dcc.Http.GetStringAsync("/wan/dcc-certificate", ct);
        var world = new WanWorld(dir, cpl, dcc, port, certificate);
        await world.PublishProductsAsync(ct);
        return world;
    }

    /// <summary>The CPL with the rig's models (the CH under each quirk too), an EPC entry per CH model, declarations, ED and GT.</summary>
    private async Task PublishProductsAsync(CancellationToken ct)
    {
        var meters = RepositoryRig.Devices.Where(d => d.Type is not (RigDeviceType.CHF or RigDeviceType.GPF or RigDeviceType.IHD)).Select(d => d.Model).ToList();
        var entries = ChModels.Select(m => _cpl.Entry("CH", Model(m), smets1: true))
            .Concat(meters.Select(m => _cpl.Entry(m.Kind.ToString(), Model(m), smets1: true)));
        var (status, body) = await Dcc.PostRawAsync("/products/cpl", _cpl.SignedCpl(entries, DateTimeOffset.UtcNow), ct);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body.ToString);
        await Need(Dcc.PostJsonAsync("/clock/run-duties", new { }, ct), "run the duties so the SMI follows the CPL");
        foreach (var ch in ChModels)
            await Need(Dcc.PostJsonAsync("/products/epc", new { models = meters.Prepend(ch).Select(Wire) }, ct), $"list {ch.Model} and the meters on the EPC");
        foreach (var model in ChModels.Concat(meters))
        {
            await Need(Dcc.PostJsonAsync("/inventory/smets1-declarations",
                new { actor = Wire(Supplier), model = Wire(model), supplierLegalName = "Test Supplier Ltd", signedBy = "A. Tester, Director" }, ct), $"declare {model.Model} SMETS1 (AC 3.8)");
        }

        await Need(Dcc.PostJsonAsync("/inventory/network-operators", new { gas = false, prefix = "10", party = Distributor.Party.ToString() }, ct), "register the ED");
        await Need(Dcc.PostJsonAsync("/inventory/network-operators", new { gas = true, prefix = "7", party = Transporter.Party.ToString() }, ct), "register the GT");
    }

    // ---- rigs ---------------------------------------------------------------------------------------------

    /// <summary>The emulated rig with its devices renumbered under <paramref name="prefix"/> (so each test has its own) and the CH model given.</summary>
    public static RigDefinition Rig(ushort prefix, DeviceModelDefinition? ch = null, params string[] only)
    {
        var devices = RepositoryRig.Devices
            .Where(d => only.Length == 0 || only.Contains(d.Name))
            .Select(d => d with
            {
                Id = new Eui64((d.Id.Value & ~0xFFFF_0000UL) | ((ulong)prefix << 16)),
                Model = d.Type is RigDeviceType.CHF or RigDeviceType.GPF ? ch ?? d.Model : d.Model,
            })
            .ToList();
        return RepositoryRig with { Name = $"wan-test-{prefix:X4}", Devices = devices };
    }

    /// <summary>
    /// Starts a rig whose hub connects to this DCC's gateway, with the DCC's certificate in its devices' accessControlBroker
    /// cells. Its device CA is made first and trusted by the DCC, so the hub's first connection already verifies.
    /// </summary>
    public async Task<EmulatedRig> StartRigAsync(RigDefinition definition, MemoryEmulatorLog log, CancellationToken ct)
    {
        RequirePseudoTerminals();
        var state = Path.Combine(_dir, "rig-" + definition.Name + "-" + Guid.NewGuid().ToString("N")[..8]);
        using (var authority = LocalCertificateAuthority.LoadOrCreate(state, $"SecDcc rig {definition.Name} device CA"))
            await Need(Dcc.PostRawAsync("/wan/device-issuers", authority.IssuerCertificate.ExportCertificatePem(), ct, "application/x-pem-file"), "trust the rig's device CA");
        using var dccCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(DccCertificatePem);
        return await EmulatedRig.StartAsync(
            definition,
            new EmulatorOptions { StateDirectory = state, Wan = new TcpWan("127.0.0.1", WanPort), DccCertificate = dccCertificate, Log = log },
            ct);
    }

    private static void RequirePseudoTerminals()
    {
        try
        {
            using var pty = PseudoTerminal.Create();
        }
        catch (SerialPortException e)
        {
            Assert.Ignore($"this machine cannot make pseudo-terminals, which the emulated rig needs: {e.Message}");
        }
    }

    // ---- the SMI over JSON ----------------------------------------------------------------------------------

    /// <summary>Pre-notifies the rig's hub (CHF and GPF together) and whichever other devices it has, after their Service Desk contact (AC 3.4).</summary>
    public async Task PreNotifyAsync(RigDefinition rig, CancellationToken ct, bool hub = true, bool others = true)
    {
        foreach (var d in rig.Devices.Where(d => (hub && d.Type is RigDeviceType.CHF or RigDeviceType.GPF) || (others && d.Type is not (RigDeviceType.CHF or RigDeviceType.GPF))))
            await Need(Dcc.PostJsonAsync($"/inventory/devices/{d.Id}/service-desk", new { actor = Wire(Supplier), information = new Dictionary<string, string>() }, ct), $"tell the Service Desk about {d.Name} (AC 3.4)");
        if (hub)
        {
            await Need(Dcc.PostJsonAsync("/inventory/communications-hubs",
                new { actor = Wire(Supplier), chfId = rig.Chf.Id.ToString(), gpfId = rig.Gpf!.Id.ToString(), model = Wire(rig.Chf.Model), generation = "SMETS1" }, ct), "add the SMETS1 hub (AC 2.5)");
        }

        if (!others)
            return;
        foreach (var d in rig.Devices.Where(d => d.Type is not (RigDeviceType.CHF or RigDeviceType.GPF)))
        {
            await Need(Dcc.PostJsonAsync("/inventory/devices",
                new { actor = Wire(Supplier), deviceId = d.Id.ToString(), deviceType = d.Type.ToString(), model = Wire(d.Model), generation = "SMETS1" }, ct), $"pre-notify the {d.Name} (AC 2.6, 2.9)");
        }
    }

    public async Task<JsonElement> DeviceAsync(Eui64 id, CancellationToken ct) => await Dcc.GetJsonAsync($"/inventory/devices/{id}", ct);

    public async Task<string?> StatusAsync(Eui64 id, CancellationToken ct) =>
        (await DeviceAsync(id, ct)).TryGetProperty("status", out var s) ? s.GetString() : null;

    /// <summary>Waits for a Device to reach <paramref name="status"/>; fails with the status it has and the gateway's counters.</summary>
    public async Task WaitForStatusAsync(Eui64 id, string status, string why, CancellationToken ct)
    {
        string? last = null;
        if (!await EventuallyAsync(async () => (last = await StatusAsync(id, ct)) == status, ct))
            Assert.Fail($"{why}: {id} is still {last ?? "without a status"}, not {status}. Gateway: {await StatisticsTextAsync(ct)}");
    }

    /// <summary>
    /// The hub's connection Commissions its CHF (AC 4.1), 8.11 whitelists the ESME in its Device Log (AC 4.3) and the hub's
    /// HAN alert makes it 'installed not commissioned' (AC 4.4): where the tests of what comes after an installation start.
    /// </summary>
    public async Task InstallEsmeAsync(Eui64 chf, Eui64 esme, CancellationToken ct)
    {
        await WaitForStatusAsync(chf, "Commissioned", "AC 4.1", ct);
        await SucceedsAsync("8.11", chf, "whitelist the ESME", ct, new() { ["device"] = esme.ToString(), ["mpxns"] = Mpan });
        await WaitForStatusAsync(esme, "InstalledNotCommissioned", "AC 4.4", ct);
    }

    public async Task<JsonElement> StatisticsAsync(CancellationToken ct) => await Dcc.GetJsonAsync("/wan/statistics", ct);

    public async Task<string> StatisticsTextAsync(CancellationToken ct) => (await StatisticsAsync(ct)).ToString();

    /// <summary>A counter of GET /wan/statistics by its path, e.g. "frames", "dropped", "BadCrc"; 0 when absent.</summary>
    public static long Count(JsonElement statistics, params string[] path)
    {
        var at = statistics;
        foreach (var p in path)
        {
            if (at.ValueKind != JsonValueKind.Object || !at.TryGetProperty(p, out at))
                return 0;
        }

        return at.ValueKind == JsonValueKind.Number ? at.GetInt64() : 0;
    }

    /// <summary>The SMI and the outbox as text, for "nothing changed" comparisons.</summary>
    public async Task<string> SnapshotAsync(CancellationToken ct)
    {
        var devices = await Dcc.GetJsonAsync("/inventory/devices?limit=10000", ct);
        var notices = await Dcc.GetJsonAsync("/notifications?limit=10000", ct);
        return devices.GetProperty("devices").ToString() + notices.ToString();
    }

    // ---- device requests through the gateway -----------------------------------------------------------------

    public string NewRequestId(Eui64 target) => $"{Supplier.Party}:{target}:{Interlocked.Increment(ref _requestCounter)}";

    /// <summary>POSTs a device request; returns the HTTP status and body (202 and the acceptance, or a refusal's problem details).</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body, string RequestId)> SubmitAsync(
        string srv, Eui64 target, CancellationToken ct, Dictionary<string, string>? parameters = null, byte[]? payload = null)
    {
        var requestId = NewRequestId(target);
        var (status, body) = await Dcc.PostJsonAsync("/wan/requests", new
        {
            requestId,
            serviceReferenceVariant = srv,
            actor = Wire(Supplier),
            target = target.ToString(),
            parameters = parameters ?? [],
            payload = payload is null ? null : Convert.ToBase64String(payload),
        }, ct);
        return (status, body, requestId);
    }

    /// <summary>Submits a request that must be accepted and waits for its outcome.</summary>
    public async Task<JsonElement> RequestAsync(string srv, Eui64 target, CancellationToken ct, Dictionary<string, string>? parameters = null, byte[]? payload = null)
    {
        var (status, body, requestId) = await SubmitAsync(srv, target, ct, parameters, payload);
        Assert.That(status, Is.EqualTo(HttpStatusCode.Accepted), () => $"{srv} to {target} was not accepted: {body}{ServiceLogOnError(status)}");
        return await OutcomeAsync(requestId, ct);
    }

    /// <summary>Submits a request and asserts it succeeded on the Device and in the SMI.</summary>
    public async Task<JsonElement> SucceedsAsync(string srv, Eui64 target, string why, CancellationToken ct, Dictionary<string, string>? parameters = null, byte[]? payload = null)
    {
        var outcome = await RequestAsync(srv, target, ct, parameters, payload);
        Assert.That(outcome.GetProperty("successfullyExecuted").GetBoolean(), Is.True, () => $"{why}: {srv} to {target} failed: {outcome}");
        return outcome;
    }

    public async Task<JsonElement> OutcomeAsync(string requestId, CancellationToken ct)
    {
        JsonElement last = default;
        var done = await EventuallyAsync(async () =>
        {
            last = await Dcc.GetJsonAsync($"/wan/requests/{Uri.EscapeDataString(requestId)}", ct);
            return last.GetProperty("state").GetString() == "completed";
        }, ct);
        if (!done)
            Assert.Fail($"request {requestId} has no outcome yet: {last}. Gateway: {await StatisticsTextAsync(ct)}");
        return last.GetProperty("outcome");
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    /// <summary>Polls <paramref name="condition"/> until it holds or <see cref="Within"/> passes; a wait for a state, with a deadline.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, CancellationToken ct, TimeSpan? within = null)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < (within ?? Within))
        {
            if (await condition())
                return true;
            await Task.Delay(25, ct); // the poll interval of a state check, not a wait in its place
        }

        return await condition();
    }

    /// <summary>The end of the service's output after a 5xx, which its log explains.</summary>
    private string ServiceLogOnError(HttpStatusCode status)
    {
        if ((int)status < 500)
            return "";
        var output = Dcc.Output;
        return "\nThe service's output:\n" + output[Math.Max(0, output.Length - 4000)..];
    }

    public static object Wire(Actor a) => new { party = a.Party.ToString(), role = a.Role.ToString() };

    public static object Wire(DeviceModelDefinition m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };

    public static Inventory.DeviceModel Model(DeviceModelDefinition m) => new(m.Manufacturer, m.Model, m.HardwareVersion, m.FirmwareVersion);

    private static async Task Need(Task<(HttpStatusCode Status, JsonElement Body)> call, string what)
    {
        var (status, body) = await call;
        Assert.That((int)status, Is.InRange(200, 299), () => $"could not {what}: {(int)status} {body}");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SecDcc.Tests.sln")))
                return dir.FullName;
        }

        throw new DirectoryNotFoundException($"No SecDcc.Tests.sln above {AppContext.BaseDirectory}: run the tests from the repository's build output.");
    }

    public async ValueTask DisposeAsync()
    {
        await Dcc.DisposeAsync();
        _cpl.Dispose();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // A temp folder left behind is harmless; the OS cleans /tmp.
        }
    }
}
