namespace SecDcc.Dcc.Inventory;

/// <summary>User Roles a Party acts in when it sends a Service Request.</summary>
public enum UserRole
{
    /// <summary>Import Supplier.</summary>
    IS,
    /// <summary>Export Supplier.</summary>
    ES,
    /// <summary>Gas Supplier.</summary>
    GS,
    /// <summary>Registered Supplier Agent.</summary>
    RSA,
    /// <summary>Electricity Distributor.</summary>
    ED,
    /// <summary>Gas Transporter.</summary>
    GT,
    /// <summary>Other User.</summary>
    OU,
}

/// <summary>The party acting in a request: its EUI-64 and the User Role it acts in.</summary>
public sealed record Actor(PartyId Party, UserRole Role)
{
    public bool IsSupplier => Role is UserRole.IS or UserRole.ES or UserRole.GS;
    public override string ToString() => $"{Party} ({Role})";
}

/// <summary>
/// Where a communication to a Device is for. AC 2.7 forbids communication to a Device not in the SMI,
/// save for testing under Section H14 or Section T.
/// </summary>
public enum CommunicationPurpose
{
    Operational,
    TestingUnderH14,
    TestingUnderSectionT,
}
