using SecDcc.Reports.Matrix;

namespace SecDcc.Reports.Tests;

public sealed class RepositoryCatalogueTests
{
    private ClauseCatalogue catalogue = null!;

    [OneTimeSetUp]
    public async Task Load() =>
        catalogue = await ClauseCatalogueLoader.LoadAsync(RepositoryFiles.ClauseCatalogue(), CancellationToken.None);

    [Test]
    public void Every_id_is_well_formed_and_unique()
    {
        var ids = catalogue.Clauses.Select(c => c.Id).ToList();
        Assert.Multiple(() =>
        {
            Assert.That(ids.Where(id => !ClauseIds.IsWellFormed(id)), Is.Empty, "malformed ids");
            Assert.That(ids, Is.Unique);
        });
    }

    [Test]
    public void Every_sub_clause_has_its_parent_and_every_untestable_clause_says_why()
    {
        Assert.Multiple(() =>
        {
            Assert.That(catalogue.Clauses.Where(c => c.ParentId is { } p && !catalogue.Contains(p)).Select(c => c.Id), Is.Empty);
            Assert.That(catalogue.Clauses.Where(c => !c.Testable && string.IsNullOrWhiteSpace(c.Why)).Select(c => c.Id), Is.Empty);
            Assert.That(catalogue.Clauses.Where(c => c.Testable && c.Who.Count == 0).Select(c => c.Id), Is.Empty);
        });
    }

    /// <summary>
    /// A misspelt tag (@rule_met, @AC-4.12a) would otherwise count quietly as "other" or as no clause at all. Labels
    /// that are neither a clause nor a kind are listed here on purpose, so a new one is a decision, not a typo.
    /// </summary>
    [Test]
    public void Every_tag_in_the_features_is_a_catalogued_clause_a_scenario_kind_or_a_known_label()
    {
        string[] labels = ["bench", "rig-under-test", ScenarioRun.RuleMetTag, ScenarioRun.RuleBrokenTag];
        var features = Path.GetDirectoryName(RepositoryFiles.ClauseCatalogue())!;
        var unknown =
            from file in Directory.EnumerateFiles(features, "*.feature", SearchOption.AllDirectories)
            from numbered in File.ReadLines(file).Select((text, index) => (Text: text.Trim(), Line: index + 1))
            where numbered.Text.StartsWith('@')
            from tag in numbered.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            let name = tag.TrimStart('@')
            where !catalogue.Contains(name) && !labels.Contains(name)
            select $"{Path.GetRelativePath(features, file)}:{numbered.Line}: {tag}";
        Assert.That(unknown.ToList(), Is.Empty);
    }

    [Test]
    public void Every_numbered_clause_of_appendix_ac_1_to_13_is_listed()
    {
        string[] expected =
        [
            "AC-1.1", .. Range(2, 12), .. Range(3, 10), .. Range(4, 15), .. Range(5, 18), .. Range(6, 4),
            "AC-7.1", .. Range(8, 3), .. Range(9, 4), "AC-10.1", .. Range(11, 2), .. Range(12, 5), "AC-13.1",
        ];
        Assert.That(expected.Where(id => !catalogue.Contains(id)), Is.Empty);
        static IEnumerable<string> Range(int clause, int last) => Enumerable.Range(1, last).Select(n => $"AC-{clause}.{n}");
    }

    [Test]
    public void Section_f2_and_the_ppc_tests_are_listed()
    {
        var expected = Enumerable.Range(1, 16).Select(n => $"F2.{n}")
            .Concat(Enumerable.Range(10, 7).Select(n => $"PPC-6.{n}"))
            .Concat(["PPC-2.4", "PPC-2.5", "PPC-2.9", "PPC-4.8", "H5"]);
        Assert.That(expected.Where(id => !catalogue.Contains(id)), Is.Empty);
    }

    [TestCase("AC-4.12", "appendix-ac", true)]
    [TestCase("AC-4.12(a)", "appendix-ac", true)]
    [TestCase("AC-2.11", "appendix-ac", false)]
    [TestCase("AC-13.1", "appendix-ac", false)]
    [TestCase("F2.15(a)", "section-f", true)]
    [TestCase("F2.14(b)", "section-f", false)]
    [TestCase("H5", "ppc", true)]
    [TestCase("PPC-6.13", "ppc", true)]
    [TestCase("PPC-6.16", "ppc", false)]
    public void Known_clauses_have_their_source_and_testability(string id, string source, bool testable)
    {
        var clause = catalogue.Find(id);
        Assert.That(clause, Is.Not.Null, id);
        Assert.That((clause!.Source, clause.Testable), Is.EqualTo((source, testable)));
    }
}

public sealed class CatalogueValidationTests
{
    private const string Header = """
        sources:
          appendix-ac: Appendix AC
          section-f: Section F
        clauses:

        """;

    private const string Good = """
          - id: AC-4.12
            source: appendix-ac
            title: No Command to a meter in the wrong state.
            testable: true
            who: [DCC]

        """;

    public static IEnumerable<TestCaseData> BadCatalogues()
    {
        // Each case: the clauses after the header and one good clause (lines 5–9), so the case starts on line 10, and where the problem is.
        yield return Case("duplicate id", """
              - id: AC-4.12
                source: appendix-ac
                title: Again.
                testable: true
                who: [DCC]
            """, 10, "id", "duplicate id 'AC-4.12'; it is already defined at line 5");
        yield return Case("missing title", """
              - id: AC-4.13
                source: appendix-ac
                testable: true
                who: [DCC]
            """, 10, "title", "missing required field 'title'");
        yield return Case("testable not a boolean", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: yes
                who: [DCC]
            """, 13, "testable", "must be true or false, got 'yes'");
        yield return Case("misspelt field", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                who: [DCC]
                tesable: false
            """, 15, "tesable", "unknown field");
        yield return Case("malformed id", """
              - id: AC4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                who: [DCC]
            """, 10, "id", "'AC4.13' is not a clause id");
        yield return Case("untestable without why", """
              - id: AC-2.11
                source: appendix-ac
                title: A User raises an Incident.
                testable: false
                who: [User]
            """, 10, "why", "needs 'why'");
        yield return Case("why on a testable clause", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                why: Because.
                who: [DCC]
            """, 14, "why", "only for clauses that are not testable");
        yield return Case("unknown source", """
              - id: AC-4.13
                source: appendix-z
                title: Commissioned on success.
                testable: true
                who: [DCC]
            """, 11, "source", "unknown source 'appendix-z'");
        yield return Case("id under the wrong source", """
              - id: AC-4.13
                source: section-f
                title: Commissioned on success.
                testable: true
                who: [DCC]
            """, 11, "source", "belongs to source 'appendix-ac'");
        yield return Case("unknown party", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                who: [DCC, Suplier]
            """, 14, "who", "unknown party 'Suplier'");
        yield return Case("sub-clause without parent", """
              - id: AC-4.6(a)
                source: appendix-ac
                title: No join Command for a Device not in the SMI.
                testable: true
                who: [DCC]
            """, 10, "id", "has no parent entry 'AC-4.6'");
        yield return Case("oneSided as a yes/no instead of a reason", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                who: [DCC]
                oneSided: true
            """, 15, "oneSided", "give the reason one kind of scenario cannot exist");
        yield return Case("oneSided empty", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned on success.
                testable: true
                who: [DCC]
                oneSided: ""
            """, 15, "oneSided", "must not be empty");
        yield return Case("oneSided on an untestable clause", """
              - id: AC-2.11
                source: appendix-ac
                title: A User raises an Incident.
                testable: false
                why: No effect on the DCC.
                who: [User]
                oneSided: Nothing to break.
            """, 16, "oneSided", "only for testable clauses");
        yield return Case("broken YAML", """
              - id: AC-4.13
                source: appendix-ac
                title: Commissioned: on success.
                testable: true
                who: [DCC]
            """, 12, "yaml", "not valid YAML");
    }

    [TestCaseSource(nameof(BadCatalogues))]
    public async Task A_bad_catalogue_names_the_file_line_and_field(string clauses, int line, string field, string message)
    {
        using var temp = new TempDirectory();
        var path = temp.Write("clauses.yaml", Header + Good + clauses + "\n");

        var error = Assert.ThrowsAsync<CatalogueException>(() => ClauseCatalogueLoader.LoadAsync(path, CancellationToken.None));

        Assert.That(error!.Problems, Has.Count.EqualTo(1), error.Message);
        var problem = error.Problems[0];
        Assert.Multiple(() =>
        {
            Assert.That((problem.File, problem.Line, problem.Field), Is.EqualTo((path, line, field)), error.Message);
            Assert.That(problem.Message, Does.Contain(message));
            Assert.That(error.Message, Does.Contain($"{path}:{line}:"));
        });
    }

    [Test]
    public void Every_problem_is_reported_at_once()
    {
        var yaml = Header + """
              - id: AC-4.13
                source: appendix-ac
                testable: maybe
                who: [DCC]
              - id: AC4.14
                source: appendix-ac
                title: Set Device Configuration.
                testable: true
                who: [DCC]
            """;

        var error = Assert.Throws<CatalogueException>(() => ClauseCatalogueLoader.Parse(yaml, "clauses.yaml"));

        Assert.That(error!.Problems.Select(p => (p.Line, p.Field)),
            Is.EquivalentTo(new[] { (5, "title"), (7, "testable"), (9, "id") }), error.Message);
    }

    [Test]
    public void A_missing_catalogue_says_where_it_looked()
    {
        var error = Assert.ThrowsAsync<FileNotFoundException>(() => ClauseCatalogueLoader.LoadAsync("/nonexistent/clauses.yaml", CancellationToken.None));
        Assert.That(error!.Message, Does.Contain("/nonexistent/clauses.yaml"));
    }

    [Test]
    public void A_good_catalogue_keeps_file_order_and_fields()
    {
        var yaml = Header + Good + """
              - id: AC-4.12(a)
                source: appendix-ac
                title: Not in the SMI.
                testable: true
                who: [DCC]
                note: Checked with an unknown Device ID.
                oneSided: Only the refusal is observable.
              - id: AC-2.11
                source: appendix-ac
                title: A User raises an Incident.
                testable: false
                why: No effect on the DCC.
                who: [User]
            """;

        var catalogue = ClauseCatalogueLoader.Parse(yaml, "clauses.yaml");

        Assert.That(catalogue.Clauses, Is.EqualTo(new[]
        {
            new Clause("AC-4.12", "appendix-ac", "No Command to a meter in the wrong state.", true, null, ["DCC"]),
            new Clause("AC-4.12(a)", "appendix-ac", "Not in the SMI.", true, null, ["DCC"], "Checked with an unknown Device ID.", "Only the refusal is observable."),
            new Clause("AC-2.11", "appendix-ac", "A User raises an Incident.", false, "No effect on the DCC.", ["User"]),
        }).Using<Clause>(SameClause));
        Assert.That(catalogue.SourceTitle("section-f"), Is.EqualTo("Section F"));
    }

    private static bool SameClause(Clause a, Clause b) =>
        a with { Who = [] } == b with { Who = [] } && a.Who.SequenceEqual(b.Who);

    private static TestCaseData Case(string name, string clauses, int line, string field, string message) =>
        new TestCaseData(clauses, line, field, message).SetName($"Bad catalogue: {name}");
}

public sealed class ClauseIdTests
{
    [TestCase("AC-4.12", true)]
    [TestCase("AC-4.12(a)", true)]
    [TestCase("AC-5.7(c)(iii)", true)]
    [TestCase("F2.14", true)]
    [TestCase("H5", true)]
    [TestCase("H14.36", true)]
    [TestCase("PPC-6.13", true)]
    [TestCase("AC4.12", false)]
    [TestCase("ac-4.12", false)]
    [TestCase("AC-4.12(A)", false)]
    [TestCase("PPC", false)]
    [TestCase("F2", false)]
    public void Well_formed_ids(string id, bool expected) =>
        Assert.That(ClauseIds.IsWellFormed(id), Is.EqualTo(expected));

    [Test]
    public void A_sub_clause_rolls_up_through_every_ancestor() =>
        Assert.That(ClauseIds.AncestorsOf("AC-5.7(c)(i)"), Is.EqualTo(new[] { "AC-5.7(c)", "AC-5.7" }));

    [TestCase("AC4.12", true)]
    [TestCase("ac-4.12", true)]
    [TestCase("F 2.14", true)]
    [TestCase("PPC", false)]
    [TestCase("EPC", false)]
    [TestCase("smoke", false)]
    [TestCase("Fast", false)]
    public void Clause_like_tags_are_recognised_even_when_misspelt(string tag, bool expected) =>
        Assert.That(ClauseIds.LooksLikeClause(tag), Is.EqualTo(expected));
}
