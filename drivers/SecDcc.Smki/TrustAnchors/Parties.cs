using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;

namespace SecDcc.Smki.TrustAnchors;

/// <summary>A party by its Entity Identifier (the x500UniqueIdentifier of its Organisation Certificates) and a name for reports.</summary>
public sealed record Party(string Name, Eui64 Id)
{
    public override string ToString() => $"{Name} ({Id})";
}

/// <summary>
/// The Organisation Certificates the check may meet in a cell, by subject key identifier, with the names of
/// the parties they belong to. A cell whose key identifier is not here and not among the DCC's certificates
/// cannot be shown to hold an allowed certificate.
/// </summary>
public sealed class KnownCertificates
{
    private readonly Dictionary<KeyIdentifier, CertificateFacts> _byKeyId = new();
    private readonly Dictionary<(RemotePartyRole, Eui64), string> _partyNames = new();

    public KnownCertificates Add(CertificateFacts certificate, string? partyName = null)
    {
        _byKeyId[certificate.SubjectKeyIdentifier] = certificate;
        if (partyName is not null && certificate.Role is { } role && certificate.EntityId is { } id)
        {
            _partyNames[(role, id)] = partyName;
        }

        return this;
    }

    public KnownCertificates AddRange(IEnumerable<CertificateFacts> certificates, string? partyName = null)
    {
        foreach (var certificate in certificates)
        {
            Add(certificate, partyName);
        }

        return this;
    }

    /// <summary>Names a party for reports without adding a certificate ("Supplier 2").</summary>
    public KnownCertificates Name(RemotePartyRole role, Eui64 id, string partyName)
    {
        _partyNames[(role, id)] = partyName;
        return this;
    }

    public CertificateFacts? Find(KeyIdentifier keyIdentifier) => _byKeyId.GetValueOrDefault(keyIdentifier);

    public string? PartyName(RemotePartyRole role, Eui64 id) => _partyNames.GetValueOrDefault((role, id));

    public int Count => _byKeyId.Count;
}
