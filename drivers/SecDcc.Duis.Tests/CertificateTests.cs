using System.Security.Cryptography.X509Certificates;
using SecDcc.Duis.Keys;
using SecDcc.Smki;
using SecDcc.Smki.Certificates;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

public class CertificateTests
{
    [Test]
    public void An_organisation_certificate_gives_its_EUI_role_and_key_usage()
    {
        using var certificate = TestCertificates.CreateOrganisation(Zaz1Parties.NetworkOperator, "03", X509KeyUsageFlags.KeyAgreement, out var key, "Network Operator");
        key.Dispose();

        var info = SmkiSubject.Read(certificate);

        Assert.That(info.EntityId?.Value, Is.EqualTo(Zaz1Parties.NetworkOperator.Value));
        Assert.That(info.RoleCode, Is.EqualTo(3));
        Assert.That(info.Role, Is.EqualTo(RemotePartyRole.NetworkOperator));
        Assert.That(info.KeyUsage, Is.EqualTo(X509KeyUsageFlags.KeyAgreement));
        Assert.That(info.KeyUsageCritical, Is.True);
        Assert.That(info.CommonName, Is.EqualTo("Network Operator"));
        Assert.That(info.DeviceId, Is.Null);
    }

    [Test]
    public void The_OU_is_read_as_two_hex_digits()
    {
        using var certificate = TestCertificates.CreateOrganisation(Zaz1Parties.OtherUser, "7F", X509KeyUsageFlags.DigitalSignature, out var key);
        key.Dispose();
        Assert.That(SmkiSubject.Read(certificate).Role, Is.EqualTo(RemotePartyRole.Other));
    }

    [Test]
    public void A_device_certificate_gives_the_hardware_module_serial()
    {
        var device = Eui64.Parse("00-DB-12-34-56-78-90-A0");
        using var certificate = TestCertificates.CreateDevice(device);

        var info = SmkiSubject.Read(certificate);

        Assert.That(info.DeviceId?.Value, Is.EqualTo(device.Value));
        Assert.That(info.EntityId, Is.Null);
        Assert.That(info.RoleCode, Is.Null);
    }

    [Test]
    public void The_issuer_of_a_ZAZ1_style_certificate_is_written_like_the_tool()
    {
        using var credentials = TestCertificates.CreateXmlSigning(Zaz1Parties.Supplier);
        Assert.That(DistinguishedNames.ToRfc2253(credentials.Certificate.IssuerName), Is.EqualTo("CN=Z1,OU=07"));
        Assert.That(DistinguishedNames.ToRfc2253(credentials.Certificate.SubjectName),
            Is.EqualTo("2.5.4.45=#030900" + Zaz1Parties.Supplier.ToCompactHex().ToLowerInvariant() + ",OU=87"),
            "unknown attribute types are written as OID=#hex of the BER value, as RFC 2253 says");
    }

    [Test]
    public void Names_with_special_characters_are_escaped()
    {
        var name = new X500DistinguishedName("CN=\"a,b\", O=\"x+y\"");
        Assert.That(DistinguishedNames.ToRfc2253(name), Is.EqualTo("CN=a\\,b,O=x\\+y"));
    }
}
