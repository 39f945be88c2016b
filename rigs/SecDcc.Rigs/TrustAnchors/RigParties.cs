using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Link;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Rigs.TrustAnchors;

/// <summary>
/// The parties an emulated rig's credentials name: test identities, not taken from any DCC document. Their
/// Entity Identifiers sit beside the test PKI's DCC identities (90-B3-D5-1F-30-00-00-0X) without clashing.
/// </summary>
public static class RigParties
{
    public static Party ResponsibleSupplier { get; } = new("Supplier 1", Eui64.Parse("90-B3-D5-1F-30-01-00-00"));

    public static Party ElectricityDistributor { get; } = new("Electricity Distributor 1", Eui64.Parse("90-B3-D5-1F-30-02-00-00"));

    /// <summary>A Supplier that is not the devices' Responsible Supplier and has given no consent (the "unconsented-supplier-cell" quirk's occupant).</summary>
    public static Party OtherSupplier { get; } = new("Supplier 2", Eui64.Parse("90-B3-D5-1F-30-03-00-00"));

    public static Party GasTransporter { get; } = new("Gas Transporter 1", Eui64.Parse("90-B3-D5-1F-30-05-00-00"));

    /// <summary>
    /// AC 3.2's "relevant" parties for a device: the Responsible Supplier and the network operator of its fuel.
    /// A Type 2 Device has none. The CHF is given the electricity side, as the hub's supplier and networkOperator
    /// cells need an occupant and AC 3.2 names no other.
    /// </summary>
    public static DeviceParties For(DeviceType type) => type switch
    {
        DeviceType.IHD or DeviceType.CAD => new DeviceParties(null, null),
        DeviceType.GSME or DeviceType.GPF => new DeviceParties(ResponsibleSupplier, GasTransporter),
        _ => new DeviceParties(ResponsibleSupplier, ElectricityDistributor),
    };

    /// <summary>Every party, for naming certificates in findings.</summary>
    public static IReadOnlyList<(Party Party, Smki.RemotePartyRole Role)> All { get; } =
    [
        (ResponsibleSupplier, Smki.RemotePartyRole.Supplier),
        (OtherSupplier, Smki.RemotePartyRole.Supplier),
        (ElectricityDistributor, Smki.RemotePartyRole.NetworkOperator),
        (GasTransporter, Smki.RemotePartyRole.NetworkOperator),
    ];
}
