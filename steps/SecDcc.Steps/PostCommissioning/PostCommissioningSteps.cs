using System.Security.Cryptography.X509Certificates;
using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Smki;
using SecDcc.Smki.Pki;
using SecDcc.Steps.Support;
using Eui64 = SecDcc.Drivers.Link.Eui64;

namespace SecDcc.Steps.PostCommissioning;

/// <summary>
/// AC 5.2–5.8, 5.13, 5.14, 5.18 and 6.2: what Devices' Responses show after Commissioning, the time that passes on the DCC's
/// virtual clock, and what the DCC then shows, records, refuses and raises.
/// </summary>
[Binding]
public sealed class PostCommissioningSteps(SmiWorld world, PostCommissioningDcc dcc)
{
    private static readonly object[] NewKeys =
    [
        new { use = "DigitalSigning", serialNumber = "5EC0D5", issuer = "CN=Z1,OU=07" },
        new { use = "KeyAgreement", serialNumber = "5EC0DA", issuer = "CN=Z1,OU=07" },
    ];

    private const string Replacement = "5EC0D6";

    /// <summary>The DUIS Service Reference Variants of the Service Requests the scenarios name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Services = new Dictionary<string, string>
    {
        ["Issue Security Credentials"] = "6.17",
        ["Update Security Credentials (Device)"] = "6.15.2",
        ["Update Security Credentials (KRP)"] = "6.15.1",
        ["Update Security Credentials (CoS)"] = "6.23",
        ["Retrieve Device Security Credentials (KRP)"] = "6.24.1",
        ["Read Instantaneous Import Registers"] = "4.1.1",
    };

    // ---- time on the DCC's virtual clock -----------------------------------------------------------------------

    // The runtime drops groups that did not take part in a match, so every group here always matches.
    [Given("^(\\d+) days? (?:have|has) passed$")]
    [When("^(\\d+) days? pass(?:es)?$")]
    public Task WhenDaysPass(int days) => world.Admin.AdvanceClockAsync(TimeSpan.FromDays(days), world.Ct);

    [When("^(\\d+) days? and (\\d+) hours? pass$")]
    public Task WhenDaysAndHoursPass(int days, int hours) => world.Admin.AdvanceClockAsync(TimeSpan.FromDays(days) + TimeSpan.FromHours(hours), world.Ct);

    [When("^(\\d+) hours? pass(?:es)?$")]
    public Task WhenHoursPass(int hours) => world.Admin.AdvanceClockAsync(TimeSpan.FromHours(hours), world.Ct);

    // ---- what the Devices' Responses show ------------------------------------------------------------------------

    [Given("^the " + P.Device + " re-generates its Private Keys and stores the new Device Certificates$")]
    [When("^the " + P.Device + " re-generates its Private Keys and stores the new Device Certificates$")]
    public async Task WhenKeysRegenerated(string label) =>
        SmiWorld.Need(await dcc.KeysRegeneratedAsync(world.Device(label).Id, NewKeys), $"record that the {label} re-generated its keys");

    [Given("^Organisation Certificate information in the " + P.Device + "'s credentials is replaced$")]
    [When("^Organisation Certificate information in the " + P.Device + "'s credentials is replaced$")]
    public async Task WhenOrganisationCertificateReplaced(string label) =>
        SmiWorld.Need(await dcc.OrganisationCertificateReplacedAsync(world.Device(label).Id), $"record the {label}'s replaced Organisation Certificate");

    [When("^the " + P.Device + " holds (the Electricity Distributor|the Gas Transporter|the Responsible Supplier|another Supplier)'s credentials for the (Network Party|Responsible Supplier)$")]
    public async Task WhenHoldsCredentials(string label, string party, string forWhom)
    {
        var id = world.Device(label).Id;
        var holder = world.Party(party).Party;
        SmiWorld.Need(forWhom == "Network Party" ? await dcc.NetworkPartyCredentialsAsync(id, holder) : await dcc.SupplierCredentialsAsync(id, holder),
            $"record whose credentials the {label} holds for the {forWhom}");
    }

    [Given("^the DCC has interrogated the " + P.Device + "'s recovery Trust Anchor Cell and found DCC Recovery credentials$")]
    public Task GivenInterrogated(string label) => Interrogate(label, "DCC", true, true);

    [When("^the DCC interrogates the " + P.Device + "'s recovery Trust Anchor Cell and finds no DCC Recovery credentials$")]
    public Task WhenInterrogatedEmpty(string label) => Interrogate(label, "DCC", true, false);

    [Given("^the DCC has failed to interrogate the " + P.Device + "'s recovery Trust Anchor Cell$")]
    public Task GivenInterrogationFailed(string label) => Interrogate(label, "DCC", false, null);

    [Given("^the Responsible Supplier has interrogated the " + P.Device + "'s recovery Trust Anchor Cell$")]
    public Task GivenSupplierInterrogated(string label) => Interrogate(label, "Supplier", true, true);

    private async Task Interrogate(string label, string by, bool succeeded, bool? populated) =>
        SmiWorld.Need(await dcc.RecoveryInterrogationAsync(world.Device(label).Id, by, succeeded, populated), $"record the interrogation of the {label}'s recovery cell");

    [Given("^every post-commissioning step of the " + P.Device + " is done$")]
    [When("^every post-commissioning step of the " + P.Device + " is done$")]
    public Task WhenEveryStepDone(string label) => DoStepsAsync(label, null);

    [Given("^every post-commissioning step of the " + P.Device + " is done except (.+)$")]
    public Task GivenEveryStepDoneExcept(string label, string missing) => DoStepsAsync(label, missing);

    /// <summary>Every Response AC 5.2–5.4 and 5.7(c) look for, leaving out the one a scenario names.</summary>
    private async Task DoStepsAsync(string label, string? missing)
    {
        string[] known =
        [
            "DCC Recovery credentials in its recovery cell",
            "a second successful 'Issue Security Credentials'",
            "a second successful 'Update Security Credentials (Device)'",
            "a successful 'Update Security Credentials (KRP)'",
        ];
        if (missing is not null && !known.Contains(missing))
            throw new StepArgumentException($"'{missing}' is not a step this suite can leave out: use one of {string.Join("; ", known)}.");
        var device = world.Device(label);
        var counts = new (string Service, int Times)[]
        {
            ("Issue Security Credentials", missing == known[1] ? 1 : 2),
            ("Update Security Credentials (Device)", missing == known[2] ? 1 : 2),
            ("Update Security Credentials (KRP)", missing == known[3] ? 0 : 1),
        };
        foreach (var (service, times) in counts)
            for (var i = 0; i < times; i++)
                SmiWorld.Need(await dcc.CredentialsResponseAsync(device.Id, Services[service], true), $"record the {label}'s successful '{service}'");
        await Interrogate(label, "DCC", true, missing != known[0]);
        await WhenKeysRegenerated(label);
        await WhenOrganisationCertificateReplaced(label);
        if (device.IsSmartMeter)
            SmiWorld.Need(await dcc.NetworkPartyCredentialsAsync(device.Id, world.Party(device.IsGas ? "Gas Transporter" : "Electricity Distributor").Party),
                $"record the {label}'s Network Party credentials");
    }

    /// <summary>
    /// With SECDCC_DEVICES=rig the Command goes to the emulated meter over the SM WAN and the DCC learns from its Response;
    /// otherwise the facts that Response shows are told to a test-mode DCC as events.
    /// </summary>
    [When("^the " + P.Device + " answers a successful 'Update Security Credentials \\(KRP\\)' that puts the Responsible Supplier's certificate in its supplier cell$")]
    public async Task WhenKrpAnswered(string label)
    {
        var device = world.Device(label);
        var supplier = world.Supplier;
        if (world.Devices is RigDeviceSide rig)
        {
            var outcome = await rig.RequestOverWanAsync(supplier, device.Id, Services["Update Security Credentials (KRP)"],
                new Dictionary<string, string> { ["cell"] = "supplier" }, SupplierCertificate(supplier.Party), world.Ct);
            Assert.That(outcome.GetProperty("successfullyExecuted").GetBoolean(), Is.True,
                $"The {label} should carry out 'Update Security Credentials (KRP)' and the DCC act on its Response: {outcome}");
            return;
        }

        SmiWorld.Need(await dcc.CredentialsResponseAsync(device.Id, Services["Update Security Credentials (KRP)"], true), $"record the {label}'s successful 'Update Security Credentials (KRP)'");
        await WhenOrganisationCertificateReplaced(label);
        SmiWorld.Need(await dcc.SupplierCredentialsAsync(device.Id, supplier.Party), $"record that the {label} holds the Responsible Supplier's credentials");
    }

    // One test PKI for every scenario: an Organisation Certificate depends only on its party, role and keyUsage.
    private static readonly Lazy<TestPki> Pki = new(() => TestPki.Create("secdcc-scenarios"));
    private static readonly Lock PkiGate = new();

    private static byte[] SupplierCertificate(string party)
    {
        lock (PkiGate)
            return Pki.Value.OrganisationCertificate(RemotePartyRole.Supplier, Eui64.Parse(party), X509KeyUsageFlags.DigitalSignature).Certificate.RawData;
    }

    [When("^the " + P.Device + " answers that its Digital Signing Device Certificate was replaced successfully$")]
    public async Task WhenCertificateReplaced(string label) =>
        world.Record(await dcc.DeviceCertificatesAsync(world.Device(label).Id, true, [new { use = "DigitalSigning", serialNumber = Replacement, issuer = "CN=Z1,OU=07" }]));

    [When("^the " + P.Device + " answers that the replacement of its Digital Signing Device Certificate was not successfully executed$")]
    public async Task WhenCertificateReplacementFailed(string label) =>
        world.Record(await dcc.DeviceCertificatesAsync(world.Device(label).Id, false, [new { use = "DigitalSigning", serialNumber = Replacement, issuer = "CN=Z1,OU=07" }]));

    // ---- AC 5.14 -------------------------------------------------------------------------------------------------

    [When("^" + P.Party + " sends an? '([^']+)' Service Request to the " + P.Device + "((?:, stating that it maintains the energy supply)?)$")]
    public async Task WhenSends(string party, string service, string label, string purpose)
    {
        if (!Services.TryGetValue(service, out var srv))
            throw new StepArgumentException($"'{service}' is not a Service Request this suite names: use {string.Join(", ", Services.Keys.Select(k => $"'{k}'"))}.");
        world.Record(await dcc.SendServiceRequestAsync(world.Party(party), world.Device(label).Id, srv, purpose.Length == 0 ? null : "MaintainingEnergySupply"));
    }

    [Then("^the DCC accepts the request under exception (\\((?:i|ii|iii)\\)) of AC 5\\.14$")]
    public void ThenAcceptedUnderException(string exception)
    {
        var last = world.Last ?? throw new StepArgumentException("No request was sent yet: a When step must send one before a Then step judges it.");
        Assert.That(last.Accepted, Is.True, $"AC 5.14{exception} lets a Supplier send this request, but the DCC refused {last.Request}: {last.Refusal}");
        var clearance = last.Value as PcClearanceRecord;
        Assert.That(clearance?.Exception, Is.EqualTo("AC-5.14" + exception),
            $"The DCC accepted {last.Request} but not as exception {exception} of AC 5.14: it said {clearance?.Exception ?? "no exception"} ({clearance?.Explanation}).");
    }

    // ---- what the DCC shows --------------------------------------------------------------------------------------

    [Then("^the DCC shows the " + P.Device + "'s (AC-[0-9.]+\\([a-c]\\)) step (done within 7 days|done late|overdue)$")]
    public async Task ThenStep(string label, string clause, string expected)
    {
        var status = await dcc.StatusAsync(world.Device(label).Id);
        var step = status.Steps.FirstOrDefault(s => s.Clause == clause);
        Assert.That(step, Is.Not.Null, $"The DCC shows no {clause} step for the {label}; it shows {string.Join(", ", status.Steps.Select(s => s.Clause))}.");
        var state = expected switch { "done within 7 days" => "Done", "done late" => "DoneLate", _ => "Overdue" };
        Assert.That(step!.State, Is.EqualTo(state),
            $"{clause} ({step.Step}) for the {label}, due by {step.DueBy:u}: expected {expected}, the DCC shows {step.State}{(step.DoneAt is { } at ? $" (done {at:u})" : "")}.");
    }

    [Then("^the " + P.Device + " is in the Post Commissioning Information for (AC-5\\.7\\S+(?:, AC-5\\.7\\S+)*)$")]
    public async Task ThenListedFor(string label, string reasons)
    {
        var entry = await EntryAsync(label);
        Assert.That(entry, Is.Not.Null, $"AC 5.7 identifies the {label} for {reasons}, but it is not in the Post Commissioning Information as last updated.");
        Assert.That(entry!.Reasons, Is.EqualTo(reasons.Split(", ")),
            $"The {label}'s entry should record {reasons} (AC 5.8(c)); it records {string.Join(", ", entry.Reasons)}.");
    }

    [Then("^the " + P.Device + " is not in the Post Commissioning Information$")]
    public async Task ThenNotListed(string label)
    {
        var entry = await EntryAsync(label);
        Assert.That(entry, Is.Null, $"The {label} should not be in the Post Commissioning Information; it is, for {string.Join(", ", entry?.Reasons ?? [])}.");
    }

    [Then("^the " + P.Device + "'s entry in the Post Commissioning Information holds its Device ID and Type, its Commissioning date and the date of the latest update$")]
    public async Task ThenEntryHoldsFields(string label)
    {
        var device = world.Device(label);
        var status = await dcc.StatusAsync(device.Id);
        var entry = status.Listed ?? throw new AssertionException($"The {label} is not in the Post Commissioning Information, so its entry cannot be read.");
        var now = await world.Admin.NowAsync(world.Ct);
        Assert.Multiple(() =>
        {
            Assert.That((entry.DeviceId, entry.DeviceType), Is.EqualTo((device.Id, device.DeviceType)), "AC 5.8(a): the Device ID and Device Type.");
            Assert.That(entry.CommissionedAt, Is.EqualTo(status.CommissionedAt), "AC 5.8(b): the date the Device was Commissioned, as the DCC recorded it.");
            Assert.That(entry.CommissionedAt, Is.LessThanOrEqualTo(entry.UpdatedAt - TimeSpan.FromDays(7)), "AC 5.7: Commissioned 7 days or more before the update.");
            // The DCC keeps instants to the millisecond; its clock reads finer.
            Assert.That(entry.UpdatedAt, Is.EqualTo(now).Within(TimeSpan.FromMilliseconds(1)), "AC 5.8(f): the date of the latest update, the daily update made when the clock last moved.");
        });
    }

    [Then("^the " + P.Device + "'s entry in the Post Commissioning Information names the Responsible Supplier as Responsible Supplier and as the Supplier whose request Commissioned it$")]
    public async Task ThenEntryNamesSuppliers(string label)
    {
        var entry = await EntryAsync(label) ?? throw new AssertionException($"The {label} is not in the Post Commissioning Information, so its entry cannot be read.");
        Assert.That(entry.ResponsibleSuppliers, Is.EqualTo(new[] { world.Supplier.Party }), "AC 5.8(d): the Responsible Supplier at the latest update.");
        Assert.That(entry.CommissioningSupplier, Is.EqualTo(world.Supplier.Party), "AC 5.8(e): the Supplier Party that sent the Service Request that Commissioned the Device.");
    }

    [Then("^the " + P.Device + "'s entry in the Post Commissioning Information names no Responsible Supplier and no commissioning Supplier$")]
    public async Task ThenEntryNamesNoSuppliers(string label)
    {
        var entry = await EntryAsync(label) ?? throw new AssertionException($"The {label} is not in the Post Commissioning Information, so its entry cannot be read.");
        Assert.That(entry.ResponsibleSuppliers ?? [], Is.Empty, "AC 5.8(d) is 'other than in the case of Communications Hub Functions'.");
        Assert.That(entry.CommissioningSupplier, Is.Null, "AC 5.8(e) is 'other than in the case of Communications Hub Functions'.");
    }

    private async Task<PcEntryRecord?> EntryAsync(string label) => (await dcc.StatusAsync(world.Device(label).Id)).Listed;

    // ---- AC 5.13 -------------------------------------------------------------------------------------------------

    [Then("^the DCC has raised an Incident citing (AC-5\\.13\\([ab]\\)) about the " + P.Device + "$")]
    public async Task ThenIncident(string clause, string label)
    {
        var incidents = await dcc.IncidentsAsync(world.Device(label).Id);
        Assert.That(incidents.Any(i => i.Kind == "Incident" && OutcomeSteps.Cites(i.Clause, clause)), Is.True,
            $"{clause} requires the DCC to raise an Incident about the {label}; its Incidents about it: {Describe(incidents)}");
    }

    [Then("^the DCC has raised no Incident about the " + P.Device + "$")]
    public async Task ThenNoIncident(string label)
    {
        var incidents = await dcc.IncidentsAsync(world.Device(label).Id);
        Assert.That(incidents, Is.Empty, $"Nothing called for an AC 5.13 Incident about the {label}, yet the DCC raised: {Describe(incidents)}");
    }

    private static string Describe(IReadOnlyList<NoticeRecord> notices) =>
        notices.Count == 0 ? "none" : string.Join(" | ", notices.Select(n => $"{n.Clause}: {n.Message}"));

    // ---- AC 5.18 -------------------------------------------------------------------------------------------------

    [Then("^the DCC's record of the " + P.Device + "'s current Device Certificates holds the replacement$")]
    public async Task ThenReplacementCurrent(string label) =>
        await AssertCurrentAsync(label, ["5EC0DA", Replacement], "AC 5.18: the Response showed the Digital Signing certificate replaced");

    [Then("^the DCC's record of the " + P.Device + "'s Device Certificates keeps the replaced one as no longer current$")]
    public async Task ThenReplacedKept(string label)
    {
        var certificates = await CertificatesAsync(label);
        Assert.That(certificates.Any(c => c.SerialNumber == "5EC0D5" && !c.Current), Is.True,
            $"The replaced certificate should stay in the record, no longer current; the record holds {Describe(certificates)}.");
    }

    [Then("^the DCC's record of the " + P.Device + "'s current Device Certificates holds the ones stored with its new keys$")]
    public async Task ThenUnchanged(string label) =>
        await AssertCurrentAsync(label, ["5EC0D5", "5EC0DA"], "AC 5.18: a Response that was not Successfully Executed replaced nothing");

    private async Task AssertCurrentAsync(string label, string[] serials, string why)
    {
        var certificates = await CertificatesAsync(label);
        Assert.That(certificates.Where(c => c.Current).Select(c => c.SerialNumber), Is.EquivalentTo(serials), $"{why}; the record holds {Describe(certificates)}.");
    }

    private async Task<IReadOnlyList<PcCertificateRecord>> CertificatesAsync(string label) => (await dcc.StatusAsync(world.Device(label).Id)).Certificates;

    private static string Describe(IReadOnlyList<PcCertificateRecord> certificates) =>
        string.Join(", ", certificates.Select(c => $"{c.Use} {c.SerialNumber}{(c.Current ? " (current)" : "")}"));

    // ---- AC 6.2 --------------------------------------------------------------------------------------------------

    [Then("^the " + P.Device + " is not among the SMETS1 Devices failing AC 6\\.2$")]
    public async Task ThenNotFailing62(string label)
    {
        var failing = await Smets1FailingAsync(label);
        Assert.That(failing, Is.Null, $"The {label} holds the credentials AC 6.2 requires, yet the DCC lists it: {Describe(failing?.Steps)}");
    }

    [Then("^the " + P.Device + " is among the SMETS1 Devices failing AC 6\\.2, for (AC-6\\.2\\([ab]\\)(?: and AC-6\\.2\\([ab]\\))?)$")]
    public async Task ThenFailing62(string label, string clauses)
    {
        var failing = await Smets1FailingAsync(label);
        Assert.That(failing, Is.Not.Null, $"7 days after Commissioning the {label}'s credentials are not those AC 6.2 requires, yet the DCC does not list it.");
        Assert.That(failing!.Steps.Where(s => s.State is not ("Done" or "DoneLate")).Select(s => s.Clause), Is.EqualTo(clauses.Split(" and ")),
            $"The {label} fails {clauses}; the DCC shows {Describe(failing.Steps)}.");
    }

    private async Task<PcSmets1Record?> Smets1FailingAsync(string label)
    {
        var info = JsonDccClient.Require(await dcc.InformationAsync());
        return info.Smets1.FailingAc62.FirstOrDefault(c => c.DeviceId == world.Device(label).Id);
    }

    private static string Describe(IReadOnlyList<PcStepRecord>? steps) =>
        steps is null ? "nothing" : string.Join(", ", steps.Select(s => $"{s.Clause} {s.State}"));
}
