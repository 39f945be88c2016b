using SecDcc.Dcc.Service.Api;
using SecDcc.Dcc.Service.Devices;

namespace SecDcc.Dcc.Service.Wan;

public sealed record DeviceRequestDto(
    string? RequestId, string? ServiceReferenceVariant, ActorDto? Actor, string? Target, Dictionary<string, string>? Parameters, string? Payload);

public sealed record DeviceOutcomeView(
    string RequestId, string ServiceReferenceVariant, string Requester, string Target, bool SuccessfullyExecuted, DateTimeOffset At,
    string? FailureReason, string? Clause, IReadOnlyDictionary<string, string> Data, string? Payload);

/// <summary>
/// The gateway over HTTP: the DCC's command-signing certificate, counters, open connections; in test mode also device
/// requests (the DUIS endpoint's seam, for tests while DUIS is built), their outcomes, and trusted Device Certificate issuers.
/// </summary>
public static class WanApi
{
    public static IEndpointRouteBuilder MapWanApi(this IEndpointRouteBuilder app, bool testMode)
    {
        if (app.ServiceProvider.GetRequiredService<WanGatewayInfo>() is not { Enabled: true })
            return app;
        var g = app.MapGroup("/wan").WithTags("SM WAN");

        // The certificate is public (devices hold it in a Trust Anchor Cell), so it is served in every mode.
        g.MapGet("/dcc-certificate", (DccWanIdentity identity) => Results.Text(identity.CertificatePem, "application/x-pem-file"));

        g.MapGet("/statistics", (WanStatistics statistics, HubDirectory hubs) =>
            Results.Ok(statistics.Snapshot(hubs.Open.Select(h => h.Link), hubs.OpenCount)));

        g.MapGet("/hubs", (HubDirectory hubs) => Results.Ok(hubs.Open.Select(h => new
        {
            chfId = h.ChfId?.ToString(),
            peer = h.Peer,
            adapter = h.Adapter.Name,
            connectedAt = h.ConnectedAt,
            commissioning = h.Commissioning,
            communication = h.LastCommunication is { } c
                ? new
                {
                    sequence = c.Sequence,
                    chfId = c.ChfId.ToString(),
                    status = c.Status,
                    refusal = c.Refusal is { } r ? new { clause = r.Clause, code = r.Code, message = r.Message, kind = r.Kind.ToString(), field = r.Field } : null,
                }
                : null,
            commandsInFlight = h.CommandsInFlight,
            framesAccepted = h.Link.Frames,
        })));

        if (testMode)
            MapTestEndpoints(g);
        return app;
    }

    private static void MapTestEndpoints(RouteGroupBuilder g)
    {
        g.MapPost("/device-issuers", async (HttpRequest req, DeviceTrust trust, CancellationToken ct) =>
        {
            var body = await Http.ReadTextAsync(req, ct);
            return body.Problem ?? Http.From(trust.AddIssuerPem(body.Value!), subject => new { trusted = subject, issuers = trust.IssuerSubjects });
        });

        g.MapPost("/requests", (HttpRequest req, IDeviceRequests requests, WanRequestLog log, CancellationToken ct) =>
            InventoryApi.Handle<DeviceRequestDto>(req, ct, async (dto, r) =>
            {
                var (request, error) = ToRequest(dto, r);
                if (error is not null)
                    return Http.Refused(error);
                var outcome = await requests.SubmitAsync(request!, ct);
                if (!outcome.IsSuccess)
                    return Http.Refused(outcome.Refusal!);
                log.Accepted(outcome.Value);
                return Results.Accepted($"/wan/requests/{Uri.EscapeDataString(outcome.Value.RequestId)}",
                    new { requestId = outcome.Value.RequestId, target = outcome.Value.Target.ToString(), sentAt = outcome.Value.SentAt });
            }));

        g.MapGet("/requests/{requestId}", (string requestId, WanRequestLog log) => log.Find(requestId) is { } entry
            ? Results.Ok(new
            {
                requestId,
                state = entry.Outcome is null ? "sent" : "completed",
                sentAt = entry.Accepted?.SentAt,
                outcome = entry.Outcome is { } o ? View(o) : null,
            })
            : Http.Refused(new Refusal("WAN", "UnknownRequest", $"No device request {requestId} was sent through this DCC (or it is older than the last {WanRequestLog.Capacity}).", RefusalKind.NotFound, "requestId")));
    }

    private static (DeviceRequest? Request, Refusal? Error) ToRequest(DeviceRequestDto dto, Wire.Reader r)
    {
        var actor = r.Actor(dto.Actor);
        var target = r.Device(dto.Target, "target");
        if (r.Error is { } e)
            return (null, e);
        if (string.IsNullOrWhiteSpace(dto.RequestId))
            return (null, Refusal.InvalidField("JSON", "requestId", "requestId is missing: give the DUIS RequestID (originator:target:counter) or another unique id."));
        if (string.IsNullOrWhiteSpace(dto.ServiceReferenceVariant))
            return (null, Refusal.InvalidField("JSON", "serviceReferenceVariant", $"serviceReferenceVariant is missing: give one of {string.Join(", ", DeviceServices.Known.Keys)}."));
        byte[] payload = [];
        if (dto.Payload is { Length: > 0 } text && !TryBase64(text, out payload))
            return (null, Refusal.InvalidField("JSON", "payload", "payload is not base64; give the opaque SRV content (a DER certificate, an install code) as base64."));
        return (new DeviceRequest(dto.RequestId, dto.ServiceReferenceVariant, actor, target, dto.Parameters ?? []) { Payload = payload }, null);
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var n))
        {
            bytes = bytes[..n];
            return true;
        }

        bytes = [];
        return false;
    }

    public static DeviceOutcomeView View(DeviceOutcome o) => new(
        o.RequestId, o.ServiceReferenceVariant, o.Requester.ToString(), o.Target.ToString(), o.SuccessfullyExecuted, o.At,
        o.FailureReason, o.Clause, o.Data, o.Payload.IsEmpty ? null : Convert.ToBase64String(o.Payload.Span));
}
