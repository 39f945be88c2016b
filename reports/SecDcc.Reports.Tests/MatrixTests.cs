using System.Net;
using System.Text.Json;
using SecDcc.Reports.Allure;
using SecDcc.Reports.Matrix;

namespace SecDcc.Reports.Tests;

public sealed class MatrixTests
{
    private const string Catalogue = """
        sources:
          appendix-ac: SEC Appendix AC
          section-f: SEC Section F2
          ppc: PPC tests
        clauses:
          - { id: AC-2.1,  source: appendix-ac, title: The DCC maintains the SMI., testable: true, who: [DCC] }
          - { id: AC-2.7,  source: appendix-ac, title: No communication to a Device not in the SMI., testable: true, who: [DCC] }
          - { id: AC-2.11, source: appendix-ac, title: A User raises an Incident., testable: false, why: An obligation on a User with no effect on the DCC., who: [User] }
          - { id: AC-2.12, source: appendix-ac, title: Return Local Command Response., testable: false, why: Marked untestable on purpose., who: [User] }
          - { id: AC-4.1,  source: appendix-ac, title: CHF commissioned on connection., testable: true, who: [DCC] }
          - { id: AC-4.4,  source: appendix-ac, title: Installed not commissioned on HAN alert., testable: true, who: [DCC] }
          - { id: AC-4.5,  source: appendix-ac, title: Join Service from the Responsible Supplier., testable: true, who: [Responsible Supplier] }
          - { id: AC-4.12, source: appendix-ac, title: No Commission Device Command in these cases., testable: true, who: [DCC] }
          - { id: AC-4.12(a), source: appendix-ac, title: Meter not in the SMI., testable: true, who: [DCC] }
          - { id: AC-4.12(b), source: appendix-ac, title: Meter in the wrong status., testable: true, who: [DCC] }
          - { id: F2.15,   source: section-f, title: The DCC checks the Panel's signature on the CPL., testable: true, who: [DCC] }
        """;

    private TempDirectory temp = null!;
    private AllureResultsWriter writer = null!;
    private ClauseMatrix matrix = null!;

    [SetUp]
    public async Task BuildMatrix()
    {
        temp = new TempDirectory();
        writer = new AllureResultsWriter(temp.Combine("allure-results"));
        Result("SMI lists a pre-notified meter", AllureStatus.Passed, ["AC-2.1"]);
        Result("No command to an unknown device", AllureStatus.Passed, ["AC-2.7"]);
        Result("No command after withdrawal", AllureStatus.Failed, ["AC-2.7", "smoke"],
            "Expected no WAN command to 00-11-22-33-44-55-66-77\nbut one was sent at 12:00:01\n   at Steps.Then()");
        Result("CHF commissions on connection", AllureStatus.Broken, ["AC-4.1"], "Rig fault: hub did not answer on /dev/ttyUSB0");
        Result("HAN alert on a bench without HAN", AllureStatus.Skipped, ["AC-4.4"]);
        Result("Commission Device for an unknown meter", AllureStatus.Passed, ["AC-4.12(a)"]);
        Result("Local response returned", AllureStatus.Failed, ["AC-2.12"], "Returned response was ignored");
        Result("Typo in a tag", AllureStatus.Passed, ["AC4.12", "PPC"]);
        Result("Sub-clause the catalogue lacks", AllureStatus.Failed, ["AC-4.12(d)"], "boom");
        Result("A scenario citing nothing", AllureStatus.Passed, ["smoke", "PPC"]);
        // A retried scenario: the earlier failure is superseded by the later pass.
        Result("Signed CPL accepted", AllureStatus.Failed, ["F2.15"], "timeout", historyId: "cpl", stop: 1000);
        Result("Signed CPL accepted", AllureStatus.Passed, ["F2.15"], historyId: "cpl", stop: 2000);

        var catalogue = ClauseCatalogueLoader.Parse(Catalogue, "clauses.yaml");
        var runs = await AllureResultsReader.ReadDirectoryAsync(writer.Directory, CancellationToken.None);
        matrix = ClauseMatrix.Build(catalogue, runs);
    }

    [TearDown]
    public void Clean() => temp.Dispose();

    [TestCase("AC-2.1", ClauseVerdict.CoveredAndPassing)]
    [TestCase("AC-2.7", ClauseVerdict.Failing)]
    [TestCase("AC-4.1", ClauseVerdict.Broken)]
    [TestCase("AC-4.4", ClauseVerdict.SkippedOnly)]
    [TestCase("AC-4.5", ClauseVerdict.Uncovered)]
    [TestCase("AC-2.11", ClauseVerdict.Untestable)]
    [TestCase("AC-4.12(a)", ClauseVerdict.CoveredAndPassing)]
    [TestCase("AC-4.12(b)", ClauseVerdict.Uncovered)]
    [TestCase("F2.15", ClauseVerdict.CoveredAndPassing)]
    public void Each_clause_gets_its_verdict(string id, ClauseVerdict verdict) =>
        Assert.That(Row(id).Verdict, Is.EqualTo(verdict));

    [Test]
    public void A_sub_clause_counts_toward_its_parent()
    {
        var parent = Row("AC-4.12");
        Assert.That(parent.Verdict, Is.EqualTo(ClauseVerdict.CoveredAndPassing));
        Assert.That(parent.Scenarios.Select(s => (s.Scenario.Name, s.CitedAs)),
            Is.EqualTo(new[] { ("Commission Device for an unknown meter", "AC-4.12(a)") }));
    }

    [Test]
    public void Tags_not_in_the_catalogue_are_reported_with_what_they_probably_meant()
    {
        Assert.That(matrix.Unknown.Select(u => (u.Tag, u.DidYouMean, u.Scenarios.Single().Name)), Is.EqualTo(new[]
        {
            ("AC-4.12(d)", "AC-4.12", "Sub-clause the catalogue lacks"),
            ("AC4.12", "AC-4.12", "Typo in a tag"),
        }));
    }

    [Test]
    public void Group_tags_and_ordinary_tags_are_not_clauses()
    {
        Assert.That(matrix.Unknown.Select(u => u.Tag), Has.None.EqualTo("PPC").And.None.EqualTo("smoke"));
        Assert.That(matrix.Uncited.Select(s => s.Name), Is.EqualTo(new[] { "A scenario citing nothing" }));
    }

    [Test]
    public void A_failing_scenario_shows_the_first_line_of_its_message()
    {
        var failed = Row("AC-2.7").Scenarios.First();
        Assert.That((failed.Scenario.Outcome, failed.Scenario.FirstLine),
            Is.EqualTo((ScenarioOutcome.Failed, "Expected no WAN command to 00-11-22-33-44-55-66-77")));
    }

    [Test]
    public void An_untestable_clause_that_scenarios_cite_shows_their_outcome_and_a_warning()
    {
        var row = Row("AC-2.12");
        Assert.That(row.Verdict, Is.EqualTo(ClauseVerdict.Failing));
        Assert.That(row.Warning, Does.Contain("marks AC-2.12 as not testable"));
    }

    [Test]
    public async Task An_unknown_allure_status_counts_as_broken()
    {
        File.WriteAllText(Path.Combine(writer.Directory, "odd-result.json"),
            """{"name":"odd","status":"unknown","labels":[{"name":"story","value":"AC-4.5"}]}""");
        var runs = await AllureResultsReader.ReadDirectoryAsync(writer.Directory, CancellationToken.None);
        var rebuilt = ClauseMatrix.Build(matrix.Catalogue, runs);
        var row = rebuilt.Rows.Single(r => r.Clause.Id == "AC-4.5");
        Assert.That(row.Verdict, Is.EqualTo(ClauseVerdict.Broken));
        Assert.That(row.Scenarios.Single().Scenario.Message, Does.Contain("'unknown'"));
    }

    [Test]
    public void An_unreadable_result_file_is_named()
    {
        var bad = Path.Combine(writer.Directory, "bad-result.json");
        File.WriteAllText(bad, "{ not json");
        var error = Assert.ThrowsAsync<InvalidDataException>(() => AllureResultsReader.ReadDirectoryAsync(writer.Directory, CancellationToken.None));
        Assert.That(error!.Message, Does.StartWith(bad));
    }

    [TestCase(new ScenarioOutcome[0], ClauseVerdict.Uncovered)]
    [TestCase(new[] { ScenarioOutcome.Passed, ScenarioOutcome.Skipped }, ClauseVerdict.CoveredAndPassing)]
    [TestCase(new[] { ScenarioOutcome.Skipped, ScenarioOutcome.Skipped }, ClauseVerdict.SkippedOnly)]
    [TestCase(new[] { ScenarioOutcome.Passed, ScenarioOutcome.Broken }, ClauseVerdict.Broken)]
    [TestCase(new[] { ScenarioOutcome.Broken, ScenarioOutcome.Failed }, ClauseVerdict.Failing)]
    public void The_worst_outcome_decides(ScenarioOutcome[] outcomes, ClauseVerdict verdict) =>
        Assert.That(ClauseMatrix.VerdictOf(outcomes), Is.EqualTo(verdict));

    [Test]
    public void The_html_has_an_anchor_per_clause_and_is_self_contained()
    {
        var html = MatrixHtmlWriter.Render(matrix, new MatrixContext(DateTimeOffset.UnixEpoch));

        Assert.Multiple(() =>
        {
            foreach (var clause in matrix.Catalogue.Clauses)
                Assert.That(html, Does.Contain($"<tr id=\"{WebUtility.HtmlEncode(clause.Id)}\""), clause.Id);
            Assert.That(CountOf(html, "<tr id="), Is.EqualTo(matrix.Catalogue.Clauses.Count));
            Assert.That(html, Does.Not.Contain("<script").And.Not.Contain("<link").And.Not.Contain("src=")
                .And.Not.Contain("http://").And.Not.Contain("https://"));
        });
    }

    [Test]
    public void The_html_tells_a_reader_what_happened_to_each_clause()
    {
        var html = MatrixHtmlWriter.Render(matrix, new MatrixContext(DateTimeOffset.UnixEpoch));

        Assert.Multiple(() =>
        {
            Assert.That(html, Does.Contain("<h2 id=\"source-appendix-ac\">SEC Appendix AC</h2>"));
            Assert.That(html, Does.Contain("Expected no WAN command to 00-11-22-33-44-55-66-77"));
            Assert.That(html, Does.Not.Contain("but one was sent"), "only the first line of a failure message");
            Assert.That(html, Does.Contain("Not testable: An obligation on a User with no effect on the DCC."));
            Assert.That(html, Does.Contain("No scenario cites this clause."));
            Assert.That(html, Does.Contain("via <a href=\"#AC-4.12(a)\">AC-4.12(a)</a>"));
            Assert.That(html, Does.Contain("id=\"unknown-clauses\"").And.Contain("AC4.12"));
        });
    }

    [Test]
    public async Task Scenario_text_is_escaped_in_the_html()
    {
        Result("<script>alert(1)</script> & more", AllureStatus.Failed, ["AC-4.5"], "<b>bad</b>");
        var runs = await AllureResultsReader.ReadDirectoryAsync(writer.Directory, CancellationToken.None);
        var html = MatrixHtmlWriter.Render(ClauseMatrix.Build(matrix.Catalogue, runs), new MatrixContext(DateTimeOffset.UnixEpoch));

        Assert.That(html, Does.Contain("&lt;script&gt;alert(1)&lt;/script&gt; &amp; more").And.Contain("&lt;b&gt;bad&lt;/b&gt;"));
        Assert.That(html, Does.Not.Contain("<script>"));
    }

    [Test]
    public async Task The_report_writes_json_and_html_that_agree()
    {
        var catalogue = temp.Write("clauses.yaml", Catalogue);
        var output = await ClauseMatrixReport.GenerateAsync(writer.Directory, catalogue, temp.Combine("report"), TimeProvider.System, CancellationToken.None);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(output.JsonPath));
        var verdicts = json.RootElement.GetProperty("clauses").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => c.GetProperty("verdict").GetString());
        Assert.Multiple(() =>
        {
            Assert.That(verdicts, Is.EquivalentTo(matrix.Rows.ToDictionary(r => r.Clause.Id, r => (string?)MatrixNames.Of(r.Verdict))));
            Assert.That(json.RootElement.GetProperty("unknownClauses").EnumerateArray().Select(u => u.GetProperty("tag").GetString()),
                Is.EqualTo(new[] { "AC-4.12(d)", "AC4.12" }));
            Assert.That(json.RootElement.GetProperty("summary").GetProperty("verdicts").GetProperty("failing").GetInt32(), Is.EqualTo(2));
            Assert.That(File.ReadAllText(output.HtmlPath), Does.Contain("<tr id=\"F2.15\""));
        });
    }

    [Test]
    public async Task The_repository_catalogue_with_no_results_is_all_uncovered_or_untestable()
    {
        var empty = Directory.CreateDirectory(temp.Combine("empty")).FullName;
        var catalogue = await ClauseCatalogueLoader.LoadAsync(RepositoryFiles.ClauseCatalogue(), CancellationToken.None);
        var runs = await AllureResultsReader.ReadDirectoryAsync(empty, CancellationToken.None);
        var built = ClauseMatrix.Build(catalogue, runs);

        Assert.That(built.Rows.Select(r => r.Verdict), Is.EqualTo(catalogue.Clauses.Select(c => c.Testable ? ClauseVerdict.Uncovered : ClauseVerdict.Untestable)));
    }

    [Test]
    public async Task Rule_met_and_rule_broken_scenarios_are_counted_per_clause_and_for_the_parent()
    {
        var sided = await SidedMatrix();

        Assert.Multiple(() =>
        {
            Assert.That(Counts(sided, "AC-4.12(a)"), Is.EqualTo((1, 0)));
            Assert.That(Counts(sided, "AC-4.12(b)"), Is.EqualTo((0, 1)));
            Assert.That(Counts(sided, "AC-4.12"), Is.EqualTo((1, 2)), "its own rule-broken scenario and both sub-clauses'");
            Assert.That(Counts(sided, "AC-2.1"), Is.EqualTo((0, 0)), "a read-back scenario is neither");
            Assert.That(Counts(sided, "F2.15"), Is.EqualTo((1, 1)), "a scenario tagged with both counts on both sides");
        });
    }

    [Test]
    public async Task Testable_clauses_lacking_a_side_are_listed_with_the_catalogues_reason()
    {
        var sided = await SidedMatrix();

        Assert.That(sided.OneSided.Select(o => (o.Row.Clause.Id, o.LacksRuleMet, o.LacksRuleBroken, o.Reason)), Is.EqualTo(new (string, bool, bool, string?)[]
        {
            ("AC-2.1", true, true, null),
            ("AC-2.7", true, true, null),
            ("AC-4.1", false, true, "Only the DCC acts; nothing to get wrong."),
            ("AC-4.4", true, true, null),
            ("AC-4.5", true, true, null),
            ("AC-4.12(a)", false, true, null),
            ("AC-4.12(b)", true, false, null),
        }));
        Assert.That((sided.TwoSidedCount, sided.OneSided.Count(o => o.Explained)), Is.EqualTo((2, 1)));
    }

    [Test]
    public async Task A_reason_does_not_excuse_a_clause_with_no_scenario_at_all()
    {
        var catalogue = ClauseCatalogueLoader.Parse(SidedCatalogue, "clauses.yaml");
        var none = Directory.CreateDirectory(temp.Combine("none")).FullName;
        var built = ClauseMatrix.Build(catalogue, await AllureResultsReader.ReadDirectoryAsync(none, CancellationToken.None));

        var row = built.OneSided.Single(o => o.Row.Clause.Id == "AC-4.1");
        Assert.That((row.Explained, row.Reason), Is.EqualTo((false, (string?)null)));
    }

    [Test]
    public async Task Strict_fails_on_each_unexplained_one_sided_clause_and_passes_when_every_clause_has_both_or_a_reason()
    {
        var sided = await SidedMatrix();
        Assert.That(sided.StrictProblems(), Has.Some.StartsWith("AC-4.12(b): no rule-met scenario")
            .And.Some.StartsWith("AC-4.12(a): no rule-broken scenario")
            .And.Some.StartsWith("AC-4.5: no rule-met and no rule-broken scenario")
            .And.None.StartsWith("AC-4.1:").And.None.StartsWith("AC-4.12:"));

        var complete = ClauseMatrix.Build(ClauseCatalogueLoader.Parse("""
            sources:
              appendix-ac: SEC Appendix AC
            clauses:
              - { id: AC-4.1,  source: appendix-ac, title: CHF commissioned on connection., testable: true, who: [DCC], oneSided: Only the DCC acts. }
              - { id: AC-4.12, source: appendix-ac, title: No Commission Device Command in these cases., testable: true, who: [DCC] }
              - { id: AC-4.12(a), source: appendix-ac, title: Meter not in the SMI., testable: true, who: [DCC], oneSided: Only the met side here. }
              - { id: AC-4.12(b), source: appendix-ac, title: Meter in the wrong status., testable: true, who: [DCC], oneSided: Only the broken side here. }
              - { id: AC-2.11, source: appendix-ac, title: A User raises an Incident., testable: false, why: No effect on the DCC., who: [User] }
            """, "clauses.yaml"), sided.Rows.SelectMany(r => r.Scenarios).Select(e => e.Scenario)
                .Where(s => s.Name.StartsWith("C", StringComparison.Ordinal)).Distinct().ToList());
        Assert.That(complete.StrictProblems(), Is.Empty);
    }

    [Test]
    public async Task A_reason_on_a_clause_that_has_both_sides_is_flagged()
    {
        var sided = await SidedMatrix();
        Assert.That(sided.Rows.Single(r => r.Clause.Id == "F2.15").Warning, Does.Contain("yet it has both rule-met and rule-broken scenarios"));
    }

    [Test]
    public async Task The_html_and_json_show_the_sides_and_the_one_sided_list()
    {
        var sided = await SidedMatrix();
        var context = new MatrixContext(DateTimeOffset.UnixEpoch);
        var html = MatrixHtmlWriter.Render(sided, context);
        using var json = JsonDocument.Parse(MatrixJsonWriter.Serialize(sided, context));

        var clause = json.RootElement.GetProperty("clauses").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "AC-4.12");
        var oneSided = json.RootElement.GetProperty("oneSidedClauses").EnumerateArray().ToList();
        var sides = json.RootElement.GetProperty("summary").GetProperty("sides");
        Assert.Multiple(() =>
        {
            Assert.That((clause.GetProperty("ruleMet").GetInt32(), clause.GetProperty("ruleBroken").GetInt32()), Is.EqualTo((1, 2)));
            Assert.That(oneSided.Select(o => o.GetProperty("id").GetString()), Is.EqualTo(sided.OneSided.Select(o => o.Row.Clause.Id)));
            Assert.That(oneSided.Single(o => o.GetProperty("id").GetString() == "AC-4.12(b)").GetProperty("missing").EnumerateArray().Select(m => m.GetString()),
                Is.EqualTo(new[] { "rule-met" }));
            Assert.That((sides.GetProperty("bothKinds").GetInt32(), sides.GetProperty("oneSidedWithReason").GetInt32(), sides.GetProperty("oneSidedWithoutReason").GetInt32()),
                Is.EqualTo((2, 1, 6)));
            Assert.That(html, Does.Contain("id=\"one-sided-clauses\"").And.Contain("Only the DCC acts; nothing to get wrong."));
            Assert.That(html, Does.Contain("Rule met: 1 · rule broken: 2"));
            Assert.That(html, Does.Contain("with both a rule-met and a rule-broken scenario: <strong>2</strong>; one-sided with the catalogue's reason: <strong>1</strong>; one-sided without a reason: <strong>6</strong>"));
        });
    }

    private const string SidedCatalogue = """
        sources:
          appendix-ac: SEC Appendix AC
          section-f: SEC Section F2
        clauses:
          - { id: AC-2.1,  source: appendix-ac, title: The DCC maintains the SMI., testable: true, who: [DCC] }
          - { id: AC-2.7,  source: appendix-ac, title: No communication to a Device not in the SMI., testable: true, who: [DCC] }
          - { id: AC-2.11, source: appendix-ac, title: A User raises an Incident., testable: false, why: No effect on the DCC., who: [User] }
          - { id: AC-4.1,  source: appendix-ac, title: CHF commissioned on connection., testable: true, who: [DCC], oneSided: "Only the DCC acts; nothing to get wrong." }
          - { id: AC-4.4,  source: appendix-ac, title: Installed not commissioned on HAN alert., testable: true, who: [DCC] }
          - { id: AC-4.5,  source: appendix-ac, title: Join Service from the Responsible Supplier., testable: true, who: [Responsible Supplier] }
          - { id: AC-4.12, source: appendix-ac, title: No Commission Device Command in these cases., testable: true, who: [DCC] }
          - { id: AC-4.12(a), source: appendix-ac, title: Meter not in the SMI., testable: true, who: [DCC] }
          - { id: AC-4.12(b), source: appendix-ac, title: Meter in the wrong status., testable: true, who: [DCC] }
          - { id: F2.15,   source: section-f, title: The DCC checks the Panel's signature on the CPL., testable: true, who: [DCC], oneSided: Stale reason. }
        """;

    /// <summary>A fresh results folder with kind tags: AC-4.12 has both sides only through itself and its parts.</summary>
    private async Task<ClauseMatrix> SidedMatrix()
    {
        var sidedWriter = new AllureResultsWriter(temp.Combine("sided-results"));
        void Sided(string name, params string[] tags)
        {
            var result = new AllureResult { Name = name, FullName = $"appendix-ac/sided.feature:{name.Length}", Status = AllureStatus.Passed, HistoryId = name };
            foreach (var tag in tags) result.Labels.Add(new AllureLabel("tag", tag));
            sidedWriter.WriteResult(result);
        }
        Sided("Commission Device for a pre-notified meter", "AC-4.12(a)", "rule-met");
        Sided("Commission Device refused for a withdrawn meter", "AC-4.12(b)", "rule-broken");
        Sided("Commission Device refused, no status given", "AC-4.12", "rule-broken");
        Sided("CHF commissioned", "AC-4.1", "rule-met");
        Sided("SMI read-back", "AC-2.1");
        Sided("Signed and unsigned CPL", "F2.15", "rule-met", "@rule-broken");
        var catalogue = ClauseCatalogueLoader.Parse(SidedCatalogue, "clauses.yaml");
        return ClauseMatrix.Build(catalogue, await AllureResultsReader.ReadDirectoryAsync(sidedWriter.Directory, CancellationToken.None));
    }

    private static (int Met, int Broken) Counts(ClauseMatrix built, string id)
    {
        var row = built.Rows.Single(r => r.Clause.Id == id);
        return (row.RuleMet, row.RuleBroken);
    }

    private ClauseRow Row(string id) => matrix.Rows.Single(r => r.Clause.Id == id);

    private void Result(string name, AllureStatus status, string[] tags, string? message = null, string? historyId = null, long stop = 0)
    {
        var result = new AllureResult
        {
            Name = name,
            FullName = $"appendix-ac/sample.feature:{name.Length}",
            Status = status,
            StatusDetails = message is null ? null : new AllureStatusDetails(message),
            HistoryId = historyId,
            Stop = stop,
        };
        // As the scenario reporter does: clause tags become stories, every tag a tag label.
        foreach (var tag in tags.Where(t => t.StartsWith("AC-", StringComparison.Ordinal) || t.StartsWith("F2", StringComparison.Ordinal)))
            result.Labels.Add(new AllureLabel("story", tag));
        foreach (var tag in tags) result.Labels.Add(new AllureLabel("tag", tag));
        writer.WriteResult(result);
    }

    private static int CountOf(string text, string fragment)
    {
        var count = 0;
        for (var i = text.IndexOf(fragment, StringComparison.Ordinal); i >= 0; i = text.IndexOf(fragment, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
