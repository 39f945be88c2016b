using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SecDcc.Rigs.Emulation;
using SecDcc.Smki;
using SecDcc.Smki.Pki;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// AC 5.5 over the SM WAN: security-credential Commands go to an emulated rig's ESME through the gateway, and what its
/// signed Responses show reaches the post-commissioning facts (GET /post-commissioning/devices/{id}); a failure Response
/// leaves them as they were.
/// </summary>
public sealed class WanPostCommissioningTests : WanWorldFixture
{
    [Test, Category("AC-5.5")]
    [CancelAfter(120_000)]
    public async Task AC_5_5_the_esmes_responses_over_the_wan_are_the_facts_the_dcc_records_and_a_failure_records_nothing(CancellationToken ct)
    {
        var rig = WanWorld.Rig(0x0A05, only: ["chf", "gpf", "esme"]);
        var (chf, esme) = (rig.Device("chf").Id, rig.Device("esme").Id);
        using var pki = TestPki.Create("wan-post-commissioning");
        var supplierCertificate = pki.OrganisationCertificate(RemotePartyRole.Supplier, new Eui64(WanWorld.Supplier.Party.Value), X509KeyUsageFlags.DigitalSignature).Certificate.RawData;
        var distributorCertificate = pki.OrganisationCertificate(RemotePartyRole.NetworkOperator, new Eui64(Distributor.Party.Value), X509KeyUsageFlags.DigitalSignature).Certificate.RawData;

        await _world.PreNotifyAsync(rig, ct);
        var log = new MemoryEmulatorLog();
        await using var emulated = await _world.StartRigAsync(rig, log, ct);
        try
        {
            await _world.InstallEsmeAsync(chf, esme, ct);
            await _world.SucceedsAsync("8.1.1", esme, "commission the ESME", ct);
            var before = await FactsAsync(esme, ct);
            Assert.That(Count(before, "issueSecurityCredentials") + Count(before, "updateSecurityCredentialsKrp") + Count(before, "updateSecurityCredentialsDevice"), Is.Zero, $"nothing done yet: {before}");

            // 6.17: counted (5.7(c)(i)), keys re-generated, the Device Certificate the ESME returns is its current one (5.18).
            var issued = await _world.SucceedsAsync("6.17", esme, "issue security credentials", ct);
            var deviceCertificate = X509CertificateLoader.LoadCertificate(Convert.FromBase64String(issued.GetProperty("data").GetProperty("cell.deviceCertificate").GetString()!));
            var status = await StatusAsync(esme, ct);
            TestContext.Out.WriteLine($"after 6.17: {issued}{Environment.NewLine}{status}");
            Assert.Multiple(() =>
            {
                Assert.That(Count(status.GetProperty("facts"), "issueSecurityCredentials"), Is.EqualTo(1), "AC 5.7(c)(i)");
                Assert.That(status.GetProperty("facts").GetProperty("keysRegeneratedAt").ValueKind, Is.EqualTo(JsonValueKind.String), "AC 5.2(a)/5.3(b)");
                Assert.That(status.GetProperty("certificates").EnumerateArray().Where(c => c.GetProperty("current").GetBoolean()).Select(c => c.GetProperty("serialNumber").GetString()),
                    Is.EqualTo(new[] { deviceCertificate.SerialNumber }), "AC 5.18");
                Assert.That(issued.GetProperty("data").GetProperty("postCommissioning").GetString(), Does.Contain("AC-5.7(c)").And.Contain("AC-5.5"));
            });

            // 6.15.1 into the supplier cell: counted (5.7(c)(iii)), an Organisation Certificate replaced (5.3(c)), the Supplier's credentials (6.2(a)).
            await _world.SucceedsAsync("6.15.1", esme, "replace the supplier cell", ct, new() { ["cell"] = "supplier" }, supplierCertificate);
            // 6.15.2 into the networkOperator cell: counted (5.7(c)(ii)), the Electricity Distributor's credentials (5.3(a)).
            await _world.SucceedsAsync("6.15.2", esme, "replace the networkOperator cell", ct, new() { ["cell"] = "networkOperator" }, distributorCertificate);
            var facts = await FactsAsync(esme, ct);
            Assert.Multiple(() =>
            {
                Assert.That(Count(facts, "updateSecurityCredentialsKrp"), Is.EqualTo(1), "AC 5.7(c)(iii)");
                Assert.That(Count(facts, "updateSecurityCredentialsDevice"), Is.EqualTo(1), "AC 5.7(c)(ii)");
                Assert.That(facts.GetProperty("organisationCertificateReplacedAt").ValueKind, Is.EqualTo(JsonValueKind.String), "AC 5.3(c)");
                Assert.That(facts.GetProperty("supplierCredentials").GetString(), Is.EqualTo(WanWorld.Supplier.Party.ToString()), "AC 6.2(a)");
                Assert.That(facts.GetProperty("networkPartyCredentials").GetString(), Is.EqualTo(Distributor.Party.ToString()), "AC 5.3(a)");
            });

            // A Command the ESME does not carry out: a failure Response, and nothing recorded.
            var failed = await _world.RequestAsync("6.15.1", esme, ct, new() { ["cell"] = "no-such-cell" }, supplierCertificate);
            Assert.That(failed.GetProperty("successfullyExecuted").GetBoolean(), Is.False, $"the ESME writes only Trust Anchor Cells: {failed}");
            var after = await FactsAsync(esme, ct);
            Assert.That(after.ToString(), Is.EqualTo(facts.ToString()), "a failure Response changes no fact");
        }
        finally
        {
            TestContext.Out.WriteLine(log);
        }
    }

    private async Task<JsonElement> StatusAsync(Eui64 id, CancellationToken ct) => await _world.Dcc.GetJsonAsync($"/post-commissioning/devices/{id}", ct);

    private async Task<JsonElement> FactsAsync(Eui64 id, CancellationToken ct) => (await StatusAsync(id, ct)).GetProperty("facts");

    private static int Count(JsonElement facts, string name) => facts.GetProperty("successfulCommands").GetProperty(name).GetInt32();
}
