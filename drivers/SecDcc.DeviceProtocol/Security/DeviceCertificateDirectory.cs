using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;

namespace SecDcc.DeviceProtocol.Security;

/// <summary>
/// The keys a receiver verifies device signatures with, each taken from a Device Certificate that chains to a
/// trusted issuer and names the device by EUI-64, or pinned by the caller. It is the <see cref="IVerifierKeys"/>
/// of a WAN session, so a frame is accepted only from a device whose key came from a certificate checked here.
/// </summary>
public sealed class DeviceCertificateDirectory : IVerifierKeys, IDisposable
{
    private readonly X509Certificate2Collection _issuers;
    private readonly ConcurrentDictionary<Eui64, ECDsa> _keys = new();
    private readonly ConcurrentDictionary<Eui64, X509Certificate2> _certificates = new();

    public DeviceCertificateDirectory(IEnumerable<X509Certificate2> trustedIssuers)
    {
        ArgumentNullException.ThrowIfNull(trustedIssuers);
        _issuers = [.. trustedIssuers];
    }

    public IReadOnlyCollection<X509Certificate2> TrustedIssuers => _issuers.Cast<X509Certificate2>().ToArray();

    public IReadOnlyCollection<Eui64> KnownDevices => _keys.Keys.ToArray();

    /// <summary>Checks and adds a Device Certificate (DER).</summary>
    /// <param name="problem">Why it was refused, said so an operator can fix it.</param>
    public bool TryAdd(ReadOnlySpan<byte> der, out Eui64 deviceId, [NotNullWhen(false)] out string? problem)
    {
        deviceId = default;
        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadCertificate(der);
        }
        catch (CryptographicException e)
        {
            problem = $"not an X.509 certificate ({e.Message})";
            return false;
        }

        if (!Check(certificate, out deviceId, out problem, out var key))
        {
            certificate.Dispose();
            return false;
        }

        _keys[deviceId] = key;
        _certificates[deviceId] = certificate;
        return true;
    }

    /// <exception cref="CryptographicException">The certificate is not a usable Device Certificate; the message says why.</exception>
    public Eui64 Add(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        return TryAdd(certificate.RawData, out var id, out var problem)
            ? id
            : throw new CryptographicException($"Device Certificate {certificate.SerialNumber} refused: {problem}");
    }

    /// <summary>Trusts <paramref name="publicKey"/> for <paramref name="deviceId"/> without a certificate (the caller vouches for it).</summary>
    public void Pin(Eui64 deviceId, ECDsa publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        _keys[deviceId] = publicKey;
    }

    public bool TryGetKey(Eui64 sender, [NotNullWhen(true)] out ECDsa? key) => _keys.TryGetValue(sender, out key);

    public bool TryGetCertificate(Eui64 deviceId, [NotNullWhen(true)] out X509Certificate2? certificate) =>
        _certificates.TryGetValue(deviceId, out certificate);

    public void Dispose()
    {
        foreach (var c in _certificates.Values)
        {
            c.Dispose();
        }
    }

    private bool Check(X509Certificate2 certificate, out Eui64 deviceId, [NotNullWhen(false)] out string? problem, [NotNullWhen(true)] out ECDsa? key)
    {
        key = null;
        if (!DeviceCertificates.TryReadDeviceId(certificate, out deviceId))
        {
            problem = "it names no device: it needs exactly one subjectAltName otherName hardwareModuleName whose hwSerialNum is the 8-byte EUI-64";
            return false;
        }

        key = certificate.GetECDsaPublicKey();
        if (key is null || key.KeySize != 256)
        {
            problem = $"the certificate for {deviceId} does not hold an ECDSA P-256 key";
            return false;
        }

        if (_issuers.Count == 0)
        {
            problem = $"the certificate for {deviceId} cannot be checked: no issuer is trusted (give the directory the rig's or the SMKI's issuing certificate)";
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_issuers);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationFlags = X509VerificationFlags.NoFlag;
        if (!chain.Build(certificate))
        {
            var status = string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Where(s => s.Length > 0).Distinct());
            problem = $"the certificate for {deviceId} does not chain to a trusted issuer ({status}); trusted: {string.Join(", ", _issuers.Select(i => i.Subject))}";
            return false;
        }

        problem = null;
        return true;
    }
}
