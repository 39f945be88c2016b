using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Dcc.Inventory;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Tests.Duis.Support;

/// <summary>A DCC User for the tests: its EUI-64, roles and a signing key of its own, with strictly increasing RequestID counters.</summary>
public sealed class TestParty : IDisposable
{
    // One counter for every party of the process: counters only ever grow, whichever party and fixture uses them.
    private static long _counter = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;

    public TestParty(DuisEui id, IReadOnlyList<UserRole> roles, DuisSigningCredentials credentials)
    {
        Id = id;
        Roles = roles;
        Credentials = credentials;
    }

    public DuisEui Id { get; }
    public IReadOnlyList<UserRole> Roles { get; }
    public DuisSigningCredentials Credentials { get; }
    public PartyId PartyId => new(Id.Value);
    public Actor Actor => new(PartyId, Roles[0]);
    public string CertificatePem => Credentials.Certificate.ExportCertificatePem();

    public static ulong NextCounter() => (ulong)Interlocked.Increment(ref _counter);

    public RequestId NextRequestId(DuisEui target) => new(Id, target, NextCounter());

    /// <summary>A party with a fresh ECDSA P-256 key and a self-issued certificate valid over the given span.</summary>
    public static TestParty Create(DuisEui id, IReadOnlyList<UserRole> roles, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null,
        X509KeyUsageFlags usage = X509KeyUsageFlags.DigitalSignature) =>
        new(id, roles, NewCredentials($"CN=SecDcc test User {id}", notBefore ?? new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero),
            notAfter ?? new DateTimeOffset(2199, 12, 31, 0, 0, 0, TimeSpan.Zero), usage));

    public static DuisSigningCredentials NewCredentials(string subject, DateTimeOffset notBefore, DateTimeOffset notAfter, X509KeyUsageFlags usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        using var certificate = request.CreateSelfSigned(notBefore, notAfter);
        return new DuisSigningCredentials(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    /// <summary>A certificate with no private key to hand, e.g. with a keyUsage .NET will not pair with an ECDSA signing key.</summary>
    public static X509Certificate2 CertificateOnly(string subject, X509KeyUsageFlags usage)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, critical: true));
        return request.Create(new X500DistinguishedName(subject), X509SignatureGenerator.CreateForECDsa(key),
            new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2199, 12, 31, 0, 0, 0, TimeSpan.Zero), [1, 2, 3, 4]);
    }

    /// <summary>The JSON the DCC's test-mode POST /api/v1/users takes.</summary>
    public object Registration(string? name = null) => new
    {
        eui = Id.ToString(),
        roles = Roles.Select(r => r.ToString()),
        certificates = new[] { CertificatePem },
        name,
    };

    public string Sign(DuisRequest request) => DuisSigner.Sign(request.ToXml(), Credentials);

    public void Dispose() => Credentials.Dispose();
}
