using System.Data.Common;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using NpgsqlTypes;
using SecDcc.Dcc;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Time;

// SMI size against time and memory (DESIGN.md, "Performance"): loads N pre-notified devices through the reference DCC's
// rules into a store, reads single devices by ID, and compares with a raw batch insert of the same rows into the same
// database. With no --store it runs each store in its own child process so each peak-memory figure is that store's alone.

var devices = Arg("--devices") is { } n ? int.Parse(n) : 1_000_000;
var store = Arg("--store");
var postgres = Arg("--postgres");
const int Batch = 10_000;
const int Reads = 20_000;

if (store is null)
    return await RunBothAsync();
return await RunOneAsync(store);

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}

async Task<int> RunBothAsync()
{
    var dll = Path.Combine(AppContext.BaseDirectory, "SecDcc.Dcc.Bench.dll");
    var code = await ChildAsync(dll, ["--store", "sqlite", "--devices", devices.ToString()]);
    string? pgDir = null;
    var conn = postgres;
    if (conn is null)
    {
        (conn, pgDir) = await StartPostgresAsync();
        if (conn is null)
        {
            Console.WriteLine("postgres: skipped (no cluster could be started; pass --postgres <connection string>)");
            return code;
        }
    }
    try
    {
        code |= await ChildAsync(dll, ["--store", "postgres", "--postgres", conn, "--devices", devices.ToString()]);
    }
    finally
    {
        if (pgDir is not null)
            await ScriptAsync(["stop", pgDir]);
    }
    return code;
}

async Task<int> ChildAsync(string dll, string[] childArgs)
{
    var psi = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
    psi.ArgumentList.Add(dll);
    foreach (var a in childArgs)
        psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    await p.WaitForExitAsync();
    return p.ExitCode;
}

async Task<(string? Conn, string? Dir)> StartPostgresAsync()
{
    var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scripts", "pg-test-cluster.sh"));
    if (!File.Exists(script))
        return (null, null);
    var (code, stdout, stderr) = await ScriptAsync(["start"]);
    if (code != 0)
    {
        Console.Error.WriteLine(stderr);
        return (null, null);
    }
    var dir = stderr.Split(' ').Last().Trim();
    return (stdout.Trim(), dir);

}

async Task<(int Code, string Stdout, string Stderr)> ScriptAsync(string[] scriptArgs)
{
    var script = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "scripts", "pg-test-cluster.sh"));
    var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
    psi.ArgumentList.Add(script);
    foreach (var a in scriptArgs)
        psi.ArgumentList.Add(a);
    using var p = Process.Start(psi)!;
    var o = p.StandardOutput.ReadToEndAsync();
    var e = p.StandardError.ReadToEndAsync();
    await p.WaitForExitAsync();
    return (p.ExitCode, await o, await e);
}

async Task<int> RunOneAsync(string kind)
{
    var ct = CancellationToken.None;
    var dir = Path.Combine(Path.GetTempPath(), "secdcc-bench-" + Guid.NewGuid().ToString("N"));
    Directory.CreateDirectory(dir);
    string? pgDatabase = null;
    ISmiStore smiStore;
    Func<Task<DbConnection>> raw;
    if (kind == "sqlite")
    {
        var path = Path.Combine(dir, "smi.db");
        smiStore = new SqliteSmiStore(path);
        raw = async () =>
        {
            var c = new SqliteConnection($"Data Source={path}");
            await c.OpenAsync(ct);
            await using var p = c.CreateCommand();
            p.CommandText = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
            await p.ExecuteNonQueryAsync(ct);
            return c;
        };
    }
    else if (kind == "postgres")
    {
        var admin = postgres ?? throw new ArgumentException("--store postgres needs --postgres <connection string>");
        pgDatabase = "bench_" + Guid.NewGuid().ToString("N")[..12];
        await using (var c = new NpgsqlConnection(admin))
        {
            await c.OpenAsync(ct);
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {pgDatabase}", c);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        var conn = new NpgsqlConnectionStringBuilder(admin) { Database = pgDatabase }.ToString();
        smiStore = new PostgresSmiStore(conn);
        raw = async () =>
        {
            var c = new NpgsqlConnection(conn);
            await c.OpenAsync(ct);
            return c;
        };
    }
    else
        throw new ArgumentException($"--store '{kind}': use sqlite or postgres.");

    using var panel = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    using var manufacturer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var clock = new VirtualClock(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero));
    await using var dcc = await ReferenceDcc.OpenAsync(smiStore, clock, new DccOptions { PanelPublicKeysPem = [panel.ExportSubjectPublicKeyInfoPem()] }, ct);
    var model = new DeviceModel("Acme", "E-2", "1.0", "3.1");
    await PublishCplAsync(dcc, panel, manufacturer, model);
    var supplier = new Actor(PartyId.Parse("90-B3-D5-1F-30-01-00-00"), UserRole.IS);
    static DeviceId IdOf(int i) => new(0x00DB_0000_0000_0000UL + (ulong)i * 7919UL);

    Console.WriteLine($"{kind}: loading {devices:N0} pre-notified ESMEs through the SMI rules (batches of {Batch:N0}) ...");
    var load = Stopwatch.StartNew();
    var refused = 0;
    for (var start = 0; start < devices; start += Batch)
    {
        var requests = new List<AddDeviceRequest>(Batch);
        for (var i = start; i < Math.Min(devices, start + Batch); i++)
            requests.Add(new AddDeviceRequest(supplier, IdOf(i), DeviceType.ESME, model, SmetsGeneration.SMETS2Plus));
        refused += (await dcc.Inventory.PreNotifyDevicesAsync(requests, ct)).Count(r => !r.Accepted);
    }
    load.Stop();
    if (refused > 0)
        throw new InvalidOperationException($"{refused} devices were refused; the load is not comparable.");
    var count = await dcc.Inventory.CountDevicesAsync(ct);

    var rng = new Random(42);
    var readTimes = new double[Reads];
    for (var r = 0; r < 1000; r++)
        await dcc.Inventory.ReadInventoryAsync(IdOf(rng.Next(devices)), ct); // warm up
    for (var r = 0; r < Reads; r++)
    {
        var id = IdOf(rng.Next(devices));
        var t = Stopwatch.GetTimestamp();
        var read = await dcc.Inventory.ReadInventoryAsync(id, ct);
        readTimes[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        if (!read.IsSuccess)
            throw new InvalidOperationException($"read of {id} failed: {read.Refusal}");
    }
    if (Environment.GetEnvironmentVariable("BENCH_DIAG") == "1")
    {
        var slow = readTimes.Select((v, i) => (v, i)).Where(x => x.v > 1000).Select(x => x.i).ToList();
        Console.WriteLine($"diag: {slow.Count} reads over 1 ms at indexes {string.Join(",", slow.Take(40))}; gen0 GCs {GC.CollectionCount(0)}, gen1 {GC.CollectionCount(1)}, gen2 {GC.CollectionCount(2)}");
    }
    Array.Sort(readTimes);
    var peakAfterSmi = Process.GetCurrentProcess().PeakWorkingSet64;

    // The limit: the same rows, raw batch insert, same database, a table of the same shape and indexes.
    Console.WriteLine($"{kind}: raw batch insert of the same {devices:N0} rows ...");
    await using var rawConnection = await raw();
    foreach (var sql in new[]
             {
                 kind == "sqlite"
                     ? "CREATE TABLE raw_devices (device_id INTEGER PRIMARY KEY, device_type TEXT NOT NULL, generation TEXT NOT NULL, manufacturer TEXT NOT NULL, model TEXT NOT NULL, hardware_version TEXT NOT NULL, firmware_version TEXT NOT NULL, status TEXT NULL, status_before_suspension TEXT NULL, pending_since INTEGER NULL, chf_id INTEGER NULL, mpxns TEXT NOT NULL, responsible_suppliers TEXT NOT NULL, lead_supplier INTEGER NULL, added_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)"
                     : "CREATE TABLE raw_devices (device_id BIGINT PRIMARY KEY, device_type TEXT NOT NULL, generation TEXT NOT NULL, manufacturer TEXT NOT NULL, model TEXT NOT NULL, hardware_version TEXT NOT NULL, firmware_version TEXT NOT NULL, status TEXT NULL, status_before_suspension TEXT NULL, pending_since BIGINT NULL, chf_id BIGINT NULL, mpxns TEXT NOT NULL, responsible_suppliers TEXT NOT NULL, lead_supplier BIGINT NULL, added_at BIGINT NOT NULL, updated_at BIGINT NOT NULL)",
                 "CREATE INDEX ix_raw_chf ON raw_devices (chf_id)",
                 "CREATE INDEX ix_raw_pending ON raw_devices (status, pending_since)",
             })
    {
        await using var cmd = rawConnection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync(ct);
    }
    var now = clock.UtcNow.ToUnixTimeMilliseconds();
    var rawLoad = Stopwatch.StartNew();
    for (var start = 0; start < devices; start += Batch)
    {
        var end = Math.Min(devices, start + Batch);
        await using var tx = await rawConnection.BeginTransactionAsync(ct);
        if (rawConnection is NpgsqlConnection npg)
        {
            await using var writer = await npg.BeginBinaryImportAsync("COPY raw_devices (device_id, device_type, generation, manufacturer, model, hardware_version, firmware_version, status, pending_since, mpxns, responsible_suppliers, added_at, updated_at) FROM STDIN (FORMAT BINARY)", ct);
            for (var i = start; i < end; i++)
            {
                await writer.StartRowAsync(ct);
                await writer.WriteAsync(unchecked((long)IdOf(i).Value), NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync("ESME", NpgsqlDbType.Text, ct);
                await writer.WriteAsync("SMETS2Plus", NpgsqlDbType.Text, ct);
                await writer.WriteAsync(model.Manufacturer, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(model.Model, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(model.HardwareVersion, NpgsqlDbType.Text, ct);
                await writer.WriteAsync(model.FirmwareVersion, NpgsqlDbType.Text, ct);
                await writer.WriteAsync("Pending", NpgsqlDbType.Text, ct);
                await writer.WriteAsync(now, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync("", NpgsqlDbType.Text, ct);
                await writer.WriteAsync(supplier.Party.ToString(), NpgsqlDbType.Text, ct);
                await writer.WriteAsync(now, NpgsqlDbType.Bigint, ct);
                await writer.WriteAsync(now, NpgsqlDbType.Bigint, ct);
            }
            await writer.CompleteAsync(ct);
        }
        else
        {
            await using var cmd = rawConnection.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO raw_devices (device_id, device_type, generation, manufacturer, model, hardware_version, firmware_version, status, pending_since, mpxns, responsible_suppliers, added_at, updated_at) VALUES (@id, 'ESME', 'SMETS2Plus', @man, @mod, @hw, @fw, 'Pending', @now, '', @rs, @now, @now)";
            var pid = cmd.CreateParameter(); pid.ParameterName = "@id"; cmd.Parameters.Add(pid);
            foreach (var (name, value) in new (string, object)[] { ("@man", model.Manufacturer), ("@mod", model.Model), ("@hw", model.HardwareVersion), ("@fw", model.FirmwareVersion), ("@now", now), ("@rs", supplier.Party.ToString()) })
            {
                var p = cmd.CreateParameter(); p.ParameterName = name; p.Value = value; cmd.Parameters.Add(p);
            }
            cmd.Prepare();
            for (var i = start; i < end; i++)
            {
                pid.Value = unchecked((long)IdOf(i).Value);
                await cmd.ExecuteNonQueryAsync(ct);
            }
        }
        await tx.CommitAsync(ct);
    }
    rawLoad.Stop();

    var rawReads = new double[Reads];
    await using (var cmd = rawConnection.CreateCommand())
    {
        cmd.CommandText = "SELECT device_id, device_type, generation, manufacturer, model, hardware_version, firmware_version, status, status_before_suspension, pending_since, chf_id, mpxns, responsible_suppliers, lead_supplier, added_at, updated_at FROM raw_devices WHERE device_id = @id";
        var pid = cmd.CreateParameter(); pid.ParameterName = "@id"; pid.Value = 0L; cmd.Parameters.Add(pid);
        cmd.Prepare();
        for (var r = 0; r < Reads; r++)
        {
            pid.Value = unchecked((long)IdOf(rng.Next(devices)).Value);
            var t = Stopwatch.GetTimestamp();
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
                while (await reader.ReadAsync(ct)) { }
            rawReads[r] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
        }
    }
    Array.Sort(rawReads);
    var peak = Process.GetCurrentProcess().PeakWorkingSet64;

    double P(double[] sorted, double q) => sorted[(int)Math.Min(sorted.Length - 1, Math.Ceiling(q * sorted.Length) - 1)];
    Console.WriteLine($"""
        {kind}: {count:N0} devices in the SMI
          load through the SMI rules : {load.Elapsed.TotalSeconds,8:F1} s  ({devices / load.Elapsed.TotalSeconds,10:N0} devices/s)
          raw batch insert (limit)   : {rawLoad.Elapsed.TotalSeconds,8:F1} s  ({devices / rawLoad.Elapsed.TotalSeconds,10:N0} rows/s)
          load ratio (SMI / raw)     : {load.Elapsed.TotalSeconds / rawLoad.Elapsed.TotalSeconds,8:F2} x
          read one device by ID      : p50 {P(readTimes, 0.50),7:F0} us   p99 {P(readTimes, 0.99),7:F0} us   ({Reads:N0} reads via ReadInventoryAsync)
          raw SELECT by primary key  : p50 {P(rawReads, 0.50),7:F0} us   p99 {P(rawReads, 0.99),7:F0} us   (prepared, one open connection)
          read p99 ratio (SMI / raw) : {P(readTimes, 0.99) / P(rawReads, 0.99),8:F2} x
          peak memory (VmHWM)        : {peakAfterSmi / 1048576.0,8:F0} MiB after the SMI load and reads, {peak / 1048576.0,6:F0} MiB at the end
        """);

    if (kind == "sqlite")
        SqliteConnection.ClearAllPools();
    Directory.Delete(dir, true);
    return 0;
}

static async Task PublishCplAsync(ReferenceDcc dcc, ECDsa panel, ECDsa manufacturer, DeviceModel model)
{
    var hash = Convert.ToHexString(SHA256.HashData("bench firmware"u8)).ToLowerInvariant();
    var entry = new Dictionary<string, object?>
    {
        ["deviceType"] = "ESME", ["manufacturer"] = model.Manufacturer, ["model"] = model.Model, ["hardwareVersion"] = model.HardwareVersion,
        ["hardwareReleaseNotes"] = "notes", ["firmwareVersion"] = model.FirmwareVersion, ["firmwareReleaseNotes"] = "notes", ["firmwareHash"] = hash,
        ["firmwareHashSignature"] = CplDocuments.SignFirmwareHash(hash, manufacturer), ["manufacturerKey"] = CplDocuments.PublicKeyBase64(manufacturer),
        ["generation"] = "SMETS2+", ["technicalSpecificationVersion"] = "SMETS v4.0", ["assuranceCertificates"] = new[] { "ZA-1" }, ["cpaExpiry"] = "2031-01-01",
    };
    var doc = CplDocuments.Sign(JsonSerializer.Serialize(new { sequence = 1, issuedAt = "2025-01-01T00:00:00Z", entries = new[] { entry } }), panel);
    var outcome = await dcc.Products.ReceiveCplAsync(doc, CancellationToken.None);
    if (!outcome.IsSuccess)
        throw new InvalidOperationException(outcome.Refusal!.ToString());
    await dcc.Duties.RunDueAsync(CancellationToken.None);
}
