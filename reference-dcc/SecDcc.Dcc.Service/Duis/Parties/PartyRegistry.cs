using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Dcc.Inventory;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Signing;
using SecDcc.Smki.Certificates;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Parties;

/// <summary>A DCC User as DUIS sees it: its EUI-64 (the RequestID originator), the User Roles it acts in and its XML signing certificates.</summary>
public sealed record DuisParty(DuisEui Id, IReadOnlyList<UserRole> Roles, IReadOnlyList<X509Certificate2> SigningCertificates, string? Name = null)
{
    public PartyId PartyId => new(Id.Value);

    public override string ToString() => Name is null ? $"{Id} ({string.Join(", ", Roles)})" : $"{Name} {Id} ({string.Join(", ", Roles)})";
}

/// <summary>Why a party could not be registered; the message says what to change.</summary>
public sealed class PartyRegistrationException(string message) : Exception(message);

/// <summary>
/// The DCC Users the DUIS endpoint accepts requests from, and the certificates their signatures are checked against.
/// It is the verifier's certificate resolver, so a signature by a certificate nobody registered is refused as an unknown
/// signer, and it says which party registered the certificate that signed, so the endpoint can hold the signer to the
/// RequestID's originator. Thread-safe; registration of an EUI-64 again replaces the earlier one.
/// </summary>
public sealed class PartyRegistry : IDuisCertificateResolver
{
    private readonly ConcurrentDictionary<DuisEui, DuisParty> _parties = new();
    private readonly ConcurrentDictionary<string, DuisEui> _ownerByThumbprint = new(StringComparer.OrdinalIgnoreCase);
    // Signatures name their certificate by issuer and serial; indexing by serial keeps a lookup cheap with many parties.
    private readonly ConcurrentDictionary<System.Numerics.BigInteger, X509Certificate2[]> _bySerial = new();
    private readonly Lock _writer = new();

    public IReadOnlyCollection<DuisParty> All => _parties.Values.OrderBy(p => p.Id).ToList();

    public DuisParty? Find(DuisEui id) => _parties.GetValueOrDefault(id);

    /// <summary>The party that registered <paramref name="certificate"/>, if any.</summary>
    public DuisParty? OwnerOf(X509Certificate2 certificate) =>
        _ownerByThumbprint.TryGetValue(certificate.Thumbprint, out var id) ? Find(id) : null;

    /// <summary>
    /// Registers a party after checking each certificate can sign DUIS: an ECDSA P-256 key, keyUsage digitalSignature
    /// where the certificate has a keyUsage extension, and the party's own EUI-64 where the subject names one.
    /// </summary>
    public DuisParty Register(DuisParty party)
    {
        if (party.Roles.Count == 0)
            throw new PartyRegistrationException($"Party {party.Id} has no User Role; give at least one of {string.Join(", ", Enum.GetNames<UserRole>())}.");
        if (party.SigningCertificates.Count == 0)
            throw new PartyRegistrationException($"Party {party.Id} has no XML signing certificate; DUIS requests are refused unless signed by a certificate registered for their originator.");
        foreach (var certificate in party.SigningCertificates)
            CheckCertificate(party.Id, certificate);
        lock (_writer)
        {
            foreach (var certificate in party.SigningCertificates)
                if (_ownerByThumbprint.TryGetValue(certificate.Thumbprint, out var owner) && owner != party.Id)
                    throw new PartyRegistrationException(
                        $"Certificate {certificate.Subject} (serial {certificate.SerialNumber}) is already registered for {owner}; one certificate signs for one party.");
            if (_parties.TryGetValue(party.Id, out var previous))
                foreach (var old in previous.SigningCertificates)
                {
                    _ownerByThumbprint.TryRemove(old.Thumbprint, out _);
                    var serial = DuisSignerReference.SerialOf(old);
                    if (_bySerial.TryGetValue(serial, out var list))
                        _bySerial[serial] = list.Where(c => c.Thumbprint != old.Thumbprint).ToArray();
                }
            foreach (var certificate in party.SigningCertificates)
            {
                _ownerByThumbprint[certificate.Thumbprint] = party.Id;
                _bySerial.AddOrUpdate(DuisSignerReference.SerialOf(certificate), [certificate], (_, list) => [.. list, certificate]);
            }
            _parties[party.Id] = party;
        }
        return party;
    }

    private static void CheckCertificate(DuisEui party, X509Certificate2 certificate)
    {
        SmkiSubject info;
        try
        {
            info = SmkiSubject.Read(certificate);
        }
        catch (SmkiCertificateException e)
        {
            throw new PartyRegistrationException($"Certificate {certificate.Subject} for {party} cannot be read as an organisation certificate: {e.Message}");
        }
        if (HasKeyUsage(certificate) && !info.KeyUsage.HasFlag(X509KeyUsageFlags.DigitalSignature))
            throw new PartyRegistrationException(
                $"Certificate {certificate.Subject} for {party} has keyUsage {info.KeyUsage}, not digitalSignature, so it cannot sign XML (register its digital-signature certificate).");
        using var key = certificate.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
            throw new PartyRegistrationException(
                $"Certificate {certificate.Subject} for {party} does not hold an ECDSA P-256 public key; DUIS signatures are ECDSA P-256 / SHA-256.");
        if (info.EntityId is { } named && DuisEui.From(named) is var entity && entity != party)
            throw new PartyRegistrationException(
                $"Certificate {certificate.Subject} names {entity} in its x500UniqueIdentifier, not {party}; register it for the party it was issued to.");
    }

    public static bool HasKeyUsage(X509Certificate2 certificate) => certificate.Extensions.OfType<X509KeyUsageExtension>().Any();

    public ValueTask<X509Certificate2?> ResolveAsync(DuisSignerReference signer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_bySerial.TryGetValue(signer.SerialNumber, out var candidates))
            foreach (var certificate in candidates)
                if (signer.Matches(certificate))
                    return ValueTask.FromResult<X509Certificate2?>(certificate);
        return ValueTask.FromResult<X509Certificate2?>(null);
    }
}
