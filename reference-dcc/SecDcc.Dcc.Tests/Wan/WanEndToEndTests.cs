using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using SecDcc.DeviceProtocol.Local;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// The reference DCC as its own process with its SM WAN gateway, and emulated rigs whose hubs connect to it over TCP:
/// device Service Requests go in through IDeviceRequests (POST /wan/requests), signed Commands go out over the WAN, the
/// devices' signed Responses and Alerts move the SMI, and the devices' own state is read over their local ports.
/// </summary>
public sealed partial class WanEndToEndTests : WanWorldFixture
{
    [Test]
    [CancelAfter(120_000)]
    public async Task The_emulated_rig_goes_from_pre_notification_to_a_commissioned_system_over_the_wan(CancellationToken ct)
    {
        var rig = WanWorld.RepositoryRig;
        Eui64 Id(string name) => rig.Device(name).Id;
        var (chf, gpf, esme, gsme, ppmid, ihd) = (Id("chf"), Id("gpf"), Id("esme"), Id("gsme"), Id("ppmid"), Id("ihd"));
        await _world.PreNotifyAsync(rig, ct);
        Assert.That(await _world.StatusAsync(chf, ct), Is.EqualTo("Pending"), "pre-notified hub");

        var before = await _world.StatisticsAsync(ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);
        try
        {
            // AC 4.1–4.2: the hub's signed "connected" communication, verified against the CHF's Device Certificate.
            await _world.WaitForStatusAsync(chf, "Commissioned", "AC 4.1: the CHF's verified communication commissions it", ct);

            // 8.11 → AC 4.3 (associated, MPAN recorded, ED notified, whitelisted), then the CHF's HAN alert → AC 4.4.
            await _world.SucceedsAsync("8.11", chf, "whitelist the ESME", ct, new() { ["device"] = esme.ToString(), ["mpxns"] = Mpan });
            var esmeRecord = await _world.DeviceAsync(esme, ct);
            Assert.Multiple(() =>
            {
                Assert.That(esmeRecord.GetProperty("chfId").GetString(), Is.EqualTo(chf.ToString()), "AC 4.3(a)");
                Assert.That(esmeRecord.GetProperty("mpxns").EnumerateArray().Select(m => m.GetString()), Is.EqualTo(new[] { Mpan }), "AC 4.3(b)");
            });
            var notices = await _world.Dcc.GetJsonAsync($"/notifications?recipient={Distributor.Party}", ct);
            Assert.That(notices.EnumerateArray().Any(n => n.GetProperty("deviceId").GetString() == esme.ToString()), Is.True, $"AC 4.3(b): the ED is told of the ESME's MPAN: {notices}");
            await _world.WaitForStatusAsync(esme, "InstalledNotCommissioned", "AC 4.4: the CHF's HAN alert for the whitelisted ESME", ct);

            // 8.1.1 → AC 4.13.
            await _world.SucceedsAsync("8.1.1", esme, "commission the ESME", ct);
            Assert.That(await _world.StatusAsync(esme, ct), Is.EqualTo("Commissioned"), "AC 4.13");

            // The gas meter the same way, then the GPF joined to it: AC 4.10, 4.7(b).
            await _world.SucceedsAsync("8.11", chf, "whitelist the GSME", ct, new() { ["device"] = gsme.ToString(), ["mpxns"] = Mprn });
            await _world.WaitForStatusAsync(gsme, "InstalledNotCommissioned", "AC 4.4 for the GSME", ct);
            await _world.SucceedsAsync("8.1.1", gsme, "commission the GSME", ct);
            await _world.SucceedsAsync("8.7.1", gsme, "join the GPF to the GSME", ct, new() { ["device"] = gpf.ToString() });
            var gpfRecord = await _world.DeviceAsync(gpf, ct);
            Assert.Multiple(() =>
            {
                Assert.That(gpfRecord.GetProperty("status").GetString(), Is.EqualTo("Commissioned"), "AC 4.7(b), 4.10");
                Assert.That(gpfRecord.GetProperty("joinedTo").EnumerateArray().Select(j => j.GetString()), Is.EqualTo(new[] { gsme.ToString() }));
            });

            // The PPMID: whitelisted, reported on the HAN, joined through the GPF's Device Log: AC 4.7(b), 4.9.
            await _world.SucceedsAsync("8.11", chf, "whitelist the PPMID", ct, new() { ["device"] = ppmid.ToString() });
            await _world.WaitForStatusAsync(ppmid, "InstalledNotCommissioned", "AC 4.4 for the PPMID", ct);
            await _world.SucceedsAsync("8.7.1", gpf, "join the PPMID to the GPF", ct, new() { ["device"] = ppmid.ToString() });
            Assert.That(await _world.StatusAsync(ppmid, ct), Is.EqualTo("Commissioned"), "AC 4.7(b)");

            // The IHD, a Type 2 Device: associated with the CHF and joined to the ESME, never given a status (AC 4.3(c), 4.8).
            await _world.SucceedsAsync("8.11", chf, "add the IHD to the CHF's log", ct, new() { ["device"] = ihd.ToString() });
            await _world.SucceedsAsync("8.7.2", esme, "join the IHD to the ESME", ct, new() { ["device"] = ihd.ToString() });
            var ihdRecord = await _world.DeviceAsync(ihd, ct);
            Assert.Multiple(() =>
            {
                Assert.That(ihdRecord.TryGetProperty("status", out _), Is.False, "AC 2.9: a Type 2 Device has no SMI Status");
                Assert.That(ihdRecord.GetProperty("joinedTo").EnumerateArray().Select(j => j.GetString()), Is.EqualTo(new[] { esme.ToString() }), "AC 4.8(c)");
            });

            // 8.9 over the WAN, and 6.24.2: the ESME holds the DCC's certificate in its accessControlBroker cell.
            var read = await _world.SucceedsAsync("8.9", esme, "read the ESME's Device Log", ct);
            Assert.That(read.GetProperty("data").GetProperty("entries").GetString(), Is.EqualTo($"{ihd}:IHD"));
            var cells = await _world.SucceedsAsync("6.24.2", esme, "read the ESME's accessControlBroker cell", ct, new() { ["cells"] = CredentialCells.AccessControlBroker });
            using (var dccCertificate = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(_world.DccCertificatePem))
                Assert.That(cells.GetProperty("data").GetProperty("cell.accessControlBroker").GetString(), Is.EqualTo(Convert.ToBase64String(dccCertificate.RawData)));

            // What each device holds, read over its own pseudo-terminal with the serial driver, agrees with the SMI (8.2).
            var hub = await _world.Dcc.GetJsonAsync($"/inventory/chf/{chf}", ct);
            var associated = hub.GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("deviceId").GetString()).Where(d => d != gpf.ToString());
            await Assert.MultipleAsync(async () =>
            {
                Assert.That((await LogAsync(emulated, "chf", ct)).Select(e => e.DeviceId.ToString()), Is.EquivalentTo(associated), "the CHF's HAN Device Log against the SMI's Associations (AC 4.3(a))");
                Assert.That(await LogAsync(emulated, "esme", ct), Is.EqualTo(new[] { new DeviceLogEntry(ihd, DeviceProtocol.Messages.DeviceType.IHD) }));
                Assert.That(await LogAsync(emulated, "gsme", ct), Is.EqualTo(new[] { new DeviceLogEntry(gpf, DeviceProtocol.Messages.DeviceType.GPF) }));
                Assert.That(await LogAsync(emulated, "gpf", ct), Is.EqualTo(new[] { new DeviceLogEntry(ppmid, DeviceProtocol.Messages.DeviceType.PPMID) }));
                Assert.That((await StateAsync(emulated, "esme", ct)).Commissioned, Is.True, "the ESME's commissioned flag (8.1.1)");
                Assert.That((await StateAsync(emulated, "gsme", ct)).Commissioned, Is.True, "the GSME's commissioned flag (8.1.1)");
            });

            // 8.8.2 → AC 7.1: the Association ends, and the ESME's log is empty again.
            await _world.SucceedsAsync("8.8.2", esme, "unjoin the IHD from the ESME", ct, new() { ["device"] = ihd.ToString() });
            Assert.That((await _world.DeviceAsync(ihd, ct)).GetProperty("joinedTo").GetArrayLength(), Is.Zero, "AC 7.1");
            Assert.That(await LogAsync(emulated, "esme", ct), Is.Empty);

            // 8.12.1: the CHF's HAN Device Log restored from what the SMI records.
            var restored = await _world.SucceedsAsync("8.12.1", chf, "restore the CHF's log", ct);
            Assert.That(restored.GetProperty("data").GetProperty("entries").GetString()!.Split(',').Select(e => e.Split(':')[0]), Is.EquivalentTo(associated));

            var statistics = await _world.StatisticsAsync(ct);
            Assert.Multiple(() =>
            {
                Assert.That(WanWorld.Count(statistics, "commands", "timeouts") - WanWorld.Count(before, "commands", "timeouts"), Is.Zero, "no Command of the walk timed out");
                Assert.That(WanWorld.Count(statistics, "hanAlerts", "applied") - WanWorld.Count(before, "hanAlerts", "applied"), Is.EqualTo(4), "HAN alerts for the ESME, GSME, PPMID and IHD");
            });
        }
        finally
        {
            TestContext.Out.WriteLine(log);
        }
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_connected_communication_signed_with_the_wrong_key_does_not_commission_the_chf_and_is_counted(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x5701, WanWorld.QuirkyCh(QuirkKind.WrongWanKey), "chf", "gpf");
        await _world.PreNotifyAsync(rig, ct, others: false);
        var before = await _world.StatisticsAsync(ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);

        JsonElement after = default;
        var refused = await WanWorld.EventuallyAsync(async () =>
        {
            after = await _world.StatisticsAsync(ct);
            return WanWorld.Count(after, "refusedByClause", "AC-4.2(c)") > WanWorld.Count(before, "refusedByClause", "AC-4.2(c)");
        }, ct);
        Assert.That(refused, Is.True, $"the gateway never refused the wrongly signed communication under AC 4.2(c): {after}\n{log}");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(WanWorld.Count(after, "frames", "dropped", "BadSignature"), Is.GreaterThan(WanWorld.Count(before, "frames", "dropped", "BadSignature")), "the bad signature is counted");
            Assert.That(await _world.StatusAsync(rig.Chf.Id, ct), Is.EqualTo("Pending"), "AC 4.2(c): the CHF is not Commissioned");
            var hubs = await _world.Dcc.GetJsonAsync("/wan/hubs", ct);
            Assert.That(hubs.EnumerateArray().Any(h => h.TryGetProperty("chfId", out var id) && id.GetString() == rig.Chf.Id.ToString()), Is.False, "no Commands are routed to an unverified hub");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Without_the_chfs_han_alert_the_device_stays_whitelisted(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x5702, WanWorld.QuirkyCh(QuirkKind.NoHanAlert), "chf", "gpf", "esme");
        var (chf, esme) = (rig.Chf.Id, rig.Device("esme").Id);
        await _world.PreNotifyAsync(rig, ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);
        await _world.WaitForStatusAsync(chf, "Commissioned", "AC 4.1", ct);

        await _world.SucceedsAsync("8.11", chf, "whitelist the ESME", ct, new() { ["device"] = esme.ToString(), ["mpxns"] = Mpan });
        Assert.That(await _world.StatusAsync(esme, ct), Is.EqualTo("Whitelisted"), "AC 4.3(c)");

        // The CHF hears the ESME on the HAN (where a conforming CHF raises its alert); one more WAN round trip after that
        // carries anything the hub sent before it.
        var heard = await WanWorld.EventuallyAsync(async () => (await StateAsync(emulated, "chf", ct)).ReachableDevices.Contains(esme), ct);
        Assert.That(heard, Is.True, $"the CHF never heard the ESME on the HAN:\n{log}");
        await _world.SucceedsAsync("8.9", chf, "a WAN round trip after the HAN join", ct);

        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await _world.StatusAsync(esme, ct), Is.EqualTo("Whitelisted"), "no HAN alert, so not 'installed not commissioned' (AC 4.4)");
            Assert.That(log.Lines.Any(l => l.Contains("no-han-alert", StringComparison.Ordinal)), Is.True, "the quirk was what kept the alert back");
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task A_response_after_the_timeout_ends_in_a_timeout_outcome_and_changes_nothing(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x5703, WanWorld.QuirkyCh(QuirkKind.LateResponses, WanWorld.ResponseTimeout * 2), "chf", "gpf", "esme");
        var (chf, esme) = (rig.Chf.Id, rig.Device("esme").Id);
        await _world.PreNotifyAsync(rig, ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);
        await _world.WaitForStatusAsync(chf, "Commissioned", "AC 4.1 (the connection is not a Response, so it is not late)", ct);
        var esmeBefore = (await _world.DeviceAsync(esme, ct)).ToString();
        var noticesBefore = (await _world.Dcc.GetJsonAsync("/notifications?limit=10000", ct)).GetArrayLength();
        var before = await _world.StatisticsAsync(ct);

        var outcome = await _world.RequestAsync("8.11", chf, ct, new() { ["device"] = esme.ToString(), ["mpxns"] = Mpan });
        Assert.Multiple(() =>
        {
            Assert.That(outcome.GetProperty("successfullyExecuted").GetBoolean(), Is.False);
            Assert.That(outcome.GetProperty("data").GetProperty("timeout").GetString(), Is.EqualTo("true"), outcome.ToString);
        });

        // The Response still comes, late: it is counted and changes nothing.
        JsonElement after = default;
        var late = await WanWorld.EventuallyAsync(async () =>
        {
            after = await _world.StatisticsAsync(ct);
            return WanWorld.Count(after, "commands", "lateResponses") > WanWorld.Count(before, "commands", "lateResponses");
        }, ct);
        Assert.That(late, Is.True, $"the late Response never arrived: {after}\n{log}");
        await Assert.MultipleAsync(async () =>
        {
            Assert.That((await _world.DeviceAsync(esme, ct)).ToString(), Is.EqualTo(esmeBefore), "the ESME's SMI record");
            Assert.That((await _world.Dcc.GetJsonAsync("/notifications?limit=10000", ct)).GetArrayLength(), Is.EqualTo(noticesBefore), "no ED/GT notice");
            Assert.That(WanWorld.Count(after, "commands", "timeouts"), Is.GreaterThan(WanWorld.Count(before, "commands", "timeouts")));
        });
    }

    [Test]
    [CancelAfter(60_000)]
    public async Task Nothing_is_sent_to_a_device_not_in_the_smi_and_an_unlisted_chf_is_not_commissioned(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x5704, null, "chf", "gpf", "esme");
        var (chf, esme) = (rig.Chf.Id, rig.Device("esme").Id);
        var before = await _world.StatisticsAsync(ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);

        // AC 4.2(a): the CHF's connection is verified, but it is not in the SMI, so nothing is Commissioned.
        var refused = await WanWorld.EventuallyAsync(async () =>
            WanWorld.Count(await _world.StatisticsAsync(ct), "refusedByClause", "AC-4.2(a)") > WanWorld.Count(before, "refusedByClause", "AC-4.2(a)"), ct);
        Assert.That(refused, Is.True, $"the unlisted CHF's connection was not refused under AC 4.2(a): {await _world.StatisticsTextAsync(ct)}");
        Assert.That((await _world.Dcc.Http.GetAsync($"/inventory/devices/{chf}", ct)).StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "the CHF is still not in the SMI");

        // AC 2.7: requests to Devices not in the SMI are refused, citing the clause.
        foreach (var (srv, target) in new[] { ("8.9", chf), ("8.1.1", esme), ("6.24.2", esme) })
        {
            var (code, body, _) = await _world.SubmitAsync(srv, target, ct);
            Assert.Multiple(() =>
            {
                Assert.That(code, Is.EqualTo(HttpStatusCode.NotFound), body.ToString);
                Assert.That(body.GetProperty("clause").GetString(), Is.EqualTo("AC-2.7"), body.ToString);
            });
        }

        // Nothing reached the hub: it has accepted no frame from the DCC.
        Assert.That(await WanFramesAcceptedAsync(emulated, ct), Is.Zero, $"the CHF accepted frames from the DCC:\n{log}");

        // Once listed, the same CHF gets a Command, and exactly that one: the refused requests were never on the wire.
        await _world.PreNotifyAsync(rig, ct, others: false);
        await _world.SucceedsAsync("8.9", chf, "read the now listed CHF's log", ct);
        await Assert.MultipleAsync(async () =>
        {
            Assert.That(await WanFramesAcceptedAsync(emulated, ct), Is.EqualTo(1), $"frames the CHF accepted from the DCC:\n{log}");
            Assert.That(await _world.StatusAsync(chf, ct), Is.EqualTo("Pending"), "a connection refused under AC 4.2(a) Commissions nothing later");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Trusting_the_same_device_issuer_again_answers_as_the_first_time_and_adds_no_issuer(CancellationToken ct)
    {
        using var authority = LocalCertificateAuthority.Create("SecDcc repeated device CA");
        var pem = authority.IssuerCertificate.ExportCertificatePem();
        var (firstStatus, first) = await _world.Dcc.PostRawAsync("/wan/device-issuers", pem, ct, "application/x-pem-file");
        var (againStatus, again) = await _world.Dcc.PostRawAsync("/wan/device-issuers", pem, ct, "application/x-pem-file");
        Assert.Multiple(() =>
        {
            Assert.That(firstStatus, Is.EqualTo(HttpStatusCode.OK), first.ToString);
            Assert.That(againStatus, Is.EqualTo(HttpStatusCode.OK), again.ToString);
            Assert.That(again.GetProperty("trusted").GetString(), Is.EqualTo(authority.IssuerCertificate.Subject));
            Assert.That(again.GetProperty("issuers").GetArrayLength(), Is.EqualTo(first.GetProperty("issuers").GetArrayLength()), "issuers trusted after the repeat");
        });
    }

    internal static async Task<IReadOnlyList<DeviceLogEntry>> LogAsync(EmulatedRig rig, string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(rig[name].LocalPortPath);
        return await port.ReadDeviceLogAsync(ct);
    }

    internal static async Task<DeviceStateInfo> StateAsync(EmulatedRig rig, string name, CancellationToken ct)
    {
        await using var port = LocalPortClient.Open(rig[name].LocalPortPath);
        return await port.ReadStateAsync(ct);
    }

    /// <summary>Frames the CHF has accepted on its WAN link, as its local port reports ("WAN: accepted N, …").</summary>
    internal static async Task<long> WanFramesAcceptedAsync(EmulatedRig rig, CancellationToken ct)
    {
        var statistics = (await StateAsync(rig, "chf", ct)).LinkStatistics;
        var match = WanAccepted().Match(statistics);
        Assert.That(match.Success, Is.True, $"the CHF's link statistics do not say what its WAN accepted: {statistics}");
        return long.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"WAN: accepted (\d+)")]
    private static partial Regex WanAccepted();
}
