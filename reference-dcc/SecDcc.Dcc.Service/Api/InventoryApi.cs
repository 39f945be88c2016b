using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;

namespace SecDcc.Dcc.Service.Api;

/// <summary>The Smart Metering Inventory over JSON: Service Requests, reads (8.2 Read Inventory), and, in test mode, device events.</summary>
public static class InventoryApi
{
    public static IEndpointRouteBuilder MapInventoryApi(this IEndpointRouteBuilder app, bool testMode)
    {
        var g = app.MapGroup("/inventory").WithTags("Inventory");

        g.MapPost("/devices", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<AddDeviceDto>(req, ct, async (dto, r) =>
        {
            var request = r.AddDevice(dto);
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.AddDeviceAsync(request, ct), Wire.View);
        }));

        g.MapPost("/devices/batch", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<BatchDto>(req, ct, async (dto, r) =>
        {
            if (dto.Devices is not { Count: > 0 })
                return Http.Invalid("devices", "devices is missing or empty: give an array of devices to pre-notify.");
            var requests = dto.Devices.Select((d, i) => r.AddDevice(d, dto.Actor, $"devices[{i}].")).ToList();
            if (r.Error is { } e)
                return Http.Refused(e);
            var results = await dcc.Inventory.PreNotifyDevicesAsync(requests, ct);
            return Results.Ok(results.Select(x => new
            {
                deviceId = x.DeviceId.ToString(),
                accepted = x.Accepted,
                clause = x.Refusal?.Clause,
                code = x.Refusal?.Code,
                message = x.Refusal?.Message,
            }));
        }));

        g.MapPost("/communications-hubs", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<AddHubDto>(req, ct, async (dto, r) =>
        {
            var request = new AddCommunicationsHubRequest(r.Actor(dto.Actor), r.Device(dto.ChfId, "chfId"), dto.GpfId is null ? null : r.Device(dto.GpfId, "gpfId"),
                r.Model(dto.Model), r.Generation(dto.Generation, "generation"), r.OptionalParty(dto.LeadSupplier, "leadSupplier"),
                dto.ResponsibleSuppliers?.Select((p, i) => r.Party(p, $"responsibleSuppliers[{i}]")).ToList());
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.AddCommunicationsHubAsync(request, ct), Hub);
        }));

        g.MapPost("/communications-hubs/deliveries", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<DeliverHubDto>(req, ct, async (dto, r) =>
        {
            var request = new DeliverCommunicationsHubRequest(r.Device(dto.ChfId, "chfId"), r.Device(dto.GpfId, "gpfId"), r.Model(dto.Model), r.Party(dto.DeliveredTo, "deliveredTo"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.DeliverCommunicationsHubAsync(request, ct), Hub);
        }));

        // AC 12.3: the Security Sub-Committee's approval, then the DCC's own inclusion of the approved hub for CH Production Proving.
        g.MapPost("/production-proving/approvals", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<ProductionProvingApprovalDto>(req, ct, async (dto, r) =>
        {
            var request = new ProductionProvingApprovalRequest(r.Device(dto.ChfId, "chfId"), dto.GpfId is null ? null : r.Device(dto.GpfId, "gpfId"), dto.Reference ?? "");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RecordProductionProvingApprovalAsync(request, ct), a => new
            {
                chfId = a.ChfId.ToString(),
                gpfId = a.GpfId.ToString(),
                reference = a.Reference,
                approvedAt = a.ApprovedAt,
            });
        }));

        g.MapPost("/production-proving/hubs", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<ProductionProvingHubDto>(req, ct, async (dto, r) =>
        {
            var request = new ProductionProvingInclusionRequest(r.Device(dto.ChfId, "chfId"), dto.GpfId is null ? null : r.Device(dto.GpfId, "gpfId"), r.Model(dto.Model));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.IncludeForProductionProvingAsync(request, ct), Hub);
        }));

        g.MapGet("/devices/{id}", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ReadInventoryAsync(deviceId, ct), Wire.View);
        });

        g.MapGet("/devices", async (string? after, int? limit, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            DeviceId? from = after is null ? null : r.Device(after, "after");
            if (r.Error is { } e)
                return Http.Refused(e);
            var page = await dcc.Inventory.ListDevicesAsync(from, limit ?? 1000, ct);
            return Results.Ok(new { devices = page.Select(Wire.View), next = page.Count > 0 && page.Count == Math.Clamp(limit ?? 1000, 1, 10_000) ? page[^1].Id.ToString() : null });
        });

        g.MapGet("/chf/{id}", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var chf = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ReadInventoryByChfAsync(chf, ct), Hub);
        });

        g.MapGet("/devices/{id}/may-communicate", async (string id, string? purpose, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var deviceId = r.Device(id, "id");
            if (r.Error is { } e)
                return Http.Refused(e);
            if (!Enum.TryParse<CommunicationPurpose>(purpose ?? nameof(CommunicationPurpose.Operational), out var p) || !Enum.IsDefined(p))
                return Http.Invalid("purpose", $"purpose '{purpose}' is not one of {string.Join(", ", Enum.GetNames<CommunicationPurpose>())}.");
            return Http.From(await dcc.Inventory.EnsureMayCommunicateAsync(deviceId, p, ct), _ => new { deviceId = id, mayCommunicate = true });
        });

        MapActorCommand(g, "/devices/{id}/decommission", (dcc, actor, id, ct) => dcc.Inventory.DecommissionDeviceAsync(new DecommissionDeviceRequest(actor, id), ct));
        MapActorCommand(g, "/devices/{id}/withdraw", (dcc, actor, id, ct) => dcc.Inventory.WithdrawDeviceAsync(new WithdrawDeviceRequest(actor, id), ct));
        MapActorCommand(g, "/devices/{id}/reactivate", (dcc, actor, id, ct) => dcc.Inventory.ReactivateDeviceAsync(new ReactivateDeviceRequest(actor, id), ct));

        g.MapPut("/devices/{id}/mpxns", (string id, HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<MpxnDto>(req, ct, async (dto, r) =>
        {
            var request = new UpdateMpxnRequest(r.Actor(dto.Actor), r.Device(id, "id"), dto.Mpxns ?? []);
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.UpdateMpxnAsync(request, ct), Wire.View);
        }));

        g.MapPut("/devices/{id}/model", (string id, HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<UpdateModelDto>(req, ct, async (dto, r) =>
        {
            var request = new UpdateDeviceModelRequest(r.Actor(dto.Actor), r.Device(id, "id"), r.Model(dto.Model));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.UpdateDeviceModelAsync(request, ct), Wire.View);
        }));

        g.MapPost("/devices/{id}/service-desk", (string id, HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<ServiceDeskDto>(req, ct, async (dto, r) =>
        {
            var contact = new ServiceDeskContact(r.Actor(dto.Actor), r.Device(id, "id"), dto.Information ?? []);
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ProvideServiceDeskInformationAsync(contact, ct), _ => new { deviceId = id, recorded = true });
        }));

        g.MapGet("/devices/{id}/service-desk", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ReadServiceDeskInformationAsync(deviceId, ct), info => new
            {
                deviceId = info.DeviceId.ToString(),
                providedBy = new { party = info.ProvidedBy.Party.ToString(), role = info.ProvidedBy.Role.ToString() },
                providedAt = info.ProvidedAt,
                information = info.Information,
            });
        });

        g.MapPost("/devices/{id}/panel-direction", (string id, HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<PanelDirectionDto>(req, ct, async (dto, r) =>
        {
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RecordPanelDirectionAsync(deviceId, dto.DisputeReference ?? "", ct), _ => new { deviceId = id, directed = true });
        }));

        g.MapDelete("/devices/{id}/panel-direction", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.LiftPanelDirectionAsync(deviceId, ct), _ => new { deviceId = id, directed = false });
        });

        g.MapPost("/smets1-declarations", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<DeclarationDto>(req, ct, async (dto, r) =>
        {
            var request = new Smets1DeclarationRequest(r.Actor(dto.Actor), r.Model(dto.Model), dto.SupplierLegalName ?? "", dto.SignedBy ?? "");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RecordSmets1DeclarationAsync(request, ct), _ => new { recorded = true });
        }));

        g.MapPost("/network-operators", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<NetworkOperatorDto>(req, ct, async (dto, r) =>
        {
            var op = new NetworkOperator(r.Bool(dto.Gas, "gas"), dto.Prefix ?? "", r.Party(dto.Party, "party"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RegisterNetworkOperatorAsync(op, ct), _ => new { registered = true });
        }));

        g.MapPost("/join", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<JoinDto>(req, ct, async (dto, r) =>
        {
            var request = new JoinRequest(r.Actor(dto.Actor), r.Device(dto.DeviceId, "deviceId"), r.Device(dto.TargetId, "targetId"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RequestJoinAsync(request, ct), Command);
        }));

        g.MapPost("/unjoin", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<JoinDto>(req, ct, async (dto, r) =>
        {
            var request = new UnjoinRequest(r.Actor(dto.Actor), r.Device(dto.DeviceId, "deviceId"), r.Device(dto.TargetId, "targetId"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RequestUnjoinAsync(request, ct), Command);
        }));

        g.MapPost("/commission", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<CommissionDto>(req, ct, async (dto, r) =>
        {
            var request = new CommissionDeviceRequest(r.Actor(dto.Actor), r.Device(dto.MeterId, "meterId"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RequestCommissionDeviceAsync(request, ct), Command);
        }));

        // AC 2.12: a Response the User received locally, returned to the DCC (DUIS 8.13 'Return Local Command Response').
        g.MapPost("/return-local-command-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<LocalCommandResponseDto>(req, ct, async (dto, r) =>
        {
            var response = new LocalCommandResponse(r.Actor(dto.Actor), dto.Command ?? "", r.Device(dto.DeviceId, "deviceId"),
                dto.TargetId is null ? null : r.Device(dto.TargetId, "targetId"), r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ReturnLocalCommandResponseAsync(response, ct), v => v switch
            {
                Device d => Wire.View(d),
                DeviceLogRecord rec => Record(rec),
                var other => other,
            });
        }));

        // AC 9.3: the entries to restore come from the DCC's AC 9.2 record, never from the request.
        g.MapPost("/restore-device-log", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<RestoreDeviceLogDto>(req, ct, async (dto, r) =>
        {
            if (dto.Entries is not null)
                return Http.Refused(Rules.DeviceLogRecordRules.EntriesGivenByRequester("entries"));
            var target = r.Device(dto.TargetId, "targetId");
            var request = new RestoreDeviceLogRequest(r.Actor(dto.Actor), target, dto.FromId is null ? target : r.Device(dto.FromId, "fromId"));
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.RequestRestoreDeviceLogAsync(request, ct), x => new
            {
                command = Rules.DeviceLogRecordRules.RestoreCommand,
                targetId = x.TargetId.ToString(),
                fromId = x.FromId.ToString(),
                entries = x.Entries.Select(Entry),
                accepted = true,
            });
        }));

        g.MapGet("/device-log-record/{id}", async (string id, ReferenceDcc dcc, CancellationToken ct) =>
        {
            var r = new Wire.Reader();
            var owner = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await dcc.Inventory.ReadDeviceLogRecordAsync(owner, ct), Record);
        });

        if (testMode)
            MapDeviceEvents(g.MapGroup("/events"));
        return app;
    }

    /// <summary>Device responses and alerts. In production the SM WAN gateway delivers these; in test mode they can be injected.</summary>
    private static void MapDeviceEvents(RouteGroupBuilder e)
    {
        e.MapPost("/chf-communication", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<ChfCommunicationDto>(req, ct, async (dto, r) =>
        {
            var evt = new ChfCommunication(r.Device(dto.ChfId, "chfId"), dto.IntegrityVerified ?? true, dto.OriginVerified ?? true);
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.ChfCommunicationReceivedAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/han-device-log", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<HanLogDto>(req, ct, async (dto, r) =>
        {
            var evt = new HanDeviceLogUpdate(r.Actor(dto.Actor), r.Device(dto.ChfId, "chfId"), r.Device(dto.DeviceId, "deviceId"), dto.Mpxns);
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.HanDeviceLogUpdatedAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/han-alert", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<HanAlertDto>(req, ct, async (dto, r) =>
        {
            var evt = new HanAlert(r.Device(dto.ChfId, "chfId"), r.Device(dto.DeviceId, "deviceId"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.HanAlertReceivedAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/join-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<JoinResponseDto>(req, ct, async (dto, r) =>
        {
            var evt = new JoinResponse(r.Device(dto.DeviceId, "deviceId"), r.Device(dto.TargetId, "targetId"), r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.JoinResponseAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/unjoin-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<JoinResponseDto>(req, ct, async (dto, r) =>
        {
            var evt = new UnjoinResponse(r.Device(dto.DeviceId, "deviceId"), r.Device(dto.TargetId, "targetId"), r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.UnjoinResponseAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/han-device-log-removal", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<HanAlertDto>(req, ct, async (dto, r) =>
        {
            var evt = new HanDeviceLogRemoval(r.Device(dto.ChfId, "chfId"), r.Device(dto.DeviceId, "deviceId"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.HanDeviceLogEntryRemovedAsync(evt, ct), Wire.View);
        }));
        e.MapPost("/restore-device-log-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<RestoreResponseDto>(req, ct, async (dto, r) =>
        {
            var evt = new RestoreDeviceLogResponse(r.Device(dto.TargetId, "targetId"), r.Device(dto.FromId, "fromId"), r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.RestoreDeviceLogResponseAsync(evt, ct), Record);
        }));
        e.MapPost("/commission-device-response", (HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<CommissionResponseDto>(req, ct, async (dto, r) =>
        {
            var evt = new CommissionDeviceResponse(r.Device(dto.MeterId, "meterId"), r.Bool(dto.SuccessfullyExecuted, "successfullyExecuted"));
            return r.Error is { } err ? Http.Refused(err) : Http.From(await dcc.Inventory.CommissionDeviceResponseAsync(evt, ct), Wire.View);
        }));
    }

    private static void MapActorCommand(RouteGroupBuilder g, string pattern, Func<ReferenceDcc, Actor, DeviceId, CancellationToken, Task<Outcome<Device>>> act) =>
        g.MapPost(pattern, (string id, HttpRequest req, ReferenceDcc dcc, CancellationToken ct) => Handle<ActorOnlyDto>(req, ct, async (dto, r) =>
        {
            var actor = r.Actor(dto.Actor);
            var deviceId = r.Device(id, "id");
            return r.Error is { } e ? Http.Refused(e) : Http.From(await act(dcc, actor, deviceId, ct), Wire.View);
        }));

    internal static async Task<IResult> Handle<TDto>(HttpRequest req, CancellationToken ct, Func<TDto, Wire.Reader, Task<IResult>> act) where TDto : class
    {
        var body = await Http.ReadJsonAsync<TDto>(req, ct);
        return body.Problem ?? await act(body.Value!, new Wire.Reader());
    }

    private static object Entry(DeviceLogRecordEntry e) => new { deviceId = e.DeviceId.ToString(), deviceType = e.DeviceType.ToString() };

    private static object Record(DeviceLogRecord x) => new { ownerId = x.OwnerId.ToString(), ownerType = x.OwnerType.ToString(), entries = x.Entries.Select(Entry) };

    private static object Hub(ChfInventory i) => new { chf = Wire.View(i.Chf), devices = i.Devices.Select(Wire.View) };

    private static object Command(CommandAccepted c) => new { command = c.Command, deviceId = c.DeviceId.ToString(), targetId = c.TargetId?.ToString(), accepted = true };
}
