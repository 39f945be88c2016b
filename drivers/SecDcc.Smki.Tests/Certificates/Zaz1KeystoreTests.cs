using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Certificates;
using SecDcc.Smki.Tests.Support;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Tests.Certificates;

/// <summary>The reader against the ZAZ1 certificates of the DCC's own keystore (@smartdcc/dccboxed-keystore).</summary>
public sealed class Zaz1KeystoreTests
{
    private static IReadOnlyList<Entry> Entries()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Repository.RequireKeystore()));
        var entries = new List<Entry>();
        foreach (var party in json.RootElement.EnumerateObject())
        {
            foreach (var usage in party.Value.EnumerateObject())
            {
                foreach (var certificate in usage.Value.EnumerateObject())
                {
                    entries.Add(new Entry(
                        Eui64.Parse(party.Name),
                        usage.Name,
                        certificate.Value.GetProperty("name").GetString()!,
                        certificate.Value.GetProperty("role").GetInt32(),
                        certificate.Value.GetProperty("certificate").GetString()!));
                }
            }
        }

        return entries;
    }

    [Test]
    public void Every_keystore_certificate_reads_with_the_role_entity_id_and_keyUsage_the_keystore_gives()
    {
        var entries = Entries();
        Assert.That(entries, Has.Count.GreaterThanOrEqualTo(30));

        foreach (var entry in entries)
        {
            var facts = CertificateFacts.ReadPem(entry.Pem);
            Assert.That((int?)facts.Role, Is.EqualTo(entry.Role), entry.Name);
            Assert.That(facts.EntityId, Is.EqualTo(entry.Party), entry.Name);
            Assert.That(KeyUsages.Name(facts.KeyUsage), Is.EqualTo(entry.KeyUsage), entry.Name);
            Assert.That(facts.Kind, Is.EqualTo(SmkiCertificateKind.Organisation), entry.Name);
        }
    }

    [Test]
    public void Keystore_key_identifiers_are_RFC5280_method_2_as_the_test_PKI_computes_them()
    {
        foreach (var entry in Entries())
        {
            using var certificate = X509Certificate2.CreateFromPem(entry.Pem);
            Assert.That(CertificateFacts.ReadPem(entry.Pem).SubjectKeyIdentifier, Is.EqualTo(CertificateFacts.ComputeKeyIdentifier(certificate.PublicKey)), entry.Name);
        }
    }

    [Test]
    public void The_Z1_organisation_certificates_carry_the_ZAZ1_policy()
    {
        var supplier = Entries().Single(e => e.Name == "Z1-supplier-ds");

        Assert.That(CertificateFacts.ReadPem(supplier.Pem).Policies, Is.EqualTo(new[] { SmkiOids.Zaz1OrganisationPolicy }));
    }

    [Test]
    public void A_GSME_holding_Supplier_2s_ZAZ1_certificate_for_Supplier_1_is_reported_by_name()
    {
        var entries = Entries();
        CertificateFacts Cert(string name) => CertificateFacts.ReadPem(entries.Single(e => e.Name == name).Pem);
        var supplier2 = Cert("Z1-supplier2-ds");
        var known = new KnownCertificates()
            .Add(Cert("Z1-supplier-ds"), "Supplier 1")
            .Add(supplier2, "Supplier 2");
        var dcc = DccCertificates.ByRole([Cert("Z1-accessControlBroker-ds"), Cert("Z1-recovery-ds")]);
        var table = new RequiredCellTable(new Dictionary<string, IReadOnlyList<TrustAnchorCellId>> { ["GSME"] = [TrustAnchorCellId.Parse("supplier/digitalSignature")] });
        var check = new TrustAnchorCheck(new TrustAnchorEnvironment(table, dcc, known, ConsentRegister.None));
        var device = new DeviceTrustAnchorReport(Eui64.Parse("00-DB-12-34-56-78-00-04"), "GSME", null, [ReportedCell.Holding(RemotePartyRole.Supplier, X509KeyUsageFlags.DigitalSignature, supplier2)]);

        var result = check.Check(device, new DeviceParties(new Party("Supplier 1", Eui64.Parse("90-B3-D5-1F-30-01-00-00")), null));

        Assert.That(result.Findings.Select(f => f.Message), Is.EqualTo(new[]
        {
            "GSME 00-DB-12-34-56-78-00-04: cell supplier/digitalSignature holds 90-B3-D5-1F-30-03-00-00 (Organisation Certificate of Supplier 2), " +
            "allowed: the Responsible Supplier's Organisation Certificate (Supplier 1, 90-B3-D5-1F-30-01-00-00), a DCC ACB Certificate, or another Supplier's with consent — none recorded [AC-3.2(a)]",
        }));
    }

    private sealed record Entry(Eui64 Party, string KeyUsage, string Name, int Role, string Pem);
}
