using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

/// <summary>
/// The harness's self-check: a run on a quirky rig matches only when the failed clauses are exactly the declared ones
/// (with the parents a failing sub-clause fails), and every quirk says what it breaks or why the suite cannot see it.
/// </summary>
public sealed class QuirkSelfCheckTests
{
    private static readonly (string Device, Quirk Quirk)[] TrustAnchorAndPulse =
    [
        ("esme-recovery", new Quirk(QuirkKind.EmptyRecoveryCell)),
        ("esme-keyusage", new Quirk(QuirkKind.WrongKeyUsageCell)),
        ("esme", new Quirk(QuirkKind.PulseMiscount, Every: 50)),
    ];

    /// <summary>Parents as the clause catalogue would give them: AC-3.2(b) → AC-3.2.</summary>
    private static IEnumerable<string> Parents(string clause) =>
        clause.EndsWith(')') ? [clause[..clause.LastIndexOf('(')]] : [];

    [Test]
    public void Exactly_the_declared_clauses_and_their_parents_failing_is_a_match()
    {
        var check = QuirkSelfCheck.Compare(TrustAnchorAndPulse, ["AC-3.1", "AC-3.2", "AC-3.2(b)", "PPC-6.10"], null, Parents);
        Assert.Multiple(() =>
        {
            Assert.That(check.Matches, Is.True, string.Join(Environment.NewLine, check.Describe()));
            Assert.That(check.Declared.Keys, Is.EqualTo(new[] { "AC-3.1", "AC-3.2", "AC-3.2(b)", "PPC-6.10" }));
            Assert.That(check.Declared["AC-3.2"], Is.EqualTo(new[] { "esme-keyusage: wrong-keyusage-cell (through AC-3.2(b))" }));
        });
    }

    [Test]
    public void A_clause_failing_that_no_quirk_declares_is_a_mismatch_naming_it()
    {
        var check = QuirkSelfCheck.Compare(TrustAnchorAndPulse, ["AC-3.1", "AC-3.2", "AC-3.2(b)", "PPC-6.10", "AC-4.4"], null, Parents);
        Assert.Multiple(() =>
        {
            Assert.That(check.Matches, Is.False);
            Assert.That(check.Unexpected, Is.EqualTo(new[] { "AC-4.4" }));
            Assert.That(check.Missed, Is.Empty);
            Assert.That(check.Describe().Last(), Does.Contain("MISMATCH"));
        });
    }

    [Test]
    public void A_declared_clause_that_passed_is_a_mismatch_naming_it()
    {
        var check = QuirkSelfCheck.Compare(TrustAnchorAndPulse, ["AC-3.1", "AC-3.2", "AC-3.2(b)"], null, Parents);
        Assert.Multiple(() =>
        {
            Assert.That(check.Matches, Is.False);
            Assert.That(check.Missed, Is.EqualTo(new[] { "PPC-6.10" }));
            Assert.That(check.Unexpected, Is.Empty);
        });
    }

    [Test]
    public void A_declared_clause_no_scenario_of_the_run_cites_is_neither_failed_nor_missed()
    {
        var ran = new HashSet<string> { "AC-3.1", "AC-3.2", "AC-3.2(b)" };
        var check = QuirkSelfCheck.Compare(TrustAnchorAndPulse, ["AC-3.1", "AC-3.2", "AC-3.2(b)"], ran, Parents);
        Assert.Multiple(() =>
        {
            Assert.That(check.Matches, Is.True);
            Assert.That(check.NotRun, Is.EqualTo(new[] { "PPC-6.10" }));
        });
    }

    [Test]
    public void A_rig_without_quirks_matches_only_a_run_with_no_failures()
    {
        Assert.Multiple(() =>
        {
            Assert.That(QuirkSelfCheck.Compare([], [], null, Parents).Matches, Is.True);
            Assert.That(QuirkSelfCheck.Compare([], ["F2.2"], null, Parents).Unexpected, Is.EqualTo(new[] { "F2.2" }));
        });
    }

    [Test]
    public void A_quirk_the_suite_cannot_observe_declares_nothing_and_is_listed_with_its_reason()
    {
        var check = QuirkSelfCheck.Compare([("esme", new Quirk(QuirkKind.RefuseType2Join))], [], null, Parents);
        Assert.Multiple(() =>
        {
            Assert.That(check.Declared, Is.Empty);
            Assert.That(check.Unobservable, Has.Count.EqualTo(1));
            Assert.That(check.Unobservable[0], Does.StartWith("esme: refuse-type2-join (").And.Contain("test-mode events"));
        });
    }

    [Test]
    public void Every_quirk_declares_clauses_or_says_why_it_declares_none()
    {
        Assert.Multiple(() =>
        {
            foreach (var kind in Enum.GetValues<QuirkKind>())
            {
                Assert.That(Quirk.Declared.ContainsKey(kind), Is.True, $"{kind} has no declaration in Quirk.Declared");
                if (!Quirk.Declared.TryGetValue(kind, out var breaks))
                    continue;
                Assert.That(breaks.Reason, Is.Not.Empty, $"{kind} gives no reason");
                Assert.That(breaks.Clauses, Has.All.Match(@"^(AC-\d+\.\d+|F\d+\.\d+|PPC-\d+\.\d+)(\([a-z]+\))*$"), $"{kind} declares a clause id that is not well formed");
            }
        });
    }

    [TestCase("emulated-quirky.yaml")]
    [TestCase("emulated-quirky-cuts.yaml")]
    public void Every_quirk_of_the_quirky_rig_is_observable(string file)
    {
        var rig = RigFile.Load(Path.Combine(RepoPaths.Rigs, file));
        var quirks = QuirkSelfCheck.QuirksOf(rig);
        Assert.Multiple(() =>
        {
            Assert.That(quirks, Is.Not.Empty, "the quirky rig carries no quirks");
            Assert.That(quirks.Where(q => !q.Quirk.Breaks.Observable).Select(q => $"{q.Device}: {q.Quirk.Name}"), Is.Empty,
                "a quirk on the quirky rig that the suite cannot observe proves nothing about the harness");
        });
    }

    /// <summary>The power-cut scenarios take the rig under test's first device of each type only, so a quirk elsewhere would go unseen there.</summary>
    [Test]
    public void The_quirks_of_the_power_cut_rig_are_on_the_first_device_of_their_type()
    {
        var rig = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated-quirky-cuts.yaml"));
        var firsts = rig.Devices.GroupBy(d => d.Type).Select(g => g.First().Name).ToHashSet();
        Assert.Multiple(() =>
        {
            Assert.That(QuirkSelfCheck.QuirksOf(rig).Select(q => q.Quirk.Kind), Is.SupersetOf(new[] { QuirkKind.ForgetfulDeviceLog, QuirkKind.LateResponses }));
            Assert.That(QuirkSelfCheck.QuirksOf(rig).Select(q => q.Device).Where(d => !firsts.Contains(d)), Is.Empty);
        });
    }
}
