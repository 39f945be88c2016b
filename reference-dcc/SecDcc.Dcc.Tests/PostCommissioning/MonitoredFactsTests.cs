using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>AC 5.2–5.5, 5.8(e), 5.18: the facts the DCC records from Devices' Responses, and the ones it refuses.</summary>
public sealed class MonitoredFactsTests
{
    [Test, Category("AC-5.8")]
    public async Task AC_5_8_b_e_commissioning_records_the_date_and_the_supplier_that_asked_except_for_a_chf()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, gpf, esme, gsme) = await w.CommissionedSystemAsync(OtherSupplier);
        foreach (var id in new[] { gpf, esme, gsme })
            Assert.That(((await w.DeviceAsync(id)).CommissionedAt, (await w.DeviceAsync(id)).CommissionedBy), Is.EqualTo(((DateTimeOffset?)Start, (PartyId?)OtherSupplier.Party)));
        Assert.That(((await w.DeviceAsync(chf)).CommissionedAt, (await w.DeviceAsync(chf)).CommissionedBy), Is.EqualTo(((DateTimeOffset?)Start, (PartyId?)null)));
    }

    [Test, Category("AC-5.8")]
    public async Task AC_5_8_b_suspension_and_its_end_keep_the_commissioning_date()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(OneDay);
        await w.PublishCplAsync(w.StandardEntries().Where(e => (string)e["model"]! != Smets2Esme.Model));
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Suspended));
        await w.PublishCplAsync(w.StandardEntries());
        var back = await w.DeviceAsync(esme);
        Assert.That((back.Status, back.CommissionedAt, back.CommissionedBy), Is.EqualTo((SmiStatus.Commissioned, (DateTimeOffset?)Start, (PartyId?)ImportSupplier.Party)));
    }

    [Test, Category("AC-5.7(c)")]
    public async Task AC_5_7_c_each_counted_service_request_is_counted_apart()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials, 3);
        await w.CountAsync(esme, CredentialServices.UpdateSecurityCredentialsDevice, 2);
        await w.CountAsync(esme, CredentialServices.UpdateSecurityCredentialsKrp);
        var facts = (await w.StatusAsync(esme)).Facts;
        Assert.That((facts.IssueSecurityCredentials, facts.UpdateSecurityCredentialsDevice, facts.UpdateSecurityCredentialsKrp), Is.EqualTo((3, 2, 1)));
    }

    [Test, Category("AC-5.7(c)")]
    public async Task AC_5_7_c_a_service_request_it_does_not_count_is_refused_by_name()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var refusal = (await w.Pc().CredentialsCommandRespondedAsync(new CredentialsCommandResponse(esme, CredentialServices.UpdateSecurityCredentialsCos, true), w.Ct))
            .Refused("AC-5.7(c)", "InvalidField");
        Assert.That(refusal.Field, Is.EqualTo("serviceReferenceVariant"));
        Assert.That(refusal.Message, Does.Contain("6.17").And.Contain("6.15.2").And.Contain("6.15.1"));
    }

    [Test, Category("AC-5.5")]
    public async Task AC_5_5_facts_about_a_device_not_in_the_smi_or_a_type_2_device_are_refused_and_nothing_changes()
    {
        await using var w = await TestWorld.CreateAsync();
        var ihd = await w.AddAsync(DeviceType.IHD, Ihd);
        var unknown = w.NewId();
        await w.RefusedUnchangedAsync(() => w.Pc().KeysRegeneratedAsync(new KeyRegeneration(unknown, [Signing]), w.Ct), "AC-5.5", "DeviceNotInSmi");
        await w.RefusedUnchangedAsync(() => w.Pc().OrganisationCertificateReplacedAsync(new OrganisationCertificateReplacement(ihd), w.Ct), "AC-5.5", "Type2HoldsNoCredentials");
        (await w.Pc().StatusAsync(unknown, w.Ct)).Refused("AC-2.1", "DeviceNotInSmi");
    }

    [Test, Category("AC-5.4")]
    public async Task AC_5_4_only_smets2_hubs_and_meters_are_interrogated_and_an_outcome_must_be_consistent()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, esme) = await w.Smets2ElectricityAsync();
        var ppmid = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        (await w.Pc().RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(ppmid, Interrogator.Dcc, true, true), w.Ct)).Refused("AC-5.4", "NotInterrogated");
        (await w.Pc().RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(esme, Interrogator.Dcc, true, null), w.Ct)).Refused("AC-5.4", "InvalidField");
        (await w.Pc().RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(esme, Interrogator.Dcc, false, false), w.Ct)).Refused("AC-5.4", "InvalidField");

        var smets1 = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        (await w.Pc().RecoveryCellInterrogatedAsync(new RecoveryCellInterrogation(smets1, Interrogator.Dcc, true, true), w.Ct)).Refused("AC-5.1", "NotInterrogated");

        await w.InterrogateAsync(chf, populated: false);
        var status = await w.StatusAsync(chf);
        Assert.That((status.Interrogation!.DccSucceededAt, status.Interrogation.RecoveryCellPopulated, status.Interrogation.DueBy), Is.EqualTo(((DateTimeOffset?)Start, (bool?)false, Start.AddDays(7))));
    }

    [Test, Category("AC-5.2"), Category("AC-5.3")]
    public async Task AC_5_2_and_5_3_steps_keep_the_first_time_they_were_done_since_commissioning()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(TimeSpan.FromDays(2));
        await w.RegenerateKeysAsync(esme);
        w.Clock.Advance(TimeSpan.FromDays(8));
        await w.RegenerateKeysAsync(esme);
        var step = (await w.StatusAsync(esme)).Steps.Single(s => s.Clause == "AC-5.3(b)");
        Assert.That((step.State, step.DoneAt, step.DueBy), Is.EqualTo((StepState.Done, (DateTimeOffset?)Start.AddDays(2), Start.AddDays(7))));
    }

    [Test, Category("AC-5.3(a)")]
    public async Task AC_5_3_a_the_network_party_credentials_must_be_the_distributors_of_the_meter_and_the_transporters_of_the_gpf()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, gpf, esme, gsme) = await w.CommissionedSystemAsync();
        await w.NetworkPartyAsync(esme, Distributor);
        await w.NetworkPartyAsync(gsme, Distributor);
        await w.NetworkPartyAsync(gpf, Transporter);
        w.Clock.Advance(SevenDays);
        string State(PostCommissioningStatus s) => s.Steps.Single(x => x.Clause == "AC-5.3(a)").State.ToString();
        Assert.That((State(await w.StatusAsync(esme)), State(await w.StatusAsync(gsme)), State(await w.StatusAsync(gpf))),
            Is.EqualTo(("Done", "Overdue", "Done")));
    }

    [Test, Category("AC-5.18")]
    public async Task AC_5_18_a_successful_replacement_makes_the_new_certificates_current_and_keeps_the_old_ones()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.RegenerateKeysAsync(esme);
        w.Clock.Advance(OneDay);
        var replacement = Signing with { SerialNumber = "5A03" };
        var record = (await w.Pc().DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(esme, true, [replacement]), w.Ct)).Must();

        Assert.That(record.Where(c => c.Current).Select(c => c.Certificate), Is.EquivalentTo(new[] { replacement, KeyAgreement }));
        var old = record.Single(c => c.Certificate == Signing);
        Assert.That((old.RecordedAt, old.SupersededAt), Is.EqualTo((Start, (DateTimeOffset?)Start.AddDays(1))));
    }

    [Test, Category("AC-5.18")]
    public async Task AC_5_18_a_response_that_was_not_successfully_executed_leaves_the_record_as_it_was()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.RegenerateKeysAsync(esme);
        var record = (await w.Pc().DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(esme, false, [Signing with { SerialNumber = "FF" }]), w.Ct)).Must();
        Assert.That(record.Select(c => (c.Certificate, c.Current)), Is.EquivalentTo(new[] { (Signing, true), (KeyAgreement, true) }));
    }

    [TestCase("", "CN=Z1", "certificates[0].serialNumber")]
    [TestCase("XYZ", "CN=Z1", "certificates[0].serialNumber")]
    [TestCase("0A", " ", "certificates[0].issuer")]
    [Category("AC-5.18")]
    public async Task AC_5_18_a_malformed_certificate_is_refused_by_field(string serial, string issuer, string field)
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var refusal = (await w.Pc().DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(esme, true, [new DeviceCertificate(DeviceCertificateUse.KeyAgreement, serial, issuer)]), w.Ct))
            .Refused("AC-5.18", "InvalidField");
        Assert.That(refusal.Field, Is.EqualTo(field));
        (await w.Pc().DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(esme, true, [Signing, Signing]), w.Ct)).Refused("AC-5.18", "InvalidField");
        (await w.Pc().DeviceCertificatesRespondedAsync(new DeviceCertificateResponse(esme, true, []), w.Ct)).Refused("AC-5.18", "InvalidField");
    }
}
