using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Devices;

namespace SecDcc.Dcc.Tests.Duis.Support;

/// <summary>
/// A stand-in for the SM WAN gateway: it applies the domain's request-time rules (AC 2.7 and the SRV's own clauses),
/// accepts, and then plays a Device that Successfully Executes the Command, moving the SMI as the Response would and
/// handing the outcome to the DCC's outcome sink. It lets the DUIS tests run device Service Requests end to end while
/// the real gateway is built elsewhere.
/// </summary>
public sealed class LoopbackWan(ReferenceDcc dcc, IServiceProvider services) : IDeviceRequests
{
    /// <summary>What every Device "returns", so responses carry a GBCSPayload the XSD must accept.</summary>
    public static readonly byte[] ResponsePayload = [0xDF, 0x09, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01];

    public ConcurrentQueue<DeviceRequest> Submitted { get; } = new();

    /// <summary>When set, Devices answer that the Command was not Successfully Executed.</summary>
    public bool DevicesFail { get; set; }

    public async Task<Outcome<DeviceRequestAccepted>> SubmitAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        var guard = await dcc.Inventory.EnsureMayCommunicateAsync(request.Target, CommunicationPurpose.Operational, cancellationToken);
        if (!guard.IsSuccess)
            return guard.Refusal!;
        if (await RequestAsync(request, cancellationToken) is { } refusal)
            return refusal;
        Submitted.Enqueue(request);
        var sentAt = dcc.Clock.UtcNow;
        _ = Task.Run(() => RespondAsync(request));
        return new DeviceRequestAccepted(request.RequestId, request.Target, sentAt);
    }

    private async Task<Refusal?> RequestAsync(DeviceRequest r, CancellationToken ct)
    {
        switch (r.ServiceReferenceVariant)
        {
            case "8.7.1" or "8.7.2":
                var (device, owner) = JoinParties(r);
                return (await dcc.Inventory.RequestJoinAsync(new JoinRequest(r.Requester, device, owner), ct)).Refusal;
            case "8.8.1" or "8.8.2":
                var (leaving, from) = JoinParties(r);
                return (await dcc.Inventory.RequestUnjoinAsync(new UnjoinRequest(r.Requester, leaving, from), ct)).Refusal;
            case "8.1.1":
                var commission = await dcc.Inventory.RequestCommissionDeviceAsync(new CommissionDeviceRequest(r.Requester, r.Target), ct);
                return commission.Refusal;
            default:
                return null;
        }
    }

    /// <summary>As the gateway reads a Join: "device" joins the Target (a meter or GPF), or the Target joins "joinTo".</summary>
    private static (DeviceId Device, DeviceId Owner) JoinParties(DeviceRequest r) =>
        r.Parameters.TryGetValue("device", out var device) ? (DeviceId.Parse(device), r.Target) : (r.Target, DeviceId.Parse(r.Parameters["joinTo"]));

    private async Task RespondAsync(DeviceRequest r)
    {
        var ok = !DevicesFail;
        Outcome<Device>? applied = r.ServiceReferenceVariant switch
        {
            "8.7.1" or "8.7.2" => await dcc.Inventory.JoinResponseAsync(new JoinResponse(JoinParties(r).Device, JoinParties(r).Owner, ok), default),
            "8.8.1" or "8.8.2" => await dcc.Inventory.UnjoinResponseAsync(new UnjoinResponse(JoinParties(r).Device, JoinParties(r).Owner, ok), default),
            "8.1.1" => await dcc.Inventory.CommissionDeviceResponseAsync(new CommissionDeviceResponse(r.Target, ok), default),
            "8.11" when ok && r.Parameters["action"] == "add" => await dcc.Inventory.HanDeviceLogUpdatedAsync(
                new HanDeviceLogUpdate(r.Requester, r.Target, DeviceId.Parse(r.Parameters["device"]),
                    r.Parameters.TryGetValue("mpxns", out var m) ? m.Split(',') : null), default),
            _ => (Outcome<Device>?)null,
        };
        var refused = applied is { IsSuccess: false } a ? a.Refusal : null;
        var outcome = new DeviceOutcome(r.RequestId, r.ServiceReferenceVariant, r.Requester, r.Target, ok && refused is null, dcc.Clock.UtcNow)
        {
            FailureReason = refused?.Message ?? (ok ? null : $"The Device {r.Target} reported that the Command was not Successfully Executed."),
            Clause = refused?.Clause,
            Payload = ResponsePayload,
        };
        await services.GetRequiredService<IDeviceOutcomeSink>().DeliverAsync(outcome, default);
    }
}
