using System.Security.Cryptography.X509Certificates;
using SecDcc.Drivers.Link;
using SecDcc.Smki.Tests.Support;
using SecDcc.Smki.TrustAnchors;

namespace SecDcc.Smki.Tests.TrustAnchors;

public sealed class TrustAnchorDataTests
{
    private string _dir = null!;

    [SetUp]
    public void MakeDirectory() => _dir = Directory.CreateTempSubdirectory("smki-data-").FullName;

    [TearDown]
    public void RemoveDirectory() => Directory.Delete(_dir, recursive: true);

    [Test]
    public void The_repository_cells_table_loads_with_the_rows_its_comment_describes()
    {
        var table = RequiredCellTable.Load(Path.Combine(Repository.TrustAnchors, "cells.yaml"));

        var esme = table.CellsFor("ESME", null)!.Select(c => c.ToString()).ToList();
        Assert.That(esme, Is.EquivalentTo(new[]
        {
            "root/keyCertSign", "recovery/digitalSignature", "supplier/digitalSignature", "supplier/keyAgreement",
            "networkOperator/digitalSignature", "networkOperator/keyAgreement", "accessControlBroker/digitalSignature",
            "accessControlBroker/keyAgreement", "transitionalCoS/digitalSignature",
        }));
        Assert.That(table.CellsFor("GSME", null), Is.EqualTo(table.CellsFor("ESME", null)));
        Assert.That(table.CellsFor("CHF", null)!.Select(c => c.ToString()), Is.EquivalentTo(esme.Append("wanProvider/digitalSignature")));
        Assert.That(table.CellsFor("IHD", null), Is.Empty);
        Assert.That(table.CellsFor("PPMID", null), Is.Null);
    }

    [Test]
    public void The_repository_consents_file_loads()
    {
        Assert.That(ConsentRegister.Load(Path.Combine(Repository.TrustAnchors, "consents.yaml")).Consents, Is.Empty);
    }

    [Test]
    public void Device_Model_overrides_replace_add_and_remove()
    {
        var path = Write("cells.yaml", """
            deviceTypes:
              ESME:
                cells: [root/keyCertSign, recovery/digitalSignature]
            deviceModels:
              - manufacturer: Acme
                model: M1
                add: [supplier/keyAgreement/prePaymentTopUp]
                remove: [recovery/digitalSignature]
              - manufacturer: Acme
                model: CH2
                deviceType: GPF
                cells: [root/keyCertSign]
            """);

        var table = RequiredCellTable.Load(path);

        Assert.That(table.CellsFor("ESME", "Acme/M1")!.Select(c => c.ToString()), Is.EqualTo(new[] { "root/keyCertSign", "supplier/keyAgreement/prePaymentTopUp" }));
        Assert.That(table.CellsFor("ESME", "Acme/M2")!.Select(c => c.ToString()), Is.EqualTo(new[] { "root/keyCertSign", "recovery/digitalSignature" }));
        Assert.That(table.CellsFor("GPF", "Acme/CH2")!.Select(c => c.ToString()), Is.EqualTo(new[] { "root/keyCertSign" }));
        Assert.That(table.CellsFor("CHF", "Acme/CH2"), Is.Null);
    }

    [Test]
    public void Every_mistake_in_a_cells_file_is_listed_with_its_line()
    {
        var path = Write("cells.yaml", """
            deviceTypes:
              ESME:
                cells:
                  - root/keyCertSign
                  - suplier/digitalSignature
                  - recovery/digitalSig
                  - root/keyCertSign
            deviceModels:
              - manufacturer: Acme
            """);

        var e = Assert.Throws<TrustAnchorDataException>(() => RequiredCellTable.Load(path));

        Assert.That(e!.Problems, Has.Some.StartWith($"{path}:5:").And.Some.Contains("'suplier' is not a Remote Party Role"));
        Assert.That(e.Problems, Has.Some.StartWith($"{path}:6:").And.Some.Contains("'digitalSig' is not a cell keyUsage"));
        Assert.That(e.Problems, Has.Some.StartWith($"{path}:7:").And.Some.Contains("listed twice"));
        Assert.That(e.Problems, Has.Some.Contains("'model' is missing"));
        Assert.That(e.Problems, Has.Some.Contains("needs 'cells'"));
    }

    [Test]
    public void A_missing_file_says_which()
    {
        var path = Path.Combine(_dir, "nope.yaml");

        var e = Assert.Throws<TrustAnchorDataException>(() => RequiredCellTable.Load(path));

        Assert.That(e!.Message, Does.StartWith($"{path}: cannot read the file"));
    }

    [Test]
    public void Consents_load_with_optional_keyUsage()
    {
        var path = Write("consents.yaml", """
            consents:
              - device: 00-DB-12-34-56-78-00-03
                cell: supplier
                supplier: 90-B3-D5-1F-30-03-00-00
                reference: letter 17
              - device: 00-DB-12-34-56-78-00-04
                cell: networkOperator/keyAgreement
                supplier: 90-B3-D5-1F-30-03-00-00
            """);

        var consents = ConsentRegister.Load(path).Consents;

        Assert.That(consents, Is.EqualTo(new[]
        {
            new Consent(Eui64.Parse("00-DB-12-34-56-78-00-03"), RemotePartyRole.Supplier, null, Eui64.Parse("90-B3-D5-1F-30-03-00-00"), "letter 17"),
            new Consent(Eui64.Parse("00-DB-12-34-56-78-00-04"), RemotePartyRole.NetworkOperator, X509KeyUsageFlags.KeyAgreement, Eui64.Parse("90-B3-D5-1F-30-03-00-00"), null),
        }));
    }

    [Test]
    public void Consent_mistakes_are_listed_with_their_lines()
    {
        var path = Write("consents.yaml", """
            consents:
              - device: 00-DB-12
                cell: supplier
                supplier: 90-B3-D5-1F-30-03-00-00
              - device: 00-DB-12-34-56-78-00-04
                cell: recovery
                supplier: 90-B3-D5-1F-30-03-00-00
            """);

        var e = Assert.Throws<TrustAnchorDataException>(() => ConsentRegister.Load(path));

        Assert.That(e!.Problems, Has.Count.EqualTo(2));
        Assert.That(e.Problems[0], Does.StartWith($"{path}:2:").And.Contain("'device: 00-DB-12' is not an EUI-64"));
        Assert.That(e.Problems[1], Does.StartWith($"{path}:5:").And.Contain("supplier or networkOperator cell only"));
    }

    [TestCase("supplier/digitalSignature", RemotePartyRole.Supplier, X509KeyUsageFlags.DigitalSignature, CellUsage.Management)]
    [TestCase("root/keyCertSign", RemotePartyRole.Root, X509KeyUsageFlags.KeyCertSign, CellUsage.Management)]
    [TestCase("supplier/keyAgreement/prePaymentTopUp", RemotePartyRole.Supplier, X509KeyUsageFlags.KeyAgreement, CellUsage.PrePaymentTopUp)]
    public void Cell_names_round_trip(string text, RemotePartyRole role, X509KeyUsageFlags usage, CellUsage cellUsage)
    {
        var cell = TrustAnchorCellId.Parse(text);

        Assert.That(cell, Is.EqualTo(new TrustAnchorCellId(role, usage, cellUsage)));
        Assert.That(cell.ToString(), Is.EqualTo(text));
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }
}
