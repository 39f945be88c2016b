using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Security;

namespace SecDcc.Dcc.Service.Wan;

/// <summary>
/// How the DCC learns a device's key (docs/decisions/1101): it trusts issuers of Device Certificates, as the DCC
/// trusts the SMKI's Device CA, and takes each device's certificate from its hub, which offers its own and its
/// HAN devices' when it connects. A certificate is used only if it chains to a trusted issuer and names the
/// device by EUI-64, so a message verifies only against the key bound to the device it claims to come from.
/// </summary>
public sealed class DeviceTrust
{
    private readonly Lock _gate = new();
    private readonly List<X509Certificate2> _issuers = [];
    private volatile DeviceCertificateDirectory _current = new([]);

    /// <summary>The directory new sessions verify with; a session keeps the one it started with.</summary>
    public DeviceCertificateDirectory Current => _current;

    public IReadOnlyList<string> IssuerSubjects
    {
        get
        {
            lock (_gate)
                return _issuers.Select(i => i.Subject).ToList();
        }
    }

    /// <summary>Trusts one more issuer from PEM; the message says why a certificate cannot be one.</summary>
    public Outcome<string> AddIssuerPem(string pem)
    {
        X509Certificate2 issuer;
        try
        {
            issuer = X509Certificate2.CreateFromPem(pem);
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException)
        {
            return Refusal.InvalidField("WAN", "(body)", $"The body is not a PEM certificate ('-----BEGIN CERTIFICATE-----'): {e.Message}");
        }

        if (issuer.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault() is not { CertificateAuthority: true })
        {
            var subject = issuer.Subject;
            issuer.Dispose();
            return Refusal.InvalidField("WAN", "(body)", $"'{subject}' is not a certificate authority (basicConstraints cA is not set), so it cannot issue Device Certificates; give the issuer's certificate, e.g. a rig's device-ca.cert.pem.");
        }

        lock (_gate)
        {
            // Trusting an issuer again changes nothing (a client may repeat it before every connection). The thumbprint is
            // read before the duplicate is disposed: a disposed certificate has none to compare.
            var thumbprint = issuer.Thumbprint;
            if (_issuers.FirstOrDefault(i => i.Thumbprint == thumbprint) is { } known)
            {
                issuer.Dispose();
                return Outcome<string>.Success(known.Subject);
            }

            _issuers.Add(issuer);
            var previous = _current;
            var next = new DeviceCertificateDirectory(_issuers);
            // Certificates already checked stay usable by sessions that start from now on.
            foreach (var id in previous.KnownDevices)
            {
                if (previous.TryGetCertificate(id, out var certificate))
                    next.TryAdd(certificate.RawData, out _, out _);
            }

            // The previous directory is not disposed: sessions that started with it still read from it.
            _current = next;
            return Outcome<string>.Success(issuer.Subject);
        }
    }
}
