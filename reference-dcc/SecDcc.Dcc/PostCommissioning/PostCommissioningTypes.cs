using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.PostCommissioning;

// ---- facts the DCC monitors: events the SM WAN gateway raises when a Device's Response arrives -----------------

/// <summary>A Device's Response to a Command of one of the Service Requests AC 5.7(c) counts (6.17, 6.15.2, 6.15.1).</summary>
public sealed record CredentialsCommandResponse(DeviceId DeviceId, string ServiceReferenceVariant, bool SuccessfullyExecuted);

/// <summary>Who interrogated a Device's recovery Trust Anchor Cell: the DCC under AC 5.4, or a Supplier (AC 5.14(b)).</summary>
public enum Interrogator
{
    Dcc,
    Supplier,
}

/// <summary>
/// The outcome of an interrogation of a Device's recovery Trust Anchor Cell (AC 5.4): whether it was carried out
/// successfully and, if so, whether the cell holds Device Security Credentials of a DCC Recovery Certificate.
/// </summary>
public sealed record RecoveryCellInterrogation(DeviceId DeviceId, Interrogator By, bool Succeeded, bool? RecoveryCellPopulated);

/// <summary>Which of a Device's two key pairs a Device Certificate certifies.</summary>
public enum DeviceCertificateUse
{
    DigitalSigning,
    KeyAgreement,
}

/// <summary>A Device Certificate as the DCC records it (AC 5.18): its use, serial number (hex) and issuer.</summary>
public sealed record DeviceCertificate(DeviceCertificateUse Use, string SerialNumber, string Issuer);

/// <summary>A Device Certificate in the AC 5.18 record: current while <see cref="SupersededAt"/> is null.</summary>
public sealed record RecordedDeviceCertificate(DeviceCertificate Certificate, DateTimeOffset RecordedAt, DateTimeOffset? SupersededAt)
{
    public bool Current => SupersededAt is null;
}

/// <summary>
/// AC 5.2(a) / 5.3(b): the Device re-generated its Private Keys and the Device Certificates holding the new Public Keys
/// are stored on it. The certificates become the Device's current ones in the AC 5.18 record.
/// </summary>
public sealed record KeyRegeneration(DeviceId DeviceId, IReadOnlyList<DeviceCertificate> Certificates);

/// <summary>AC 5.2(b) / 5.3(c): information from at least one Organisation Certificate in the Device's Device Security Credentials was replaced.</summary>
public sealed record OrganisationCertificateReplacement(DeviceId DeviceId);

/// <summary>Whose credentials a Device holds for a party it trusts: the Network Party (AC 5.3(a), 6.2(b)) or the Responsible Supplier (AC 6.2(a)).</summary>
public sealed record CredentialsHeld(DeviceId DeviceId, PartyId Party);

/// <summary>AC 5.18: a Device's Response to a Command replacing Device Certificates, with the certificates it now holds.</summary>
public sealed record DeviceCertificateResponse(DeviceId DeviceId, bool SuccessfullyExecuted, IReadOnlyList<DeviceCertificate> Certificates);

// ---- what the DCC holds about each Device ---------------------------------------------------------------------

/// <summary>
/// The post-commissioning facts the DCC has learnt from a Device's Responses (AC 5.5): counts of Successfully Executed
/// credential Commands (5.7(c)), when the 5.2/5.3 steps were done (the first time since the Device's latest Commissioning),
/// the 5.4 interrogations, whose credentials it holds (5.3(a), 6.2), and which AC 5.13 Incidents were raised for it.
/// </summary>
public sealed record CredentialFacts
{
    public required DeviceId DeviceId { get; init; }
    public int IssueSecurityCredentials { get; init; }
    public int UpdateSecurityCredentialsDevice { get; init; }
    public int UpdateSecurityCredentialsKrp { get; init; }
    public DateTimeOffset? KeysRegeneratedAt { get; init; }
    public DateTimeOffset? OrganisationCertificateReplacedAt { get; init; }
    public DateTimeOffset? DccInterrogationFailedAt { get; init; }
    public DateTimeOffset? DccInterrogationSucceededAt { get; init; }

    /// <summary>What the DCC's latest successful interrogation found; null until one succeeds.</summary>
    public bool? RecoveryCellPopulated { get; init; }

    public DateTimeOffset? SupplierInterrogationSucceededAt { get; init; }
    public PartyId? NetworkParty { get; init; }
    public DateTimeOffset? NetworkPartyAt { get; init; }
    public PartyId? SupplierParty { get; init; }
    public DateTimeOffset? SupplierPartyAt { get; init; }

    /// <summary>When the duty settled a CHF's AC 5.13 checks that fall due 7 days after its Commissioning.</summary>
    public DateTimeOffset? ChfWeekCheckedAt { get; init; }

    public DateTimeOffset? IncidentStepsAt { get; init; }
    public DateTimeOffset? IncidentInterrogationAt { get; init; }
    public DateTimeOffset? IncidentRecoveryCellAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    /// <summary>What the DCC holds for a Device it has heard nothing about.</summary>
    public static CredentialFacts None(DeviceId id) => new() { DeviceId = id };
}

/// <summary>Which of AC 5.7(a), (b), (c)(i), (c)(ii) and (c)(iii) apply. The values are stored: never renumber them.</summary>
[Flags]
public enum PostCommissioningReasons
{
    None = 0,
    /// <summary>AC 5.7(a): the DCC has failed successfully to carry out the 5.4 interrogation.</summary>
    InterrogationFailed = 1,
    /// <summary>AC 5.7(b): the 5.4 interrogation found the recovery Trust Anchor Cell not populated with DCC Recovery Certificate credentials.</summary>
    RecoveryCellNotPopulated = 2,
    /// <summary>AC 5.7(c)(i): fewer than two Successfully Executed 'Issue Security Credentials'.</summary>
    IssueSecurityCredentials = 4,
    /// <summary>AC 5.7(c)(ii): fewer than two Successfully Executed 'Update Security Credentials (Device)'.</summary>
    UpdateSecurityCredentialsDevice = 8,
    /// <summary>AC 5.7(c)(iii): for a CHF or Smart Meter, no Successfully Executed 'Update Security Credentials (KRP)'.</summary>
    UpdateSecurityCredentialsKrp = 16,
}

public static class PostCommissioningReasonsExtensions
{
    private static readonly (PostCommissioningReasons Reason, string Clause)[] ClauseIds =
    [
        (PostCommissioningReasons.InterrogationFailed, "AC-5.7(a)"),
        (PostCommissioningReasons.RecoveryCellNotPopulated, "AC-5.7(b)"),
        (PostCommissioningReasons.IssueSecurityCredentials, "AC-5.7(c)(i)"),
        (PostCommissioningReasons.UpdateSecurityCredentialsDevice, "AC-5.7(c)(ii)"),
        (PostCommissioningReasons.UpdateSecurityCredentialsKrp, "AC-5.7(c)(iii)"),
    ];

    /// <summary>The clause ids of the reasons that apply, in the clause's order (AC 5.8(c)).</summary>
    public static IReadOnlyList<string> Clauses(this PostCommissioningReasons reasons) =>
        ClauseIds.Where(c => reasons.HasFlag(c.Reason)).Select(c => c.Clause).ToList();
}

/// <summary>
/// One Device's entry in the Post Commissioning Information (AC 5.8): Device ID and Type (a), Commissioning date (b),
/// which of 5.7 applies (c), the Responsible Supplier when the entry was last updated (d) and the Supplier Party whose
/// Service Request Commissioned it (e), both empty for a CHF, and the date of that update (f).
/// </summary>
public sealed record PostCommissioningEntry(
    DeviceId DeviceId,
    DeviceType DeviceType,
    DateTimeOffset CommissionedAt,
    PostCommissioningReasons Reasons,
    IReadOnlyList<PartyId> ResponsibleSuppliers,
    PartyId? CommissioningSupplier,
    DateTimeOffset UpdatedAt);

/// <summary>How a post-commissioning step stands for a Device.</summary>
public enum StepState
{
    /// <summary>Not done yet, and the 7 days are not over.</summary>
    Outstanding,
    /// <summary>Done within the 7 days (or, for credentials, right by the end of them).</summary>
    Done,
    /// <summary>Done, but only after the 7 days.</summary>
    DoneLate,
    /// <summary>Not done, and the 7 days are over.</summary>
    Overdue,
    /// <summary>The DCC cannot tell which party's credentials are required: no ED/GT is registered for the Device's MPxN(s).</summary>
    Undetermined,
}

/// <summary>A post-commissioning step of AC 5.2, 5.3 or 6.2 for one Device: when it was done and by when it was due.</summary>
public sealed record StepStatus(string Clause, string Step, StepState State, DateTimeOffset? DoneAt, DateTimeOffset DueBy);

/// <summary>The AC 5.4 interrogation as it stands: due by, the DCC's latest attempts, and the Supplier's own (5.14(b)).</summary>
public sealed record InterrogationStatus(
    DateTimeOffset DueBy,
    DateTimeOffset? DccSucceededAt,
    DateTimeOffset? DccFailedAt,
    bool? RecoveryCellPopulated,
    DateTimeOffset? SupplierSucceededAt);

/// <summary>
/// The AC 5.14 restriction on Supplier Parties' Service Requests to a GPF or Smart Meter: (a) its 5.3(b) and (meters)
/// 5.3(c) steps are still outstanding 7 days after Commissioning; (b) the DCC failed the 5.4 interrogation and no
/// Supplier interrogation succeeded within 14 days. <see cref="StepServices"/> are the Service Requests that complete
/// the steps (exception (i)).
/// </summary>
public sealed record SupplierRestriction(bool StepsOverdue, bool InterrogationFailed, IReadOnlyList<string> StepServices, string Explanation)
{
    public bool Applies => StepsOverdue || InterrogationFailed;

    /// <summary>"AC-5.14(a)", "AC-5.14(b)", or "AC-5.14" when both apply.</summary>
    public string Clause => (StepsOverdue, InterrogationFailed) switch
    {
        (true, false) => "AC-5.14(a)",
        (false, true) => "AC-5.14(b)",
        _ => "AC-5.14",
    };
}

/// <summary>Why a Supplier Party says it sends a Service Request, where the Service Request itself cannot show it (AC 5.14(iii)).</summary>
public enum StatedPurpose
{
    None,
    /// <summary>AC 5.14(iii): maintaining an energy supply to the premises.</summary>
    MaintainingEnergySupply,
}

/// <summary>A Service Request that asks the DCC to send a communication to a Device, as the AC 5.14 guard judges it.</summary>
public sealed record DeviceServiceRequest(Actor Requester, DeviceId DeviceId, string ServiceReferenceVariant, StatedPurpose Purpose = StatedPurpose.None);

/// <summary>The guard's answer for a request it lets through: whether AC 5.14 restricts the Device and, if so, which exception admits it.</summary>
public sealed record ServiceRequestClearance(DeviceId DeviceId, string ServiceReferenceVariant, bool Restricted, string? Exception, string Explanation);

/// <summary>A SMETS1 Device's AC 6.2 steps, 7 days or more after its Commissioning.</summary>
public sealed record Smets1CredentialCheck(DeviceId DeviceId, DeviceType DeviceType, DateTimeOffset CommissionedAt, StepStatus Supplier, StepStatus NetworkParty)
{
    /// <summary>The DCC's records do not show the credentials AC 6.2(a) and (b) require.</summary>
    public bool Failing => !Met(Supplier) || !Met(NetworkParty);

    private static bool Met(StepStatus s) => s.State is StepState.Done or StepState.DoneLate;
}

/// <summary>Everything the DCC holds and concludes about one Device after its Commissioning, as of <see cref="AsOf"/>.</summary>
public sealed record PostCommissioningStatus(
    Device Device,
    CredentialFacts Facts,
    DateTimeOffset AsOf,
    PostCommissioningReasons Reasons,
    bool WouldBeListed,
    PostCommissioningEntry? Listed,
    IReadOnlyList<StepStatus> Steps,
    InterrogationStatus? Interrogation,
    SupplierRestriction? Restriction,
    IReadOnlyList<RecordedDeviceCertificate> Certificates);

/// <summary>The Post Commissioning Information as last updated (AC 5.5–5.8), and the SMETS1 Devices failing AC 6.2 now.</summary>
public sealed record PostCommissioningInformation(
    DateTimeOffset? UpdatedAt,
    IReadOnlyList<PostCommissioningEntry> Entries,
    DateTimeOffset AsOf,
    IReadOnlyList<Smets1CredentialCheck> Smets1Failing);
