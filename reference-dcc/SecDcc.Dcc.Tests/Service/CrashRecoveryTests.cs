using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Service;

/// <summary>
/// SIGKILLs the service during a burst of status changes made through the JSON API, restarts it on the same store, and
/// checks that the SMI equals the acknowledged requests: every acknowledged change is there, and a change in flight at
/// the kill is there whole (status and its AC 11.1 notice) or not at all.
/// </summary>
[NonParallelizable]
public abstract class CrashRecoveryTests
{
    private const int Devices = 48;
    private const int Workers = 8;
    private const int KillAfterAcknowledged = 300;
    private static readonly string[] Cycle = ["decommission", "reactivate", "withdraw", "reactivate"];
    private static readonly string[] StatusAfter = ["Decommissioned", "Pending", "Withdrawn", "Pending"];

    protected abstract Task<IReadOnlyList<string>> StoreArgumentsAsync(string dir);
    protected abstract string StoreName { get; }

    private sealed class DeviceTrack
    {
        public required string Id { get; init; }
        public int Step;
        public string Acknowledged = "Pending";
        public int AcknowledgedNotices;
        public int? InFlight;
    }

    [Test]
    public async Task Smi_equals_the_acknowledged_requests_after_a_sigkill_during_a_burst()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var ct = cts.Token;
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-kill-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        using var cpl = new CplBuilder();
        var keyFile = Path.Combine(dir, "panel.pem");
        await File.WriteAllTextAsync(keyFile, cpl.PanelPublicKeyPem, ct);
        IReadOnlyList<string> args = [.. await StoreArgumentsAsync(dir), "--test-mode", "--clock-start", "2025-01-01T00:00:00Z", "--panel-key", keyFile];

        var dcc = await ServiceProcess.StartAsync(args, ct);
        var tracks = new List<DeviceTrack>();
        try
        {
            Assert.That((await dcc.PostRawAsync("/products/cpl", cpl.SignedCpl(cpl.StandardEntries(), Start), ct)).Status, Is.EqualTo(HttpStatusCode.OK));
            await dcc.PostJsonAsync("/clock/run-duties", new { }, ct);
            var actor = new { party = ImportSupplier.Party.ToString(), role = "IS" };
            var model = new { manufacturer = Smets2Esme.Manufacturer, model = Smets2Esme.Model, hardwareVersion = Smets2Esme.HardwareVersion, firmwareVersion = Smets2Esme.FirmwareVersion };
            for (var i = 0; i < Devices; i++)
                tracks.Add(new DeviceTrack { Id = new Inventory.DeviceId(0x00DB_5555_0000_0000UL + (ulong)i).ToString() });
            var (batchStatus, batch) = await dcc.PostJsonAsync("/inventory/devices/batch", new { actor, devices = tracks.Select(t => new { deviceId = t.Id, deviceType = "ESME", model, generation = "SMETS2+" }) }, ct);
            Assert.That(batchStatus, Is.EqualTo(HttpStatusCode.OK), batch.ToString);
            Assert.That(batch.EnumerateArray().All(r => r.GetProperty("accepted").GetBoolean()), Is.True, batch.ToString);

            // The burst: each worker owns some devices and moves each round its cycle, one request in flight per device.
            var acknowledged = 0;
            var enoughAcknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var failures = new ConcurrentBag<string>();
            using var stopBurst = new CancellationTokenSource();
            var burst = Stopwatch.StartNew();
            var workers = Enumerable.Range(0, Workers).Select(w => Task.Run(async () =>
            {
                var mine = tracks.Where((_, i) => i % Workers == w).ToList();
                using var http = new HttpClient { BaseAddress = dcc.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
                for (var round = 0; !stopBurst.IsCancellationRequested; round++)
                {
                    var t = mine[round % mine.Count];
                    var step = t.Step % Cycle.Length;
                    t.InFlight = step;
                    HttpResponseMessage response;
                    try
                    {
                        response = await http.PostAsync($"/inventory/devices/{t.Id}/{Cycle[step]}", JsonContent(new { actor }), CancellationToken.None);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        return; // the service is gone: this request is in flight, acknowledged or not we cannot know
                    }
                    if (response.StatusCode != HttpStatusCode.OK)
                    {
                        failures.Add($"{t.Id} {Cycle[step]}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(CancellationToken.None)}");
                        enoughAcknowledged.TrySetResult();
                        return;
                    }
                    var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken.None)).RootElement;
                    t.Acknowledged = body.GetProperty("status").GetString()!;
                    if (step is 0 or 2)
                        t.AcknowledgedNotices++;
                    t.InFlight = null;
                    t.Step++;
                    if (Interlocked.Increment(ref acknowledged) == KillAfterAcknowledged)
                        enoughAcknowledged.TrySetResult();
                }
            }, CancellationToken.None)).ToList();

            // The kill lands mid-burst: as soon as enough changes are acknowledged, with every worker still sending.
            await Task.WhenAny(enoughAcknowledged.Task, Task.WhenAll(workers)).WaitAsync(TimeSpan.FromMinutes(2), ct);
            var killedAt = burst.Elapsed;
            await dcc.KillAsync();
            stopBurst.Cancel();
            await Task.WhenAll(workers);
            Assert.That(failures, Is.Empty, string.Join("\n", failures));
            var ackedAtKill = acknowledged;
            var inFlightAtKill = tracks.Count(t => t.InFlight is not null);

            // Restart on the same store and compare.
            var restart = Stopwatch.StartNew();
            await dcc.DisposeAsync();
            dcc = await ServiceProcess.StartAsync(args, ct);
            var restartTime = restart.Elapsed;
            var notices = await dcc.GetJsonAsync("/notifications?limit=10000", ct);
            var noticesByDevice = notices.EnumerateArray().Where(n => n.GetProperty("clause").GetString() == "AC-11.1")
                .GroupBy(n => n.GetProperty("deviceId").GetString()!).ToDictionary(g => g.Key, g => g.Count());
            int committedInFlight = 0, lostInFlight = 0;
            foreach (var t in tracks)
            {
                var device = await dcc.GetJsonAsync($"/inventory/devices/{t.Id}", ct);
                var status = device.GetProperty("status").GetString();
                var notices11 = noticesByDevice.GetValueOrDefault(t.Id);
                if (t.InFlight is { } step && status == StatusAfter[step] && status != t.Acknowledged)
                {
                    committedInFlight++;
                    Assert.That(notices11, Is.EqualTo(t.AcknowledgedNotices + (step is 0 or 2 ? 1 : 0)), $"{t.Id}: the in-flight change committed without (or with extra) AC 11.1 notices");
                }
                else
                {
                    if (t.InFlight is not null)
                        lostInFlight++;
                    Assert.That(status, Is.EqualTo(t.Acknowledged), $"{t.Id}: acknowledged '{t.Acknowledged}' but the SMI says '{status}'");
                    Assert.That(notices11, Is.EqualTo(t.AcknowledgedNotices), $"{t.Id}: AC 11.1 notices do not match the acknowledged changes");
                }
            }
            var summary = $"{StoreName} kill test: {ackedAtKill} status changes acknowledged in {killedAt.TotalMilliseconds:F0} ms " +
                          $"({ackedAtKill / killedAt.TotalSeconds:F0}/s over {Workers} clients), SIGKILL with {inFlightAtKill} in flight " +
                          $"({committedInFlight} had committed, {lostInFlight} had not), restart to ready in {restartTime.TotalMilliseconds:F0} ms, " +
                          $"{tracks.Count} devices and {notices.GetArrayLength()} notices compared, 0 mismatches.";
            TestContext.Out.WriteLine(summary);
            TestContext.Progress.WriteLine(summary);
            Assert.That(ackedAtKill, Is.GreaterThanOrEqualTo(KillAfterAcknowledged));
        }
        finally
        {
            await dcc.DisposeAsync();
            Directory.Delete(dir, true);
        }
    }

    private static StringContent JsonContent(object body) => new(JsonSerializer.Serialize(body), System.Text.Encoding.UTF8, "application/json");
}

[Category("Store:SQLite")]
public sealed class SqliteCrashRecoveryTests : CrashRecoveryTests
{
    protected override string StoreName => "SQLite";
    protected override Task<IReadOnlyList<string>> StoreArgumentsAsync(string dir) => Task.FromResult<IReadOnlyList<string>>(["--data", Path.Combine(dir, "smi.db")]);
}

[Category("Store:PostgreSQL")]
public sealed class PostgresCrashRecoveryTests : CrashRecoveryTests
{
    protected override string StoreName => "PostgreSQL";

    protected override async Task<IReadOnlyList<string>> StoreArgumentsAsync(string dir)
    {
        var cluster = await PostgresCluster.SharedAsync();
        return ["--postgres", await cluster.CreateDatabaseAsync()];
    }
}
