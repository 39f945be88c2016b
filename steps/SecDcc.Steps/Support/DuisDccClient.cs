using System.Net;
using System.Text.RegularExpressions;
using SecDcc.Duis.Client;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Scenarios;
using DuisEui = SecDcc.Duis.Eui64;
using DuisType = SecDcc.Duis.Messages.DeviceType;

namespace SecDcc.Steps.Support;

/// <summary>
/// The Service Requests over DUIS (SECDCC_TRANSPORT=duis): signed XML to POST /api/v1/serviceS, the DCC's signed
/// response verified and read, both attached to the step as evidence. A refusal's clause comes from the response's
/// signed diagnostic. What DUIS has no Service Request for, or cannot say, stays on the JSON API:
/// <list type="bullet">
/// <item>Update HAN Device Log, Join, UnJoin, Commission Device and Restore Device Log are device Service Requests: over DUIS
/// they go to the Device through the SM WAN, while the suite plays the Devices through the test-mode events of the JSON API;</item>
/// <item>'Return Local Command Response' (8.13) carries the Device's own GBCS Response, which the suite's devices do not
/// produce, so the Response the User received locally is returned through the JSON API;</item>
/// <item>Service Desk information, SMETS1 declarations and notifications have no DUIS Service Request;</item>
/// <item>Withdrawal has one only for a Communications Hub (8.4 UpdateDeviceStatusCH), and returning to 'pending' only for other
/// Devices (8.4 UpdateDeviceStatusExceptCH);</item>
/// <item>a pre-notification naming a Responsible or Lead Supplier other than the sender, and an MPxN change other than one
/// import MPxN, cannot be written in 12.2 or 8.4;</item>
/// <item>a Type 2 Device's pre-notification: 12.2 carries no hardware version and Type 2 models are not on the CPL, so the
/// DCC could not record the model the scenario names;</item>
/// <item>a request from a role the DUIS request matrix does not allow for its SRV: DUIS refuses it (E2) before the clause the
/// scenario is about.</item>
/// </list>
/// Reads go through DUIS 8.2 and are completed from the JSON API with what 8.2 does not carry (hardware version,
/// associations, Responsible Suppliers); the fields both carry must agree.
/// </summary>
public sealed partial class DuisDccClient(DuisSession session, DccHttp http, ScenarioContext context) : IDccClient
{
    private readonly JsonDccClient _json = new(http);

    // ---- 12.2 Device Pre-notification -------------------------------------------------------------------------

    public async Task<DccReply<DeviceRecord>> AddDeviceAsync(Actor actor, string deviceId, string deviceType, DeviceModel model, Generation generation, string? responsibleSupplier, CancellationToken ct)
    {
        if ((responsibleSupplier is not null && responsibleSupplier != actor.Party) || deviceType is "IHD" or "CAD" || !Eligible(actor, "12.2"))
            return await _json.AddDeviceAsync(actor, deviceId, deviceType, model, generation, responsibleSupplier, ct);
        var body = new DevicePreNotification(DuisEui.Parse(deviceId), model.Manufacturer, model.Model, ParseType(deviceType),
            SmetsChtsVersion: generation == Generation.Smets1 ? "SMETS1" : "SMETS2+", FirmwareVersion: model.FirmwareVersion);
        return await ThenReadAsync(await SendAsync(actor, null, body, ct), deviceId, ct);
    }

    public async Task<DccReply<HubRecord>> AddCommunicationsHubAsync(Actor actor, string chfId, string? gpfId, DeviceModel model, Generation generation, string? leadSupplier, IReadOnlyList<string>? responsibleSuppliers, CancellationToken ct)
    {
        var onlySender = (leadSupplier is null || leadSupplier == actor.Party) && (responsibleSuppliers is null || responsibleSuppliers.SequenceEqual([actor.Party]));
        if (!onlySender || !Eligible(actor, "12.2"))
            return await _json.AddCommunicationsHubAsync(actor, chfId, gpfId, model, generation, leadSupplier, responsibleSuppliers, ct);
        var body = new DevicePreNotification(DuisEui.Parse(chfId), model.Manufacturer, model.Model, DuisType.Chf,
            SmetsChtsVersion: generation == Generation.Smets1 ? "SMETS1" : "SMETS2+", FirmwareVersion: model.FirmwareVersion,
            AssociatedGpfDeviceId: gpfId is null ? null : DuisEui.Parse(gpfId));
        var sent = await SendAsync(actor, null, body, ct);
        return sent.Refusal is { } refusal ? new DccReply<HubRecord>(null, refusal, sent.Name) : await ReadHubAsync(chfId, ct);
    }

    // ---- 8.2 Read Inventory -------------------------------------------------------------------------------------

    public async Task<DccReply<DeviceRecord>> ReadDeviceAsync(string deviceId, CancellationToken ct)
    {
        var read = await SendAsync(session.Reader, null, ReadInventory.ByDeviceId(DuisEui.Parse(deviceId)), ct);
        if (read.Refusal is { } refusal)
            return new DccReply<DeviceRecord>(null, refusal, read.Name);
        var full = await _json.ReadDeviceAsync(deviceId, ct);
        if (full.Value is { } record)
            Agree(Inventory(read).Single(d => d.DeviceId.ToString() == deviceId), record);
        return full;
    }

    public async Task<DccReply<HubRecord>> ReadHubAsync(string chfId, CancellationToken ct)
    {
        var read = await SendAsync(session.Reader, null, ReadInventory.ByDeviceId(DuisEui.Parse(chfId)), ct);
        if (read.Refusal is { } refusal)
            return new DccReply<HubRecord>(null, refusal, read.Name);
        var full = await _json.ReadHubAsync(chfId, ct);
        if (full.Value is { } hub)
        {
            var listed = Inventory(read);
            foreach (var record in new[] { hub.Chf }.Concat(hub.Devices).Take(listed.Count))
                Agree(listed.SingleOrDefault(d => d.DeviceId.ToString() == record.DeviceId)
                      ?? throw new DccProtocolException($"DUIS 8.2 of CHF {chfId} does not list {record.DeviceType} {record.DeviceId}, which the JSON API has in its Device Log."), record);
        }
        return full;
    }

    // ---- 8.3 Decommission, 8.4 Update Inventory -----------------------------------------------------------------------

    public async Task<DccReply<DeviceRecord>> DecommissionAsync(Actor actor, string deviceId, CancellationToken ct) =>
        Eligible(actor, "8.3")
            ? await ThenReadAsync(await SendAsync(actor, null, new DecommissionDevice(DuisEui.Parse(deviceId)), ct), deviceId, ct)
            : await _json.DecommissionAsync(actor, deviceId, ct);

    public async Task<DccReply<DeviceRecord>> WithdrawAsync(Actor actor, string deviceId, CancellationToken ct) =>
        Eligible(actor, "8.4") && await IsHubAsync(deviceId, ct)
            ? await ThenReadAsync(await SendAsync(actor, null, new UpdateInventory(DuisEui.Parse(deviceId), new UpdateDeviceStatusCh(DeviceStatus.Withdrawn)), ct), deviceId, ct)
            : await _json.WithdrawAsync(actor, deviceId, ct);

    public async Task<DccReply<DeviceRecord>> ReactivateAsync(Actor actor, string deviceId, CancellationToken ct) =>
        !Eligible(actor, "8.4") || await IsHubAsync(deviceId, ct)
            ? await _json.ReactivateAsync(actor, deviceId, ct)
            : await ThenReadAsync(await SendAsync(actor, null, new UpdateInventory(DuisEui.Parse(deviceId), new UpdateDeviceStatusExceptCh(DeviceStatus.Pending)), ct), deviceId, ct);

    public async Task<DccReply<DeviceRecord>> UpdateMpxnsAsync(Actor actor, string deviceId, IReadOnlyList<string> mpxns, CancellationToken ct)
    {
        // 8.4 sets one MPxN at a time; replacing a single import MPxN means the same in both APIs.
        var now = await _json.ReadDeviceAsync(deviceId, ct);
        if (mpxns.Count != 1 || now.Value is not { } device || device.Mpxns.Count > 1 || !Eligible(actor, "8.4"))
            return await _json.UpdateMpxnsAsync(actor, deviceId, mpxns, ct);
        return await ThenReadAsync(await SendAsync(actor, null, new UpdateInventory(DuisEui.Parse(deviceId), new UpdateMpxn(MpxnKind.ImportMpxn, mpxns[0])), ct), deviceId, ct);
    }

    public async Task<DccReply<DeviceRecord>> UpdateDeviceModelAsync(Actor actor, string deviceId, DeviceModel model, CancellationToken ct)
    {
        if (!Eligible(actor, "8.4"))
            return await _json.UpdateDeviceModelAsync(actor, deviceId, model, ct);
        var body = new UpdateInventory(DuisEui.Parse(deviceId), new UpdateDeviceDetails(model.Manufacturer, model.Model, FirmwareVersion: model.FirmwareVersion));
        var reply = await ThenReadAsync(await SendAsync(actor, null, body, ct), deviceId, ct);
        if (reply.Value is { } after && after.Model != model)
            throw new DccProtocolException($"Update Inventory over DUIS recorded {after.Model} for {deviceId}, not {model}: DUIS names no hardware version, and the DCC did not keep or find {model.HardwareVersion}.");
        return reply;
    }

    // ---- what stays on the JSON API (see the class summary) ------------------------------------------------------------

    public Task<DccReply<DeviceRecord>> UpdateHanDeviceLogAsync(Actor actor, string chfId, string deviceId, IReadOnlyList<string>? mpxns, CancellationToken ct) =>
        _json.UpdateHanDeviceLogAsync(actor, chfId, deviceId, mpxns, ct);

    public Task<DccReply<CommandRecord>> JoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct) => _json.JoinAsync(actor, deviceId, targetId, ct);

    public Task<DccReply<CommandRecord>> UnjoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct) => _json.UnjoinAsync(actor, deviceId, targetId, ct);

    public Task<DccReply<CommandRecord>> CommissionDeviceAsync(Actor actor, string meterId, CancellationToken ct) => _json.CommissionDeviceAsync(actor, meterId, ct);

    public Task<DccReply<Done>> ProvideServiceDeskInformationAsync(Actor actor, string deviceId, IReadOnlyDictionary<string, string> information, CancellationToken ct) =>
        _json.ProvideServiceDeskInformationAsync(actor, deviceId, information, ct);

    public Task<DccReply<ServiceDeskRecord>> ReadServiceDeskInformationAsync(string deviceId, CancellationToken ct) => _json.ReadServiceDeskInformationAsync(deviceId, ct);

    public Task<DccReply<RestoreRecord>> RestoreDeviceLogAsync(Actor actor, string targetId, string fromId, IReadOnlyList<string>? entries, CancellationToken ct) =>
        _json.RestoreDeviceLogAsync(actor, targetId, fromId, entries, ct);

    public Task<DccReply<DeviceLogRecord>> ReadDeviceLogRecordAsync(string ownerId, CancellationToken ct) => _json.ReadDeviceLogRecordAsync(ownerId, ct);

    public Task<DccReply<Done>> ReturnLocalCommandResponseAsync(Actor actor, string command, string deviceId, string? targetId, bool successfullyExecuted, CancellationToken ct) =>
        _json.ReturnLocalCommandResponseAsync(actor, command, deviceId, targetId, successfullyExecuted, ct);

    public Task<DccReply<Done>> DeclareSmets1Async(Actor actor, DeviceModel model, string supplierLegalName, string signedBy, CancellationToken ct) =>
        _json.DeclareSmets1Async(actor, model, supplierLegalName, signedBy, ct);

    public Task<IReadOnlyList<NoticeRecord>> NotificationsAsync(string? recipientParty, CancellationToken ct) => _json.NotificationsAsync(recipientParty, ct);

    // ---- one exchange ---------------------------------------------------------------------------------------------------

    private sealed record Sent(string Name, DuisResponse Response, DccRefusal? Refusal);

    /// <summary>Signs and sends one request as <paramref name="actor"/> (to the DCC, or to <paramref name="target"/>), with the XML both ways as evidence.</summary>
    private async Task<Sent> SendAsync(Actor actor, DuisEui? target, IDuisRequestBody body, CancellationToken ct)
    {
        var dcc = await session.DccAsync(http, ct);
        var user = await session.UserAsync(actor, http, ct);
        var srv = ServiceRequestCatalogue.Default.Get(body.ServiceReferenceVariant);
        var name = $"DUIS {srv.ServiceReferenceVariant} {srv.Name} as {actor}";
        using var step = OpenStep(name);
        var client = new DuisClient(session.Http, user.Credentials, dcc.Certificates,
            new DuisClientOptions { BaseAddress = session.BaseUrl, Timeout = session.Http.Timeout });
        await user.Gate.WaitAsync(ct);
        try
        {
            var request = DuisRequest.Create(new RequestId(user.Id, target ?? dcc.Eui, session.NextCounter()), body);
            var signed = DuisSigner.Sign(request.ToXml(), user.Credentials);
            context.Attach("signed request " + name, signed, "application/xml");
            DuisExchange exchange;
            try
            {
                exchange = await client.SendSignedAsync(signed, ct);
            }
            catch (DuisClientException e)
            {
                if (e.ResponseText is { Length: > 0 } text)
                    context.Attach("answer " + name, text, e.ResponseText.TrimStart().StartsWith('<') ? "application/xml" : "text/plain");
                throw Fault(name, e);
            }
            context.Attach($"signed response {exchange.Response.ResponseCode} {name}", exchange.ResponseXml, "application/xml");
            var response = exchange.Response;
            return new Sent(name, response, response.ResponseCode.IsError || response.ResponseCode.IsWarning ? Refusal(response) : null);
        }
        finally
        {
            user.Gate.Release();
        }
    }

    private SubStep? OpenStep(string name)
    {
        try
        {
            return context.Step(name);
        }
        catch (InvalidOperationException)
        {
            // Outside a running step the evidence goes on the scenario itself.
            return null;
        }
    }

    private Exception Fault(string name, DuisClientException e) => e.Failure switch
    {
        DuisClientFailure.Timeout or DuisClientFailure.Transport => new DccUnavailableException($"{name}: {e.Message}", e),
        DuisClientFailure.HttpStatus when e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.MethodNotAllowed =>
            new DccUnavailableException($"{name}: the DCC does not offer DUIS at {session.BaseUrl}api/v1/serviceS ({e.Message}). Run the suite with SECDCC_TRANSPORT=json, or give it a DCC that speaks DUIS.", e),
        _ => new DccProtocolException($"{name}: the DCC's answer is not a signed DUIS Response the suite can trust: {e.Message}"),
    };

    private async Task<DccReply<DeviceRecord>> ThenReadAsync(Sent sent, string deviceId, CancellationToken ct)
    {
        if (sent.Refusal is { } refusal)
            return new DccReply<DeviceRecord>(null, refusal, sent.Name);
        var read = await ReadDeviceAsync(deviceId, ct);
        return read with { Request = sent.Name };
    }

    /// <summary>
    /// Whether the DUIS request matrix lets the role send the SRV. A role it does not is refused over DUIS (E2) before the
    /// clause a scenario is about is reached, so such a request goes over the JSON API, where that clause decides it.
    /// </summary>
    private static bool Eligible(Actor actor, string srv) =>
        Enum.TryParse<DuisUserRole>(actor.Role.ToString(), out var role) && ServiceRequestCatalogue.Default.IsEligible(role, srv);

    private async Task<bool> IsHubAsync(string deviceId, CancellationToken ct) =>
        (await _json.ReadDeviceAsync(deviceId, ct)).Value?.DeviceType is "CHF" or "GPF";

    private static IReadOnlyList<InventoryDevice> Inventory(Sent read) =>
        (read.Response.Message?.Payload as DspInventory)?.Devices
        ?? throw new DccProtocolException($"{read.Name}: the DCC answered {read.Response.ResponseCode} without a DSPInventory.");

    /// <summary>What DUIS 8.2 and the JSON API both say about a Device must be the same.</summary>
    private static void Agree(InventoryDevice duis, DeviceRecord json)
    {
        var fromDuis = (DuisEnumText.ToText(duis.DeviceType), duis.DeviceStatus?.ToString(), duis.DeviceManufacturer, duis.DeviceModel, duis.DeviceFirmwareVersion);
        var fromJson = (json.DeviceType, json.Status?.ToString(), json.Model.Manufacturer, json.Model.Model, json.Model.FirmwareVersion);
        if (fromDuis != fromJson)
            throw new DccProtocolException($"For Device {json.DeviceId} DUIS 8.2 says {fromDuis} and the JSON API says {fromJson}.");
    }

    private static DuisType ParseType(string deviceType) =>
        DuisEnumText.TryParse<DuisType>(deviceType, out var type) ? type
            : throw new StepArgumentException($"'{deviceType}' is not a DUIS Device Type ({string.Join(", ", DuisEnumText.Texts<DuisType>())}).");

    // ---- a DUIS error as the suite's refusal ------------------------------------------------------------------------------

    [GeneratedRegex(@"^\[(?<clause>[^\]]+)\] (?<code>[^\s:(]+)(?: \(field (?<field>[^)]+)\))?: (?<detail>.*)$", RegexOptions.Singleline)]
    private static partial Regex Diagnostic();

    /// <summary>
    /// The refusal a DUIS error stands for: the clause, reason and field of the DCC's diagnostic (decision 1002 of the
    /// reference DCC), and an HTTP-like status from the response code's class so the suite's verdicts read the same.
    /// </summary>
    public static DccRefusal Refusal(DuisResponse response)
    {
        var code = response.ResponseCode;
        var status = code.Value switch
        {
            "E19" => 404,
            "E1" or "E2" or "E3" or "E4" or "E17" => 403,
            "E5" => 409,
            "E20" or "E21" => 503,
            _ => 400,
        };
        var title = $"{code.Value} {code.Description ?? "DUIS error"}";
        return response.Diagnostic is { } text && Diagnostic().Match(text) is { Success: true } m
            ? new DccRefusal(status, m.Groups["clause"].Value, m.Groups["code"].Value, m.Groups["field"].Success ? m.Groups["field"].Value : null, title, m.Groups["detail"].Value)
            : new DccRefusal(status, null, code.Value, null, title, response.Diagnostic ?? "(the response has no diagnostic)");
    }
}
