using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.Pki;

/// <summary>
/// What fixes a test PKI: the seed (keys and serial numbers), the epoch (validity dates) and the identities.
/// The same options always give byte-identical certificates.
/// </summary>
public sealed record TestPkiOptions
{
    /// <summary>Any non-empty text; record it with the evidence of a run.</summary>
    public required string Seed { get; init; }

    /// <summary>notBefore of every certificate. Fixed rather than "now" so that certificates are reproducible.</summary>
    public DateTimeOffset Epoch { get; init; } = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public TimeSpan CaLifetime { get; init; } = TimeSpan.FromDays(365.25 * 50);

    public TimeSpan OrganisationLifetime { get; init; } = TimeSpan.FromDays(365.25 * 25);

    /// <summary>Test values, not taken from any DCC document.</summary>
    public Eui64 RootOcaId { get; init; } = Eui64.Parse("90-B3-D5-1F-30-00-00-00");

    public Eui64 IssuingAuthorityId { get; init; } = Eui64.Parse("90-B3-D5-1F-30-00-00-09");

    /// <summary>The ZAZ1 (DCC Boxed) Entity Identifiers of the DCC's Organisation Certificates.</summary>
    public Eui64 RecoveryId { get; init; } = DefaultRecoveryId;

    /// <summary>The Entity Identifier of the DCC Recovery Certificate unless a test PKI names another; a test-mode DCC knows it as its own.</summary>
    public static readonly Eui64 DefaultRecoveryId = Eui64.Parse("90-B3-D5-1F-30-00-00-01");

    public Eui64 AccessControlBrokerId { get; init; } = Eui64.Parse("90-B3-D5-1F-30-00-00-02");

    public Eui64 TransitionalCoSId { get; init; } = Eui64.Parse("90-B3-D5-1F-30-00-00-04");

    public Eui64 WanProviderId { get; init; } = Eui64.Parse("90-B3-D5-1F-30-00-00-07");

    public string RootCommonName { get; init; } = "SecDcc Test Root OCA";

    public string IssuingCommonName { get; init; } = "SecDcc Test Issuing OCA";

    public string PolicyOid { get; init; } = SmkiOids.TestPkiPolicy;

    public string HardwareTypeOid { get; init; } = SmkiOids.TestPkiHardwareType;
}
