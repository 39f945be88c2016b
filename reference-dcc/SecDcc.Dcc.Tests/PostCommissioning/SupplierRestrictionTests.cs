using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.PostCommissioning.CredentialServices;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>AC 5.14: what a Supplier Party may still send to a GPF or Smart Meter whose post-commissioning steps are overdue.</summary>
public sealed class SupplierRestrictionTests
{
    /// <summary>A Service Request that is none of AC 5.14's exceptions: 'Read Instantaneous Import Registers'.</summary>
    private const string Ordinary = "4.1.1";

    /// <summary>A meter interrogated by the DCC whose 5.3(b) and (c) are 7 days overdue.</summary>
    private static async Task<DeviceId> OverdueMeterAsync(TestWorld w)
    {
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.InterrogateAsync(esme);
        w.Clock.Advance(SevenDays);
        return esme;
    }

    [Test, Category("AC-5.14")]
    public async Task AC_5_14_within_the_7_days_nothing_is_restricted()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(SixDays23Hours);
        var cleared = (await w.SendAsync(ImportSupplier, esme, Ordinary)).Must();
        Assert.That((cleared.Restricted, cleared.Exception), Is.EqualTo((false, (string?)null)));
    }

    [Test, Category("AC-5.14(a)")]
    public async Task AC_5_14_a_with_5_3_b_and_c_overdue_an_ordinary_request_is_refused_and_nothing_changes()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        var refusal = await w.RefusedUnchangedAsync(() => w.SendAsync(ImportSupplier, esme, Ordinary), "AC-5.14(a)", "SupplierRestricted");
        Assert.That(refusal.Message, Does.Contain("AC 5.3(b)").And.Contain("AC 5.3(c)").And.Contain(UpdateSecurityCredentialsCos).And.Contain(nameof(StatedPurpose.MaintainingEnergySupply)));
        Assert.That(refusal.Kind, Is.EqualTo(RefusalKind.Conflict));
    }

    [TestCase(IssueSecurityCredentials)]
    [TestCase(UpdateSecurityCredentialsDevice)]
    [TestCase(UpdateSecurityCredentialsKrp)]
    [Category("AC-5.14(a)")]
    public async Task AC_5_14_i_requests_that_complete_the_overdue_steps_may_be_sent(string srv)
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        var cleared = (await w.SendAsync(ImportSupplier, esme, srv)).Must();
        Assert.That((cleared.Restricted, cleared.Exception), Is.EqualTo((true, "AC-5.14(i)")));
    }

    [Test, Category("AC-5.14(a)")]
    public async Task AC_5_14_ii_replacing_credentials_on_a_change_of_supplier_may_be_sent_by_the_new_supplier()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        var cleared = (await w.SendAsync(OtherSupplier, esme, UpdateSecurityCredentialsCos)).Must();
        Assert.That(cleared.Exception, Is.EqualTo("AC-5.14(ii)"));
        (await w.SendAsync(OtherSupplier, esme, Ordinary)).Refused("AC-5.14(a)", "SupplierRestricted");
    }

    [Test, Category("AC-5.14(a)")]
    public async Task AC_5_14_iii_a_request_stated_to_maintain_the_energy_supply_may_be_sent()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        var cleared = (await w.SendAsync(ImportSupplier, esme, Ordinary, StatedPurpose.MaintainingEnergySupply)).Must();
        Assert.That(cleared.Exception, Is.EqualTo("AC-5.14(iii)"));
    }

    [Test, Category("AC-5.14(a)")]
    public async Task AC_5_14_a_completing_the_steps_lifts_the_restriction_and_only_the_outstanding_steps_are_exceptions()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        await w.RegenerateKeysAsync(esme);
        (await w.SendAsync(ImportSupplier, esme, IssueSecurityCredentials)).Refused("AC-5.14(a)", "SupplierRestricted");
        Assert.That((await w.SendAsync(ImportSupplier, esme, UpdateSecurityCredentialsKrp)).Must().Exception, Is.EqualTo("AC-5.14(i)"));

        await w.ReplaceOrganisationCertificateAsync(esme);
        Assert.That((await w.SendAsync(ImportSupplier, esme, Ordinary)).Must().Restricted, Is.False);
    }

    [Test, Category("AC-5.14(a)")]
    public async Task AC_5_14_a_a_gpf_has_no_5_3_c_step_so_the_krp_update_does_not_complete_anything()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, gpf, _, _) = await w.CommissionedSystemAsync();
        await w.InterrogateAsync(gpf);
        await w.ReplaceOrganisationCertificateAsync(gpf);
        w.Clock.Advance(SevenDays);
        (await w.SendAsync(ImportSupplier, gpf, UpdateSecurityCredentialsKrp)).Refused("AC-5.14(a)");
        await w.RegenerateKeysAsync(gpf);
        Assert.That((await w.SendAsync(ImportSupplier, gpf, Ordinary)).Must().Restricted, Is.False);
    }

    [Test, Category("AC-5.14")]
    public async Task AC_5_14_binds_supplier_parties_only_and_not_for_a_chf()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        Assert.That((await w.SendAsync(Distributor, esme, Ordinary)).Must().Restricted, Is.False);
        Assert.That((await w.SendAsync(OtherSupplierAsOtherUser, esme, Ordinary)).Must().Restricted, Is.False);
        var chf = (await w.DeviceAsync(esme)).ChfId!.Value;
        Assert.That((await w.SendAsync(ImportSupplier, chf, Ordinary)).Must().Restricted, Is.False);
    }

    [Test, Category("AC-5.14(b)")]
    public async Task AC_5_14_b_a_failed_dcc_interrogation_restricts_from_14_days_unless_a_supplier_interrogation_succeeded()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var (_, _, other) = await w.Smets2ElectricityAsync();
        foreach (var id in new[] { esme, other })
        {
            await w.RegenerateKeysAsync(id);
            await w.ReplaceOrganisationCertificateAsync(id);
            await w.InterrogateAsync(id, succeeded: false);
        }
        await w.InterrogateAsync(other, by: Interrogator.Supplier);

        w.Clock.Advance(TimeSpan.FromDays(14) - TimeSpan.FromHours(1));
        Assert.That((await w.SendAsync(ImportSupplier, esme, Ordinary)).Must().Restricted, Is.False);

        w.Clock.Advance(TimeSpan.FromHours(1));
        (await w.SendAsync(ImportSupplier, esme, Ordinary)).Refused("AC-5.14(b)", "SupplierRestricted");
        Assert.That((await w.SendAsync(ImportSupplier, esme, RetrieveDeviceSecurityCredentialsKrp)).Must().Exception, Is.EqualTo("AC-5.14(i)"));
        Assert.That((await w.SendAsync(ImportSupplier, other, Ordinary)).Must().Restricted, Is.False, "the Supplier interrogated it within 14 days");

        await w.InterrogateAsync(esme);
        Assert.That((await w.SendAsync(ImportSupplier, esme, Ordinary)).Must().Restricted, Is.False);
    }

    [Test, Category("AC-5.14")]
    public async Task AC_5_14_both_conditions_cite_the_clause_and_name_every_exception()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(TimeSpan.FromDays(14));
        var refusal = (await w.SendAsync(ImportSupplier, esme, Ordinary)).Refused("AC-5.14", "SupplierRestricted");
        foreach (var srv in new[] { IssueSecurityCredentials, UpdateSecurityCredentialsDevice, UpdateSecurityCredentialsKrp, RetrieveDeviceSecurityCredentialsKrp })
            Assert.That(refusal.Message, Does.Contain(srv));
    }

    [Test, Category("AC-5.14")]
    public async Task AC_5_14_requests_for_unknown_devices_or_without_a_service_reference_variant_are_refused_by_name()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await OverdueMeterAsync(w);
        (await w.SendAsync(ImportSupplier, w.NewId(), Ordinary)).Refused("AC-2.7", "DeviceNotInSmi");
        var invalid = (await w.SendAsync(ImportSupplier, esme, "read meter")).Refused("AC-5.14", "InvalidField");
        Assert.That(invalid.Field, Is.EqualTo("serviceReferenceVariant"));
    }
}
