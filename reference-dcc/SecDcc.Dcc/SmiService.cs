using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Rules;
using SecDcc.Dcc.Time;

namespace SecDcc.Dcc;

/// <summary>
/// The Smart Metering Inventory's front door: one method per Service Request and per device event. Each loads what
/// its clauses need, asks the rule classes, and writes the change with the notifications it causes in one
/// transaction. A refusal names its clause and changes nothing.
/// </summary>
public sealed class SmiService
{
    private const string CommissionCommand = "CommissionDevice";
    private readonly ISmiStore _store;
    private readonly IClock _clock;
    private readonly DccOptions _options;

    public SmiService(ISmiStore store, IClock clock, DccOptions options)
    {
        _store = store;
        _clock = clock;
        _options = options;
    }

    // ---- AC 2.4–2.9, 3.4–3.5: adding Devices ------------------------------------------------------------

    /// <summary>Device Pre-notification of one Device other than a CHF or GPF (AC 2.6; Type 2 Devices AC 2.9).</summary>
    public Task<Outcome<Device>> AddDeviceAsync(AddDeviceRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var built = NewDevice(request);
            if (!built.IsSuccess)
                return built.Refusal!;
            var device = built.Value;
            if (AddingDevicesRules.NotAlreadyListed(device.Id, await s.GetDeviceAsync(device.Id, ct)) is { } duplicate)
                return duplicate;
            if (await CheckEligibleAsync(s, device, null, ct) is { } refusal)
                return refusal;
            await s.InsertDeviceAsync(device, ct);
            return device;
        }, ct);

    /// <summary>
    /// Device Pre-notification of many Devices in one transaction (DUIS 12.2 carries a batch). Each Device is judged on its
    /// own; the accepted ones are added, the refused ones are returned with their refusals.
    /// </summary>
    public async Task<IReadOnlyList<PreNotificationResult>> PreNotifyDevicesAsync(IReadOnlyList<AddDeviceRequest> requests, CancellationToken ct)
    {
        var outcome = await _store.WriteAsync<IReadOnlyList<PreNotificationResult>>(async (s, ct) =>
        {
            var results = new List<PreNotificationResult>(requests.Count);
            var accepted = new List<Device>(requests.Count);
            var existing = await s.ExistingDeviceIdsAsync(requests.Select(r => r.DeviceId).ToList(), ct);
            var seen = new HashSet<DeviceId>();
            var cpl = new Dictionary<string, CplEntry?>();
            foreach (var request in requests)
            {
                var built = NewDevice(request);
                Refusal? refusal = built.Refusal;
                if (refusal is null && (existing.Contains(request.DeviceId) || !seen.Add(request.DeviceId)))
                    refusal = AddingDevicesRules.NotAlreadyListed(request.DeviceId, existing.Contains(request.DeviceId) ? await s.GetDeviceAsync(request.DeviceId, ct) : built.Value);
                if (refusal is null)
                    refusal = await CheckEligibleAsync(s, built.Value, cpl, ct);
                if (refusal is null)
                    accepted.Add(built.Value);
                results.Add(new PreNotificationResult(request.DeviceId, refusal));
            }
            await s.InsertDevicesAsync(accepted, ct);
            return Outcome<IReadOnlyList<PreNotificationResult>>.Success(results);
        }, ct);
        return outcome.Value;
    }

    /// <summary>A User adds a SMETS1 Communications Hub's CHF and GPF together (AC 2.5, 2.6, 2.8, 3.5).</summary>
    public Task<Outcome<ChfInventory>> AddCommunicationsHubAsync(AddCommunicationsHubRequest request, CancellationToken ct) =>
        _store.WriteAsync<ChfInventory>(async (s, ct) =>
        {
            if (AddingDevicesRules.BothHalvesNamed(request.ChfId, request.GpfId) is { } halves)
                return halves;
            if (AddingDevicesRules.UserAddsOnlySmets1Hub(request.Generation) is { } notSmets1)
                return notSmets1;
            var gpfId = request.GpfId!.Value;
            if (AddingDevicesRules.NotAlreadyListed(request.ChfId, await s.GetDeviceAsync(request.ChfId, ct)) is { } d1)
                return d1 with { Field = "chfId" };
            if (AddingDevicesRules.NotAlreadyListed(gpfId, await s.GetDeviceAsync(gpfId, ct)) is { } d2)
                return d2 with { Field = "gpfId" };
            PartyId lead;
            if (request.LeadSupplier is { } givenLead)
                lead = givenLead;
            else if (request.Requester.IsSupplier)
                lead = request.Requester.Party;
            else
                return Refusal.InvalidField("AC-10.1", "leadSupplier", $"{request.Requester} is not a Supplier, so the request must name the Lead Supplier of the SMETS1 Communications Hub.");
            var now = _clock.UtcNow;
            var suppliers = request.ResponsibleSuppliers is { Count: > 0 } rs ? rs : [lead];
            var chf = NewPending(request.ChfId, DeviceType.CHF, request.Model, request.Generation, suppliers, now) with { LeadSupplier = lead };
            var gpf = NewPending(gpfId, DeviceType.GPF, request.Model, request.Generation, suppliers, now) with { LeadSupplier = lead, ChfId = request.ChfId };
            var cpl = new Dictionary<string, CplEntry?>();
            if (await CheckEligibleAsync(s, chf, cpl, ct) is { } r1)
                return r1.Field == "deviceId" ? r1 with { Field = "chfId" } : r1;
            if (await CheckEligibleAsync(s, gpf, cpl, ct) is { } r2)
                return r2.Field == "deviceId" ? r2 with { Field = "gpfId" } : r2;
            await s.InsertDeviceAsync(chf, ct);
            await s.InsertDeviceAsync(gpf, ct);
            return new ChfInventory(chf, [gpf]);
        }, ct);

    /// <summary>AC 2.4: before delivering a Communications Hub to a Party, the DCC adds its CHF and GPF as 'pending'.</summary>
    public Task<Outcome<ChfInventory>> DeliverCommunicationsHubAsync(DeliverCommunicationsHubRequest request, CancellationToken ct) =>
        _store.WriteAsync<ChfInventory>(async (s, ct) =>
        {
            if (AddingDevicesRules.BothHalvesNamed(request.ChfId, request.GpfId) is { } halves)
                return halves;
            if (AddingDevicesRules.NotAlreadyListed(request.ChfId, await s.GetDeviceAsync(request.ChfId, ct)) is { } d1)
                return d1 with { Field = "chfId" };
            if (AddingDevicesRules.NotAlreadyListed(request.GpfId, await s.GetDeviceAsync(request.GpfId, ct)) is { } d2)
                return d2 with { Field = "gpfId" };
            if (AddingDevicesRules.DeliveredHubOnCpl(request.Model, await s.GetCplEntryAsync(request.Model, ct)) is { } offCpl)
                return offCpl;
            var now = _clock.UtcNow;
            var chf = NewPending(request.ChfId, DeviceType.CHF, request.Model, SmetsGeneration.SMETS2Plus, [request.DeliveredTo], now);
            var gpf = NewPending(request.GpfId, DeviceType.GPF, request.Model, SmetsGeneration.SMETS2Plus, [request.DeliveredTo], now) with { ChfId = request.ChfId };
            await s.InsertDeviceAsync(chf, ct);
            await s.InsertDeviceAsync(gpf, ct);
            return new ChfInventory(chf, [gpf]);
        }, ct);

    // ---- AC 12.3: CH Production Proving -----------------------------------------------------------------

    /// <summary>AC 12.3: records the Security Sub-Committee's approval to include one Communications Hub for CH Production Proving.</summary>
    public Task<Outcome<ProductionProvingApproval>> RecordProductionProvingApprovalAsync(ProductionProvingApprovalRequest request, CancellationToken ct) =>
        _store.WriteAsync<ProductionProvingApproval>(async (s, ct) =>
        {
            if (ProductionProvingRules.ApprovalWellFormed(request) is { } invalid)
                return invalid;
            var approval = new ProductionProvingApproval(request.ChfId, request.GpfId!.Value, request.Reference.Trim(), _clock.UtcNow);
            await s.PutProductionProvingApprovalAsync(approval, ct);
            return approval;
        }, ct);

    /// <summary>
    /// AC 12.2–12.3: the DCC includes a Communications Hub's CHF and GPF in the SMI, as 'pending', for CH Production Proving,
    /// only with the Security Sub-Committee's approval for that hub. The hub's Device Model must be on the CPL as a
    /// Communications Hub (AC 2.6); the hub has no Responsible Supplier, since the DCC itself uses it.
    /// </summary>
    public Task<Outcome<ChfInventory>> IncludeForProductionProvingAsync(ProductionProvingInclusionRequest request, CancellationToken ct) =>
        _store.WriteAsync<ChfInventory>(async (s, ct) =>
        {
            if (AddingDevicesRules.BothHalvesNamed(request.ChfId, request.GpfId) is { } halves)
                return halves;
            var gpfId = request.GpfId!.Value;
            if (AddingDevicesRules.NotAlreadyListed(request.ChfId, await s.GetDeviceAsync(request.ChfId, ct)) is { } d1)
                return d1 with { Field = "chfId" };
            if (AddingDevicesRules.NotAlreadyListed(gpfId, await s.GetDeviceAsync(gpfId, ct)) is { } d2)
                return d2 with { Field = "gpfId" };
            if (ProductionProvingRules.Approved(request.ChfId, gpfId, await s.GetProductionProvingApprovalAsync(request.ChfId, ct)) is { } notApproved)
                return notApproved;
            if (AddingDevicesRules.ModelOnCpl(DeviceType.CHF, request.Model, await s.GetCplEntryAsync(request.Model, ct)) is { } offCpl)
                return offCpl;
            var now = _clock.UtcNow;
            var chf = NewPending(request.ChfId, DeviceType.CHF, request.Model, SmetsGeneration.SMETS2Plus, [], now);
            var gpf = NewPending(gpfId, DeviceType.GPF, request.Model, SmetsGeneration.SMETS2Plus, [], now) with { ChfId = request.ChfId };
            await s.InsertDeviceAsync(chf, ct);
            await s.InsertDeviceAsync(gpf, ct);
            return new ChfInventory(chf, [gpf]);
        }, ct);

    /// <summary>
    /// AC 3.4: the Service Desk contact with a SMETS1 Device's ID and its model's information, before the Device is added.
    /// For a Device already in the SMI the contact is an AC 6.3 notice of changed information, checked and merged into
    /// what the DCC holds by <see cref="Smets1Rules.UpdatedServiceDeskInformation"/>.
    /// </summary>
    public Task<Outcome<Done>> ProvideServiceDeskInformationAsync(ServiceDeskContact contact, CancellationToken ct) =>
        _store.WriteAsync<Done>(async (s, ct) =>
        {
            foreach (var (key, value) in contact.Information)
                if (string.IsNullOrWhiteSpace(key) || value is null)
                    return Refusal.InvalidField("AC-3.4(b)", "information", "Every Service Desk information item needs a name and a value.");
            var device = await s.GetDeviceAsync(contact.DeviceId, ct);
            if (device is null)
            {
                await s.PutServiceDeskInformationAsync(new ServiceDeskInformation(contact.DeviceId, contact.Requester, contact.Information, _clock.UtcNow), ct);
                return Done.Value;
            }
            var earlier = await s.GetServiceDeskInformationAsync(device.Id, ct);
            var updated = Smets1Rules.UpdatedServiceDeskInformation(device, earlier, contact, _options);
            if (!updated.IsSuccess)
                return updated.Refusal!;
            await s.PutServiceDeskInformationAsync(new ServiceDeskInformation(device.Id, contact.Requester, updated.Value, _clock.UtcNow), ct);
            return Done.Value;
        }, ct);

    /// <summary>AC 3.4, 6.3: the Service Desk information the DCC holds for a Device, as last given or updated.</summary>
    public Task<Outcome<ServiceDeskInformation>> ReadServiceDeskInformationAsync(DeviceId deviceId, CancellationToken ct) =>
        _store.ReadAsync<Outcome<ServiceDeskInformation>>(async (s, ct) =>
            await s.GetServiceDeskInformationAsync(deviceId, ct) is { } info
                ? info
                : new Refusal("AC-3.4", "NoServiceDeskInformation",
                    $"The Service Desk holds no information for Device {deviceId}; a SMETS1 Device's User gives it before adding the Device (AC 3.4).",
                    RefusalKind.NotFound, "id"), ct);

    // ---- AC 3.8–3.10: SMETS1 declarations and Panel directions ------------------------------------------

    /// <summary>AC 3.8: a Supplier Party's declaration that a Device Model is a SMETS1 model.</summary>
    public Task<Outcome<Done>> RecordSmets1DeclarationAsync(Smets1DeclarationRequest request, CancellationToken ct) =>
        _store.WriteAsync<Done>(async (s, ct) =>
        {
            if (Smets1Rules.DeclarationWellFormed(request) is { } refusal)
                return refusal;
            await s.PutSmets1DeclarationAsync(new Smets1Declaration(request.Requester.Party, request.Model, request.SupplierLegalName.Trim(), request.SignedBy.Trim(), _clock.UtcNow), ct);
            return Done.Value;
        }, ct);

    /// <summary>AC 3.10: the Panel directs the DCC not to Commission a SMETS1 Device under dispute.</summary>
    public Task<Outcome<Done>> RecordPanelDirectionAsync(DeviceId deviceId, string disputeReference, CancellationToken ct) =>
        _store.WriteAsync<Done>(async (s, ct) =>
        {
            if (string.IsNullOrWhiteSpace(disputeReference))
                return Refusal.InvalidField("AC-3.10", "disputeReference", "A Panel direction names the Section F3 dispute it follows.");
            var device = await s.GetDeviceAsync(deviceId, ct);
            if (device is not null && device.Generation != SmetsGeneration.SMETS1)
                return new Refusal("AC-3.10", "NotASmets1Device", $"Device {deviceId} is a SMETS2+ Device; AC 3.10 directions concern Devices purported to be SMETS1 Devices.", RefusalKind.Invalid, "deviceId");
            await s.PutPanelDirectionAsync(new PanelDirection(deviceId, disputeReference.Trim(), _clock.UtcNow), ct);
            return Done.Value;
        }, ct);

    /// <summary>AC 3.10: the dispute is resolved or the Panel otherwise directs; the Device may be Commissioned again.</summary>
    public Task<Outcome<Done>> LiftPanelDirectionAsync(DeviceId deviceId, CancellationToken ct) =>
        _store.WriteAsync<Done>(async (s, ct) =>
            await s.DeletePanelDirectionAsync(deviceId, ct)
                ? Done.Value
                : new Refusal("AC-3.10", "NoPanelDirection", $"There is no Panel direction not to Commission Device {deviceId}.", RefusalKind.NotFound, "deviceId"), ct);

    // ---- AC 4.1–4.4: CHF commissioning and the HAN Device Log --------------------------------------------

    /// <summary>AC 4.1: a CHF's verified communication that it has connected to the SM WAN.</summary>
    public Task<Outcome<Device>> ChfCommunicationVerifiedAsync(DeviceId chfId, CancellationToken ct) =>
        ChfCommunicationReceivedAsync(new ChfCommunication(chfId, IntegrityVerified: true, OriginVerified: true), ct);

    /// <summary>AC 4.1–4.2: a communication naming a CHF, with what the WAN gateway could verify about it.</summary>
    public Task<Outcome<Device>> ChfCommunicationReceivedAsync(ChfCommunication evt, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var chf = await s.GetDeviceAsync(evt.ChfId, ct);
            // AC 4.1 applies only to a CHF "which does not have an SMI Status of 'commissioned'": a connection
            // from a Commissioned CHF changes nothing.
            if (chf is { Type: DeviceType.CHF, Status: SmiStatus.Commissioned } && evt.IntegrityVerified && evt.OriginVerified)
                return chf;
            if (CommissioningRules.ChfMayBeCommissioned(evt, chf) is { } refusal)
                return refusal;
            if (await Smets1CommissioningRefusalAsync(s, chf!, chf!.LeadSupplier, ct) is { } smets1)
                return smets1;
            var after = LifecycleRules.WithStatus(chf, SmiStatus.Commissioned, _clock.UtcNow);
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    /// <summary>AC 4.3: after an 'Update HAN Device Log' adding a Device is Successfully Executed.</summary>
    public Task<Outcome<Device>> HanDeviceLogUpdatedAsync(HanDeviceLogUpdate evt, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var chf = await s.GetDeviceAsync(evt.ChfId, ct);
            if (HanDeviceLogRules.ChfListed(evt.ChfId, chf, "AC-4.3") is { } noChf)
                return noChf;
            var device = await s.GetDeviceAsync(evt.DeviceId, ct);
            if (HanDeviceLogRules.DeviceMayBeWhitelisted(evt, device) is { } refusal)
                return refusal;
            var mpxns = HanDeviceLogRules.MpxnsFor(device!, evt.Mpxns, "AC-4.3(b)");
            if (!mpxns.IsSuccess)
                return mpxns.Refusal!;
            var now = _clock.UtcNow;
            // (a) Associate with the CHF; (b) Smart Meters: record the MPxN(s) and tell the ED/GT; (c) not Type 2: 'whitelisted'.
            var after = device! with { ChfId = evt.ChfId, Mpxns = device.Type.IsSmartMeter() ? mpxns.Value : device.Mpxns, UpdatedAt = now };
            if (!after.IsType2)
                after = LifecycleRules.WithStatus(after, SmiStatus.Whitelisted, now);
            await s.UpdateDeviceAsync(after, ct);
            if (after.Type.IsSmartMeter())
                await NotifyAsync(s, NotificationRules.MpxnRecorded(after, await s.NetworkOperatorsAsync(ct), now), ct);
            return after;
        }, ct);

    /// <summary>AC 4.4: an Alert that the CHF can communicate over the HAN with a Device.</summary>
    public Task<Outcome<Device>> HanAlertReceivedAsync(HanAlert alert, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            if (HanDeviceLogRules.ChfListed(alert.ChfId, await s.GetDeviceAsync(alert.ChfId, ct), "AC-4.4") is { } noChf)
                return noChf;
            var device = await s.GetDeviceAsync(alert.DeviceId, ct);
            if (HanDeviceLogRules.AlertApplies(alert, device) is { } refusal)
                return refusal;
            if (HanDeviceLogRules.AlertLeavesStatus(device!))
                return device!;
            if (HanDeviceLogRules.Inactive(device!, "AC-4.4") is { } inactive)
                return inactive;
            var after = LifecycleRules.WithStatus(device!, SmiStatus.InstalledNotCommissioned, _clock.UtcNow);
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    // ---- AC 4.5–4.10: Join Service --------------------------------------------------------------------

    /// <summary>AC 4.5–4.6 (4.8 for Type 2): a 'Join Service' request; on success the Join command may be sent.</summary>
    public Task<Outcome<CommandAccepted>> RequestJoinAsync(JoinRequest request, CancellationToken ct) =>
        _store.WriteAsync<CommandAccepted>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (device is null)
                return new Refusal("AC-4.6(a)", "DeviceNotInSmi", $"Device {request.DeviceId} is not listed in the Smart Metering Inventory; pre-notify it before joining it.", RefusalKind.NotFound, "deviceId");
            var target = await s.GetDeviceAsync(request.TargetId, ct);
            if (device.IsType2)
            {
                if (JoinRules.Type2JoinAllowed(request, device, target) is { } t2)
                    return t2;
            }
            else
            {
                var chfId = target?.ChfId ?? device.ChfId;
                var chf = chfId is { } id ? await s.GetDeviceAsync(id, ct) : null;
                if (JoinRules.JoinAllowed(request, device, target, chf) is { } refusal)
                    return refusal;
                // AC 4.7(b) will Commission the Device: the SMETS1 conditions on Commissioning apply now.
                if (target!.Status == SmiStatus.Commissioned)
                {
                    if (await Smets1CommissioningRefusalAsync(s, device, request.Requester.Party, ct) is { } smets1)
                        return smets1;
                    if (device.Generation == SmetsGeneration.SMETS1 && await EpcRefusalAsync(s, target, device, request.Requester.Party, ct) is { } epc)
                        return epc;
                }
            }
            await s.PutPendingCommandAsync(new PendingCommand(JoinRules.JoinCommand, request.DeviceId, request.TargetId, request.Requester, _clock.UtcNow), ct);
            return new CommandAccepted(JoinRules.JoinCommand, request.DeviceId, request.TargetId);
        }, ct);

    /// <summary>AC 4.7 (4.8(c) for Type 2): the Response to a Join command.</summary>
    public Task<Outcome<Device>> JoinResponseAsync(JoinResponse response, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var pending = await TakePendingCommandAsync(s, JoinRules.JoinCommand, response.DeviceId, response.TargetId, ct);
            if (pending is null)
                return new Refusal("AC-4.7", "NoJoinOutstanding",
                    $"No Join Service request joining {response.DeviceId} to {response.TargetId} is awaiting a Response; the SMI changes only on the Response to a request accepted under AC 4.5–4.6 or 4.8.",
                    RefusalKind.Conflict, "deviceId");
            var device = await s.GetDeviceAsync(response.DeviceId, ct);
            var target = await s.GetDeviceAsync(response.TargetId, ct);
            if (device is null)
                return Refusal.NotInSmi("AC-4.7", response.DeviceId);
            if (target is null)
                return Refusal.NotInSmi("AC-4.7", response.TargetId, "Join target");
            if (!response.SuccessfullyExecuted)
                return device;
            var now = _clock.UtcNow;
            var after = device with { JoinedTo = device.JoinedTo.Append(target.Id).Distinct().ToList(), UpdatedAt = now };
            if (!after.IsType2 && JoinRules.StatusAfterJoin(target) is { } status && after.Status is { } current && StatusSets.Joinable.Contains(current))
            {
                after = LifecycleRules.WithStatus(after, status, now);
                if (after.Status == SmiStatus.Commissioned && current != SmiStatus.Commissioned)
                    after = after with { CommissionedBy = CommissioningSupplier(pending.Requester) };
            }
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    // ---- AC 4.11–4.13: Commission Device --------------------------------------------------------------

    /// <summary>AC 4.11–4.12: a 'Commission Device' request for a Smart Meter.</summary>
    public Task<Outcome<CommandAccepted>> RequestCommissionDeviceAsync(CommissionDeviceRequest request, CancellationToken ct) =>
        _store.WriteAsync<CommandAccepted>(async (s, ct) =>
        {
            var meter = await s.GetDeviceAsync(request.MeterId, ct);
            var chf = meter?.ChfId is { } chfId ? await s.GetDeviceAsync(chfId, ct) : null;
            if (CommissioningRules.MeterMayBeCommissioned(request, meter, chf) is { } refusal)
                return refusal;
            if (await Smets1CommissioningRefusalAsync(s, meter!, request.Requester.Party, ct) is { } smets1)
                return smets1;
            if (meter!.Generation == SmetsGeneration.SMETS1 && await EpcRefusalAsync(s, meter, null, request.Requester.Party, ct) is { } epc)
                return epc;
            await s.PutPendingCommandAsync(new PendingCommand(CommissionCommand, request.MeterId, null, request.Requester, _clock.UtcNow), ct);
            return new CommandAccepted(CommissionCommand, request.MeterId, null);
        }, ct);

    /// <summary>AC 4.13: the Response over the SM WAN to a Commission Device command.</summary>
    public Task<Outcome<Device>> CommissionDeviceResponseAsync(CommissionDeviceResponse response, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var pending = await s.GetPendingCommandAsync(CommissionCommand, response.MeterId, null, ct);
            var meter = await s.GetDeviceAsync(response.MeterId, ct);
            if (CommissioningRules.ResponseCompletesRequest(response, pending is not null, meter) is { } refusal)
                return refusal;
            await s.DeletePendingCommandAsync(CommissionCommand, response.MeterId, null, ct);
            if (!response.SuccessfullyExecuted)
                return meter!;
            var after = LifecycleRules.WithStatus(meter!, SmiStatus.Commissioned, _clock.UtcNow) with { CommissionedBy = CommissioningSupplier(pending!.Requester) };
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    // ---- AC 7.1: UnJoin -------------------------------------------------------------------------------

    /// <summary>AC 7.1: an 'UnJoin Service' request.</summary>
    public Task<Outcome<CommandAccepted>> RequestUnjoinAsync(UnjoinRequest request, CancellationToken ct) =>
        _store.WriteAsync<CommandAccepted>(async (s, ct) =>
        {
            if (JoinRules.UnjoinAllowed(request, await s.GetDeviceAsync(request.DeviceId, ct)) is { } refusal)
                return refusal;
            await s.PutPendingCommandAsync(new PendingCommand(JoinRules.UnjoinCommand, request.DeviceId, request.TargetId, request.Requester, _clock.UtcNow), ct);
            return new CommandAccepted(JoinRules.UnjoinCommand, request.DeviceId, request.TargetId);
        }, ct);

    /// <summary>AC 7.1: on Successful Execution the Association between the Device and the Smart Meter or GPF ends.</summary>
    public Task<Outcome<Device>> UnjoinResponseAsync(UnjoinResponse response, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            if (await TakePendingCommandAsync(s, JoinRules.UnjoinCommand, response.DeviceId, response.TargetId, ct) is null)
                return new Refusal("AC-7.1", "NoUnjoinOutstanding", $"No UnJoin Service request for {response.DeviceId} and {response.TargetId} is awaiting a Response.", RefusalKind.Conflict, "deviceId");
            var device = await s.GetDeviceAsync(response.DeviceId, ct);
            if (device is null)
                return Refusal.NotInSmi("AC-7.1", response.DeviceId);
            if (!response.SuccessfullyExecuted)
                return device;
            var after = device with { JoinedTo = device.JoinedTo.Where(t => t != response.TargetId).ToList(), UpdatedAt = _clock.UtcNow };
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    // ---- AC 2.12: Responses returned by a User that received them other than over the SM WAN ------------

    private static readonly IReadOnlyList<string> LocalCommands = [JoinRules.JoinCommand, JoinRules.UnjoinCommand, CommissionCommand, DeviceLogRecordRules.RestoreCommand];

    /// <summary>
    /// AC 2.12: the DCC acts on a Response returned in a 'Return Local Command Response' as it would on the same Response
    /// over the SM WAN (AC 4.7, 4.13, 7.1, 9.2). It must answer a Command the DCC issued and still awaits, and come from the
    /// User that requested that Command (the one that delivered it locally and so received the Response); otherwise it is
    /// refused and nothing changes.
    /// </summary>
    public async Task<Outcome<object>> ReturnLocalCommandResponseAsync(LocalCommandResponse response, CancellationToken ct)
    {
        if (!LocalCommands.Contains(response.Command))
            return Refusal.InvalidField("AC-2.12", "command", $"'{response.Command}' is not a Command whose Response the DCC awaits; give one of {string.Join(", ", LocalCommands)}.");
        var target = response.Command == CommissionCommand ? null : response.TargetId;
        if (response.Command != CommissionCommand && target is null)
            return Refusal.InvalidField("AC-2.12", "targetId", $"A {response.Command} Response names the other Device of the Command in targetId.");
        var pending = await _store.ReadAsync((s, ct) => s.GetPendingCommandAsync(response.Command, response.DeviceId, target, ct), ct);
        if (pending is null)
            return new Refusal("AC-2.12", "NoLocalCommandOutstanding",
                $"No {response.Command} Command for Device {response.DeviceId}{(target is { } t ? $" and {t}" : "")} awaits a Response; a returned Local Command Response " +
                "answers a Command the DCC issued, and is acted on once.",
                RefusalKind.Conflict, "deviceId");
        if (pending.Requester.Party != response.Requester.Party)
            return new Refusal("AC-2.12", "ReturnedByAnotherUser",
                $"The {response.Command} Command for Device {response.DeviceId} was requested by {pending.Requester}; the Response is returned by the User that received it " +
                $"locally, not by {response.Requester}.",
                RefusalKind.NotPermitted, "requester");
        return response.Command switch
        {
            JoinRules.JoinCommand => Boxed(await JoinResponseAsync(new JoinResponse(response.DeviceId, target!.Value, response.SuccessfullyExecuted), ct)),
            JoinRules.UnjoinCommand => Boxed(await UnjoinResponseAsync(new UnjoinResponse(response.DeviceId, target!.Value, response.SuccessfullyExecuted), ct)),
            CommissionCommand => Boxed(await CommissionDeviceResponseAsync(new CommissionDeviceResponse(response.DeviceId, response.SuccessfullyExecuted), ct)),
            _ => Boxed(await RestoreDeviceLogResponseAsync(new RestoreDeviceLogResponse(response.DeviceId, target!.Value, response.SuccessfullyExecuted), ct)),
        };
    }

    private static Outcome<object> Boxed<T>(Outcome<T> outcome) where T : notnull =>
        outcome.IsSuccess ? Outcome<object>.Success(outcome.Value) : outcome.Refusal!;

    // ---- AC 9.2–9.3: the record of each CHF's and GPF's Device Log, and restoring from it ----------------

    /// <summary>
    /// AC 9.2: the DCC's record of a CHF's or GPF's Device Log, kept from the Responses it monitors: a CHF's holds the
    /// Devices Associated with it through 'Update HAN Device Log' (AC 4.3(a)) other than its own GPF; a GPF's the Devices
    /// joined to it (AC 4.7). Removals (<see cref="HanDeviceLogEntryRemovedAsync"/>), UnJoins (AC 7.1) and restores
    /// (<see cref="RestoreDeviceLogResponseAsync"/>) keep it current.
    /// </summary>
    public Task<Outcome<DeviceLogRecord>> ReadDeviceLogRecordAsync(DeviceId ownerId, CancellationToken ct) =>
        _store.ReadAsync<Outcome<DeviceLogRecord>>(async (s, ct) =>
        {
            var owner = await s.GetDeviceAsync(ownerId, ct);
            if (DeviceLogRecordRules.LogOwner(ownerId, owner, "AC-9.2", "id") is { } refusal)
                return refusal;
            return new DeviceLogRecord(owner!.Id, owner.Type, await RecordEntriesAsync(s, owner, ct));
        }, ct);

    private static async Task<IReadOnlyList<DeviceLogRecordEntry>> RecordEntriesAsync(ISmiSession s, Device owner, CancellationToken ct)
    {
        var members = owner.Type == DeviceType.CHF
            ? (await s.GetDevicesByChfAsync(owner.Id, ct)).Where(d => d.Type != DeviceType.GPF)
            : await s.GetDevicesJoinedToAsync(owner.Id, ct);
        return members.OrderBy(d => d.Id.Value).Select(d => new DeviceLogRecordEntry(d.Id, d.Type)).ToList();
    }

    /// <summary>
    /// AC 9.2: the Response to an 'Update HAN Device Log' removing a Device from a CHF's Device Log. The Device is no longer
    /// in that Device Log, so it is no longer Associated with the CHF (AC 4.3(a)) and leaves the DCC's record; its SMI
    /// Status is left as it is (no clause in scope sets one). A removal of a Device the record does not list changes nothing.
    /// </summary>
    public Task<Outcome<Device>> HanDeviceLogEntryRemovedAsync(HanDeviceLogRemoval evt, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            if (HanDeviceLogRules.ChfListed(evt.ChfId, await s.GetDeviceAsync(evt.ChfId, ct), "AC-9.2") is { } notChf)
                return notChf;
            var device = await s.GetDeviceAsync(evt.DeviceId, ct);
            if (device is null)
                return Refusal.NotInSmi("AC-9.2", evt.DeviceId) with { Field = "deviceId" };
            if (device.ChfId != evt.ChfId || device.Type == DeviceType.GPF)
                return device;
            var after = device with { ChfId = null, UpdatedAt = _clock.UtcNow };
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    /// <summary>
    /// AC 9.3: a 'Restore HAN Device Log' or 'Restore Gas Proxy Function Device Log' request. The DCC takes the entries to
    /// restore from its AC 9.2 record of <see cref="RestoreDeviceLogRequest.FromId"/> (the CHF or GPF being replaced, or the
    /// target itself) and records the command as awaiting its Response.
    /// </summary>
    public Task<Outcome<DeviceLogRestore>> RequestRestoreDeviceLogAsync(RestoreDeviceLogRequest request, CancellationToken ct) =>
        _store.WriteAsync<DeviceLogRestore>(async (s, ct) =>
        {
            var target = await s.GetDeviceAsync(request.TargetId, ct);
            if (target is null)
                return Refusal.NotInSmi("AC-2.7", request.TargetId) with { Field = "targetId" };
            if (DeviceLogRecordRules.LogOwner(request.TargetId, target, "AC-9.3", "targetId") is { } badTarget)
                return badTarget;
            var from = request.FromId == target.Id ? target : await s.GetDeviceAsync(request.FromId, ct);
            if (DeviceLogRecordRules.LogOwner(request.FromId, from, "AC-9.3", "fromId") is { } badFrom)
                return badFrom;
            if (DeviceLogRecordRules.SameKind(target, from!) is { } kinds)
                return kinds;
            var entries = await RecordEntriesAsync(s, from!, ct);
            await s.PutPendingCommandAsync(new PendingCommand(DeviceLogRecordRules.RestoreCommand, target.Id, from!.Id, request.Requester, _clock.UtcNow), ct);
            return new DeviceLogRestore(target.Id, from.Id, entries);
        }, ct);

    /// <summary>
    /// AC 9.2–9.3: the Response to a Restore Device Log command. On Successful Execution the restored Device Log is the
    /// target's, so the record follows: a replacement CHF's restored Devices are Associated with it, and the Devices joined
    /// to a replaced GPF are joined to its replacement. Returns the target's record as it now stands.
    /// </summary>
    public Task<Outcome<DeviceLogRecord>> RestoreDeviceLogResponseAsync(RestoreDeviceLogResponse response, CancellationToken ct) =>
        _store.WriteAsync<DeviceLogRecord>(async (s, ct) =>
        {
            if (await TakePendingCommandAsync(s, DeviceLogRecordRules.RestoreCommand, response.TargetId, response.FromId, ct) is null)
                return new Refusal("AC-9.3", "NoRestoreOutstanding",
                    $"No Restore Device Log request restoring {response.TargetId} from the record of {response.FromId} is awaiting a Response.",
                    RefusalKind.Conflict, "targetId");
            var target = await s.GetDeviceAsync(response.TargetId, ct);
            var from = await s.GetDeviceAsync(response.FromId, ct);
            if (target is null)
                return Refusal.NotInSmi("AC-9.3", response.TargetId);
            if (from is null)
                return Refusal.NotInSmi("AC-9.3", response.FromId);
            if (response.SuccessfullyExecuted && target.Id != from.Id)
            {
                var now = _clock.UtcNow;
                if (target.Type == DeviceType.CHF)
                    foreach (var d in (await s.GetDevicesByChfAsync(from.Id, ct)).Where(d => d.Type != DeviceType.GPF))
                        await s.UpdateDeviceAsync(d with { ChfId = target.Id, UpdatedAt = now }, ct);
                else
                    foreach (var d in await s.GetDevicesJoinedToAsync(from.Id, ct))
                        await s.UpdateDeviceAsync(d with { JoinedTo = d.JoinedTo.Select(j => j == from.Id ? target.Id : j).Distinct().ToList(), UpdatedAt = now }, ct);
            }
            return new DeviceLogRecord(target.Id, target.Type, await RecordEntriesAsync(s, target, ct));
        }, ct);

    // ---- AC 8.1, 8.3, 10.1, 11, H6, 2.10: status and information changes --------------------------------

    /// <summary>AC 8.1: back to 'pending' from 'decommissioned', 'whitelisted' or 'withdrawn'.</summary>
    public Task<Outcome<Device>> ReactivateDeviceAsync(ReactivateDeviceRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            var entry = device is null ? null : await s.GetCplEntryAsync(device.Model, ct);
            if (LifecycleRules.MayReactivate(request, device, entry) is { } refusal)
                return refusal;
            var after = LifecycleRules.WithStatus(device!, SmiStatus.Pending, _clock.UtcNow);
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    /// <summary>Decommission Device (H6; AC 10.1 for a SMETS1 CHF); the ED/GT of a Smart Meter is told (AC 11.1).</summary>
    public Task<Outcome<Device>> DecommissionDeviceAsync(DecommissionDeviceRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (LifecycleRules.MayDecommission(request, device) is { } refusal)
                return refusal;
            return await ChangeStatusAsync(s, device!, SmiStatus.Decommissioned, ct);
        }, ct);

    /// <summary>Withdrawal (H6); the ED/GT of a Smart Meter is told (AC 11.1).</summary>
    public Task<Outcome<Device>> WithdrawDeviceAsync(WithdrawDeviceRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (LifecycleRules.MayWithdraw(request, device) is { } refusal)
                return refusal;
            return await ChangeStatusAsync(s, device!, SmiStatus.Withdrawn, ct);
        }, ct);

    /// <summary>AC 2.10: the Responsible Supplier corrects a Smart Meter's MPxN(s); the affected ED/GT are told.</summary>
    public Task<Outcome<Device>> UpdateMpxnAsync(UpdateMpxnRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (LifecycleRules.MayCorrectMpxn(request, device) is { } refusal)
                return refusal;
            var mpxns = HanDeviceLogRules.MpxnsFor(device!, request.Mpxns, "AC-2.10");
            if (!mpxns.IsSuccess)
                return mpxns.Refusal!;
            if (mpxns.Value.OrderBy(m => m).SequenceEqual(device!.Mpxns.OrderBy(m => m)))
                return device;
            var now = _clock.UtcNow;
            var after = device with { Mpxns = mpxns.Value, UpdatedAt = now };
            await s.UpdateDeviceAsync(after, ct);
            await NotifyAsync(s, NotificationRules.MpxnCorrected(device, after, await s.NetworkOperatorsAsync(ct), now), ct);
            return after;
        }, ct);

    /// <summary>
    /// Update Inventory with a Device's new Device Model. A Suspended Device whose new model is on the CPL ceases to be
    /// Suspended (AC 8.3); an active Device whose new model is not on the CPL is Suspended (H6, AC 11.1–11.2).
    /// </summary>
    public Task<Outcome<Device>> UpdateDeviceModelAsync(UpdateDeviceModelRequest request, CancellationToken ct) =>
        _store.WriteAsync<Device>(async (s, ct) =>
        {
            var device = await s.GetDeviceAsync(request.DeviceId, ct);
            if (LifecycleRules.MayUpdateModel(request, device) is { } refusal)
                return refusal;
            var now = _clock.UtcNow;
            var after = device! with { Model = request.Model, UpdatedAt = now };
            if (after.Status is { } status)
            {
                var entry = await s.GetCplEntryAsync(request.Model, ct);
                var onCpl = entry is not null && entry.Covers(after.Type);
                if (status == SmiStatus.Suspended && onCpl)
                    after = LifecycleRules.EndSuspension(after, now);
                else if (!StatusSets.Inactive.Contains(status) && !onCpl)
                {
                    after = LifecycleRules.Suspend(after, now);
                    await s.UpdateDeviceAsync(after, ct);
                    await NotifyAsync(s, NotificationRules.StatusNotices(after, await s.NetworkOperatorsAsync(ct), now), ct);
                    return after;
                }
            }
            await s.UpdateDeviceAsync(after, ct);
            return after;
        }, ct);

    /// <summary>Registers the Electricity Distributor or Gas Transporter for MPANs/MPRNs starting with a prefix.</summary>
    public Task<Outcome<Done>> RegisterNetworkOperatorAsync(NetworkOperator op, CancellationToken ct) =>
        _store.WriteAsync<Done>(async (s, ct) =>
        {
            if (op.Prefix.Length == 0 || op.Prefix.Length > 13 || !op.Prefix.All(char.IsAsciiDigit))
                return Refusal.InvalidField("AC-4.3(b)", "prefix", $"'{op.Prefix}' is not an MPAN/MPRN prefix: give 1 to 13 digits (an MPAN's first two digits are its distributor ID).");
            await s.PutNetworkOperatorAsync(op, ct);
            return Done.Value;
        }, ct);

    // ---- AC 2.7 and reads (DUIS 8.2 Read Inventory) -----------------------------------------------------

    /// <summary>AC 2.7: the guard the WAN layer calls before sending anything to a Device.</summary>
    public async Task<Outcome<Done>> EnsureMayCommunicateAsync(DeviceId deviceId, CommunicationPurpose purpose, CancellationToken ct)
    {
        var device = await _store.ReadDeviceAsync(deviceId, ct);
        return LifecycleRules.MayCommunicate(deviceId, device, purpose) is { } refusal ? refusal : Outcome<Done>.Success(Done.Value);
    }

    /// <summary>Read Inventory by Device ID.</summary>
    public async Task<Outcome<Device>> ReadInventoryAsync(DeviceId deviceId, CancellationToken ct)
    {
        var device = await _store.ReadDeviceAsync(deviceId, ct);
        return device is null ? Refusal.NotInSmi("AC-2.1", deviceId) : Outcome<Device>.Success(device);
    }

    /// <summary>Read Inventory by CHF: the CHF and every Device Associated with it.</summary>
    public async Task<Outcome<ChfInventory>> ReadInventoryByChfAsync(DeviceId chfId, CancellationToken ct) =>
        await _store.ReadAsync<Outcome<ChfInventory>>(async (s, ct) =>
        {
            var chf = await s.GetDeviceAsync(chfId, ct);
            if (HanDeviceLogRules.ChfListed(chfId, chf, "AC-2.1") is { } refusal)
                return refusal;
            return new ChfInventory(chf!, await s.GetDevicesByChfAsync(chfId, ct));
        }, ct);

    /// <summary>The whole SMI, a page at a time in Device ID order.</summary>
    public Task<IReadOnlyList<Device>> ListDevicesAsync(DeviceId? after, int limit, CancellationToken ct) =>
        _store.ReadAsync((s, ct) => s.ListDevicesAsync(after, Math.Clamp(limit, 1, 10_000), ct), ct);

    public Task<long> CountDevicesAsync(CancellationToken ct) => _store.ReadAsync((s, ct) => s.CountDevicesAsync(ct), ct);

    // ---- duties (called by ScheduledDuties) ----------------------------------------------------------

    /// <summary>AC 8.2: removes Devices 'pending' for the configured months. Returns how many were removed.</summary>
    internal async Task<int> RemoveExpiredPendingAsync(CancellationToken ct)
    {
        var removed = 0;
        while (true)
        {
            var now = _clock.UtcNow;
            var batch = await _store.WriteAsync<int>(async (s, ct) =>
            {
                var count = 0;
                foreach (var id in await s.PendingSinceBeforeAsync(now.AddMonths(-_options.PendingExpiryMonths), 500, ct))
                {
                    var device = await s.GetDeviceAsync(id, ct);
                    if (device is not null && LifecycleRules.PendingExpired(device, now, _options.PendingExpiryMonths))
                    {
                        await s.DeleteDeviceAsync(id, ct);
                        count++;
                    }
                }
                return count;
            }, ct);
            removed += batch.Value;
            if (batch.Value < 500)
                return removed;
        }
    }

    /// <summary>
    /// F2.15(b), H6, AC 8.3: brings the SMI in line with the current CPL. Devices of models no longer on it are Suspended
    /// (with AC 11.1–11.2 notices, in the same transaction); Suspended Devices of models back on it return to their previous status.
    /// </summary>
    internal async Task<(int Suspended, int Restored)> ReconcileWithCplAsync(CancellationToken ct)
    {
        int suspended = 0, restored = 0;
        while (true)
        {
            var now = _clock.UtcNow;
            var batch = await _store.WriteAsync<(int, int)>(async (s, ct) =>
            {
                var operators = await s.NetworkOperatorsAsync(ct);
                var off = await s.DevicesOffCplAsync(200, ct);
                foreach (var device in off)
                {
                    var after = LifecycleRules.Suspend(device, now);
                    await s.UpdateDeviceAsync(after, ct);
                    await NotifyAsync(s, NotificationRules.StatusNotices(after, operators, now), ct);
                }
                var back = await s.SuspendedDevicesOnCplAsync(200, ct);
                foreach (var device in back)
                    await s.UpdateDeviceAsync(LifecycleRules.EndSuspension(device, now), ct);
                return (off.Count, back.Count);
            }, ct);
            suspended += batch.Value.Item1;
            restored += batch.Value.Item2;
            if (batch.Value.Item1 < 200 && batch.Value.Item2 < 200)
                return (suspended, restored);
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    private Outcome<Device> NewDevice(AddDeviceRequest request)
    {
        if (AddingDevicesRules.NotAloneCommsHubFunction(request.DeviceType) is { } alone)
            return alone;
        var supplier = AddingDevicesRules.ResponsibleSupplierOf(request.Requester, request.ResponsibleSupplier, request.DeviceType.IsType2() ? "AC-2.9" : "AC-2.6");
        if (!supplier.IsSuccess)
            return supplier.Refusal!;
        var device = NewPending(request.DeviceId, request.DeviceType, request.Model, request.Generation, [supplier.Value], _clock.UtcNow);
        // AC 2.9: a Type 2 Device has no SMI Status.
        return request.DeviceType.IsType2() ? device with { Status = null, PendingSince = null } : device;
    }

    /// <summary>AC 5.8(e) records the Supplier Party that sent the request; an Other User's join Commissions nothing it can be named for.</summary>
    private static PartyId? CommissioningSupplier(Actor requester) => requester.IsSupplier ? requester.Party : null;

    private static Device NewPending(DeviceId id, DeviceType type, DeviceModel model, SmetsGeneration generation, IReadOnlyList<PartyId> suppliers, DateTimeOffset now) => new()
    {
        Id = id,
        Type = type,
        Model = model,
        Generation = generation,
        Status = SmiStatus.Pending,
        PendingSince = now,
        ResponsibleSuppliers = suppliers,
        AddedAt = now,
        UpdatedAt = now,
    };

    /// <summary>AC 2.6 (CPL, not for Type 2 per 2.9) and 3.5 (SMETS1 Service Desk information).</summary>
    private async Task<Refusal?> CheckEligibleAsync(ISmiSession s, Device device, Dictionary<string, CplEntry?>? cplCache, CancellationToken ct)
    {
        if (!device.IsType2)
        {
            CplEntry? entry;
            if (cplCache is null || !cplCache.TryGetValue(device.Model.Key, out entry))
            {
                entry = await s.GetCplEntryAsync(device.Model, ct);
                cplCache?.TryAdd(device.Model.Key, entry);
            }
            if (AddingDevicesRules.ModelOnCpl(device.Type, device.Model, entry) is { } offCpl)
                return offCpl;
        }
        if (device.Generation == SmetsGeneration.SMETS1)
            return AddingDevicesRules.ServiceDeskInformationProvided(device, await s.GetServiceDeskInformationAsync(device.Id, ct), _options);
        return null;
    }

    private static async Task<Refusal?> Smets1CommissioningRefusalAsync(ISmiSession s, Device device, PartyId? supplier, CancellationToken ct)
    {
        if (device.Generation != SmetsGeneration.SMETS1)
            return null;
        var direction = await s.GetPanelDirectionAsync(device.Id, ct);
        var declaration = supplier is { } p ? await s.GetSmets1DeclarationAsync(p, device.Model, ct) : null;
        return Smets1Rules.MayCommission(device, supplier, declaration, direction);
    }

    private async Task<Refusal?> EpcRefusalAsync(ISmiSession s, Device anchor, Device? joining, PartyId requester, CancellationToken ct)
    {
        var models = await SystemModelsAsync(s, anchor, ct);
        if (joining is { IsType2: false, Generation: SmetsGeneration.SMETS1 })
            models.Add(joining.Model);
        var unique = models.DistinctBy(m => m.Key).ToList();
        // PPC-6.10, 6.12: a combination is tested before the DCC must serve it, so the Testing Participant that asked
        // for its test may take it through the test's Service Requests (AC 2.7 exempts H14 testing); for everyone
        // else H5 holds until the test passes and the combination is on the EPC.
        var underTest = (await s.CombinationsAsync(CombinationList.PPC, ct)).Where(c => c.Requester == requester);
        var eligible = (await s.CombinationsAsync(CombinationList.EPC, ct)).Concat(underTest).ToList();
        return Smets1Rules.CombinationEligible(unique, eligible, _options.EpcMatch);
    }

    /// <summary>
    /// The SMETS1 Device Models of the Smart Metering System around a Smart Meter or GPF: the meter, its CHF, and the
    /// Type 1 Devices and GPF Associated with it (Type 2 Devices are not SMETS1 product combinations' members).
    /// </summary>
    internal static async Task<List<DeviceModel>> SystemModelsAsync(ISmiSession s, Device anchor, CancellationToken ct)
    {
        var members = new Dictionary<DeviceId, Device>();
        async Task AddAssociatedAsync(Device d)
        {
            members.TryAdd(d.Id, d);
            foreach (var joined in await s.GetDevicesJoinedToAsync(d.Id, ct))
                if (!joined.IsType2)
                    members.TryAdd(joined.Id, joined);
            foreach (var targetId in d.JoinedTo)
                if (await s.GetDeviceAsync(targetId, ct) is { IsType2: false } t)
                    members.TryAdd(t.Id, t);
        }

        await AddAssociatedAsync(anchor);
        foreach (var gpf in members.Values.Where(m => m.Type == DeviceType.GPF && m.Id != anchor.Id).ToList())
            await AddAssociatedAsync(gpf);
        if (anchor.Type == DeviceType.GPF)
            foreach (var meter in members.Values.Where(m => m.Type.IsSmartMeter()).ToList())
                await AddAssociatedAsync(meter);
        foreach (var chfId in members.Values.Select(m => m.ChfId).OfType<DeviceId>().Distinct().ToList())
            if (await s.GetDeviceAsync(chfId, ct) is { } chf)
                members.TryAdd(chf.Id, chf);
        return members.Values.Where(m => m.Generation == SmetsGeneration.SMETS1).Select(m => m.Model).ToList();
    }

    private async Task<Device> ChangeStatusAsync(ISmiSession s, Device device, SmiStatus status, CancellationToken ct)
    {
        var now = _clock.UtcNow;
        var after = LifecycleRules.WithStatus(device, status, now);
        await s.UpdateDeviceAsync(after, ct);
        await NotifyAsync(s, NotificationRules.StatusNotices(after, await s.NetworkOperatorsAsync(ct), now), ct);
        return after;
    }

    private static async Task NotifyAsync(ISmiSession s, IEnumerable<Notification> notifications, CancellationToken ct)
    {
        foreach (var n in notifications)
            await s.AddNotificationAsync(n, ct);
    }

    /// <summary>The command awaiting this Response, taken off the pending list; null when none is awaiting it.</summary>
    private static async Task<PendingCommand?> TakePendingCommandAsync(ISmiSession s, string kind, DeviceId device, DeviceId? target, CancellationToken ct)
    {
        var pending = await s.GetPendingCommandAsync(kind, device, target, ct);
        if (pending is not null)
            await s.DeletePendingCommandAsync(kind, device, target, ct);
        return pending;
    }
}
