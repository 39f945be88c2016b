using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Wan.Bench;

// Device requests per second through the reference DCC's SM WAN gateway (DESIGN.md, "Performance"): Join and UnJoin
// Service Requests submitted over HTTP, sent as signed Commands over the WAN to emulated hubs, relayed over the HAN to
// the meter, answered, applied to the SMI, and read back as outcomes. Compared, in the same run, with the same number
// of round trips of a Command that changes nothing (8.9) through the same gateway and sessions, and with raw round
// trips of that Command through in-process WAN sessions with no HTTP and no SMI.

var rigCount = Arg("--rigs") is { } r ? int.Parse(r) : 4;
var rounds = Arg("--rounds") is { } n ? int.Parse(n) : 150;
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(20));
var ct = stop.Token;
var root = Repository.Root();
var rigFile = RigFile.Load(Path.Combine(root, "rigs", "emulated.yaml"));
var work = Directory.CreateTempSubdirectory("secdcc-wan-bench-");

await using var dcc = await BenchDcc.StartAsync(root, work.FullName, ct);
await dcc.PublishProductsAsync(rigFile, ct);
Console.WriteLine($"reference DCC {dcc.Description}; {rigCount} emulated rig(s), {rounds} rounds of Join + UnJoin each ({rigCount * rounds * 2} device requests)");

var rigs = new List<(EmulatedRig Rig, Eui64 Chf, Eui64 Esme, Eui64 Ihd)>();
try
{
    for (var i = 0; i < rigCount; i++)
    {
        var definition = Renumber(rigFile, (ushort)(0x6100 + i), "chf", "gpf", "esme", "ihd");
        var emulated = await dcc.StartRigAsync(definition, Path.Combine(work.FullName, $"rig-{i}"), ct);
        var (chf, esme, ihd) = (definition.Chf.Id, definition.Device("esme").Id, definition.Device("ihd").Id);
        rigs.Add((emulated, chf, esme, ihd));
        await dcc.WaitForStatusAsync(chf, "Commissioned", ct);
        await dcc.MustSucceedAsync("8.11", chf, new() { ["device"] = esme.ToString(), ["mpxns"] = "1012345678901" }, ct);
        await dcc.WaitForStatusAsync(esme, "InstalledNotCommissioned", ct);
    }

    // Warm-up: the JIT, the store's statement cache, the sessions.
    await Task.WhenAll(rigs.Select(x => JoinUnjoinAsync(x.Esme, x.Ihd, 5)));

    var endToEnd = await MeasureAsync(() => Task.WhenAll(rigs.Select(x => JoinUnjoinAsync(x.Esme, x.Ihd, rounds))), rigCount * rounds * 2);
    var sameGateway = await MeasureAsync(() => Task.WhenAll(rigs.Select(x => ReadsAsync(x.Esme, rounds * 2))), rigCount * rounds * 2);
    var rawWan = await RawWanAsync(rigFile, rigCount, rounds * 2, work.FullName, ct);

    Console.WriteLine();
    Console.WriteLine($"end to end, Join/UnJoin (submit → WAN → CHF → HAN → ESME → Response → SMI updated → outcome): {endToEnd.Rate,8:0.0} requests/s, p50 {endToEnd.P50,6:0.0} ms, p99 {endToEnd.P99,6:0.0} ms");
    Console.WriteLine($"limit 1, 8.9 Read Device Log through the same gateway and sessions (no SMI change):       {sameGateway.Rate,8:0.0} requests/s, p50 {sameGateway.P50,6:0.0} ms, p99 {sameGateway.P99,6:0.0} ms   ratio {endToEnd.Rate / sameGateway.Rate:0.00}");
    Console.WriteLine($"limit 2, the same Command over in-process WAN sessions to the same emulated devices:     {rawWan.Rate,8:0.0} round trips/s, p50 {rawWan.P50,6:0.0} ms, p99 {rawWan.P99,6:0.0} ms   ratio {endToEnd.Rate / rawWan.Rate:0.00}");
    Console.WriteLine($"gateway counters: {await dcc.StatisticsTextAsync(ct)}");
}
finally
{
    foreach (var x in rigs)
        await x.Rig.DisposeAsync();
}

try
{
    work.Delete(recursive: true);
}
catch (IOException)
{
    // A temp folder left behind is harmless.
}

return 0;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

async Task JoinUnjoinAsync(Eui64 esme, Eui64 ihd, int count)
{
    var device = new Dictionary<string, string> { ["device"] = ihd.ToString() };
    for (var i = 0; i < count; i++)
    {
        await dcc.MustSucceedAsync("8.7.2", esme, device, ct);
        await dcc.MustSucceedAsync("8.8.2", esme, device, ct);
    }
}

async Task ReadsAsync(Eui64 esme, int count)
{
    for (var i = 0; i < count; i++)
        await dcc.MustSucceedAsync("8.9", esme, [], ct);
}

async Task<Measurement> MeasureAsync(Func<Task> run, int requests)
{
    dcc.Latencies.Clear();
    var watch = Stopwatch.StartNew();
    await run();
    watch.Stop();
    return Measurement.Of(requests, watch.Elapsed, dcc.Latencies.ToArray());
}

static RigDefinition Renumber(RigDefinition rig, ushort prefix, params string[] only) => rig with
{
    Name = $"bench-{prefix:X4}",
    Devices = rig.Devices.Where(d => only.Contains(d.Name)).Select(d => d with { Id = new Eui64((d.Id.Value & ~0xFFFF_0000UL) | ((ulong)prefix << 16)) }).ToList(),
};

// The floor: the same emulated devices answering the same Command over WAN sessions in this process, with no HTTP,
// no gateway bookkeeping and no SMI. Each rig's hub connects to a listener here; its ESME is whitelisted directly.
static async Task<Measurement> RawWanAsync(RigDefinition rigFile, int rigCount, int roundTrips, string work, CancellationToken ct)
{
    using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var request = new CertificateRequest("CN=bench DCC, OU=04", key, HashAlgorithmName.SHA256);
    using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
    var dccId = Eui64.Parse("90-B3-D5-1F-30-00-00-02");
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    var rigs = new List<EmulatedRig>();
    var sessions = new List<IWanSession>();
    var latencies = new List<double>();
    try
    {
        var loops = new List<Func<Task>>();
        for (var i = 0; i < rigCount; i++)
        {
            var definition = Renumber(rigFile, (ushort)(0x6200 + i), "chf", "gpf", "esme", "ihd");
            var state = Path.Combine(work, $"raw-{i}");
            using var authority = LocalCertificateAuthority.LoadOrCreate(state, "bench raw device CA");
            var directory = new DeviceCertificateDirectory([X509CertificateLoader.LoadCertificate(authority.IssuerCertificate.RawData)]);
            rigs.Add(await EmulatedRig.StartAsync(definition, new EmulatorOptions { StateDirectory = state, Wan = new TcpWan("127.0.0.1", port), DccCertificate = certificate }, ct));
            var client = await listener.AcceptTcpClientAsync(ct);
            var session = ReferenceWanAdapter.Instance.Open(client.GetStream(), new WanSessionOptions { DccId = dccId, SigningKey = key, Devices = directory, PeerName = $"raw {i}" });
            sessions.Add(session);
            var (chf, esme) = (definition.Chf.Id, definition.Device("esme").Id);
            var alerted = WaitForAlertAsync(session, esme, ct);
            var whitelisted = await session.SendAsync(chf, new UpdateHanDeviceLog(session.NewRequestId(chf), HanLogAction.Add, esme, SecDcc.DeviceProtocol.Messages.DeviceType.ESME, Octets.Empty), ct);
            if (!whitelisted.Response.Succeeded)
                throw new InvalidOperationException($"the raw hub did not whitelist its ESME: {whitelisted.Response.Detail}");
            await alerted;
            loops.Add(async () =>
            {
                for (var k = 0; k < roundTrips; k++)
                {
                    var started = Stopwatch.GetTimestamp();
                    var read = await session.SendAsync(esme, new ReadDeviceLog(session.NewRequestId(esme)), ct);
                    if (!read.Response.Succeeded)
                        throw new InvalidOperationException($"raw 8.9 failed: {read.Response.Detail}");
                    lock (latencies)
                        latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                }
            });
        }

        await Task.WhenAll(loops.Select(l => l()));
        latencies.Clear();
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(loops.Select(l => l()));
        return Measurement.Of(rigCount * roundTrips, watch.Elapsed, latencies.ToArray());
    }
    finally
    {
        foreach (var s in sessions)
            await s.DisposeAsync();
        foreach (var rig in rigs)
            await rig.DisposeAsync();
        listener.Stop();
    }
}

// The session's events must be read (it keeps one reader); the HAN alert says the ESME is reachable through the hub.
static Task WaitForAlertAsync(IWanSession session, Eui64 esme, CancellationToken ct)
{
    var alerted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    _ = Task.Run(async () =>
    {
        await foreach (var e in session.Events.ReadAllAsync(ct))
        {
            if (e is HanDeviceAlertEvent { Alert.DeviceId: var id } && id == esme)
                alerted.TrySetResult();
        }
    }, ct);
    return alerted.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
}
