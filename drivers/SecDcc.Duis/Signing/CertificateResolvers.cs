using System.Collections.Concurrent;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;

namespace SecDcc.Duis.Signing;

/// <summary>
/// Maps a signature's X509IssuerSerial to a certificate the verifier trusts. A DUIS signature carries no
/// certificate, so whoever verifies decides which certificates are registered (the DCC: its users' XML
/// signing certificates; a user: the DCC's).
/// </summary>
public interface IDuisCertificateResolver
{
    /// <returns>The registered certificate, or null when none matches.</returns>
    ValueTask<X509Certificate2?> ResolveAsync(DuisSignerReference signer, CancellationToken cancellationToken);
}

/// <summary>A fixed set of registered certificates. Thread-safe; does not own the certificates.</summary>
public sealed class InMemoryCertificateResolver : IDuisCertificateResolver
{
    private readonly ConcurrentDictionary<BigInteger, ConcurrentBag<X509Certificate2>> _bySerial = new();

    public InMemoryCertificateResolver(IEnumerable<X509Certificate2>? certificates = null)
    {
        foreach (var certificate in certificates ?? [])
        {
            Add(certificate);
        }
    }

    public InMemoryCertificateResolver Add(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        _bySerial.GetOrAdd(DuisSignerReference.SerialOf(certificate), _ => []).Add(certificate);
        return this;
    }

    public ValueTask<X509Certificate2?> ResolveAsync(DuisSignerReference signer, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_bySerial.TryGetValue(signer.SerialNumber, out var candidates))
        {
            foreach (var candidate in candidates)
            {
                if (signer.Matches(candidate))
                {
                    return ValueTask.FromResult<X509Certificate2?>(candidate);
                }
            }
        }
        return ValueTask.FromResult<X509Certificate2?>(null);
    }
}
