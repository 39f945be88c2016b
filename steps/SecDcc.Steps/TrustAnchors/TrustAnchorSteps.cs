using NUnit.Framework;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Scenarios;
using SecDcc.Smki.TrustAnchors;
using SecDcc.Steps.Bench;

namespace SecDcc.Steps.TrustAnchors;

/// <summary>
/// AC 3.1–3.2 at the device: what each device reports of its Trust Anchor Cells over its local port, judged by
/// SecDcc.Smki's check against rigs/trust-anchors/cells.yaml, the rig's test PKI and the consents register.
/// </summary>
[Binding]
public sealed class TrustAnchorSteps(BenchWorld bench)
{
    private readonly Dictionary<string, (TrustAnchorReading Reading, TrustAnchorCheckResult Result)> _checked = new(StringComparer.Ordinal);

    [When("^the harness reads the Trust Anchor Cells of \"([^\"]+)\" over its local port$")]
    public async Task WhenRead(string device)
    {
        TrustAnchorReading reading;
        await using (var port = bench.Ports.OpenLocalPort(device))
        {
            reading = TrustAnchorReading.From(await port.ReadIdentityAsync(bench.Ct), await port.ReadCredentialsAsync(bench.Ct));
        }

        var check = new TrustAnchorCheck(bench.Rig.TrustAnchors.CheckEnvironment());
        var result = check.Check(reading.Report, RigParties.For(bench.Rig[device].Type));
        _checked[device] = (reading, result);
        bench.Context.Attach($"Trust Anchor Cells of {device} (local port)", reading.Describe());
        bench.Context.Attach($"AC 3.1–3.2 check of {device}", result.Passed
            ? result + Environment.NewLine + string.Join(Environment.NewLine, result.Conforming.Select(v => "  " + v))
            : result.ToString());
    }

    [Then("^every Trust Anchor Cell \"([^\"]+)\" must have is populated as AC 3.1 and 3.2 require$")]
    public void ThenConforms(string device)
    {
        var (reading, result) = Checked(device);
        var required = bench.Rig.TrustAnchors.RequiredCells(bench.Rig[device].Definition)
            ?? throw new StepArgumentException($"{bench.Rig.TrustAnchors.Settings.CellsFile} has no row for {device}'s device type, so nothing is required of it");
        Assert.Multiple(() =>
        {
            Assert.That(result.Findings, Is.Empty, result.ToString());
            Assert.That(result.Conforming.Select(v => v.Cell), Is.SupersetOf(required), $"every required cell judged in order{Environment.NewLine}{reading.Describe()}");
        });
    }

    [Then("^the check has exactly one finding, under (AC-3\\.1|AC-3\\.2\\(a\\)|AC-3\\.2\\(b\\)), that cell \"([^\"]+)\" of \"([^\"]+)\" (is empty|holds a certificate of another keyUsage|holds a certificate AC 3\\.2\\(a\\) does not allow)$")]
    public void ThenOneFinding(string clause, string cell, string device, string what)
    {
        var (reading, result) = Checked(device);
        var kind = what switch
        {
            "is empty" => TrustAnchorFindingKind.EmptyCell,
            "holds a certificate of another keyUsage" => TrustAnchorFindingKind.KeyUsageMismatch,
            _ => TrustAnchorFindingKind.CertificateNotAllowed,
        };
        Assert.That(result.Findings, Has.Count.EqualTo(1), $"{result}{Environment.NewLine}{reading.Describe()}");
        var finding = result.Findings[0];
        Assert.Multiple(() =>
        {
            Assert.That(finding.Clause, Is.EqualTo(clause), finding.Message);
            Assert.That(finding.Kind, Is.EqualTo(kind), finding.Message);
            Assert.That(finding.Cell?.ToString(), Is.EqualTo(cell), finding.Message);
            Assert.That(finding.Device, Does.Contain(bench.Rig[device].Id.ToString()), "the finding names the device");
        });
    }

    [Then("^the finding names \"([^\"]+)\" as the occupant and says no consent is recorded$")]
    public void ThenOccupantNamed(string party)
    {
        var finding = _checked.Values.Single().Result.Findings.Single();
        Assert.That(finding.Held, Does.Contain(party));
        Assert.That(finding.Allowed, Does.Contain("none recorded"));
    }

    private (TrustAnchorReading Reading, TrustAnchorCheckResult Result) Checked(string device) =>
        _checked.TryGetValue(device, out var c) ? c : throw new StepArgumentException($"The Trust Anchor Cells of {device} were not read: a When step must read them first.");
}
