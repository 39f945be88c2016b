using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Pki;

/// <summary>
/// What a conforming device holds in each cell, issued by a <see cref="TestPki"/>: the certificates to write
/// into an emulated device before commissioning, and the baseline the trust anchor tests spoil one cell of.
/// </summary>
public static class TrustAnchorPopulation
{
    /// <summary>For each cell, the certificate AC 3.2(a)'s first alternative puts there.</summary>
    /// <exception cref="ArgumentException">A supplier or networkOperator cell is asked for but that party is not given.</exception>
    public static IReadOnlyList<(TrustAnchorCellId Cell, IssuedCertificate Certificate)> Conforming(TestPki pki, IEnumerable<TrustAnchorCellId> cells, DeviceParties parties) =>
        cells.Select(cell => (cell, For(pki, cell, parties))).ToList();

    /// <summary>The device's report when every cell holds what <see cref="Conforming"/> gives.</summary>
    public static DeviceTrustAnchorReport Report(TestPki pki, Eui64 deviceId, string deviceType, IEnumerable<TrustAnchorCellId> cells, DeviceParties parties, string? deviceModel = null) =>
        new(deviceId, deviceType, deviceModel, Conforming(pki, cells, parties).Select(p => ReportedCell.Holding(p.Cell, p.Certificate.Facts)).ToList());

    private static IssuedCertificate For(TestPki pki, TrustAnchorCellId cell, DeviceParties parties)
    {
        var variant = cell.Usage == CellUsage.PrePaymentTopUp ? "pp" : null;
        return cell.Role switch
        {
            RemotePartyRole.Root => pki.RootOca,
            RemotePartyRole.Recovery => pki.Recovery,
            RemotePartyRole.AccessControlBroker => cell.KeyUsage == X509KeyUsageFlags.KeyAgreement ? pki.AccessControlBrokerKeyAgreement : pki.AccessControlBrokerSigning,
            RemotePartyRole.TransitionalCoS => pki.TransitionalCoS,
            RemotePartyRole.WanProvider => pki.WanProvider,
            RemotePartyRole.Supplier => pki.OrganisationCertificate(RemotePartyRole.Supplier, Require(parties.ResponsibleSupplier, cell, "Responsible Supplier").Id, cell.KeyUsage, parties.ResponsibleSupplier!.Name, variant),
            RemotePartyRole.NetworkOperator => pki.OrganisationCertificate(RemotePartyRole.NetworkOperator, Require(parties.NetworkOperator, cell, "Network Operator").Id, cell.KeyUsage, parties.NetworkOperator!.Name, variant),
            _ => throw new ArgumentException($"cell {cell}: AC 3.2 names no certificate for role {cell.Role.Name()}, so there is nothing conforming to put there", nameof(cell)),
        };
    }

    private static Party Require(Party? party, TrustAnchorCellId cell, string what) =>
        party ?? throw new ArgumentException($"cell {cell} needs the device's {what}; give it in DeviceParties");
}
