using SecDcc.Duis.Messages;
using SecDcc.Duis.Tests.Support;

namespace SecDcc.Duis.Tests;

public class CatalogueTests
{
    [Test]
    public void The_matrix_has_every_SRV_in_scope()
    {
        foreach (var srv in InteropPackages.InScopeSrvs)
        {
            Assert.That(ServiceRequestCatalogue.Default.TryGet(srv, out var variant), Is.True, srv);
            Assert.That(variant.CommandVariants, Is.Not.Empty, $"{srv} has command variants from the XSD");
        }
        Assert.That(ServiceRequestCatalogue.Default.All, Has.Count.EqualTo(129));
    }

    [TestCase(DuisUserRole.IS, "8.1.1", true)]
    [TestCase(DuisUserRole.GS, "8.1.1", true)]
    [TestCase(DuisUserRole.ED, "8.1.1", false)]
    [TestCase(DuisUserRole.OU, "8.2", true)]
    [TestCase(DuisUserRole.OU, "8.3", false)]
    [TestCase(DuisUserRole.OU, "8.7.2", true)]
    [TestCase(DuisUserRole.OU, "8.7.1", false)]
    [TestCase(DuisUserRole.ED, "6.15.1", true)]
    [TestCase(DuisUserRole.ED, "6.23", false)]
    [TestCase(DuisUserRole.RSA, "12.2", true)]
    [TestCase(DuisUserRole.IS, "99.9", false)]
    public void Role_eligibility_comes_from_the_matrix(DuisUserRole role, string srv, bool eligible) =>
        Assert.That(ServiceRequestCatalogue.Default.IsEligible(role, srv), Is.EqualTo(eligible));

    [Test]
    public void SRV_facts_are_read_from_the_matrix()
    {
        var readInventory = ServiceRequestCatalogue.Default.Get("8.2");
        Assert.That(readInventory.NonDevice, Is.True);
        Assert.That(readInventory.Name, Does.StartWith("Read Inventory").And.Not.Contain("\n"));
        Assert.That(readInventory.CommandVariants, Is.EqualTo(new[] { 8 }));
        var commission = ServiceRequestCatalogue.Default.Get("8.1.1");
        Assert.That(commission.Critical, Is.True);
        Assert.That(commission.CommandVariants, Is.EqualTo(new[] { 4, 5 }));
        Assert.That(() => ServiceRequestCatalogue.Default.Get("8.99"), Throws.TypeOf<KeyNotFoundException>().With.Message.Contains("8.99"));
    }

    [Test]
    public void Response_codes_are_the_schema_list()
    {
        Assert.That(ResponseCodes.All, Has.Count.EqualTo(189));
        Assert.That(ResponseCodes.All, Does.Contain("I0").And.Contain("I99").And.Contain("E120201").And.Contain("W081401"));
        Assert.That(new ResponseCode("I0").Description, Does.StartWith("Success"));
        Assert.That(new ResponseCode("E080301").Description, Is.Null, "SRV-specific codes carry no description the texts define");
        Assert.That(new ResponseCode("W050201").IsWarning, Is.True);
    }
}
