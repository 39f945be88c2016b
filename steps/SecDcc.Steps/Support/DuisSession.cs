using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Duis.Signing;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Steps.Support;

/// <summary>
/// What the DUIS transport shares across a run: the DCC's signing certificate and EUI-64, a signing key for every Party
/// the scenarios act as (each registered with the DCC as a User the first time it is used), and RequestID counters that
/// only ever grow. Owns the keys.
/// </summary>
public sealed class DuisSession(HttpClient http, Uri baseUrl) : IDisposable
{
    public const string Key = "secdcc.duis-session";

    // The run's counters start at the time in microseconds, so a long-lived DCC (SECDCC_DCC_URL) never sees one go backwards.
    private long _counter = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1000;
    private readonly ConcurrentDictionary<DuisEui, DuisUser> _users = new();
    private readonly SemaphoreSlim _dccGate = new(1, 1);
    private DccKey? _dcc;

    public HttpClient Http { get; } = http;
    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The Party the suite reads Read Inventory as: an Other User of its own, as any User may read (DUIS 8.2).</summary>
    public Actor Reader { get; } = new("5D-FF-FF-" + string.Join('-', RandomNumberGenerator.GetBytes(5).Select(b => b.ToString("X2"))), UserRole.OU, "suite's Read Inventory user");

    public ulong NextCounter() => (ulong)Interlocked.Increment(ref _counter);

    public sealed record DccKey(DuisEui Eui, IDuisCertificateResolver Certificates);

    /// <summary>The DCC's EUI-64 and response-signing certificate, from GET /api/v1/dcc-certificate.</summary>
    public async Task<DccKey> DccAsync(DccHttp dccHttp, CancellationToken ct)
    {
        if (_dcc is { } known)
            return known;
        await _dccGate.WaitAsync(ct);
        try
        {
            if (_dcc is { } again)
                return again;
            var reply = await dccHttp.SendJsonAsync<JsonElement>(HttpMethod.Get, "api/v1/dcc-certificate", null, ct);
            if (!reply.Accepted)
                throw new DccUnavailableException($"The DCC did not give its DUIS signing certificate: {reply.Refusal}");
            var info = reply.Value;
            var certificate = X509Certificate2.CreateFromPem(info.GetProperty("certificatePem").GetString());
            return _dcc = new DccKey(DuisEui.Parse(info.GetProperty("eui").GetString()!), new InMemoryCertificateResolver([certificate]));
        }
        finally
        {
            _dccGate.Release();
        }
    }

    /// <summary>The Party as a DUIS User: its key, registered with the DCC (test mode: POST /api/v1/users) with every role it has acted in.</summary>
    public async Task<DuisUser> UserAsync(Actor actor, DccHttp dccHttp, CancellationToken ct)
    {
        var id = DuisEui.Parse(actor.Party);
        var user = _users.GetOrAdd(id, _ => new DuisUser(id, NewCredentials(actor)));
        await user.Gate.WaitAsync(ct);
        try
        {
            if (!user.Roles.Contains(actor.Role))
            {
                var roles = user.Roles.Append(actor.Role).ToList();
                var reply = await dccHttp.SendJsonAsync<JsonElement>(HttpMethod.Post, "api/v1/users", new
                {
                    eui = actor.Party,
                    name = actor.Name,
                    roles = roles.Select(r => r.ToString()),
                    certificates = new[] { user.Credentials.Certificate.ExportCertificatePem() },
                }, ct);
                if (!reply.Accepted)
                    throw new DccUnavailableException($"The DCC did not register {actor} as a DUIS User: {reply.Refusal}. The DUIS transport needs a DCC in test mode.");
                user.Roles = roles;
            }
        }
        finally
        {
            user.Gate.Release();
        }
        return user;
    }

    private static DuisSigningCredentials NewCredentials(Actor actor)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=SecDcc suite User {actor.Party}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // A test-mode DCC's clock may be moved far ahead; the certificate outlives any move a run makes.
        using var certificate = request.CreateSelfSigned(new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2199, 12, 31, 0, 0, 0, TimeSpan.Zero));
        return new DuisSigningCredentials(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    public void Dispose()
    {
        foreach (var user in _users.Values)
            user.Credentials.Dispose();
        _dccGate.Dispose();
    }
}

/// <summary>A Party's DUIS identity. Its gate keeps one request at a time in flight, so its counters reach the DCC in order.</summary>
public sealed class DuisUser(DuisEui id, DuisSigningCredentials credentials)
{
    public DuisEui Id { get; } = id;
    public DuisSigningCredentials Credentials { get; } = credentials;
    public IReadOnlyList<UserRole> Roles { get; set; } = [];
    public SemaphoreSlim Gate { get; } = new(1, 1);
}
