using System.Text.Json;

namespace SecDcc.Steps.Support;

// The suite's own picture of what crosses the DCC's interfaces. Deliberately not the reference DCC's types: the
// scenarios must run unchanged against any DCC that speaks the same API (a container, a URL, later DUIS).

/// <summary>SMI Status. Type 2 Devices have none (AC 2.9), so a Device's status is nullable.</summary>
public enum SmiStatus { Pending, Whitelisted, InstalledNotCommissioned, Commissioned, Decommissioned, Withdrawn, Suspended }

/// <summary>User Roles a Party acts in.</summary>
public enum UserRole { IS, ES, GS, RSA, ED, GT, OU }

public enum Generation { Smets1, Smets2Plus }

/// <summary>The party sending a request: its EUI-64 and the User Role it acts in.</summary>
public sealed record Actor(string Party, UserRole Role, string Name)
{
    public override string ToString() => $"{Name} ({Party}, {Role})";
}

/// <summary>Manufacturer, model, hardware version and firmware version: two firmware versions are two Device Models.</summary>
public sealed record DeviceModel(string Manufacturer, string Model, string HardwareVersion, string FirmwareVersion)
{
    public string Key => $"{Manufacturer}|{Model}|{HardwareVersion}|{FirmwareVersion}";
    public override string ToString() => $"{Manufacturer} {Model} (hardware {HardwareVersion}, firmware {FirmwareVersion})";
}

/// <summary>A Device as Read Inventory returns it.</summary>
public sealed record DeviceRecord(
    string DeviceId, string DeviceType, string Generation, SmiStatus? Status, SmiStatus? StatusBeforeSuspension, DeviceModel Model,
    string? ChfId, IReadOnlyList<string> JoinedTo, IReadOnlyList<string> Mpxns, IReadOnlyList<string> ResponsibleSuppliers, string? LeadSupplier);

/// <summary>A Communications Hub Function and the Devices in its Device Log.</summary>
public sealed record HubRecord(DeviceRecord Chf, IReadOnlyList<DeviceRecord> Devices);

/// <summary>A command the DCC accepted to send to a Device in answer to a Service Request.</summary>
public sealed record CommandRecord(string Command, string DeviceId, string? TargetId);

public sealed record NoticeRecord(long Id, string Kind, string Clause, string RecipientKind, string? RecipientParty, string? DeviceId, string Message, IReadOnlyDictionary<string, string> Data);

public sealed record CombinationRecord(string Key, string List, string? Requester, IReadOnlyList<DeviceModel> Models);

public sealed record DeployedCombinationRecord(IReadOnlyList<DeviceModel> SystemModels, IReadOnlyList<DeviceModel> Type2Models, int Systems);

public sealed record CplDocumentRecord(long Sequence, int EntryCount);

public sealed record CplEntryRecord(string DeviceType, DeviceModel Model, string FirmwareHash, string Generation, string TechnicalSpecificationVersion,
    IReadOnlyList<string> AssuranceCertificates, DateOnly? CpaExpiry, string HardwareReleaseNotes, string FirmwareReleaseNotes);

public sealed record CplRecord(CplDocumentRecord? Document, IReadOnlyList<CplEntryRecord> Entries);

public sealed record Done;

/// <summary>One Device in the DCC's record of a CHF's or GPF's Device Log (AC 9.2).</summary>
public sealed record DeviceLogEntryRecord(string DeviceId, string DeviceType);

/// <summary>The DCC's record of a CHF's or GPF's Device Log (AC 9.2).</summary>
public sealed record DeviceLogRecord(string OwnerId, string OwnerType, IReadOnlyList<DeviceLogEntryRecord> Entries);

/// <summary>A Restore Device Log command the DCC accepted, with the entries it took from its record (AC 9.3).</summary>
public sealed record RestoreRecord(string Command, string TargetId, string FromId, IReadOnlyList<DeviceLogEntryRecord> Entries);

/// <summary>The Service Desk information the DCC holds for a SMETS1 Device (AC 3.4, 6.3): who last gave it, when, and its items.</summary>
public sealed record ServiceDeskRecord(string DeviceId, ServiceDeskParty ProvidedBy, DateTimeOffset ProvidedAt, IReadOnlyDictionary<string, string> Information);

public sealed record ServiceDeskParty(string Party, string Role);

/// <summary>Why the DCC refused: the clause it cites, a stable code, the offending field, and its own explanation.</summary>
public sealed record DccRefusal(int Status, string? Clause, string? Code, string? Field, string Title, string Detail)
{
    public override string ToString() => $"{Status} {Title}: citing {Clause ?? "no clause"} ({Code ?? "no code"}{(Field is null ? "" : ", field " + Field)}): {Detail}";
}

/// <summary>What the DCC answered: the value of an accepted request, or its refusal.</summary>
public sealed record DccReply<T>(T? Value, DccRefusal? Refusal, string Request)
{
    public bool Accepted => Refusal is null;

    public DccReply<object?> Untyped() => new(Value, Refusal, Request);

    public override string ToString() => Accepted ? $"{Request}: accepted" : $"{Request}: refused, {Refusal}";
}

public enum CommunicationPurpose { Operational, TestingUnderH14, TestingUnderSectionT }

/// <summary>
/// The Service Requests Users send and the reads they make (DUIS: Device Pre-notification, Update HAN Device Log,
/// Join/UnJoin Service, Commission Device, Decommission, Read Inventory…). A JSON implementation now; a DUIS one
/// (signed XML) can take its place without any step changing.
/// </summary>
public interface IDccClient
{
    Task<DccReply<DeviceRecord>> AddDeviceAsync(Actor actor, string deviceId, string deviceType, DeviceModel model, Generation generation, string? responsibleSupplier, CancellationToken ct);
    Task<DccReply<HubRecord>> AddCommunicationsHubAsync(Actor actor, string chfId, string? gpfId, DeviceModel model, Generation generation, string? leadSupplier, IReadOnlyList<string>? responsibleSuppliers, CancellationToken ct);
    Task<DccReply<DeviceRecord>> ReadDeviceAsync(string deviceId, CancellationToken ct);
    Task<DccReply<HubRecord>> ReadHubAsync(string chfId, CancellationToken ct);

    /// <summary>'Update HAN Device Log' adding a Device to a CHF's Device Log, through to its Successful Execution (AC 4.3).</summary>
    Task<DccReply<DeviceRecord>> UpdateHanDeviceLogAsync(Actor actor, string chfId, string deviceId, IReadOnlyList<string>? mpxns, CancellationToken ct);
    Task<DccReply<CommandRecord>> JoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct);
    Task<DccReply<CommandRecord>> UnjoinAsync(Actor actor, string deviceId, string targetId, CancellationToken ct);
    Task<DccReply<CommandRecord>> CommissionDeviceAsync(Actor actor, string meterId, CancellationToken ct);
    Task<DccReply<DeviceRecord>> DecommissionAsync(Actor actor, string deviceId, CancellationToken ct);
    Task<DccReply<DeviceRecord>> WithdrawAsync(Actor actor, string deviceId, CancellationToken ct);
    Task<DccReply<DeviceRecord>> ReactivateAsync(Actor actor, string deviceId, CancellationToken ct);
    Task<DccReply<DeviceRecord>> UpdateMpxnsAsync(Actor actor, string deviceId, IReadOnlyList<string> mpxns, CancellationToken ct);
    Task<DccReply<DeviceRecord>> UpdateDeviceModelAsync(Actor actor, string deviceId, DeviceModel model, CancellationToken ct);
    Task<DccReply<Done>> ProvideServiceDeskInformationAsync(Actor actor, string deviceId, IReadOnlyDictionary<string, string> information, CancellationToken ct);
    Task<DccReply<ServiceDeskRecord>> ReadServiceDeskInformationAsync(string deviceId, CancellationToken ct);

    /// <summary>'Restore HAN Device Log' / 'Restore Gas Proxy Function Device Log' of <paramref name="targetId"/> from the record of <paramref name="fromId"/>; <paramref name="entries"/> only to check that a request may not bring its own.</summary>
    Task<DccReply<RestoreRecord>> RestoreDeviceLogAsync(Actor actor, string targetId, string fromId, IReadOnlyList<string>? entries, CancellationToken ct);
    Task<DccReply<DeviceLogRecord>> ReadDeviceLogRecordAsync(string ownerId, CancellationToken ct);

    /// <summary>'Return Local Command Response' (AC 2.12): the Response to <paramref name="command"/> that the User received other than over the SM WAN.</summary>
    Task<DccReply<Done>> ReturnLocalCommandResponseAsync(Actor actor, string command, string deviceId, string? targetId, bool successfullyExecuted, CancellationToken ct);
    Task<DccReply<Done>> DeclareSmets1Async(Actor actor, DeviceModel model, string supplierLegalName, string signedBy, CancellationToken ct);
    Task<IReadOnlyList<NoticeRecord>> NotificationsAsync(string? recipientParty, CancellationToken ct);
}

/// <summary>
/// What the Panel, the DCC's own operations and a test-mode DCC offer: the Panel-signed CPL, the product lists,
/// Panel directions, network operators, the Security Sub-Committee's CH Production Proving approvals, the DCC's communication guard (AC 2.7) and the virtual clock.
/// </summary>
public interface IDccAdministration
{
    Task<DccReply<CplDocumentRecord>> SubmitCplAsync(string signedDocument, CancellationToken ct);
    Task<CplRecord> ReadCplAsync(CancellationToken ct);
    Task<DccReply<HubRecord>> DeliverCommunicationsHubAsync(string chfId, string gpfId, DeviceModel model, string deliveredTo, CancellationToken ct);
    Task<DccReply<Done>> RegisterNetworkOperatorAsync(bool gas, string prefix, string party, CancellationToken ct);
    Task<DccReply<Done>> ApproveProductionProvingAsync(string chfId, string gpfId, string reference, CancellationToken ct);
    Task<DccReply<HubRecord>> IncludeForProductionProvingAsync(string chfId, string gpfId, DeviceModel model, CancellationToken ct);
    Task<DccReply<Done>> DirectNotToCommissionAsync(string deviceId, string disputeReference, CancellationToken ct);
    Task<DccReply<Done>> LiftDirectionAsync(string deviceId, CancellationToken ct);
    Task<DccReply<Done>> MayCommunicateAsync(string deviceId, CommunicationPurpose purpose, CancellationToken ct);
    Task<IReadOnlyList<CombinationRecord>> EligibleCombinationsAsync(CancellationToken ct);
    Task<IReadOnlyList<CombinationRecord>> PendingCombinationsAsync(CancellationToken ct);
    Task<DccReply<CombinationRecord>> AddEligibleCombinationAsync(IReadOnlyList<DeviceModel> models, CancellationToken ct);
    Task<DccReply<CombinationRecord>> RequestPpcTestAsync(string requester, IReadOnlyList<DeviceModel> models, CancellationToken ct);
    Task<DccReply<CombinationRecord>> RecordPpcResultAsync(string combinationKey, bool passed, string? explanation, CancellationToken ct);
    Task<IReadOnlyList<DeployedCombinationRecord>> DeployedProductsAsync(CancellationToken ct);
    Task<DateTimeOffset> NowAsync(CancellationToken ct);
    Task AdvanceClockAsync(TimeSpan by, CancellationToken ct);
    Task SetClockAsync(DateTimeOffset to, CancellationToken ct);
}

/// <summary>
/// The devices' side of the SM WAN: a CHF's communication, its HAN alerts, a meter's Response to a command. Now
/// injected through a test-mode DCC's events endpoint; later sent by the emulated rig over the WAN.
/// </summary>
public interface IDeviceSide
{
    Task<DccReply<DeviceRecord>> ChfConnectsAsync(string chfId, bool integrityVerified, bool originVerified, CancellationToken ct);
    Task<DccReply<DeviceRecord>> HanAlertAsync(string chfId, string deviceId, CancellationToken ct);
    Task<DccReply<DeviceRecord>> JoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct);
    Task<DccReply<DeviceRecord>> UnjoinResponseAsync(string deviceId, string targetId, bool successfullyExecuted, CancellationToken ct);
    Task<DccReply<DeviceRecord>> CommissionResponseAsync(string meterId, bool successfullyExecuted, CancellationToken ct);
    Task<DccReply<DeviceRecord>> HanDeviceLogRemovalAsync(string chfId, string deviceId, CancellationToken ct);
    Task<DccReply<DeviceLogRecord>> RestoreResponseAsync(string targetId, string fromId, bool successfullyExecuted, CancellationToken ct);
}

internal static class TransportJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull };
        o.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter());
        return o;
    }
}
