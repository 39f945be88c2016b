using System.Net;
using System.Text;

namespace SecDcc.Reports.Matrix;

/// <summary>
/// Writes clause-matrix.html: one self-contained page (no scripts, fonts or links to fetch) that a compliance
/// reader can open offline or archive in an evidence pack. Each clause row carries <c>id="&lt;clause id&gt;"</c>,
/// because the Allure report links to <c>clause-matrix.html#AC-4.12</c>.
/// </summary>
public static class MatrixHtmlWriter
{
    public static async Task WriteAsync(ClauseMatrix matrix, string path, MatrixContext context, CancellationToken cancellationToken) =>
        await File.WriteAllTextAsync(path, Render(matrix, context), new UTF8Encoding(false), cancellationToken);

    public static string Render(ClauseMatrix matrix, MatrixContext context)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>SecDcc clause matrix</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<h1>Clause matrix</h1>\n");
        AppendMeta(html, matrix, context);
        AppendSummary(html, matrix);
        AppendUnknown(html, matrix);
        AppendOneSided(html, matrix);
        foreach (var (source, title) in matrix.Catalogue.Sources)
            AppendSource(html, source, title, matrix.Rows.Where(r => r.Clause.Source == source).ToList());
        AppendUncited(html, matrix);
        html.Append("</body>\n</html>\n");
        return html.ToString();
    }

    private static void AppendMeta(StringBuilder html, ClauseMatrix matrix, MatrixContext context)
    {
        html.Append("<p class=\"meta\">Generated ").Append(E(context.GeneratedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'")))
            .Append(" from ").Append(matrix.ScenarioCount).Append(" scenario result(s)");
        if (context.ResultsPath is { } results) html.Append(" in <code>").Append(E(results)).Append("</code>");
        if (context.CataloguePath is { } catalogue) html.Append(", against the catalogue <code>").Append(E(catalogue)).Append("</code>");
        html.Append(".</p>\n<p class=\"meta\">A clause is <em>covered, passing</em> when at least one scenario checks it and none fails or breaks; ")
            .Append("scenarios citing a sub-clause such as AC-4.12(a) also count for AC-4.12. <em>Broken</em> means the test or the bench failed, ")
            .Append("not the product.</p>\n");
    }

    private static void AppendSummary(StringBuilder html, ClauseMatrix matrix)
    {
        var verdicts = Enum.GetValues<ClauseVerdict>();
        html.Append("<table class=\"summary\">\n<thead><tr><th>Source</th><th>Clauses</th>");
        foreach (var v in verdicts) html.Append("<th>").Append(E(MatrixNames.Describe(v))).Append("</th>");
        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var (source, title) in matrix.Catalogue.Sources)
            AppendSummaryRow(html, $"<a href=\"#source-{E(source)}\">{E(title)}</a>", matrix.Rows.Where(r => r.Clause.Source == source).ToList(), verdicts);
        AppendSummaryRow(html, "<strong>All sources</strong>", matrix.Rows, verdicts);
        html.Append("</tbody>\n</table>\n");
        var oneSided = matrix.OneSided;
        html.Append("<p class=\"sides\" id=\"sides-summary\">Testable clauses with both a rule-met and a rule-broken scenario: <strong>")
            .Append(matrix.TwoSidedCount).Append("</strong>; one-sided with the catalogue's reason: <strong>")
            .Append(oneSided.Count(o => o.Explained)).Append("</strong>; one-sided without a reason: <strong>")
            .Append(oneSided.Count(o => !o.Explained)).Append("</strong>.</p>\n");
    }

    private static void AppendOneSided(StringBuilder html, ClauseMatrix matrix)
    {
        var oneSided = matrix.OneSided;
        if (oneSided.Count == 0) return;
        html.Append("<section class=\"one-sided\" id=\"one-sided-clauses\">\n<h2>One-sided clauses</h2>\n")
            .Append("<p>Each testable clause should have a scenario where the rule is met (<code>@rule-met</code>: its conditions hold ")
            .Append("and the system does what it requires) and one where it is broken (<code>@rule-broken</code>: the DCC refuses, ")
            .Append("naming the clause, or the harness catches a device or party that does not conform). These clauses lack one ")
            .Append("or both; where one side cannot exist, <code>features/clauses.yaml</code> says why (<code>oneSided</code>).</p>\n")
            .Append("<table>\n<thead><tr><th>Clause</th><th>Rule met</th><th>Rule broken</th><th>Why one-sided</th></tr></thead>\n<tbody>\n");
        foreach (var clause in oneSided)
        {
            var row = clause.Row;
            html.Append("<tr class=\"").Append(clause.Explained ? "explained" : "unexplained").Append("\"><td class=\"id\"><a href=\"#")
                .Append(E(row.Clause.Id)).Append("\">").Append(E(row.Clause.Id)).Append("</a></td><td class=\"n\">").Append(row.RuleMet)
                .Append("</td><td class=\"n\">").Append(row.RuleBroken).Append("</td><td>")
                .Append(clause.Reason is { } reason ? E(reason) : "<span class=\"gap\">No reason given: add the missing scenario, or say in the catalogue why it cannot exist.</span>")
                .Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendSummaryRow(StringBuilder html, string label, IReadOnlyList<ClauseRow> rows, ClauseVerdict[] verdicts)
    {
        html.Append("<tr><td>").Append(label).Append("</td><td class=\"n\">").Append(rows.Count).Append("</td>");
        foreach (var v in verdicts)
        {
            var n = rows.Count(r => r.Verdict == v);
            html.Append("<td class=\"n").Append(n > 0 ? $" v-{MatrixNames.Of(v)}" : "").Append("\">").Append(n).Append("</td>");
        }
        html.Append("</tr>\n");
    }

    private static void AppendUnknown(StringBuilder html, ClauseMatrix matrix)
    {
        if (matrix.Unknown.Count == 0) return;
        html.Append("<section class=\"unknown\" id=\"unknown-clauses\">\n<h2>Clause tags not in the catalogue</h2>\n")
            .Append("<p>These scenarios cite a clause the catalogue does not list: a misspelt tag, or a clause to add to ")
            .Append("<code>features/clauses.yaml</code>. Their results do not count toward any clause until it is fixed.</p>\n")
            .Append("<table>\n<thead><tr><th>Tag</th><th>Did you mean</th><th>Scenarios</th></tr></thead>\n<tbody>\n");
        foreach (var unknown in matrix.Unknown)
        {
            html.Append("<tr><td class=\"id\">").Append(E(unknown.Tag)).Append("</td><td>");
            if (unknown.DidYouMean is { } meant) html.Append("<a href=\"#").Append(E(meant)).Append("\">").Append(E(meant)).Append("</a>");
            html.Append("</td><td>");
            AppendScenarios(html, unknown.Scenarios.Select(s => new ClauseEvidence(s, unknown.Tag)).ToList(), null);
            html.Append("</td></tr>\n");
        }
        html.Append("</tbody>\n</table>\n</section>\n");
    }

    private static void AppendSource(StringBuilder html, string source, string title, IReadOnlyList<ClauseRow> rows)
    {
        html.Append("<h2 id=\"source-").Append(E(source)).Append("\">").Append(E(title)).Append("</h2>\n");
        if (rows.Count == 0)
        {
            html.Append("<p>The catalogue lists no clauses for this source.</p>\n");
            return;
        }
        html.Append("<table class=\"clauses\">\n<thead><tr><th>Clause</th><th>Requirement</th><th>Verdict</th><th>Evidence</th></tr></thead>\n<tbody>\n");
        foreach (var row in rows) AppendRow(html, row);
        html.Append("</tbody>\n</table>\n");
    }

    private static void AppendRow(StringBuilder html, ClauseRow row)
    {
        var clause = row.Clause;
        var verdict = MatrixNames.Of(row.Verdict);
        html.Append("<tr id=\"").Append(E(clause.Id)).Append("\" class=\"verdict-").Append(verdict)
            .Append(clause.ParentId is null ? "" : " sub").Append("\">")
            .Append("<td class=\"id\"><a href=\"#").Append(E(clause.Id)).Append("\">").Append(E(clause.Id)).Append("</a></td>")
            .Append("<td>").Append(E(clause.Title));
        if (clause.Who.Count > 0) html.Append("<div class=\"who\">Binds: ").Append(E(string.Join(", ", clause.Who))).Append("</div>");
        if (clause.Note is { } note) html.Append("<div class=\"note\">").Append(E(note)).Append("</div>");
        html.Append("</td><td><span class=\"badge v-").Append(verdict).Append("\">").Append(E(MatrixNames.Describe(row.Verdict))).Append("</span>");
        if (clause.Testable)
            html.Append("<div class=\"sides\">Rule met: ").Append(row.RuleMet).Append(" · rule broken: ").Append(row.RuleBroken).Append("</div>");
        if (clause.OneSided is { } why) html.Append("<div class=\"note\">One-sided: ").Append(E(why)).Append("</div>");
        html.Append("</td><td>");
        if (row.Warning is { } warning) html.Append("<div class=\"warning\">").Append(E(warning)).Append("</div>");
        if (row.Scenarios.Count > 0) AppendScenarios(html, row.Scenarios, clause.Id);
        else if (!clause.Testable) html.Append("<div class=\"reason\">Not testable: ").Append(E(clause.Why ?? "no reason given")).Append("</div>");
        else html.Append("<div class=\"reason\">No scenario cites this clause.</div>");
        html.Append("</td></tr>\n");
    }

    private static void AppendScenarios(StringBuilder html, IReadOnlyList<ClauseEvidence> scenarios, string? clauseId)
    {
        html.Append("<ul class=\"scenarios\">");
        foreach (var (run, citedAs) in scenarios)
        {
            var status = MatrixNames.Of(run.Outcome);
            html.Append("<li><span class=\"status s-").Append(status).Append("\">").Append(status).Append("</span> ");
            if (run.Kind != ScenarioKind.Other) html.Append("<span class=\"kind\">").Append(E(MatrixNames.Of(run.Kind))).Append("</span> ");
            html.Append(E(run.Name));
            if (run.FullName is { } where) html.Append(" <span class=\"where\">").Append(E(where)).Append("</span>");
            if (clauseId is not null && citedAs != clauseId)
                html.Append(" <span class=\"via\">via <a href=\"#").Append(E(citedAs)).Append("\">").Append(E(citedAs)).Append("</a></span>");
            if (run.Outcome != ScenarioOutcome.Passed && run.FirstLine is { } line)
                html.Append("<div class=\"message\">").Append(E(line)).Append("</div>");
            html.Append("</li>");
        }
        html.Append("</ul>");
    }

    private static void AppendUncited(StringBuilder html, ClauseMatrix matrix)
    {
        if (matrix.Uncited.Count == 0) return;
        html.Append("<h2 id=\"uncited-scenarios\">Scenarios citing no clause</h2>\n")
            .Append("<p>These scenarios carry no clause tag, so they count toward no clause.</p>\n");
        AppendScenarios(html, matrix.Uncited.Select(s => new ClauseEvidence(s, "")).ToList(), null);
        html.Append('\n');
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private const string Css = """
        body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 2rem; color: #1d2327; line-height: 1.4; }
        h1 { margin-bottom: .25rem; }
        h2 { margin-top: 2rem; border-bottom: 2px solid #d0d7de; padding-bottom: .25rem; }
        .meta { color: #57606a; font-size: .9rem; margin: .25rem 0; }
        table { border-collapse: collapse; width: 100%; margin: .75rem 0; }
        th, td { border: 1px solid #d0d7de; padding: .4rem .5rem; vertical-align: top; text-align: left; }
        th { background: #f6f8fa; }
        td.n { text-align: right; font-variant-numeric: tabular-nums; }
        td.id { white-space: nowrap; font-family: ui-monospace, Menlo, Consolas, monospace; }
        tr.sub td.id { padding-left: 1.5rem; }
        tr:target { outline: 3px solid #0969da; }
        .who { color: #57606a; font-size: .85rem; margin-top: .2rem; }
        .note { color: #57606a; font-size: .85rem; font-style: italic; }
        .badge { display: inline-block; padding: .1rem .45rem; border-radius: .3rem; font-size: .85rem; white-space: nowrap; }
        .v-covered-and-passing { background: #dafbe1; color: #116329; }
        .v-failing { background: #ffebe9; color: #a40e26; font-weight: bold; }
        .v-broken { background: #fff1e5; color: #953800; }
        .v-skipped-only { background: #eaeef2; color: #424a53; }
        .v-uncovered { background: #fff8c5; color: #7d4e00; }
        .v-untestable { background: #f6f8fa; color: #57606a; }
        ul.scenarios { margin: 0; padding-left: 1rem; }
        .status { font-size: .75rem; text-transform: uppercase; padding: 0 .3rem; border-radius: .2rem; }
        .s-passed { background: #dafbe1; color: #116329; }
        .s-failed { background: #ffebe9; color: #a40e26; }
        .s-broken { background: #fff1e5; color: #953800; }
        .s-skipped { background: #eaeef2; color: #424a53; }
        .where, .via { color: #57606a; font-size: .8rem; font-family: ui-monospace, Menlo, Consolas, monospace; }
        .message { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .8rem; color: #a40e26; white-space: pre-wrap; }
        .reason { color: #57606a; }
        .warning { color: #953800; font-size: .85rem; }
        .sides { font-size: .85rem; color: #57606a; margin-top: .2rem; }
        .kind { font-size: .75rem; padding: 0 .3rem; border-radius: .2rem; background: #ddf4ff; color: #0550ae; }
        .gap { color: #953800; }
        section.one-sided { border: 2px solid #d4a72c; padding: 0 1rem; margin: 1.5rem 0; background: #fffdf3; }
        section.unknown { border: 2px solid #cf222e; padding: 0 1rem; margin: 1.5rem 0; background: #fff8f8; }
        code { font-size: .85rem; }
        @media print { body { margin: 0; } tr { break-inside: avoid; } }

        """;
}
