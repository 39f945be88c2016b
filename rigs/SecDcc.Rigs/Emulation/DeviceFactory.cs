using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SecDcc.DeviceProtocol.Security;
using SecDcc.Drivers.Link;
using SecDcc.Rigs.TrustAnchors;

namespace SecDcc.Rigs.Emulation;

/// <summary>
/// What a factory writes into a new emulated device: its key and Device Certificate from
/// <see cref="Issuer"/>, and its Trust Anchor Cells from <see cref="Anchors"/>.
/// </summary>
/// <param name="IssuerChain">What a verifier of the devices' certificates trusts: the issuer, and its root when it is not self-signed.</param>
internal sealed record DeviceFactory(RigTrustAnchors Anchors, IDeviceCertificateIssuer Issuer, IReadOnlyList<X509Certificate2> IssuerChain)
{
    /// <summary>
    /// From the rig's test PKI the key is derived from the seed too, so a rig's devices have the same keys and
    /// certificates every time; any other issuer certifies a fresh key.
    /// </summary>
    public (ECDsa Key, X509Certificate2 Certificate) NewDeviceCredentials(Eui64 deviceId)
    {
        if (Issuer is TestPkiDeviceIssuer)
        {
            return Anchors.DeviceCredentials(deviceId);
        }

        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        try
        {
            return (key, Issuer.Issue(deviceId, key));
        }
        catch (Exception)
        {
            key.Dispose();
            throw;
        }
    }
}
