using System.Xml.Linq;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Duis;
using SecDcc.Duis.Messages;

namespace SecDcc.Dcc.Service.Duis.Devices;

/// <summary>
/// Turns each Device's outcome into the DUIS response to the User's request, signed by the DCC, and delivers it: to the
/// outbox the User can poll, and to the User's callback URL if it registered one. Outcomes of requests that did not come
/// through DUIS (their RequestId is not a DUIS RequestID) are left to their own interface.
/// </summary>
public sealed class DuisDeviceResponses(
    DccIdentity dcc,
    ResponseOutbox outbox,
    CallbackRegistry callbacks,
    CallbackDelivery delivery,
    ILogger<DuisDeviceResponses> log) : IDeviceOutcomeSink
{
    /// <summary>An outcome may name the DUIS response code in Data[<see cref="ResponseCodeKey"/>] (e.g. "E21" when the Device did not answer).</summary>
    public const string ResponseCodeKey = "duisResponseCode";

    public Task DeliverAsync(DeviceOutcome outcome, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (!RequestId.TryParse(outcome.RequestId, out var requestId, out _))
            return Task.CompletedTask;
        var response = Build(outcome, requestId);
        var xml = dcc.Sign(response);
        var entry = outbox.Add(requestId.Originator, outcome.RequestId, outcome.ServiceReferenceVariant, response.ResponseCode.Value, xml, outcome.At);
        log.LogInformation("Device response {Code} for {RequestId} ({Srv}) is response {Sequence} for {User}.",
            response.ResponseCode, outcome.RequestId, outcome.ServiceReferenceVariant, entry.Sequence, requestId.Originator);
        if (callbacks.Find(requestId.Originator) is { } url)
            delivery.Enqueue(url, outcome.RequestId, xml);
        return Task.CompletedTask;
    }

    public static DuisResponse Build(DeviceOutcome outcome, RequestId requestId)
    {
        var srv = outcome.ServiceReferenceVariant;
        var sr = ServiceRequestCatalogue.Default.TryGet(srv, out var variant) ? variant.ServiceReference : srv;
        var code = outcome.Data.TryGetValue(ResponseCodeKey, out var given) && ResponseCodes.IsDefined(given)
            ? new ResponseCode(given)
            : outcome.SuccessfullyExecuted ? ResponseCode.Success : new ResponseCode("E20");
        IResponsePayload? payload = outcome.Payload.IsEmpty
            ? null
            : new RawResponsePayload(new XElement(DuisNames.Sr + "GBCSPayload", Convert.ToBase64String(outcome.Payload.Span)));
        var diagnostic = outcome.SuccessfullyExecuted
            ? null
            : new DuisRejection(code, outcome.Clause ?? "SM-WAN", "DeviceRequestNotExecuted",
                outcome.FailureReason ?? $"The Command to {outcome.Target} was not Successfully Executed.").Diagnostic;
        return new DuisResponse(code, outcome.At, requestId, requestId, new ResponseMessage(sr, srv, payload), diagnostic);
    }
}
