using System.Text.Json;

namespace SecDcc.Steps.Support;

/// <summary>The Service Requests over the reference DCC's JSON API.</summary>
public sealed class JsonDccClient(DccHttp http) : IDccClient
{
    private static object Wire(Actor a) => new { party = a.Party, role = a.Role.ToString() };
    private static object Wire(DeviceModel m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };
    private static string Wire(Generation g) => g == Generation.Smets1 ? "SMETS1" : "SMETS2+";

    public Task<DccReply<DeviceRecord>> AddDeviceAsync(Actor actor, string deviceId, string deviceType, DeviceModel model, Generation generation, string? responsibleSupplier, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/devices",
            new { actor = Wire(actor), deviceId, deviceType, model = Wire(model), generation = Wire(generation), responsibleSupplier }, ct);

    public async Task<DccReply<HubRecord>> AddCommunicationsHubAsync(Actor actor, string chfId, string? gpfId, DeviceModel model, Generation generation, string? leadSupplier, IReadOnlyList<string>? responsibleSuppliers, CancellationToken ct) =>
        Hub(await http.SendJsonAsync<HubWire>(HttpMethod.Post, "inventory/communications-hubs",
            new { actor = Wire(actor), chfId, gpfId, model = Wire(model), generation = Wire(generation), leadSupplier, responsibleSuppliers }, ct));

    public Task<DccReply<DeviceRecord>> ReadDeviceAsync(string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Get, $"inventory/devices/{deviceId}", null, ct);

    public async Task<DccReply<HubRecord>> ReadHubAsync(string chfId, CancellationToken ct) =>
        Hub(await http.SendJsonAsync<HubWire>(HttpMethod.Get, $"inventory/chf/{chfId}", null, ct));

    public Task<DccReply<DeviceRecord>> UpdateHanDeviceLogAsync(Actor actor, string chfId, string deviceId, IReadOnlyList<string>? mpxns, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/han-device-log", new { actor = Wire(actor), chfId, deviceId, mpxns }, ct);

    public Task<DccReply<CommandRecord>> JoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct) =>
        http.SendJsonAsync<CommandRecord>(HttpMethod.Post, "inventory/join", new { actor = Wire(actor), deviceId, targetId }, ct);

    public Task<DccReply<CommandRecord>> UnjoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct) =>
        http.SendJsonAsync<CommandRecord>(HttpMethod.Post, "inventory/unjoin", new { actor = Wire(actor), deviceId, targetId }, ct);

    public Task<DccReply<CommandRecord>> CommissionDeviceAsync(Actor actor, string meterId, CancellationToken ct) =>
        http.SendJsonAsync<CommandRecord>(HttpMethod.Post, "inventory/commission", new { actor = Wire(actor), meterId }, ct);

    public Task<DccReply<DeviceRecord>> DecommissionAsync(Actor actor, string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, $"inventory/devices/{deviceId}/decommission", new { actor = Wire(actor) }, ct);

    public Task<DccReply<DeviceRecord>> WithdrawAsync(Actor actor, string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, $"inventory/devices/{deviceId}/withdraw", new { actor = Wire(actor) }, ct);

    public Task<DccReply<DeviceRecord>> ReactivateAsync(Actor actor, string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, $"inventory/devices/{deviceId}/reactivate", new { actor = Wire(actor) }, ct);

    public Task<DccReply<DeviceRecord>> UpdateMpxnsAsync(Actor actor, string deviceId, IReadOnlyList<string> mpxns, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Put, $"inventory/devices/{deviceId}/mpxns", new { actor = Wire(actor), mpxns }, ct);

    public Task<DccReply<DeviceRecord>> UpdateDeviceModelAsync(Actor actor, string deviceId, DeviceModel model, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Put, $"inventory/devices/{deviceId}/model", new { actor = Wire(actor), model = Wire(model) }, ct);

    public Task<DccReply<Done>> ProvideServiceDeskInformationAsync(Actor actor, string deviceId, IReadOnlyDictionary<string, string> information, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, $"inventory/devices/{deviceId}/service-desk", new { actor = Wire(actor), information }, ct);

    public Task<DccReply<ServiceDeskRecord>> ReadServiceDeskInformationAsync(string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<ServiceDeskRecord>(HttpMethod.Get, $"inventory/devices/{deviceId}/service-desk", null, ct);

    public Task<DccReply<RestoreRecord>> RestoreDeviceLogAsync(Actor actor, string targetId, string fromId, IReadOnlyList<string>? entries, CancellationToken ct) =>
        http.SendJsonAsync<RestoreRecord>(HttpMethod.Post, "inventory/restore-device-log", new { actor = Wire(actor), targetId, fromId, entries }, ct);

    public Task<DccReply<DeviceLogRecord>> ReadDeviceLogRecordAsync(string ownerId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceLogRecord>(HttpMethod.Get, $"inventory/device-log-record/{ownerId}", null, ct);

    public Task<DccReply<Done>> ReturnLocalCommandResponseAsync(Actor actor, string command, string deviceId, string? targetId, bool successfullyExecuted, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, "inventory/return-local-command-response", new { actor = Wire(actor), command, deviceId, targetId, successfullyExecuted }, ct);

    public Task<DccReply<Done>> DeclareSmets1Async(Actor actor, DeviceModel model, string supplierLegalName, string signedBy, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, "inventory/smets1-declarations", new { actor = Wire(actor), model = Wire(model), supplierLegalName, signedBy }, ct);

    public async Task<IReadOnlyList<NoticeRecord>> NotificationsAsync(string? recipientParty, CancellationToken ct) =>
        Require(await http.SendJsonAsync<List<NoticeRecord>>(HttpMethod.Get, recipientParty is null ? "notifications?limit=10000" : $"notifications?limit=10000&recipient={recipientParty}", null, ct));

    internal static T Require<T>(DccReply<T> reply) =>
        reply.Accepted ? reply.Value! : throw new DccProtocolException($"The DCC refused a read that is always allowed: {reply}");

    internal static DccReply<HubRecord> Hub(DccReply<HubWire> reply) =>
        new(reply.Value is { } h ? new HubRecord(h.Chf, h.Devices) : null, reply.Refusal, reply.Request);

    internal sealed record HubWire(DeviceRecord Chf, List<DeviceRecord> Devices);
}

/// <summary>The Panel's, the DCC's own and the test-mode operations over the reference DCC's JSON API.</summary>
public sealed class JsonDccAdministration(DccHttp http) : IDccAdministration
{
    private static object Wire(DeviceModel m) => new { manufacturer = m.Manufacturer, model = m.Model, hardwareVersion = m.HardwareVersion, firmwareVersion = m.FirmwareVersion };

    public Task<DccReply<CplDocumentRecord>> SubmitCplAsync(string signedDocument, CancellationToken ct) =>
        http.SendAsync<CplDocumentRecord>(HttpMethod.Post, "products/cpl", signedDocument, "application/json", ct);

    public async Task<CplRecord> ReadCplAsync(CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<CplRecord>(HttpMethod.Get, "products/cpl", null, ct));

    public async Task<DccReply<HubRecord>> DeliverCommunicationsHubAsync(string chfId, string gpfId, DeviceModel model, string deliveredTo, CancellationToken ct) =>
        JsonDccClient.Hub(await http.SendJsonAsync<JsonDccClient.HubWire>(HttpMethod.Post, "inventory/communications-hubs/deliveries",
            new { chfId, gpfId, model = Wire(model), deliveredTo }, ct));

    public Task<DccReply<Done>> RegisterNetworkOperatorAsync(bool gas, string prefix, string party, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, "inventory/network-operators", new { gas, prefix, party }, ct);

    public Task<DccReply<Done>> ApproveProductionProvingAsync(string chfId, string gpfId, string reference, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, "inventory/production-proving/approvals", new { chfId, gpfId, reference }, ct);

    public async Task<DccReply<HubRecord>> IncludeForProductionProvingAsync(string chfId, string gpfId, DeviceModel model, CancellationToken ct) =>
        JsonDccClient.Hub(await http.SendJsonAsync<JsonDccClient.HubWire>(HttpMethod.Post, "inventory/production-proving/hubs", new { chfId, gpfId, model = Wire(model) }, ct));

    public Task<DccReply<Done>> DirectNotToCommissionAsync(string deviceId, string disputeReference, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Post, $"inventory/devices/{deviceId}/panel-direction", new { disputeReference }, ct);

    public Task<DccReply<Done>> LiftDirectionAsync(string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Delete, $"inventory/devices/{deviceId}/panel-direction", null, ct);

    public Task<DccReply<Done>> MayCommunicateAsync(string deviceId, CommunicationPurpose purpose, CancellationToken ct) =>
        http.SendJsonAsync<Done>(HttpMethod.Get, $"inventory/devices/{deviceId}/may-communicate?purpose={purpose}", null, ct);

    public async Task<IReadOnlyList<CombinationRecord>> EligibleCombinationsAsync(CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<List<CombinationRecord>>(HttpMethod.Get, "products/epc", null, ct));

    public async Task<IReadOnlyList<CombinationRecord>> PendingCombinationsAsync(CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<List<CombinationRecord>>(HttpMethod.Get, "products/ppc", null, ct));

    public Task<DccReply<CombinationRecord>> AddEligibleCombinationAsync(IReadOnlyList<DeviceModel> models, CancellationToken ct) =>
        http.SendJsonAsync<CombinationRecord>(HttpMethod.Post, "products/epc", new { models = models.Select(Wire) }, ct);

    public Task<DccReply<CombinationRecord>> RequestPpcTestAsync(string requester, IReadOnlyList<DeviceModel> models, CancellationToken ct) =>
        http.SendJsonAsync<CombinationRecord>(HttpMethod.Post, "products/ppc", new { requester, models = models.Select(Wire) }, ct);

    public Task<DccReply<CombinationRecord>> RecordPpcResultAsync(string combinationKey, bool passed, string? explanation, CancellationToken ct) =>
        http.SendJsonAsync<CombinationRecord>(HttpMethod.Post, "products/ppc/result", new { combinationKey, passed, explanation }, ct);

    public async Task<IReadOnlyList<DeployedCombinationRecord>> DeployedProductsAsync(CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<List<DeployedCombinationRecord>>(HttpMethod.Get, "products/dpl", null, ct));

    public async Task<DateTimeOffset> NowAsync(CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<ClockWire>(HttpMethod.Get, "clock", null, ct)).Now;

    public async Task AdvanceClockAsync(TimeSpan by, CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<JsonElement>(HttpMethod.Post, "clock/advance", new { by = System.Xml.XmlConvert.ToString(by) }, ct));

    public async Task SetClockAsync(DateTimeOffset to, CancellationToken ct) =>
        JsonDccClient.Require(await http.SendJsonAsync<JsonElement>(HttpMethod.Post, "clock/set", new { to = to.ToString("O") }, ct));

    private sealed record ClockWire(DateTimeOffset Now);
}

/// <summary>The devices' side through a test-mode DCC's /inventory/events endpoints, until the emulated rig speaks over the WAN.</summary>
public sealed class TestModeDeviceSide(DccHttp http) : IDeviceSide
{
    public Task<DccReply<DeviceRecord>> ChfConnectsAsync(string chfId, bool integrityVerified, bool originVerified, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/chf-communication", new { chfId, integrityVerified, originVerified }, ct);

    public Task<DccReply<DeviceRecord>> HanAlertAsync(string chfId, string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/han-alert", new { chfId, deviceId }, ct);

    public Task<DccReply<DeviceRecord>> JoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/join-response", new { deviceId, targetId, successfullyExecuted }, ct);

    public Task<DccReply<DeviceRecord>> UnjoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/unjoin-response", new { deviceId, targetId, successfullyExecuted }, ct);

    public Task<DccReply<DeviceRecord>> CommissionResponseAsync(string meterId, bool successfullyExecuted, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/commission-device-response", new { meterId, successfullyExecuted }, ct);

    public Task<DccReply<DeviceRecord>> HanDeviceLogRemovalAsync(string chfId, string deviceId, CancellationToken ct) =>
        http.SendJsonAsync<DeviceRecord>(HttpMethod.Post, "inventory/events/han-device-log-removal", new { chfId, deviceId }, ct);

    public Task<DccReply<DeviceLogRecord>> RestoreResponseAsync(string targetId, string fromId, bool successfullyExecuted, CancellationToken ct) =>
        http.SendJsonAsync<DeviceLogRecord>(HttpMethod.Post, "inventory/events/restore-device-log-response", new { targetId, fromId, successfullyExecuted }, ct);
}
