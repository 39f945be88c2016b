using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Service.Devices;
using static SecDcc.Dcc.Service.Wan.PreparedCommand;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// Device Service Requests over the SM WAN: AC 2.7 first (nothing goes to a Device not in the SMI), then the SRV's
/// own clauses, then the Command through the WAN connection of the CHF that serves the Device. The Response, or the
/// timeout in its place, is applied by that connection and handed to the outcome sinks.
/// </summary>
public sealed class WanDeviceRequests(
    ReferenceDcc dcc,
    HubDirectory hubs,
    WanStatistics statistics,
    OutcomeDispatcher outcomes,
    WanSmiGate gate) : IDeviceRequests
{
    public async Task<Outcome<DeviceRequestAccepted>> SubmitAsync(DeviceRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.RequestId))
            return Refused(Refusal.InvalidField("WAN", "requestId", "The request has no RequestId; give the DUIS RequestID (originator:target:counter) or another unique id."));
        if (!outcomes.Open(request.RequestId))
            return Refused(Refusal.InvalidField("WAN", "requestId", $"Request {request.RequestId} is already waiting for its Device's Response; a RequestID is used once."));

        var outcome = await SendAsync(request, cancellationToken);
        if (!outcome.IsSuccess)
        {
            outcomes.Close(request.RequestId);
            statistics.RequestRefused(outcome.Refusal!);
        }

        return outcome;
    }

    private async Task<Outcome<DeviceRequestAccepted>> SendAsync(DeviceRequest request, CancellationToken ct)
    {
        var smi = dcc.Inventory;
        var prepared = await gate.RunAsync(async () =>
        {
            // AC 2.7: the DCC sends no communication to a Device that is not in the SMI.
            var may = await smi.EnsureMayCommunicateAsync(request.Target, CommunicationPurpose.Operational, ct);
            return may.IsSuccess ? await DeviceServices.PrepareAsync(request, smi, ct) : may.Refusal!;
        }, ct);
        if (!prepared.IsSuccess)
            return prepared.Refusal!;

        var command = prepared.Value;
        Outcome<DeviceRequestAccepted> sent = command.ChfId is { } chfId && hubs.TryGet(Wire.Eui(chfId), out var hub)
            ? hub.Send(command)
            : new Refusal("WAN", "HubNotConnected",
                command.ChfId is { } chf
                    ? $"CHF {chf}, which serves Device {command.Recipient.Id}, has no verified connection to the SM WAN gateway, so the Command cannot be sent; try again once it has connected."
                    : $"Device {command.Recipient.Id} is in no CHF's Device Log, so no hub can carry a Command to it; add it with Update HAN Device Log (8.11, AC 4.3) first.",
                RefusalKind.Conflict, "target");
        if (!sent.IsSuccess)
            await gate.RunAsync(() => command.AbandonAsync(smi, CancellationToken.None), CancellationToken.None);
        return sent;
    }

    private static Outcome<DeviceRequestAccepted> Refused(Refusal refusal) => refusal;
}
