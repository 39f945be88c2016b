using System.Security.Cryptography.X509Certificates;
using SecDcc.Smki.Tests.Support;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Tests.TrustAnchors;

public sealed class DccCertificatesTests
{
    [Test]
    public void Sorting_by_role_puts_each_certificate_under_its_kind()
    {
        var (pki, issued) = SharedPki.Use(p => (p.DccCertificates, p.Issued.Select(i => i.Facts).Where(f => f.Role is RemotePartyRole.Root or RemotePartyRole.Recovery or RemotePartyRole.AccessControlBroker or RemotePartyRole.TransitionalCoS or RemotePartyRole.WanProvider).ToList()));

        var sorted = DccCertificates.ByRole(issued);

        Assert.That(sorted.AccessControlBroker.Select(c => c.KeyUsage), Is.EquivalentTo(new[] { X509KeyUsageFlags.DigitalSignature, X509KeyUsageFlags.KeyAgreement }));
        Assert.That(sorted.RootOca.Single().SubjectKeyIdentifier, Is.EqualTo(pki.RootOca.Single().SubjectKeyIdentifier));
        Assert.That(sorted.KindOf(pki.WanProvider.Single().SubjectKeyIdentifier), Is.EqualTo(DccCertificateKind.WanProvider));
    }

    [Test]
    public void A_supplier_certificate_is_not_a_DCC_certificate()
    {
        var supplier = SharedPki.Use(p => p.OrganisationCertificate(RemotePartyRole.Supplier, SharedPki.Supplier1.Id, X509KeyUsageFlags.DigitalSignature).Facts);

        var e = Assert.Throws<ArgumentException>(() => DccCertificates.ByRole([supplier]));

        Assert.That(e!.Message, Does.Contain("not DCC trust anchor certificates").And.Contain("supplier 90-B3-D5-1F-30-01-00-00"));
    }
}
