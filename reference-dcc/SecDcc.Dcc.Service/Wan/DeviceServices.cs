using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Rules;
using SecDcc.Dcc.Service.Devices;
using SecDcc.DeviceProtocol.Messages;
using static SecDcc.Dcc.Service.Wan.PreparedCommand;
using DeviceType = SecDcc.Dcc.Inventory.DeviceType;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// The device Service Requests the SM WAN gateway carries, each with its request-time checks (the SRV's own clauses,
/// after AC 2.7) and its Command. The parameters each takes are in Wan/README.md.
/// </summary>
public static class DeviceServices
{
    /// <summary>Every SRV the gateway knows, with what it is.</summary>
    public static IReadOnlyDictionary<string, string> Known { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["8.1.1"] = "Commission Device",
        ["8.7.1"] = "Join Service (Critical)",
        ["8.7.2"] = "Join Service (Non-Critical)",
        ["8.8.1"] = "UnJoin Service (Critical)",
        ["8.8.2"] = "UnJoin Service (Non-Critical)",
        ["8.9"] = "Read Device Log",
        ["8.11"] = "Update HAN Device Log",
        ["8.12.1"] = "Restore HAN Device Log",
        ["8.12.2"] = "Restore GPF Device Log",
        ["6.15.1"] = "Update Security Credentials (KRP)",
        ["6.15.2"] = "Update Security Credentials (Device)",
        ["6.17"] = "Issue Security Credentials",
        ["6.23"] = "Update Security Credentials (CoS)",
        ["6.24.1"] = "Retrieve Device Security Credentials (KRP)",
        ["6.24.2"] = "Retrieve Device Security Credentials (Device)",
    };

    /// <summary>
    /// Checks <paramref name="request"/> against its SRV's clauses and makes its Command. The AC 2.7 check on the target
    /// has been made by the caller. Requests that record an outstanding command in the SMI (Join, UnJoin, Commission)
    /// do so here; the caller abandons the prepared command if it then cannot send it.
    /// </summary>
    public static async Task<Outcome<PreparedCommand>> PrepareAsync(DeviceRequest request, SmiService smi, CancellationToken ct)
    {
        var p = new Parameters(request);
        return request.ServiceReferenceVariant switch
        {
            "8.11" => await HanDeviceLogAsync(request, p, smi, ct),
            "8.7.1" or "8.7.2" => await JoinAsync(request, p, smi, ct),
            "8.8.1" or "8.8.2" => await UnjoinAsync(request, p, smi, ct),
            "8.1.1" => await CommissionAsync(request, smi, ct),
            "8.9" => await ReadLogAsync(request, smi, ct),
            "8.12.1" or "8.12.2" => await RestoreLogAsync(request, p, smi, ct),
            "6.15.1" or "6.15.2" or "6.23" => await UpdateCredentialsAsync(request, p, smi, ct),
            "6.17" => With(await Recipient(request.Target, smi, ct), d => new Issue(request, d)),
            "6.24.1" or "6.24.2" => With(await Recipient(request.Target, smi, ct), d => new ReadCredentials(request, d, p.List("cells"))),
            var other => new Refusal("WAN", "NotADeviceService",
                $"'{other}' is not a device Service Request the SM WAN adapters carry; they carry {string.Join(", ", Known.Select(k => $"{k.Key} ({k.Value})"))}.",
                RefusalKind.Invalid, "serviceReferenceVariant"),
        };
    }

    private static Outcome<PreparedCommand> With(Outcome<Device> device, Func<Device, PreparedCommand> prepare) =>
        device.IsSuccess ? prepare(device.Value) : device.Refusal!;

    private static async Task<Outcome<Device>> Recipient(DeviceId id, SmiService smi, CancellationToken ct)
    {
        var read = await smi.ReadInventoryAsync(id, ct);
        return read.IsSuccess ? read : Refusal.NotInSmi("AC-2.7", id);
    }

    // ---- 8.11 Update HAN Device Log (AC 4.3) ---------------------------------------------------------------

    private static async Task<Outcome<PreparedCommand>> HanDeviceLogAsync(DeviceRequest request, Parameters p, SmiService smi, CancellationToken ct)
    {
        var deviceId = p.Device("device");
        var action = p.Text("action") ?? "add";
        if (p.Error is { } e)
            return e;
        if (action is not ("add" or "remove"))
            return Refusal.InvalidField("WAN", "parameters.action", $"action '{action}' is not one of add, remove.");
        var read = await smi.ReadInventoryAsync(request.Target, ct);
        if (HanDeviceLogRules.ChfListed(request.Target, read.IsSuccess ? read.Value : null, "AC-4.3") is { } notChf)
            return notChf;
        var chf = read.Value;
        var device = await smi.ReadInventoryAsync(deviceId, ct);
        if (action == "remove")
            return device.IsSuccess ? new HanDeviceLog(request, chf, device.Value, HanLogAction.Remove, []) : Refusal.NotInSmi("AC-2.7", deviceId);
        var mpxns = p.List("mpxns");
        var update = new HanDeviceLogUpdate(request.Requester, chf.Id, deviceId, mpxns);
        if (HanDeviceLogRules.DeviceMayBeWhitelisted(update, device.IsSuccess ? device.Value : null) is { } refused)
            return refused;
        var checkedMpxns = HanDeviceLogRules.MpxnsFor(device.Value, mpxns, "AC-4.3(b)");
        return checkedMpxns.IsSuccess ? new HanDeviceLog(request, chf, device.Value, HanLogAction.Add, checkedMpxns.Value) : checkedMpxns.Refusal!;
    }

    private sealed class HanDeviceLog(DeviceRequest request, Device chf, Device device, HanLogAction action, IReadOnlyList<string> mpxns)
        : PreparedCommand(request, chf, new() { Action = action, Device = Wire.Eui(device.Id), DeviceType = Wire.Type(device.Type), InstallCode = new Octets(request.Payload.Span) })
    {
        public override Eui64? Whitelists => action == HanLogAction.Add ? Wire.Eui(device.Id) : null;


        // AC 4.3: associate with the CHF, record the MPxN(s) and tell the ED/GT, 'whitelisted' (the domain does all three).
        // AC 9.2: a removal takes the Device out of the DCC's record of the CHF's Device Log.
        public override async Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) =>
            action == HanLogAction.Add
                ? (await smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(Request.Requester, Recipient.Id, device.Id, mpxns), ct)).Refusal
                : (await smi.HanDeviceLogEntryRemovedAsync(new HanDeviceLogRemoval(Recipient.Id, device.Id), ct)).Refusal;
    }

    // ---- 8.7 Join and 8.8 UnJoin (AC 4.5–4.8, 7.1) ----------------------------------------------------------

    /// <summary>Target is the Smart Meter or GPF whose Device Log changes, "device" the Device joined; "joinTo" names the owner instead when the Target is the joining Device.</summary>
    private static (DeviceId Device, DeviceId Owner) JoinParties(DeviceRequest request, Parameters p)
    {
        if (p.Has("device"))
            return (p.Device("device"), request.Target);
        if (p.Has("joinTo"))
            return (request.Target, p.Device("joinTo"));
        p.Device("device");
        return default;
    }

    private static async Task<Outcome<PreparedCommand>> JoinAsync(DeviceRequest request, Parameters p, SmiService smi, CancellationToken ct)
    {
        var (deviceId, ownerId) = JoinParties(request, p);
        if (p.Error is { } e)
            return e;
        var accepted = await smi.RequestJoinAsync(new JoinRequest(request.Requester, deviceId, ownerId), ct);
        if (!accepted.IsSuccess)
            return accepted.Refusal!;
        var owner = await Recipient(ownerId, smi, ct);
        var device = await Recipient(deviceId, smi, ct);
        if (owner.IsSuccess && device.IsSuccess)
            return new Join(request, owner.Value, device.Value);
        await smi.JoinResponseAsync(new JoinResponse(deviceId, ownerId, false), ct);
        return (owner.Refusal ?? device.Refusal)!;
    }

    private sealed class Join(DeviceRequest request, Device owner, Device device)
        : PreparedCommand(request, owner, new() { Device = Wire.Eui(device.Id), DeviceType = Wire.Type(device.Type) })
    {

        public override async Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) =>
            (await smi.JoinResponseAsync(new JoinResponse(device.Id, Recipient.Id, true), ct)).Refusal;

        public override Task AbandonAsync(SmiService smi, CancellationToken ct) => smi.JoinResponseAsync(new JoinResponse(device.Id, Recipient.Id, false), ct);
    }

    private static async Task<Outcome<PreparedCommand>> UnjoinAsync(DeviceRequest request, Parameters p, SmiService smi, CancellationToken ct)
    {
        var (deviceId, ownerId) = JoinParties(request, p);
        if (p.Error is { } e)
            return e;
        var accepted = await smi.RequestUnjoinAsync(new UnjoinRequest(request.Requester, deviceId, ownerId), ct);
        if (!accepted.IsSuccess)
            return accepted.Refusal!;
        var owner = await Recipient(ownerId, smi, ct);
        if (owner.IsSuccess)
            return new Unjoin(request, owner.Value, deviceId);
        await smi.UnjoinResponseAsync(new UnjoinResponse(deviceId, ownerId, false), ct);
        return owner.Refusal!;
    }

    private sealed class Unjoin(DeviceRequest request, Device owner, DeviceId device) : PreparedCommand(request, owner, new() { Device = Wire.Eui(device) })
    {

        public override async Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) =>
            (await smi.UnjoinResponseAsync(new UnjoinResponse(device, Recipient.Id, true), ct)).Refusal;

        public override Task AbandonAsync(SmiService smi, CancellationToken ct) => smi.UnjoinResponseAsync(new UnjoinResponse(device, Recipient.Id, false), ct);
    }

    // ---- 8.1.1 Commission Device (AC 4.11–4.13) --------------------------------------------------------------

    private static async Task<Outcome<PreparedCommand>> CommissionAsync(DeviceRequest request, SmiService smi, CancellationToken ct)
    {
        var accepted = await smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(request.Requester, request.Target), ct);
        if (!accepted.IsSuccess)
            return accepted.Refusal!;
        var meter = await Recipient(request.Target, smi, ct);
        if (meter.IsSuccess)
            return new Commission(request, meter.Value);
        await smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(request.Target, false), ct);
        return meter.Refusal!;
    }

    private sealed class Commission(DeviceRequest request, Device meter) : PreparedCommand(request, meter, new())
    {

        public override async Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) =>
            (await smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(Recipient.Id, true), ct)).Refusal;

        public override Task AbandonAsync(SmiService smi, CancellationToken ct) => smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(Recipient.Id, false), ct);
    }

    // ---- 8.9 Read Device Log, 8.12 Restore Device Log ---------------------------------------------------------

    private static async Task<Outcome<PreparedCommand>> ReadLogAsync(DeviceRequest request, SmiService smi, CancellationToken ct)
    {
        var target = await Recipient(request.Target, smi, ct);
        if (!target.IsSuccess)
            return target.Refusal!;
        if (target.Value.Type is not (DeviceType.CHF or DeviceType.GPF or DeviceType.ESME or DeviceType.GSME))
            return new Refusal("WAN", "NoDeviceLog", $"Device {target.Value.Id} is a {target.Value.Type}, which keeps no Device Log; 8.9 reads a CHF's, a GPF's or a Smart Meter's.", RefusalKind.Invalid, "target");
        return new ReadLog(request, target.Value);
    }

    private sealed class ReadLog(DeviceRequest request, Device owner) : PreparedCommand(request, owner, new())
    {
        public override void Describe(CommandResponse response, IDictionary<string, string> data) => data["entries"] = Wire.Entries(response.Entries);
    }

    private static async Task<Outcome<PreparedCommand>> RestoreLogAsync(DeviceRequest request, Parameters p, SmiService smi, CancellationToken ct)
    {
        var owner = await Recipient(request.Target, smi, ct);
        if (!owner.IsSuccess)
            return owner.Refusal!;
        var expected = request.ServiceReferenceVariant == "8.12.1" ? DeviceType.CHF : DeviceType.GPF;
        if (owner.Value.Type != expected)
            return new Refusal("WAN", "WrongDeviceType", $"{request.ServiceReferenceVariant} restores a {expected}'s Device Log; {owner.Value.Id} is a {owner.Value.Type}.", RefusalKind.Invalid, "target");
        if (p.Has("entries"))
            return DeviceLogRecordRules.EntriesGivenByRequester("parameters.entries");
        // DUIS restores a new CHF's or GPF's log from the one it replaces (oldChf/oldGpf); without it, from the Target's own record.
        var from = p.Has("oldChf") ? p.Device("oldChf") : p.Has("oldGpf") ? p.Device("oldGpf") : owner.Value.Id;
        if (p.Error is { } bad)
            return bad;
        // AC 9.3: the entries come from the DCC's AC 9.2 record of the Device being replaced.
        var restore = await smi.RequestRestoreDeviceLogAsync(new RestoreDeviceLogRequest(request.Requester, owner.Value.Id, from), ct);
        if (!restore.IsSuccess)
            return restore.Refusal!;
        var entries = restore.Value.Entries.Select(e => new DeviceLogEntry(Wire.Eui(e.DeviceId), Wire.Type(e.DeviceType))).ToList();
        return new RestoreLog(request, owner.Value, from, entries);
    }

    private sealed class RestoreLog(DeviceRequest request, Device owner, DeviceId from, IReadOnlyList<DeviceLogEntry> entries)
        : PreparedCommand(request, owner, new() { Entries = entries.ToValueList() })
    {
        public override void Describe(CommandResponse response, IDictionary<string, string> data) => data["entries"] = Wire.Entries(response.Entries);

        // AC 9.2: the restored log is now the target's, so the DCC's record follows it.
        public override async Task<Refusal?> ApplySuccessAsync(CommandResponse response, SmiService smi, CancellationToken ct) =>
            (await smi.RestoreDeviceLogResponseAsync(new RestoreDeviceLogResponse(Recipient.Id, from, true), ct)).Refusal;

        public override Task AbandonAsync(SmiService smi, CancellationToken ct) =>
            smi.RestoreDeviceLogResponseAsync(new RestoreDeviceLogResponse(Recipient.Id, from, false), ct);
    }

    // ---- 6.15, 6.17, 6.23, 6.24: security credentials, carried as they come ----------------------------------

    private static async Task<Outcome<PreparedCommand>> UpdateCredentialsAsync(DeviceRequest request, Parameters p, SmiService smi, CancellationToken ct)
    {
        var cell = p.Text("cell");
        if (cell is null)
            return Refusal.InvalidField("WAN", "parameters.cell", $"{request.ServiceReferenceVariant} needs the Trust Anchor Cell to write in parameters.cell (one of {string.Join(", ", CredentialCells.TrustAnchors)}) and its content as the payload.");
        if (request.Payload.IsEmpty)
            return Refusal.InvalidField("WAN", "payload", $"{request.ServiceReferenceVariant} carries the new content of cell '{cell}' as the payload (a DER certificate); the payload is empty.");
        var target = await Recipient(request.Target, smi, ct);
        return target.IsSuccess ? new UpdateCredentials(request, target.Value, new CredentialCell(cell, new Octets(request.Payload.Span))) : target.Refusal!;
    }

    private sealed class UpdateCredentials(DeviceRequest request, Device device, CredentialCell cell)
        : PreparedCommand(request, device, new() { Cells = ValueList.Of(cell) });

    private sealed class Issue(DeviceRequest request, Device device) : PreparedCommand(request, device, new())
    {
        public override void Describe(CommandResponse response, IDictionary<string, string> data) => DescribeCells(response, data);
    }

    private sealed class ReadCredentials(DeviceRequest request, Device device, IReadOnlyList<string> cells)
        : PreparedCommand(request, device, new() { CellNames = cells.ToValueList() })
    {
        public override void Describe(CommandResponse response, IDictionary<string, string> data) => DescribeCells(response, data);
    }

    private static void DescribeCells(CommandResponse response, IDictionary<string, string> data)
    {
        data["cells"] = string.Join(",", response.Cells.Select(c => c.Name));
        foreach (var cell in response.Cells)
            data["cell." + cell.Name] = Wire.Base64(cell.Value);
    }

    /// <summary>Reads a request's parameters, keeping the first error so it can be returned as the refusal.</summary>
    private sealed class Parameters(DeviceRequest request)
    {
        public Refusal? Error { get; private set; }

        public bool Has(string name) => request.Parameters.ContainsKey(name);

        public string? Text(string name) => request.Parameters.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;

        public DeviceId Device(string name)
        {
            if (DeviceId.TryParse(Text(name), out var id, out var error))
                return id;
            Error ??= Refusal.InvalidField("WAN", "parameters." + name, $"{request.ServiceReferenceVariant} needs parameters.{name}: {error}");
            return default;
        }

        /// <summary>A comma-separated list; empty when the parameter is absent.</summary>
        public IReadOnlyList<string> List(string name) =>
            Text(name)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
    }
}
