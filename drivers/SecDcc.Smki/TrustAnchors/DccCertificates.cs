using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>
/// The certificates AC 3.2's table names by kind: Root OCA Certificates and the DCC's Recovery, Access
/// Control Broker, Transitional CoS and WAN Provider Certificates. A certificate counts as one of these only
/// if it is listed here (matched by subject key identifier).
/// </summary>
public sealed record DccCertificates(
    IReadOnlyList<CertificateFacts> RootOca,
    IReadOnlyList<CertificateFacts> Recovery,
    IReadOnlyList<CertificateFacts> AccessControlBroker,
    IReadOnlyList<CertificateFacts> TransitionalCoS,
    IReadOnlyList<CertificateFacts> WanProvider)
{
    /// <summary>Sorts certificates the DCC issued for its own roles by their subject OU.</summary>
    /// <exception cref="ArgumentException">One has a role that is not among the DCC's trust anchor roles.</exception>
    public static DccCertificates ByRole(IEnumerable<CertificateFacts> certificates)
    {
        var all = certificates.ToList();
        var unplaced = all.Where(c => c.Role is not (RemotePartyRole.Root or RemotePartyRole.Recovery or RemotePartyRole.AccessControlBroker or RemotePartyRole.TransitionalCoS or RemotePartyRole.WanProvider)).ToList();
        if (unplaced.Count > 0)
        {
            throw new ArgumentException(
                $"these are not DCC trust anchor certificates (root, recovery, accessControlBroker, transitionalCoS, wanProvider): {string.Join("; ", unplaced)}",
                nameof(certificates));
        }

        List<CertificateFacts> Of(RemotePartyRole role) => all.Where(c => c.Role == role).ToList();
        return new DccCertificates(Of(RemotePartyRole.Root), Of(RemotePartyRole.Recovery), Of(RemotePartyRole.AccessControlBroker), Of(RemotePartyRole.TransitionalCoS), Of(RemotePartyRole.WanProvider));
    }

    /// <summary>Which DCC kind a key identifier belongs to, in AC 3.2's words, or null.</summary>
    public DccCertificateKind? KindOf(KeyIdentifier keyIdentifier)
    {
        foreach (var (kind, list) in Lists())
        {
            if (list.Any(c => c.SubjectKeyIdentifier.Equals(keyIdentifier)))
            {
                return kind;
            }
        }

        return null;
    }

    public CertificateFacts? Find(KeyIdentifier keyIdentifier) =>
        Lists().SelectMany(l => l.List).FirstOrDefault(c => c.SubjectKeyIdentifier.Equals(keyIdentifier));

    private IEnumerable<(DccCertificateKind Kind, IReadOnlyList<CertificateFacts> List)> Lists() =>
    [
        (DccCertificateKind.RootOca, RootOca),
        (DccCertificateKind.Recovery, Recovery),
        (DccCertificateKind.AccessControlBroker, AccessControlBroker),
        (DccCertificateKind.TransitionalCoS, TransitionalCoS),
        (DccCertificateKind.WanProvider, WanProvider),
    ];
}

public enum DccCertificateKind
{
    RootOca,
    Recovery,
    AccessControlBroker,
    TransitionalCoS,
    WanProvider,
}

public static class DccCertificateKinds
{
    /// <summary>AC 3.2's name for the kind: "a DCC Recovery Certificate".</summary>
    public static string Article(this DccCertificateKind kind) => kind switch
    {
        DccCertificateKind.RootOca => "a Root OCA Certificate",
        DccCertificateKind.Recovery => "a DCC Recovery Certificate",
        DccCertificateKind.AccessControlBroker => "a DCC Access Control Broker Certificate",
        DccCertificateKind.TransitionalCoS => "a DCC Transitional CoS Certificate",
        DccCertificateKind.WanProvider => "a DCC WAN Provider Certificate",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>"DCC Recovery Certificate", without the article.</summary>
    public static string Title(this DccCertificateKind kind) => kind.Article()[2..];
}
