using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;
using R = SecDcc.Dcc.PostCommissioning.PostCommissioningReasons;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>AC 5.5–5.8: which Devices the Post Commissioning Information holds, with what, and its daily update.</summary>
public sealed class PostCommissioningInformationTests
{
    private const R AllReasonsOfAMeter = R.InterrogationFailed | R.IssueSecurityCredentials | R.UpdateSecurityCredentialsDevice | R.UpdateSecurityCredentialsKrp;

    [Test, Category("AC-5.7")]
    public async Task AC_5_7_a_meter_is_not_listed_at_6_days_23_hours_and_is_listed_at_the_next_daily_update_after_7_days()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();

        Assert.That((await w.AdvanceAsync(SixDays23Hours)).PostCommissioning!.Updated, Is.True, "a new day's first run updates the information");
        Assert.That(await w.EntryAsync(esme), Is.Null, "6 days 23 hours is less than the 7 days of AC 5.7");
        Assert.That((await w.StatusAsync(esme)).WouldBeListed, Is.False);

        Assert.That((await w.AdvanceAsync(OneDay)).PostCommissioning!.Updated, Is.True);
        var entry = await w.EntryAsync(esme);
        Assert.That(entry, Is.Not.Null, "7 days or more after Commissioning with nothing done, AC 5.7 identifies the meter");
        Assert.That(entry!.Reasons, Is.EqualTo(AllReasonsOfAMeter));
    }

    [Test, Category("AC-5.7")]
    public async Task AC_5_7_the_clock_moved_exactly_7_days_lists_the_hub_and_meters_with_their_reasons()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, gpf, esme, gsme) = await w.CommissionedSystemAsync();
        await w.AdvanceAsync(SevenDays);
        var listed = (await w.Pc().InformationAsync(w.Ct)).Entries.ToDictionary(e => e.DeviceId, e => e.Reasons);
        Assert.That(listed, Is.EquivalentTo(new Dictionary<DeviceId, R>
        {
            [chf] = AllReasonsOfAMeter,
            [esme] = AllReasonsOfAMeter,
            [gsme] = AllReasonsOfAMeter,
            // AC 5.7(c)(iii) concerns CHFs and Smart Meters only.
            [gpf] = R.InterrogationFailed | R.IssueSecurityCredentials | R.UpdateSecurityCredentialsDevice,
        }));
    }

    [Test, Category("AC-5.7")]
    public async Task AC_5_7_a_device_whose_every_step_is_done_is_not_listed()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, gpf, esme, gsme) = await w.CommissionedSystemAsync();
        foreach (var id in new[] { chf, gpf, esme, gsme })
            await w.CompleteStepsAsync(id);
        await w.AdvanceAsync(SevenDays);
        Assert.That((await w.Pc().InformationAsync(w.Ct)).Entries, Is.Empty);
        Assert.That((await w.StatusAsync(esme)).Reasons, Is.EqualTo(R.None));
    }

    [TestCase("AC-5.7(a)", R.InterrogationFailed, Category = "AC-5.7(a)")]
    [TestCase("AC-5.7(b)", R.RecoveryCellNotPopulated, Category = "AC-5.7(b)")]
    [TestCase("AC-5.7(c)(i)", R.IssueSecurityCredentials, Category = "AC-5.7(c)(i)")]
    [TestCase("AC-5.7(c)(ii)", R.UpdateSecurityCredentialsDevice, Category = "AC-5.7(c)(ii)")]
    [TestCase("AC-5.7(c)(iii)", R.UpdateSecurityCredentialsKrp, Category = "AC-5.7(c)(iii)")]
    public async Task AC_5_7_each_reason_alone_lists_the_meter_with_that_reason(string clause, R missing)
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials, missing == R.IssueSecurityCredentials ? 1 : 2);
        await w.CountAsync(esme, CredentialServices.UpdateSecurityCredentialsDevice, missing == R.UpdateSecurityCredentialsDevice ? 1 : 2);
        await w.CountAsync(esme, CredentialServices.UpdateSecurityCredentialsKrp, missing == R.UpdateSecurityCredentialsKrp ? 0 : 1);
        if (missing == R.RecoveryCellNotPopulated)
            await w.InterrogateAsync(esme, populated: false);
        else if (missing != R.InterrogationFailed)
            await w.InterrogateAsync(esme);

        await w.AdvanceAsync(SevenDays);

        var entry = await w.EntryAsync(esme);
        Assert.That(entry?.Reasons, Is.EqualTo(missing));
        Assert.That(entry!.Reasons.Clauses(), Is.EqualTo(new[] { clause }));
    }

    [Test, Category("AC-5.7(c)")]
    public async Task AC_5_7_c_responses_that_were_not_successfully_executed_do_not_count()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials, 5, success: false);
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials);
        var status = await w.StatusAsync(esme);
        Assert.That(status.Facts.IssueSecurityCredentials, Is.EqualTo(1));
        Assert.That(status.Reasons.HasFlag(R.IssueSecurityCredentials), Is.True);
    }

    [Test, Category("AC-5.7(c)")]
    public async Task AC_5_7_c_before_service_release_1_3_any_response_may_count_as_successful_execution()
    {
        var release = Start.AddDays(3);
        await using var w = await TestWorld.CreateAsync(options: new DccOptions { ServiceRelease13 = release });
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials, success: false);
        w.Clock.Set(release);
        await w.CountAsync(esme, CredentialServices.IssueSecurityCredentials, success: false);
        Assert.That((await w.StatusAsync(esme)).Facts.IssueSecurityCredentials, Is.EqualTo(1), "only the Response before Service Release 1.3 counts without analysis");
    }

    [Test, Category("AC-5.7(a)")]
    public async Task AC_5_7_a_a_failed_interrogation_then_a_successful_one_clears_the_reason()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.InterrogateAsync(esme, succeeded: false);
        await w.AdvanceAsync(SevenDays);
        Assert.That((await w.EntryAsync(esme))!.Reasons.HasFlag(R.InterrogationFailed), Is.True);
        await w.InterrogateAsync(esme);
        var status = await w.StatusAsync(esme);
        Assert.That(status.Reasons.HasFlag(R.InterrogationFailed), Is.False);
        Assert.That(status.Interrogation!.DccFailedAt, Is.EqualTo(Start));
    }

    [Test, Category("AC-5.4"), Category("AC-5.7(a)")]
    public async Task AC_5_4_a_device_commissioned_before_service_release_1_3_is_due_its_interrogation_7_days_after_it()
    {
        var release = Start.AddDays(20);
        await using var w = await TestWorld.CreateAsync(options: new DccOptions { ServiceRelease13 = release });
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.AdvanceAsync(SevenDays);
        var early = await w.StatusAsync(esme);
        Assert.That((early.Interrogation!.DueBy, early.Reasons.HasFlag(R.InterrogationFailed)), Is.EqualTo((release.AddDays(7), false)));
        Assert.That(await w.EntryAsync(esme), Is.Not.Null, "listed for its other reasons");
        await w.SetAsync(release.AddDays(7));
        Assert.That((await w.EntryAsync(esme))!.Reasons.HasFlag(R.InterrogationFailed), Is.True);
    }

    [Test, Category("AC-5.7")]
    public async Task AC_5_7_only_commissioned_smets2_hubs_and_meters_are_listed()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, esme) = await w.Smets2ElectricityAsync();
        var ppmid = await w.AddAsync(DeviceType.PPMID, Smets2Ppmid);
        await w.InstallAsync(chf, ppmid);
        await w.JoinAsync(ppmid, esme);
        var spare = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, esme), w.Ct)).Must();

        await w.AdvanceAsync(SevenDays);

        var listed = (await w.Pc().InformationAsync(w.Ct)).Entries.Select(e => e.DeviceId).ToList();
        Assert.That(listed, Does.Contain(chf));
        Assert.That(listed, Does.Not.Contain(esme), "decommissioned: no longer 'commissioned'");
        Assert.That(listed, Does.Not.Contain(ppmid), "a Type 1 Device is not a CHF, GPF or Smart Meter");
        Assert.That(listed, Does.Not.Contain(spare), "never Commissioned");
    }

    [Test, Category("AC-5.1"), Category("AC-5.7")]
    public async Task AC_5_1_smets1_devices_are_not_in_the_post_commissioning_information()
    {
        await using var w = await TestWorld.CreateAsync();
        var esme = await Smets1Flows.CommissionedSmets1MeterAsync(w);
        await w.AdvanceAsync(SevenDays);
        Assert.That(await w.EntryAsync(esme), Is.Null);
    }

    [Test, Category("AC-5.8")]
    public async Task AC_5_8_an_entry_holds_device_type_commissioning_date_reasons_responsible_and_commissioning_supplier_and_update_date()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, gpf, esme, _) = await w.CommissionedSystemAsync(OtherSupplier);
        await w.AdvanceAsync(SevenDays);

        var meter = await w.EntryAsync(esme);
        Assert.That(meter, Is.EqualTo(new PostCommissioningEntry(esme, DeviceType.ESME, Start, AllReasonsOfAMeter, meter!.ResponsibleSuppliers, OtherSupplier.Party, Start.AddDays(7))));
        Assert.That(meter.ResponsibleSuppliers, Is.EqualTo(new[] { OtherSupplier.Party }));
        Assert.That((await w.EntryAsync(gpf))!.CommissioningSupplier, Is.EqualTo(OtherSupplier.Party), "a GPF is Commissioned by the Join its Supplier asked for");

        var hub = await w.EntryAsync(chf);
        Assert.That((hub!.ResponsibleSuppliers, hub.CommissioningSupplier), Is.EqualTo((Array.Empty<PartyId>(), (PartyId?)null)), "AC 5.8(d) and (e) are not for CHFs");
        Assert.That((hub.CommissionedAt, hub.UpdatedAt), Is.EqualTo((Start, Start.AddDays(7))));
    }

    [Test, Category("AC-5.6")]
    public async Task AC_5_6_steps_done_take_the_device_out_at_the_next_daily_update_not_before()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.AdvanceAsync(SevenDays);
        Assert.That(await w.EntryAsync(esme), Is.Not.Null);

        await w.CompleteStepsAsync(esme);
        var sameDay = await w.AdvanceAsync(TimeSpan.FromHours(2));
        Assert.That(sameDay.PostCommissioning!.Updated, Is.False, "one update a day");
        Assert.That(await w.EntryAsync(esme), Is.Not.Null, "the information changes at its daily update");
        Assert.That((await w.StatusAsync(esme)).WouldBeListed, Is.False, "the facts already say it is done");

        var nextDay = await w.AdvanceAsync(OneDay);
        Assert.That(nextDay.PostCommissioning!.Updated, Is.True);
        Assert.That(await w.EntryAsync(esme), Is.Null);
        Assert.That((await w.Pc().InformationAsync(w.Ct)).UpdatedAt, Is.EqualTo(Start.AddDays(8).AddHours(2)));
    }

    [Test, Category("AC-5.6"), Category("AC-5.8")]
    public async Task AC_5_6_each_daily_update_refreshes_the_update_date_and_the_responsible_supplier()
    {
        await using var w = await TestWorld.CreateAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.AdvanceAsync(SevenDays);
        await w.AdvanceAsync(OneDay);
        var entry = await w.EntryAsync(esme);
        Assert.That((entry!.UpdatedAt, entry.CommissionedAt), Is.EqualTo((Start.AddDays(8), Start)));
    }

    [Test, Category("AC-5.5")]
    public async Task AC_5_5_a_device_commissioned_again_starts_its_seven_days_again()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, esme) = await w.Smets2ElectricityAsync();
        w.Clock.Advance(TimeSpan.FromDays(3));
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, esme), w.Ct)).Must();
        (await w.Smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(ImportSupplier, esme), w.Ct)).Must();
        await w.InstallAsync(chf, esme, Mpan);
        await w.CommissionMeterAsync(esme);
        Assert.That((await w.DeviceAsync(esme)).CommissionedAt, Is.EqualTo(Start.AddDays(3)));
        await w.SetAsync(Start.AddDays(7));
        Assert.That(await w.EntryAsync(esme), Is.Null, "4 days after its latest Commissioning");
    }
}
