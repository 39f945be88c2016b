using System.Security.Cryptography.X509Certificates;
using SecDcc.Duis.Keys;
using SecDcc.Smki;
using SecDcc.Smki.Certificates;
using SecDcc.Duis.Signing;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

/// <summary>The ZAZ1 parties from @smartdcc/dccboxed-keystore (needs 'npm ci --prefix drivers/interop').</summary>
[Category("Interop")]
public class KeyStoreTests
{
    private static readonly (Eui64 Party, string Name, int Role)[] XmlSigners =
    [
        (Zaz1Parties.Supplier, "xml-sign-90B3D51F30010000-ds", 0x87),
        (Zaz1Parties.NetworkOperator, "xml-sign-90B3D51F30020000-ds", 0x87),
        (Zaz1Parties.Dcc, "dsp-xml-sign-90B3D51F30000002-ds", 0x89),
        (Zaz1Parties.OtherUser, "xml-sign-00DB123456780004-ds", 0x87),
    ];

    [Test]
    public async Task The_XML_signing_parties_load_with_their_keys()
    {
        var store = await InteropPackages.KeyStoreAsync(CancellationToken.None);
        foreach (var (party, name, role) in XmlSigners)
        {
            var entry = store.FindXmlSigning(party);
            Assert.That(entry.Name, Is.EqualTo(name));
            Assert.That(entry.Role, Is.EqualTo(role));
            using var credentials = store.GetXmlSigningCredentials(party);
            var info = SmkiSubject.Read(credentials.Certificate);
            Assert.That(info.EntityId?.Value, Is.EqualTo(party.Value), $"{name}: x500UniqueIdentifier");
            Assert.That(info.RoleCode, Is.EqualTo(role), $"{name}: OU");
            Assert.That(info.KeyUsage, Is.EqualTo(X509KeyUsageFlags.DigitalSignature));
            Assert.That(credentials.SignerReference.IssuerName, Is.EqualTo("CN=Z1,OU=07"));
            Assert.That(credentials.SignerReference.SerialNumber, Is.EqualTo(entry.SerialNumber), "the keystore's key is the certificate's decimal serial");
        }
    }

    [Test]
    public async Task Supplier_2_has_organisation_certificates_with_role_Supplier()
    {
        var store = await InteropPackages.KeyStoreAsync(CancellationToken.None);
        var entries = store.Entries.Where(e => e.EntityId == Zaz1Parties.Supplier2).ToList();

        Assert.That(entries, Is.Not.Empty);
        foreach (var entry in entries)
        {
            using var certificate = entry.LoadCertificate();
            var info = SmkiSubject.Read(certificate);
            Assert.That(info.EntityId?.Value, Is.EqualTo(Zaz1Parties.Supplier2.Value));
            Assert.That(info.Role, Is.EqualTo(RemotePartyRole.Supplier));
            Assert.That(info.KeyUsage, Is.EqualTo(entry.KeyUsage == "digitalSignature" ? X509KeyUsageFlags.DigitalSignature : X509KeyUsageFlags.KeyAgreement));
        }
        Assert.That(() => store.FindXmlSigning(Zaz1Parties.Supplier2), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("90-B3-D5-1F-30-01-00-00"));
        Assert.That(store.FindDuisSigning(Zaz1Parties.Supplier2).Name, Is.EqualTo("Z1-supplier2-ds"), "what the DCC Boxed tool signs with for Supplier 2");
        Assert.That(store.FindDuisSigning(Zaz1Parties.Supplier).Name, Is.EqualTo("xml-sign-90B3D51F30010000-ds"));
    }

    [Test]
    public async Task Every_certificate_in_the_store_reads_back_its_entity_and_role()
    {
        var store = await InteropPackages.KeyStoreAsync(CancellationToken.None);
        Assert.That(store.Entries, Has.Count.GreaterThan(20));
        foreach (var entry in store.Entries)
        {
            using var certificate = entry.LoadCertificate();
            var info = SmkiSubject.Read(certificate);
            Assert.That(info.EntityId?.Value, Is.EqualTo(entry.EntityId.Value), entry.Name);
            Assert.That(info.RoleCode, Is.EqualTo(entry.Role), entry.Name);
            Assert.That(DuisSignerReference.SerialOf(certificate), Is.EqualTo(entry.SerialNumber), entry.Name);
        }
    }

    [Test]
    public async Task A_request_signed_as_a_ZAZ1_party_verifies_with_the_store_resolver()
    {
        var store = await InteropPackages.KeyStoreAsync(CancellationToken.None);
        using var supplier = store.GetXmlSigningCredentials(Zaz1Parties.Supplier);
        var request = SampleRequests.All(Zaz1Parties.Supplier).First().Request;

        var result = await new DuisSignatureVerifier(store.CreateXmlSigningResolver())
            .VerifyAsync(DuisSigner.Sign(request.ToXml(), supplier), CancellationToken.None);

        Assert.That(result.IsValid, Is.True, result.Reason);
        Assert.That(SmkiSubject.Read(result.Signer!).EntityId?.Value, Is.EqualTo(Zaz1Parties.Supplier.Value));
    }

    [Test]
    public void A_malformed_keystore_is_refused_with_the_offending_key()
    {
        Assert.That(() => DccBoxedKeyStore.Parse("{\"not-an-eui\":{}}"), Throws.TypeOf<FormatException>().With.Message.Contains("not-an-eui"));
        Assert.That(() => DccBoxedKeyStore.Parse("{\"90b3d51f30010000\":{\"digitalSignature\":{\"12\":{\"name\":\"x\"}}}}"),
            Throws.TypeOf<FormatException>().With.Message.Contains("certificate"));
    }

    [Test]
    public void A_missing_keystore_names_the_install_command()
    {
        Assert.That(async () => await DccBoxedKeyStore.LoadAsync("/nonexistent/keystore.json", CancellationToken.None),
            Throws.TypeOf<FileNotFoundException>().With.Message.Contains("npm ci --prefix drivers/interop"));
    }
}
