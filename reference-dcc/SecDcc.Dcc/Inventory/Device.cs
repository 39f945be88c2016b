namespace SecDcc.Dcc.Inventory;

/// <summary>
/// One Device as the Smart Metering Inventory records it. Immutable: a change is a new record written in
/// the same transaction as the notifications it causes.
/// </summary>
public sealed record Device
{
    public required DeviceId Id { get; init; }
    public required DeviceType Type { get; init; }
    public required DeviceModel Model { get; init; }
    public required SmetsGeneration Generation { get; init; }

    /// <summary>None (null) for Type 2 Devices (AC 2.9).</summary>
    public SmiStatus? Status { get; init; }

    /// <summary>The status held immediately before Suspension, restored when the Suspension ends (AC 8.3).</summary>
    public SmiStatus? StatusBeforeSuspension { get; init; }

    /// <summary>When the Device last entered 'pending'; after 12 months there it is removed (AC 8.2).</summary>
    public DateTimeOffset? PendingSince { get; init; }

    /// <summary>The Communications Hub Function whose Device Log holds this Device (AC 4.3(a)); for a GPF, the CHF of the same Communications Hub.</summary>
    public DeviceId? ChfId { get; init; }

    /// <summary>Smart Meters and Gas Proxy Functions this Device is Associated with by a Join (AC 4.7, 4.8(c)).</summary>
    public IReadOnlyList<DeviceId> JoinedTo { get; init; } = [];

    /// <summary>MPAN(s) or MPRN recorded against a Smart Meter (AC 4.3(b), 2.10).</summary>
    public IReadOnlyList<string> Mpxns { get; init; } = [];

    public IReadOnlyList<PartyId> ResponsibleSuppliers { get; init; } = [];

    /// <summary>The Lead Supplier of a SMETS1 Communications Hub (AC 10.1), recorded on its CHF and GPF.</summary>
    public PartyId? LeadSupplier { get; init; }

    /// <summary>
    /// When the Device last became 'commissioned'; AC 5.2–5.4, 5.7, 5.8(b), 5.14 and 6.2 count their days from it. Kept
    /// through a Suspension (the Device returns to 'commissioned' under AC 8.3 without being Commissioned again).
    /// </summary>
    public DateTimeOffset? CommissionedAt { get; init; }

    /// <summary>
    /// The Supplier Party whose Service Request resulted in that Commissioning (AC 5.8(e)): Commission Device for a Smart
    /// Meter, Join Service for a GPF or Type 1 Device. None for a CHF, which its own connection Commissions (AC 4.1).
    /// </summary>
    public PartyId? CommissionedBy { get; init; }

    public DateTimeOffset AddedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }

    public DeviceClass Class => Type.ClassOf();
    public bool IsType2 => Type.IsType2();

    public bool IsResponsibleSupplier(PartyId party) => ResponsibleSuppliers.Contains(party);
}
