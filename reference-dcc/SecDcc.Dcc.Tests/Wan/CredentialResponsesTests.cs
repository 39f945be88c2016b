using System.Security.Cryptography.X509Certificates;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Service.Devices;
using SecDcc.Dcc.Service.Wan;
using SecDcc.Dcc.Tests.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using SecDcc.DeviceProtocol.Messages;
using SecDcc.Smki;
using SecDcc.Smki.Pki;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Dcc.Tests.Wan;

/// <summary>
/// AC 5.2–5.5, 5.18 and 6.2 from Devices' successful Responses as the SM WAN gateway hands them over: which SRV and which
/// cell tell which fact, with SMKI certificates from a seeded test PKI as the cells' content.
/// </summary>
public sealed class CredentialResponsesTests
{
    private static readonly Eui64 DccId = DccWanIdentity.DefaultDccId;
    private static readonly Actor Dcc = new(new PartyId(DccId.Value), UserRole.OU);
    private static readonly TestPki Pki = TestPki.Create("credential-responses");
    private int _counter;

    [OneTimeTearDown]
    public void DisposePki() => Pki.Dispose();

    [Test, Category("AC-5.7(c)")]
    public async Task AC_5_3_c_5_7_c_iii_6_2_a_a_supplier_cell_written_by_6_15_1_counts_replaces_an_organisation_certificate_and_names_the_supplier()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        var notes = await RecordAsync(w, esme, "6.15.1", Write("supplier/digitalSignature", Organisation(RemotePartyRole.Supplier, OtherSupplier.Party)));

        var facts = (await w.StatusAsync(esme)).Facts;
        Assert.Multiple(() =>
        {
            Assert.That(facts.UpdateSecurityCredentialsKrp, Is.EqualTo(1), "AC 5.7(c)(iii)");
            Assert.That(facts.OrganisationCertificateReplacedAt, Is.EqualTo(Start), "AC 5.3(c)");
            Assert.That(facts.SupplierParty, Is.EqualTo(OtherSupplier.Party), "AC 6.2(a): whose credentials the supplier cell now holds");
            Assert.That(facts.NetworkParty, Is.Null, "a supplier cell says nothing of the Network Party");
            Assert.That(notes, Has.Some.StartsWith("AC-5.7(c):").And.Some.StartsWith("AC-5.5:").And.Some.StartsWith("AC-6.2(a):"));
        });
    }

    [Test, Category("AC-5.3")]
    public async Task AC_5_3_a_5_7_c_ii_a_network_operator_cell_written_by_6_15_2_names_the_network_party()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        await RecordAsync(w, esme, "6.15.2", Write("networkOperator", Organisation(RemotePartyRole.NetworkOperator, Distributor.Party)));

        var status = await w.StatusAsync(esme);
        Assert.Multiple(() =>
        {
            Assert.That(status.Facts.UpdateSecurityCredentialsDevice, Is.EqualTo(1), "AC 5.7(c)(ii)");
            Assert.That(status.Facts.NetworkParty, Is.EqualTo(Distributor.Party), "AC 5.3(a)");
            Assert.That(status.Steps.Single(s => s.Clause == "AC-5.3(a)").State, Is.EqualTo(StepState.Done), "the Electricity Distributor's credentials within 7 days");
        });
    }

    [Test, Category("AC-5.5")]
    public async Task AC_6_23_a_change_of_supplier_names_the_new_supplier_and_is_not_counted_by_5_7_c()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        await RecordAsync(w, esme, "6.23", Write("supplier", Organisation(RemotePartyRole.Supplier, OtherSupplier.Party)));

        var facts = (await w.StatusAsync(esme)).Facts;
        Assert.That((facts.SupplierParty, facts.UpdateSecurityCredentialsKrp, facts.UpdateSecurityCredentialsDevice, facts.IssueSecurityCredentials),
            Is.EqualTo(((PartyId?)OtherSupplier.Party, 0, 0, 0)));
    }

    [Test, Category("AC-5.5")]
    public async Task AC_5_5_a_cell_written_with_content_that_is_not_a_certificate_is_counted_but_replaces_no_organisation_certificate()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        var notes = await RecordAsync(w, esme, "6.15.1", Write("supplier", [1, 2, 3]));

        var facts = (await w.StatusAsync(esme)).Facts;
        Assert.That((facts.UpdateSecurityCredentialsKrp, facts.OrganisationCertificateReplacedAt, facts.SupplierParty), Is.EqualTo((1, (DateTimeOffset?)null, (PartyId?)null)));
        Assert.That(notes, Has.Some.Contains("not a certificate"));
    }

    [Test, Category("AC-5.2")]
    public async Task AC_5_3_b_5_18_6_17_counts_and_records_the_new_device_certificate_as_current()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var issued = Pki.DeviceCertificate(new Eui64(esme.Value), X509KeyUsageFlags.DigitalSignature);

        await RecordAsync(w, esme, "6.17", new ServiceRequestArguments(), [new CredentialCell(CredentialCells.DeviceCertificate, new Octets(issued.Certificate.RawData))]);

        var status = await w.StatusAsync(esme);
        Assert.Multiple(() =>
        {
            Assert.That(status.Facts.IssueSecurityCredentials, Is.EqualTo(1), "AC 5.7(c)(i)");
            Assert.That(status.Facts.KeysRegeneratedAt, Is.EqualTo(Start), "AC 5.3(b)");
            Assert.That(status.Certificates.Where(c => c.Current).Select(c => c.Certificate),
                Is.EqualTo(new[] { new DeviceCertificate(DeviceCertificateUse.DigitalSigning, issued.Certificate.SerialNumber, issued.Certificate.IssuerName.Name) }), "AC 5.18");
        });
    }

    [Test, Category("AC-5.4")]
    public async Task AC_5_4_the_dccs_read_of_a_recovery_cell_holding_its_recovery_certificate_is_a_successful_interrogation_finding_it_populated()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        await RecordAsync(w, esme, "6.24.1", new ServiceRequestArguments(), [new CredentialCell("recovery", new Octets(Pki.Recovery.Certificate.RawData))], Dcc);

        var status = await w.StatusAsync(esme);
        Assert.That((status.Facts.DccInterrogationSucceededAt, status.Facts.RecoveryCellPopulated, status.Facts.SupplierInterrogationSucceededAt),
            Is.EqualTo(((DateTimeOffset?)Start, (bool?)true, (DateTimeOffset?)null)));
    }

    [Test, Category("AC-5.7(b)")]
    public async Task AC_5_7_b_a_recovery_cell_holding_another_partys_certificate_or_nothing_is_found_not_populated()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var impostor = Pki.OrganisationCertificate(RemotePartyRole.Recovery, new Eui64(OtherSupplier.Party.Value), X509KeyUsageFlags.DigitalSignature);

        await RecordAsync(w, esme, "6.24.2", new ServiceRequestArguments(), [new CredentialCell("recovery/digitalSignature", new Octets(impostor.Certificate.RawData))], Dcc);
        Assert.That((await w.StatusAsync(esme)).Facts.RecoveryCellPopulated, Is.False, "a recovery-role certificate not issued to the DCC");

        await RecordAsync(w, esme, "6.24.2", new ServiceRequestArguments(), [new CredentialCell("recovery", new Octets([]))], Dcc);
        Assert.That((await w.StatusAsync(esme)).Facts.RecoveryCellPopulated, Is.False, "an empty recovery cell");
    }

    [Test, Category("AC-5.4")]
    public async Task AC_5_14_b_a_suppliers_read_of_the_recovery_cell_is_its_interrogation_not_the_dccs()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        await RecordAsync(w, esme, "6.24.1", new ServiceRequestArguments(), [new CredentialCell("recovery", new Octets(Pki.Recovery.Certificate.RawData))], ImportSupplier);

        var facts = (await w.StatusAsync(esme)).Facts;
        Assert.That((facts.SupplierInterrogationSucceededAt, facts.DccInterrogationSucceededAt), Is.EqualTo(((DateTimeOffset?)Start, (DateTimeOffset?)null)));
    }

    [Test, Category("AC-5.4")]
    public async Task AC_5_4_without_the_dccs_recovery_identifiers_the_recovery_cell_is_not_judged_and_nothing_is_recorded()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var before = await w.SnapshotAsync();

        var notes = await RecordAsync(w, esme, "6.24.1", new ServiceRequestArguments(), [new CredentialCell("recovery", new Octets(Pki.Recovery.Certificate.RawData))], Dcc, recoveryIds: []);

        Assert.That((await w.StatusAsync(esme)).Facts.DccInterrogationSucceededAt, Is.Null);
        Assert.That(notes, Has.One.Contains("--wan-recovery-id"));
        Assert.That(await w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-5.18")]
    public async Task AC_5_18_reading_the_current_device_certificate_again_keeps_one_current_record()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var issued = Pki.DeviceCertificate(new Eui64(esme.Value), X509KeyUsageFlags.DigitalSignature);
        var read = new CredentialCell(CredentialCells.DeviceCertificate, new Octets(issued.Certificate.RawData));

        await RecordAsync(w, esme, "6.24.2", new ServiceRequestArguments(), [read], Dcc);
        await RecordAsync(w, esme, "6.24.2", new ServiceRequestArguments(), [read], Dcc);

        var certificates = (await w.StatusAsync(esme)).Certificates;
        Assert.That(certificates.Select(c => (c.Certificate.SerialNumber, c.Current)), Is.EqualTo(new[] { (issued.Certificate.SerialNumber, true) }));
    }

    [Test, Category("AC-5.1")]
    public async Task AC_5_1_a_smets1_devices_recovery_cell_is_not_interrogated_under_5_4_and_the_note_says_why()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.AddSmets1HubAsync();

        var notes = await RecordAsync(w, chf, "6.24.1", new ServiceRequestArguments(), [new CredentialCell("recovery", new Octets(Pki.Recovery.Certificate.RawData))], Dcc);

        Assert.That((await w.StatusAsync(chf)).Facts.DccInterrogationSucceededAt, Is.Null);
        Assert.That(notes, Has.One.StartsWith("AC-5.4: not recorded: AC-5.1"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static ServiceRequestArguments Write(string cell, byte[] content) =>
        new() { Cells = ValueList.Of(new CredentialCell(cell, new Octets(content))) };

    private static byte[] Organisation(RemotePartyRole role, PartyId party)
    {
        var issued = Pki.OrganisationCertificate(role, new Eui64(party.Value), X509KeyUsageFlags.DigitalSignature);
        return issued.Certificate.RawData;
    }

    private async Task<IReadOnlyList<string>> RecordAsync(TestWorld w, DeviceId target, string srv, ServiceRequestArguments arguments,
        IReadOnlyList<CredentialCell>? returned = null, Actor? by = null, IReadOnlyList<Eui64>? recoveryIds = null)
    {
        var actor = by ?? ImportSupplier;
        var request = new DeviceRequest($"{actor.Party}:{target}:{++_counter}", srv, actor, target, new Dictionary<string, string>());
        var command = new Sent(request, await w.DeviceAsync(target), arguments);
        var id = new RequestId(DccId, new Eui64(target.Value), (ulong)_counter);
        var recorder = new CredentialResponses(w.Dcc.PostCommissioning, DccId, recoveryIds ?? [Pki.Options.RecoveryId]);
        var notes = await recorder.RecordAsync(command, CommandResponse.Success(id, cells: (returned ?? []).ToValueList()), w.Ct);
        TestContext.Out.WriteLine(string.Join(Environment.NewLine, notes));
        return notes;
    }

    private sealed class Sent(DeviceRequest request, Device recipient, ServiceRequestArguments arguments) : PreparedCommand(request, recipient, arguments);
}
