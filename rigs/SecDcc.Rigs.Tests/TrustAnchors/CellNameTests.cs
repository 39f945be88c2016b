using SecDcc.DeviceProtocol.Messages;
using SecDcc.DeviceProtocol.Wan;
using SecDcc.Rigs.Tests.Support;
using SecDcc.Rigs.TrustAnchors;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.TrustAnchors;

/// <summary>Cells are named role/keyUsage; a role alone, as DCCs name cells in 6.15 and 6.24, is that role's signing cell.</summary>
public sealed class CellNameTests
{
    [TestCase("supplier/keyAgreement", "supplier/keyAgreement")]
    [TestCase("supplier", "supplier/digitalSignature")]
    [TestCase("accessControlBroker", "accessControlBroker/digitalSignature")]
    [TestCase("root", "root/keyCertSign")]
    public void A_name_reads_as_its_cell(string name, string cell)
    {
        Assert.That(CellNames.TryParse(name, out var parsed, out var why), Is.True, why);
        Assert.That(parsed.ToString(), Is.EqualTo(cell));
    }

    [TestCase("deviceCertificate")]
    [TestCase("suplier")]
    [TestCase("supplier/encipherOnly")]
    public void Other_names_are_not_cells(string name) =>
        Assert.That(CellNames.TryParse(name, out _, out var why), Is.False, why);

    [Test]
    [CancelAfter(30_000)]
    public async Task Over_the_wan_a_cell_is_written_and_read_by_role_alone_or_by_role_and_keyusage(CancellationToken ct)
    {
        await using var connected = await ConnectedRig.StartAsync((state, wan) => Small(state, wan: wan), ct);
        var session = connected.Session;
        var content = new Octets([0x30, 0x03, 0x02, 0x01, 0x09]);
        await connected.SucceedsAsync(Chf, id => new UpdateSecurityCredentials(id, "6.15.1", ValueList.Of(new CredentialCell("networkOperator/keyAgreement", content))), ct);

        var byFullName = await connected.SucceedsAsync(Chf, id => new ReadSecurityCredentials(id, "6.24.1", ValueList.Of("networkOperator/keyAgreement")), ct);
        var byRole = await connected.SucceedsAsync(Chf, id => new ReadSecurityCredentials(id, "6.24.1", ValueList.Of("accessControlBroker")), ct);
        var unknown = await session.SendAsync(Chf, new ReadSecurityCredentials(session.NewRequestId(Chf), "6.24.1", ValueList.Of("nonsense")), ct);
        Assert.Multiple(() =>
        {
            Assert.That(byFullName.Cells, Is.EqualTo(new[] { new CredentialCell("networkOperator/keyAgreement", content) }));
            Assert.That(byRole.Cells.Single().Name, Is.EqualTo("accessControlBroker"), "answered under the name asked for");
            Assert.That(byRole.Cells.Single().Value, Is.EqualTo(new Octets(connected.Gateway.Certificate.RawData)));
            Assert.That(unknown.Response.Reason, Is.EqualTo(ResponseReason.InvalidValue));
            Assert.That(unknown.Response.Detail, Does.Contain("role/keyUsage"));
        });
    }
}
