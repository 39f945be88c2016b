using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;

namespace SecDcc.Rigs.TrustAnchors;

/// <summary>
/// Device Certificates from the rig's test PKI, behind the same seam as the local issuer: issued by its Issuing
/// OCA, which a verifier trusts together with the Root OCA above it (<see cref="TrustChain"/>).
/// </summary>
public sealed class TestPkiDeviceIssuer : IDeviceCertificateIssuer
{
    private readonly RigTrustAnchors _anchors;

    internal TestPkiDeviceIssuer(RigTrustAnchors anchors)
    {
        _anchors = anchors;
    }

    public X509Certificate2 IssuerCertificate => _anchors.Pki.IssuingCa.Certificate;

    /// <summary>The Issuing OCA and the Root OCA: a chain builds only to a self-signed anchor, so a verifier needs both.</summary>
    public IReadOnlyList<X509Certificate2> TrustChain => [_anchors.Pki.IssuingCa.Certificate, _anchors.Pki.RootOca.Certificate];

    public X509Certificate2 Issue(Eui64 deviceId, ECDsa publicKey) => _anchors.Certify(deviceId, publicKey);
}
