using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Service.Devices;

// The seam between the DCC's User-facing interfaces (DUIS, the JSON API) and its SM WAN: a Service Request that
// needs a Command to a Device is submitted here; it is checked (AC 2.7 and the SRV's own clauses), sent, and
// acknowledged at once; the Device's Response arrives later, moves the SMI, and is handed to an outcome sink
// that delivers it to the User.

/// <summary>What a device Service Request asks the DCC to do on a Device, in transport-neutral terms.</summary>
public sealed record DeviceRequest(
    /// <summary>The DUIS RequestID (originator:target:counter), or any unique id for other interfaces.</summary>
    string RequestId,
    /// <summary>The Service Reference Variant, e.g. "8.11", "8.7.1", "8.1.1", "6.24.1".</summary>
    string ServiceReferenceVariant,
    Actor Requester,
    /// <summary>The Device the Command is addressed to (for 8.11 the CHF whose log changes).</summary>
    DeviceId Target,
    /// <summary>SRV-specific values, e.g. "device" (the Device added to a log), "joinTo", "mpxns", "action".</summary>
    IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Opaque SRV content carried to the Device unchanged (credentials, log entries to restore).</summary>
    public ReadOnlyMemory<byte> Payload { get; init; }
}

/// <summary>The DCC has accepted a device request and sent its Command; the Response will follow.</summary>
public sealed record DeviceRequestAccepted(string RequestId, DeviceId Target, DateTimeOffset SentAt);

/// <summary>A Device's Response (or the DCC's timeout in its place), after the SMI has been updated from it.</summary>
public sealed record DeviceOutcome(
    string RequestId,
    string ServiceReferenceVariant,
    Actor Requester,
    DeviceId Target,
    bool SuccessfullyExecuted,
    DateTimeOffset At)
{
    /// <summary>Why it did not succeed, in words; names the clause when the DCC refused to act on the Response.</summary>
    public string? FailureReason { get; init; }
    public string? Clause { get; init; }

    /// <summary>What the Device returned (device log entries, credentials…), SRV-specific.</summary>
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
    public ReadOnlyMemory<byte> Payload { get; init; }
}

/// <summary>Submits device Service Requests to the SM WAN. Implemented by the WAN gateway.</summary>
public interface IDeviceRequests
{
    /// <summary>
    /// Checks the request against AC 2.7 and its SRV's clauses, sends the Command, and returns the acceptance, or
    /// the Refusal naming its clause with nothing sent and nothing changed.
    /// </summary>
    Task<Outcome<DeviceRequestAccepted>> SubmitAsync(DeviceRequest request, CancellationToken cancellationToken);
}

/// <summary>Receives each device outcome to deliver it to its User. Implemented by the DUIS endpoint.</summary>
public interface IDeviceOutcomeSink
{
    Task DeliverAsync(DeviceOutcome outcome, CancellationToken cancellationToken);
}
