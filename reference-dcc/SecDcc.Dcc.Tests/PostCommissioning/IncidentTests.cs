using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>AC 5.13: the Incidents the DCC raises about a Communications Hub Function.</summary>
public sealed class IncidentTests
{
    private static async Task<IReadOnlyList<Notification>> IncidentsAsync(TestWorld w, Inventory.DeviceId id) => await w.Pc().IncidentsAsync(id, w.Ct);

    [Test, Category("AC-5.13(a)")]
    public async Task AC_5_13_a_a_chf_whose_5_2_steps_are_not_done_in_7_days_gets_one_incident_at_7_days_not_at_6_days_23_hours()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);
        await w.InterrogateAsync(chf);

        await w.AdvanceAsync(SixDays23Hours);
        Assert.That(await IncidentsAsync(w, chf), Is.Empty);

        var report = await w.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.That(report.PostCommissioning!.IncidentsRaised, Is.EqualTo(1));
        var incident = (await IncidentsAsync(w, chf)).Single();
        Assert.Multiple(() =>
        {
            Assert.That(incident.Kind, Is.EqualTo(NotificationKind.Incident));
            Assert.That(incident.Clause, Is.EqualTo("AC-5.13(a)"));
            Assert.That(incident.Recipient, Is.EqualTo(new Recipient(RecipientKind.DccIncidentManagement, null)));
            Assert.That(incident.Data["cause"], Is.EqualTo("AC-5.2(a),AC-5.2(b)"));
            Assert.That(incident.Message, Does.Contain(chf.ToString()).And.Contain("AC 5.2(a)").And.Contain("AC 5.2(b)"));
        });

        await w.RunDutiesAsync();
        await w.AdvanceAsync(TimeSpan.FromDays(30));
        Assert.That(await IncidentsAsync(w, chf), Has.Count.EqualTo(1), "raised once per Commissioning");
    }

    [Test, Category("AC-5.13(a)")]
    public async Task AC_5_13_a_only_the_missing_step_is_named()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);
        await w.InterrogateAsync(chf);
        await w.RegenerateKeysAsync(chf);
        await w.AdvanceAsync(SevenDays);
        Assert.That((await IncidentsAsync(w, chf)).Single().Data["cause"], Is.EqualTo("AC-5.2(b)"));
    }

    [Test, Category("AC-5.13(a)"), Category("AC-5.2")]
    public async Task AC_5_13_a_steps_done_within_7_days_raise_no_incident_and_steps_done_after_do_not_withdraw_it()
    {
        await using var w = await TestWorld.CreateAsync();
        var (early, _) = await w.DeliverHubAsync();
        var (late, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(early);
        await w.CommissionChfAsync(late);
        await w.InterrogateAsync(early);
        await w.InterrogateAsync(late);
        w.Clock.Advance(TimeSpan.FromDays(6));
        await w.RegenerateKeysAsync(early);
        await w.ReplaceOrganisationCertificateAsync(early);

        await w.AdvanceAsync(OneDay);
        Assert.That(await IncidentsAsync(w, early), Is.Empty);
        Assert.That((await w.StatusAsync(early)).Steps.Select(s => (s.Clause, s.State)),
            Is.EqualTo(new[] { ("AC-5.2(a)", StepState.Done), ("AC-5.2(b)", StepState.Done) }));
        Assert.That(await IncidentsAsync(w, late), Has.Count.EqualTo(1));

        await w.RegenerateKeysAsync(late);
        await w.ReplaceOrganisationCertificateAsync(late);
        await w.AdvanceAsync(OneDay);
        Assert.That(await IncidentsAsync(w, late), Has.Count.EqualTo(1));
        Assert.That((await w.StatusAsync(late)).Steps.Select(s => s.State), Is.All.EqualTo(StepState.DoneLate));
    }

    [Test, Category("AC-5.13(a)")]
    public async Task AC_5_13_a_steps_done_only_after_the_7_days_still_raise_the_incident_when_the_duty_runs_later()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);
        await w.InterrogateAsync(chf);
        w.Clock.Advance(SevenDays + TimeSpan.FromHours(1));
        await w.RegenerateKeysAsync(chf);
        await w.ReplaceOrganisationCertificateAsync(chf);

        await w.RunDutiesAsync();

        Assert.That((await IncidentsAsync(w, chf)).Single().Clause, Is.EqualTo("AC-5.13(a)"));
    }

    [Test, Category("AC-5.13(b)")]
    public async Task AC_5_13_b_a_chf_not_interrogated_within_7_days_gets_an_incident_citing_5_7_a()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);
        await w.RegenerateKeysAsync(chf);
        await w.ReplaceOrganisationCertificateAsync(chf);
        await w.InterrogateAsync(chf, succeeded: false);
        await w.AdvanceAsync(SixDays23Hours);
        Assert.That(await IncidentsAsync(w, chf), Is.Empty, "the DCC still has an hour to interrogate it");

        await w.AdvanceAsync(TimeSpan.FromHours(1));
        var incident = (await IncidentsAsync(w, chf)).Single();
        Assert.That((incident.Clause, incident.Data["cause"]), Is.EqualTo(("AC-5.13(b)", "AC-5.7(a)")));
    }

    [Test, Category("AC-5.13(b)")]
    public async Task AC_5_13_b_an_interrogation_finding_no_dcc_recovery_credentials_raises_an_incident_at_the_next_duty_run()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);
        await w.AdvanceAsync(OneDay);
        await w.InterrogateAsync(chf, populated: false);
        Assert.That((await w.RunDutiesAsync()).PostCommissioning!.IncidentsRaised, Is.EqualTo(1));
        var incident = (await IncidentsAsync(w, chf)).Single();
        Assert.That((incident.Clause, incident.Data["cause"]), Is.EqualTo(("AC-5.13(b)", "AC-5.7(b)")));
        await w.InterrogateAsync(chf, populated: false);
        Assert.That((await w.RunDutiesAsync()).PostCommissioning!.IncidentsRaised, Is.Zero);
    }

    [Test, Category("AC-5.13")]
    public async Task AC_5_13_a_chf_with_every_step_done_and_meters_with_nothing_done_raise_no_incident()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, _, _) = await w.CommissionedSystemAsync();
        await w.InterrogateAsync(chf);
        await w.RegenerateKeysAsync(chf);
        await w.ReplaceOrganisationCertificateAsync(chf);
        await w.AdvanceAsync(TimeSpan.FromDays(20));
        Assert.That(await w.Pc().IncidentsAsync(null, w.Ct), Is.Empty);
    }
}
