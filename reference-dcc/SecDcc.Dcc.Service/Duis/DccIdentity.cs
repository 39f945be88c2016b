using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Dcc.Time;
using SecDcc.Duis.Keys;
using SecDcc.Duis.Messages;
using SecDcc.Duis.Signing;
using SecDcc.Smki.Certificates;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis;

/// <summary>
/// Who the DCC is on DUIS: the EUI-64 non-device requests are addressed to, and the key that signs every response.
/// Owns the credentials.
/// </summary>
public sealed class DccIdentity : IDisposable
{
    /// <summary>The DCC's EUI-64 in DCC Boxed, which the DCC's tools and templates address non-device requests to.</summary>
    public static readonly DuisEui DccBoxedEui = Zaz1Parties.Dcc;

    private readonly IClock _clock;

    public DccIdentity(DuisSigningCredentials credentials, IClock clock, string source)
    {
        Credentials = credentials;
        _clock = clock;
        Source = source;
        Eui = ReadEui(credentials.Certificate) ?? DccBoxedEui;
        CertificatePem = credentials.Certificate.ExportCertificatePem();
    }

    public DuisSigningCredentials Credentials { get; }
    public DuisEui Eui { get; }
    public string CertificatePem { get; }

    /// <summary>Where the key came from, for the start-up log.</summary>
    public string Source { get; }

    public DateTimeOffset Now => _clock.UtcNow;

    /// <summary>Signs a response as compact XML, ready to send.</summary>
    public string Sign(DuisResponse response) => DuisSigner.Sign(response.ToXml(), Credentials);

    /// <summary>
    /// A key made at start-up when none is configured, so responses are still signed; clients fetch its certificate from
    /// GET /api/v1/dcc-certificate. It names no EUI-64, so the DCC keeps DCC Boxed's.
    /// </summary>
    public static DuisSigningCredentials Ephemeral(DateTimeOffset now)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=SecDcc reference DCC (key made at start-up)", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, critical: true));
        // Back-dated and long-lived: a test-mode DCC's virtual clock may start in the past or be moved years ahead.
        using var certificate = request.CreateSelfSigned(now.AddYears(-30), now.AddYears(100));
        return new DuisSigningCredentials(X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null));
    }

    private static DuisEui? ReadEui(X509Certificate2 certificate)
    {
        try
        {
            return SmkiSubject.Read(certificate).EntityId is { } entity ? DuisEui.From(entity) : null;
        }
        catch (SmkiCertificateException)
        {
            return null;
        }
    }

    public void Dispose() => Credentials.Dispose();
}
