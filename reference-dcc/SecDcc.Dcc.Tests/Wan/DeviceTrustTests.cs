using SecDcc.Dcc.Service.Wan;
using SecDcc.DeviceProtocol.Security;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>Trusting Device Certificate issuers (POST /wan/device-issuers): each scenario and bench trusts its rig's issuers again.</summary>
public sealed class DeviceTrustTests
{
    [Test]
    public void An_issuer_trusted_twice_is_accepted_both_times_and_listed_once()
    {
        using var authority = LocalCertificateAuthority.Create("SecDcc test device CA");
        var pem = authority.IssuerCertificate.ExportCertificatePem();
        var trust = new DeviceTrust();

        var first = trust.AddIssuerPem(pem);
        var again = trust.AddIssuerPem(pem);

        Assert.Multiple(() =>
        {
            Assert.That(first.IsSuccess, Is.True, () => first.Refusal!.Message);
            Assert.That(again.IsSuccess, Is.True, () => again.Refusal!.Message);
            Assert.That(again.Value, Is.EqualTo(authority.IssuerCertificate.Subject));
            Assert.That(trust.IssuerSubjects, Is.EqualTo(new[] { authority.IssuerCertificate.Subject }));
        });
    }
}
