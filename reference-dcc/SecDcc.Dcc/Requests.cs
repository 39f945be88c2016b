using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc;

// Service Requests and device events, as the domain takes them. A DUIS endpoint or the WAN gateway builds
// these from its own transport types; the JSON API does the same.

/// <summary>Device Pre-notification of one Device other than a CHF/GPF (AC 2.6, 2.9; DUIS 12.2).</summary>
public sealed record AddDeviceRequest(
    Actor Requester,
    DeviceId DeviceId,
    DeviceType DeviceType,
    DeviceModel Model,
    SmetsGeneration Generation,
    PartyId? ResponsibleSupplier = null);

/// <summary>A User adds the CHF and GPF of one SMETS1 Communications Hub together (AC 2.5, 2.8).</summary>
public sealed record AddCommunicationsHubRequest(
    Actor Requester,
    DeviceId ChfId,
    DeviceId? GpfId,
    DeviceModel Model,
    SmetsGeneration Generation,
    PartyId? LeadSupplier = null,
    IReadOnlyList<PartyId>? ResponsibleSuppliers = null);

/// <summary>The DCC adds a Communications Hub it is about to deliver to a Party under the Communications Hub Service (AC 2.4).</summary>
public sealed record DeliverCommunicationsHubRequest(DeviceId ChfId, DeviceId GpfId, DeviceModel Model, PartyId DeliveredTo);

/// <summary>The Security Sub-Committee approves including one Communications Hub's CHF and GPF in the SMI for CH Production Proving (AC 12.3).</summary>
public sealed record ProductionProvingApprovalRequest(DeviceId ChfId, DeviceId? GpfId, string Reference);

/// <summary>The DCC includes a Communications Hub's CHF and GPF in the SMI for CH Production Proving (AC 12.2–12.3).</summary>
public sealed record ProductionProvingInclusionRequest(DeviceId ChfId, DeviceId? GpfId, DeviceModel Model);

/// <summary>The AC 3.4 Service Desk contact for a SMETS1 Device.</summary>
public sealed record ServiceDeskContact(Actor Requester, DeviceId DeviceId, IReadOnlyDictionary<string, string> Information);

/// <summary>The AC 3.8 declaration of a Supplier Party for a Device Model.</summary>
public sealed record Smets1DeclarationRequest(Actor Requester, DeviceModel Model, string SupplierLegalName, string SignedBy);

/// <summary>
/// A communication from a CHF confirming it has connected to the SM WAN (AC 4.1). The WAN gateway says whether
/// it is unaltered in transit and originates from the CHF it names (AC 4.2(c)).
/// </summary>
public sealed record ChfCommunication(DeviceId ChfId, bool IntegrityVerified, bool OriginVerified);

/// <summary>The Successful Execution of an 'Update HAN Device Log' Service Request adding a Device (AC 4.3).</summary>
public sealed record HanDeviceLogUpdate(Actor Requester, DeviceId ChfId, DeviceId DeviceId, IReadOnlyList<string>? Mpxns = null);

/// <summary>The Successful Execution of an 'Update HAN Device Log' Service Request removing a Device from a CHF's Device Log (AC 9.2).</summary>
public sealed record HanDeviceLogRemoval(DeviceId ChfId, DeviceId DeviceId);

/// <summary>
/// 'Restore HAN Device Log' (DUIS 8.12.1, <see cref="TargetId"/> a CHF) or 'Restore Gas Proxy Function Device Log' (8.12.2, a
/// GPF): restore the Device Log of <see cref="TargetId"/> from the DCC's record for <see cref="FromId"/>, the CHF or GPF it
/// replaces (or itself).
/// </summary>
public sealed record RestoreDeviceLogRequest(Actor Requester, DeviceId TargetId, DeviceId FromId);

/// <summary>The Response to a Restore Device Log command (AC 9.2–9.3).</summary>
public sealed record RestoreDeviceLogResponse(DeviceId TargetId, DeviceId FromId, bool SuccessfullyExecuted);

/// <summary>One Device in the DCC's record of a CHF's or GPF's Device Log (AC 9.2).</summary>
public sealed record DeviceLogRecordEntry(DeviceId DeviceId, DeviceType DeviceType);

/// <summary>The DCC's record of the most recent content of a CHF's or GPF's Device Log (AC 9.2).</summary>
public sealed record DeviceLogRecord(DeviceId OwnerId, DeviceType OwnerType, IReadOnlyList<DeviceLogRecordEntry> Entries);

/// <summary>A Restore Device Log command accepted for sending, with the entries the DCC took from its record (AC 9.3).</summary>
public sealed record DeviceLogRestore(DeviceId TargetId, DeviceId FromId, IReadOnlyList<DeviceLogRecordEntry> Entries);

/// <summary>An Alert from a CHF that it can communicate over the HAN with a Device (AC 4.4).</summary>
public sealed record HanAlert(DeviceId ChfId, DeviceId DeviceId);

/// <summary>A 'Join Service' Service Request: join <see cref="DeviceId"/> to the Smart Meter or GPF <see cref="TargetId"/> (AC 4.5, 4.8).</summary>
public sealed record JoinRequest(Actor Requester, DeviceId DeviceId, DeviceId TargetId);

/// <summary>The Response to a Join command (AC 4.7, 4.8(c)).</summary>
public sealed record JoinResponse(DeviceId DeviceId, DeviceId TargetId, bool SuccessfullyExecuted);

/// <summary>An 'UnJoin Service' Service Request (AC 7.1).</summary>
public sealed record UnjoinRequest(Actor Requester, DeviceId DeviceId, DeviceId TargetId);

/// <summary>The Response to an UnJoin command (AC 7.1).</summary>
public sealed record UnjoinResponse(DeviceId DeviceId, DeviceId TargetId, bool SuccessfullyExecuted);

/// <summary>A 'Commission Device' Service Request for a Smart Meter (AC 4.11).</summary>
public sealed record CommissionDeviceRequest(Actor Requester, DeviceId MeterId);

/// <summary>The Response, over the SM WAN, to a Commission Device command (AC 4.13).</summary>
public sealed record CommissionDeviceResponse(DeviceId MeterId, bool SuccessfullyExecuted);

/// <summary>
/// AC 2.12: a Response a User received other than over the SM WAN (it delivered the Command locally) and returned to the
/// DCC in a 'Return Local Command Response' Service Request (DUIS 8.13): the Response to <see cref="Command"/>
/// ("JoinService", "UnJoinService", "CommissionDevice", "RestoreDeviceLog") for <see cref="DeviceId"/> and, for a Join or UnJoin,
/// the Smart Meter or GPF <see cref="TargetId"/>, or, for a restore, the CHF or GPF restored from.
/// </summary>
public sealed record LocalCommandResponse(Actor Requester, string Command, DeviceId DeviceId, DeviceId? TargetId, bool SuccessfullyExecuted);

/// <summary>A Service Request to change a Device's status back to 'pending' (AC 8.1).</summary>
public sealed record ReactivateDeviceRequest(Actor Requester, DeviceId DeviceId);

/// <summary>Decommission Device (DUIS 8.3; AC 10.1 for a SMETS1 CHF, AC 11.1 notice).</summary>
public sealed record DecommissionDeviceRequest(Actor Requester, DeviceId DeviceId);

/// <summary>Withdrawal of a Device (Section H6; AC 11.1 notice).</summary>
public sealed record WithdrawDeviceRequest(Actor Requester, DeviceId DeviceId);

/// <summary>Update Inventory correcting a Smart Meter's MPAN(s)/MPRN (AC 2.10).</summary>
public sealed record UpdateMpxnRequest(Actor Requester, DeviceId DeviceId, IReadOnlyList<string> Mpxns);

/// <summary>Update Inventory recording a Device's new Device Model, e.g. after a firmware update (AC 8.3).</summary>
public sealed record UpdateDeviceModelRequest(Actor Requester, DeviceId DeviceId, DeviceModel Model);

/// <summary>A command accepted for sending; the device's Response will complete it.</summary>
public sealed record CommandAccepted(string Command, DeviceId DeviceId, DeviceId? TargetId);

/// <summary>A read of the inventory by CHF (DUIS 8.2 Read Inventory): the CHF and the devices in its Device Log.</summary>
public sealed record ChfInventory(Device Chf, IReadOnlyList<Device> Devices);

/// <summary>The result of one device in a batch pre-notification.</summary>
public sealed record PreNotificationResult(DeviceId DeviceId, Refusal? Refusal)
{
    public bool Accepted => Refusal is null;
}
