using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Rigs.Model;
using SecDcc.Steps.Support;

namespace SecDcc.Cli.Ppc;

/// <summary>Where a failed step's fault lies, which decides the 6.13 judgement (docs/decisions/1401).</summary>
public enum FaultSide { None, Devices, Dcc }

/// <summary>One named step of the PPC test plan as it ran: its outcome, why it failed, and when.</summary>
public sealed record PlanStep(string Name, string Clause, bool? Passed, string? Reason, FaultSide Side, DateTimeOffset Start, DateTimeOffset Stop);

/// <summary>A step's failure, carrying where the fault lies.</summary>
public sealed class StepFailedException(string reason, FaultSide side) : Exception(reason)
{
    public FaultSide Side { get; } = side;
}

/// <summary>
/// The SMETS1 PPC test plan (BEIS consultation 6.12) over the DCC's SM WAN, as the gateway's end-to-end walk does it:
/// pre-notification, the CHF commissioned by its connection (AC 4.1), Update HAN Device Log and the CHF's HAN alert
/// (AC 4.3, 4.4), commissioning (4.13), joins (4.7), a Device Log read (8.9) and an unjoin (7.1). Device requests go
/// through the test-mode endpoint POST /wan/requests, as a Supplier's would.
/// </summary>
public sealed class PpcPlan(HttpClient dcc, RigDefinition rig, TimeSpan deadline)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    public static readonly object Supplier = new { party = SupplierParty, role = "IS" };
    public const string SupplierParty = "90-B3-D5-1F-30-01-00-00";
    public const string DistributorParty = "90-B3-D5-1F-30-02-00-00";
    public const string TransporterParty = "90-B3-D5-1F-30-05-00-00";
    private const string Mpan = "1012345678901";
    private const string Mprn = "7654321";
    private int _requests;

    public List<PlanStep> Steps { get; } = [];

    /// <summary>Runs every step in order; after a failure the rest are recorded as not run, as they depend on it.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var plan = new List<(string Name, string Clause, Func<Task> Act)>();
        DeviceDefinition? Of(DeviceType t) => rig.Devices.FirstOrDefault(d => d.Type == t);
        var chf = rig.Chf;
        var gpf = Of(DeviceType.GPF);
        var esme = Of(DeviceType.ESME);
        var gsme = Of(DeviceType.GSME);
        var ppmid = Of(DeviceType.PPMID);
        var ihd = Of(DeviceType.IHD);

        plan.Add(("Pre-notify the devices", "AC 2.5, 2.6, 3.4", () => PreNotifyAsync(ct)));
        plan.Add(("CHF commissioned by its WAN connection", "AC 4.1", () => WaitForStatusAsync(chf, "Commissioned", "AC 4.1", "the CHF's signed connection did not commission it", ct)));
        var anchor = esme ?? gsme;
        if (esme is not null)
            AddMeter(plan, esme, Mpan, ct);
        if (gsme is not null)
        {
            AddMeter(plan, gsme, Mprn, ct);
            if (gpf is not null)
                plan.Add(($"Join the GPF to the GSME {gsme.Id}", "AC 4.7", () => SucceedsAsync("8.7.1", gsme, new() { ["device"] = gpf.Id.ToString() }, ct)));
        }
        if (ppmid is not null && anchor is not null)
        {
            plan.Add(($"Update HAN Device Log for the PPMID {ppmid.Id}", "AC 4.3", () => SucceedsAsync("8.11", chf, new() { ["device"] = ppmid.Id.ToString() }, ct)));
            plan.Add(($"HAN alert for the PPMID {ppmid.Id}", "AC 4.4", () => WaitForStatusAsync(ppmid, "InstalledNotCommissioned", "AC 4.4 HAN alert", $"no AC 4.4 HAN alert for PPMID {ppmid.Id}", ct)));
            plan.Add(($"Join the PPMID to the {anchor.Type} {anchor.Id}", "AC 4.7", () => SucceedsAsync("8.7.1", anchor, new() { ["device"] = ppmid.Id.ToString() }, ct)));
        }
        if (ihd is not null && anchor is not null)
        {
            plan.Add(($"Update HAN Device Log for the IHD {ihd.Id}", "AC 4.3", () => SucceedsAsync("8.11", chf, new() { ["device"] = ihd.Id.ToString() }, ct)));
            plan.Add(($"Join the IHD to the {anchor.Type} {anchor.Id}", "AC 4.8", () => SucceedsAsync("8.7.2", anchor, new() { ["device"] = ihd.Id.ToString() }, ct)));
        }
        if (anchor is not null)
            plan.Add(($"Read the {anchor.Type}'s Device Log", "8.9", () => SucceedsAsync("8.9", anchor, [], ct)));
        if (ihd is not null && anchor is not null)
            plan.Add(($"Unjoin the IHD from the {anchor.Type} {anchor.Id}", "AC 7.1", () => SucceedsAsync("8.8.2", anchor, new() { ["device"] = ihd.Id.ToString() }, ct)));
        else if (ppmid is not null && anchor is not null)
            plan.Add(($"Unjoin the PPMID from the {anchor.Type} {anchor.Id}", "AC 7.1", () => SucceedsAsync("8.8.1", anchor, new() { ["device"] = ppmid.Id.ToString() }, ct)));

        var failed = false;
        foreach (var (name, clause, act) in plan)
        {
            var start = DateTimeOffset.UtcNow;
            if (failed)
            {
                Steps.Add(new PlanStep(name, clause, null, "not run: an earlier step failed", FaultSide.None, start, start));
                continue;
            }
            try
            {
                await act();
                Steps.Add(new PlanStep(name, clause, true, null, FaultSide.None, start, DateTimeOffset.UtcNow));
            }
            catch (StepFailedException e)
            {
                failed = true;
                Steps.Add(new PlanStep(name, clause, false, e.Message, e.Side, start, DateTimeOffset.UtcNow));
            }
        }
    }

    private void AddMeter(List<(string, string, Func<Task>)> plan, DeviceDefinition meter, string mpxn, CancellationToken ct)
    {
        plan.Add(($"Update HAN Device Log for the {meter.Type} {meter.Id}", "AC 4.3", () => SucceedsAsync("8.11", rig.Chf, new() { ["device"] = meter.Id.ToString(), ["mpxns"] = mpxn }, ct)));
        plan.Add(($"HAN alert for the {meter.Type} {meter.Id}", "AC 4.4", () => WaitForStatusAsync(meter, "InstalledNotCommissioned", "AC 4.4 HAN alert", $"no AC 4.4 HAN alert for {meter.Type} {meter.Id}", ct)));
        plan.Add(($"Commission the {meter.Type} {meter.Id}", "AC 4.13", () => SucceedsAsync("8.1.1", meter, [], ct)));
    }

    private async Task PreNotifyAsync(CancellationToken ct)
    {
        foreach (var d in rig.Devices)
            await NeedAsync($"inventory/devices/{d.Id}/service-desk", new { actor = Supplier, information = new Dictionary<string, string>() }, $"tell the Service Desk about the {d.Name} (AC 3.4)", ct);
        var gpf = rig.Devices.FirstOrDefault(d => d.Type == DeviceType.GPF);
        await NeedAsync("inventory/communications-hubs", new { actor = Supplier, chfId = rig.Chf.Id.ToString(), gpfId = gpf?.Id.ToString(), model = Wire(rig.Chf.Model), generation = "SMETS1" }, "add the SMETS1 hub (AC 2.5)", ct);
        foreach (var d in rig.Devices.Where(d => d.Type is not (DeviceType.CHF or DeviceType.GPF)))
            await NeedAsync("inventory/devices", new { actor = Supplier, deviceId = d.Id.ToString(), deviceType = d.Type.ToString(), model = Wire(d.Model), generation = "SMETS1" }, $"pre-notify the {d.Name} (AC 2.6)", ct);
    }

    /// <summary>A request the DCC must accept; a refusal is the DCC's, since the plan asks only what the SEC allows.</summary>
    private async Task NeedAsync(string path, object body, string what, CancellationToken ct)
    {
        using var response = await dcc.PostAsJsonAsync(path, body, Json, ct);
        if (!response.IsSuccessStatusCode)
            throw new StepFailedException($"the DCC refused to {what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}", FaultSide.Dcc);
    }

    private async Task WaitForStatusAsync(DeviceDefinition device, string status, string what, string failure, CancellationToken ct)
    {
        string? last = null;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < deadline)
        {
            last = await StatusAsync(device, ct);
            if (last == status)
                return;
            await Task.Delay(100, ct); // the poll interval of a state check, not a wait in its place
        }
        throw new StepFailedException($"{failure} within {deadline.TotalSeconds:0} s ({what}): {device.Type} {device.Id} is {last ?? "without a status"}, not {status}", FaultSide.Devices);
    }

    private async Task<string?> StatusAsync(DeviceDefinition device, CancellationToken ct)
    {
        using var response = await dcc.GetAsync($"inventory/devices/{device.Id}", ct);
        if (!response.IsSuccessStatusCode)
            return null;
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct));
        return doc.RootElement.TryGetProperty("status", out var s) ? s.GetString() : null;
    }

    /// <summary>Submits a device request; a refusal is the DCC's fault, a failed or missing Response the devices'.</summary>
    private async Task SucceedsAsync(string srv, DeviceDefinition target, Dictionary<string, string> parameters, CancellationToken ct)
    {
        var requestId = $"{SupplierParty}:{target.Id}:{Interlocked.Increment(ref _requests)}";
        using (var response = await dcc.PostAsJsonAsync("wan/requests", new { requestId, serviceReferenceVariant = srv, actor = Supplier, target = target.Id.ToString(), parameters }, Json, ct))
        {
            if (response.StatusCode != HttpStatusCode.Accepted)
                throw new StepFailedException($"the DCC refused {srv} to {target.Type} {target.Id}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}", FaultSide.Dcc);
        }
        var clock = Stopwatch.StartNew();
        var last = "";
        while (clock.Elapsed < deadline)
        {
            last = await dcc.GetStringAsync($"wan/requests/{Uri.EscapeDataString(requestId)}", ct);
            using var doc = JsonDocument.Parse(last);
            if (doc.RootElement.GetProperty("state").GetString() == "completed")
            {
                var outcome = doc.RootElement.GetProperty("outcome");
                if (outcome.TryGetProperty("successfullyExecuted", out var ok) && ok.GetBoolean())
                    return;
                throw new StepFailedException($"{srv} to {target.Type} {target.Id} was not Successfully Executed: {outcome}", FaultSide.Devices);
            }
            await Task.Delay(100, ct); // the poll interval of an outcome check
        }
        throw new StepFailedException($"no outcome for {srv} to {target.Type} {target.Id} within {deadline.TotalSeconds:0} s: {last}", FaultSide.Devices);
    }

    public static object Wire(DeviceModelDefinition m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };

    public static DeviceModel Model(DeviceModelDefinition m) => new(m.Manufacturer, m.Model, m.HardwareVersion, m.FirmwareVersion);

    /// <summary>
    /// What the plan needs of the DCC before it starts: a Panel-signed CPL listing the combination's models, the
    /// Supplier's SMETS1 declarations (AC 3.8), the ED and GT, and the combination on the PPC.
    /// </summary>
    public static async Task PrepareAsync(HttpClient dcc, Panel panel, CombinationDefinition combination, CancellationToken ct)
    {
        long held = 0;
        using (var current = await dcc.GetAsync("products/cpl", ct))
        {
            if (current.IsSuccessStatusCode)
            {
                using var doc = JsonDocument.Parse(await current.Content.ReadAsStringAsync(ct));
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("sequence", out var s) && s.TryGetInt64(out var n))
                    held = n;
            }
        }
        // Type 2 Devices (IHD, CAD) are not identified in the CPL (AC 2.9), nor declared SMETS1.
        var listed = combination.Devices.Where(d => d.Type is not ("IHD" or "CAD")).ToList();
        var entries = listed
            .GroupBy(d => Model(d.Model).Key)
            .Select(g => g.First())
            .Select(d => panel.Entry(d.Model.Kind.ToString(), Model(d.Model), Generation.Smets1, null))
            .ToList();
        var signed = Panel.Sign(Panel.Payload(panel.NextSequence(held), DateTimeOffset.UtcNow, entries), panel.PanelKey);
        await PostAsync(dcc, "products/cpl", new StringContent(signed, Encoding.UTF8, "application/json"), "publish the Panel-signed CPL with the combination's models (F2.15)", ct);
        await PostAsync(dcc, "clock/run-duties", JsonContent.Create(new { }), "run the duties so the SMI follows the CPL", ct);
        foreach (var m in listed.Select(d => d.Model).DistinctBy(m => Model(m).Key))
            await PostAsync(dcc, "inventory/smets1-declarations", JsonContent.Create(new { actor = Supplier, model = Wire(m), supplierLegalName = "Testing Participant", signedBy = "Testing Participant, Director" }, options: Json),
                $"declare {m.Model} SMETS1 (AC 3.8)", ct);
        await PostAsync(dcc, "inventory/network-operators", JsonContent.Create(new { gas = false, prefix = "10", party = DistributorParty }), "register the ED", ct, conflictIsFine: true);
        await PostAsync(dcc, "inventory/network-operators", JsonContent.Create(new { gas = true, prefix = "7", party = TransporterParty }), "register the GT", ct, conflictIsFine: true);
    }

    private static async Task PostAsync(HttpClient dcc, string path, HttpContent content, string what, CancellationToken ct, bool conflictIsFine = false)
    {
        using var response = await dcc.PostAsync(path, content, ct);
        if (!response.IsSuccessStatusCode && !(conflictIsFine && response.StatusCode == HttpStatusCode.Conflict))
            throw new SecDcc.Steps.Support.DccUnavailableException($"could not {what}: POST /{path} answered {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(ct)}");
    }
}
