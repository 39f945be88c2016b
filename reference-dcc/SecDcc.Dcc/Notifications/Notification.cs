using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Notifications;

/// <summary>What a notice is about; each kind comes from one clause.</summary>
public enum NotificationKind
{
    /// <summary>AC 4.3(b): MPAN(s)/MPRN recorded against a Smart Meter, to its Electricity Distributor / Gas Transporter.</summary>
    MpxnRecorded,
    /// <summary>AC 2.10: a corrected Smart Meter ↔ MPxN relationship, to the Electricity Distributor / Gas Transporter.</summary>
    MpxnCorrected,
    /// <summary>AC 11.1: a Smart Meter was Decommissioned, to its Electricity Distributor / Gas Transporter.</summary>
    SmartMeterDecommissioned,
    /// <summary>AC 11.1: a Smart Meter was Withdrawn.</summary>
    SmartMeterWithdrawn,
    /// <summary>AC 11.1: a Smart Meter was Suspended.</summary>
    SmartMeterSuspended,
    /// <summary>AC 11.2: a Device was Suspended, to its Responsible Supplier(s).</summary>
    DeviceSuspended,
    /// <summary>F2.4: a Device Model's CPA Certificate expires in 12 or 6 months, to the Parties.</summary>
    CpaExpiry,
    /// <summary>BEIS consultation 6.12–6.13: the PPC test of a combination passed and it moved to the EPC.</summary>
    PpcTestPassed,
    /// <summary>BEIS consultation 6.13: the PPC test failed; the notice explains what went wrong.</summary>
    PpcTestFailed,
    /// <summary>AC 5.13: an Incident the DCC raises about a Communications Hub Function's post-commissioning steps or recovery Trust Anchor Cell.</summary>
    Incident,
}

/// <summary>Who a notice is for.</summary>
public enum RecipientKind
{
    ElectricityDistributor,
    GasTransporter,
    ResponsibleSupplier,
    AllParties,
    TestingParticipant,
    /// <summary>The DCC's own Incident Management (AC 5.13): an Incident is raised in accordance with the Incident Management Policy.</summary>
    DccIncidentManagement,
}

/// <summary>A recipient; <see cref="Party"/> is null where the DCC holds no Party for it (e.g. no Gas Transporter registered for an MPRN).</summary>
public sealed record Recipient(RecipientKind Kind, PartyId? Party)
{
    public override string ToString() => Party is { } p ? $"{Kind} {p}" : Kind.ToString();
}

/// <summary>A notice in the DCC's outbox, written in the same transaction as the change that caused it.</summary>
public sealed record Notification
{
    public long Id { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required NotificationKind Kind { get; init; }
    public required string Clause { get; init; }
    public required Recipient Recipient { get; init; }
    public DeviceId? DeviceId { get; init; }
    public required string Message { get; init; }
    public IReadOnlyDictionary<string, string> Data { get; init; } = new Dictionary<string, string>();
}
