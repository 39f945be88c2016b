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
public sealed class TrustAnchorSteps(BenchWorld bench, TrustAnchorResults checks)
{
    [When("^the harness reads the Trust Anchor Cells of \"([^\"]+)\" over its local port$")]
    public async Task WhenRead(string device) => checks.Record(device, "local port", await ReadLocalPortAsync(bench, device));

    /// <summary>What the device reports over its own local port, as the check reads it.</summary>
    public static async Task<TrustAnchorReading> ReadLocalPortAsync(BenchWorld bench, string device)
    {
        await using var port = bench.Ports.OpenLocalPort(device);
        return TrustAnchorReading.From(await port.ReadIdentityAsync(bench.Ct), await port.ReadCredentialsAsync(bench.Ct));
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
        var finding = checks.Only.Result.Findings.Single();
        Assert.That(finding.Held, Does.Contain(party));
        Assert.That(finding.Allowed, Does.Contain("none recorded"));
    }

    // ---- AC 3.1(a) and (b): who may go ahead ---------------------------------------------------------------

    [Then("^AC 3\\.1\\(a\\) lets the Responsible Supplier send \"([^\"]+)\" Service Requests that may result in Commands$")]
    public void ThenSupplierMaySend(string device)
    {
        RequireSubjectTo31A(device);
        var (reading, result) = Checked(device);
        Assert.That(result.Findings, Is.Empty, $"AC 3.1(a): every cell GBCS requires must be populated per AC 3.2 before the Responsible Supplier's first such Service Request.{Environment.NewLine}{result}{Environment.NewLine}{reading.Describe()}");
    }

    [Then("^AC 3\\.1\\(a\\) forbids the Responsible Supplier to send \"([^\"]+)\" a Service Request that may result in a Command, because cell \"([^\"]+)\" is not populated as AC 3\\.2 requires$")]
    public void ThenSupplierMayNotSend(string device, string cell)
    {
        RequireSubjectTo31A(device);
        AssertCellFound(device, cell, "AC 3.1(a)");
    }

    [Then("^AC 3\\.1\\(b\\) lets the DCC deliver the Communications Hub of \"([^\"]+)\" and \"([^\"]+)\"$")]
    public void ThenDccMayDeliver(string chf, string gpf)
    {
        RequireHub(chf, gpf);
        Assert.Multiple(() =>
        {
            foreach (var function in new[] { chf, gpf })
            {
                var (reading, result) = Checked(function);
                Assert.That(result.Findings, Is.Empty, $"AC 3.1(b): the DCC delivers a Communications Hub only with every cell of {function} populated per AC 3.2.{Environment.NewLine}{result}{Environment.NewLine}{reading.Describe()}");
            }
        });
    }

    [Then("^AC 3\\.1\\(b\\) forbids the DCC to deliver the Communications Hub of \"([^\"]+)\" and \"([^\"]+)\", because cell \"([^\"]+)\" is not populated as AC 3\\.2 requires$")]
    public void ThenDccMayNotDeliver(string chf, string gpf, string cell)
    {
        RequireHub(chf, gpf);
        // Either function failing is enough to hold the hub back; the check must name the cell on whichever failed.
        var failing = new[] { chf, gpf }.Where(f => Checked(f).Result.Findings.Count > 0).ToList();
        Assert.That(failing, Is.Not.Empty, $"AC 3.1(b) forbids delivering a hub with cell {cell} unpopulated, yet the check found nothing on {chf} or {gpf}.");
        foreach (var function in failing)
            AssertCellFound(function, cell, "AC 3.1(b)");
    }

    private void AssertCellFound(string device, string cell, string clause)
    {
        var (reading, result) = Checked(device);
        Assert.That(result.Findings, Is.Not.Empty, $"{clause} forbids going ahead with {device} while cell {cell} is not populated per AC 3.2, yet the check found nothing.{Environment.NewLine}{reading.Describe()}");
        Assert.That(result.Findings.Select(f => f.Cell?.ToString()), Has.Member(cell), $"{clause}: the finding must name the cell.{Environment.NewLine}{result}");
        Assert.That(result.Findings.Select(f => f.Device), Has.All.Contain(bench.Rig[device].Id.ToString()), "the finding names the device");
    }

    /// <summary>AC 3.1(a) speaks of Smart Meters, Gas Proxy Functions and Type 1 Devices.</summary>
    private void RequireSubjectTo31A(string device)
    {
        var type = bench.Rig[device].Type;
        if (type is not (DeviceProtocol.Messages.DeviceType.ESME or DeviceProtocol.Messages.DeviceType.GSME or DeviceProtocol.Messages.DeviceType.GPF
            or DeviceProtocol.Messages.DeviceType.PPMID or DeviceProtocol.Messages.DeviceType.HCALCS))
            throw new StepArgumentException($"{device} is a {type}; AC 3.1(a) concerns Smart Meters, Gas Proxy Functions and Type 1 Devices.");
    }

    /// <summary>AC 3.1(b) speaks of a Communications Hub: its CHF and GPF.</summary>
    private void RequireHub(string chf, string gpf)
    {
        if (bench.Rig[chf].Type != DeviceProtocol.Messages.DeviceType.CHF || bench.Rig[gpf].Type != DeviceProtocol.Messages.DeviceType.GPF)
            throw new StepArgumentException($"AC 3.1(b) concerns a Communications Hub: name its CHF and its GPF ({chf} is a {bench.Rig[chf].Type}, {gpf} a {bench.Rig[gpf].Type}).");
    }

    [Then("^the finding is the one the check makes of \"([^\"]+)\" over its local port$")]
    public async Task ThenSameAsLocalPort(string device)
    {
        var (_, throughDcc) = Checked(device);
        var local = checks.Check(device, await ReadLocalPortAsync(bench, device));
        Assert.That(throughDcc.Findings.Select(f => f.Message), Is.EqualTo(local.Findings.Select(f => f.Message)),
            $"The same cells read two ways must give the same findings.{Environment.NewLine}Through the DCC: {throughDcc}{Environment.NewLine}Over its local port: {local}");
    }

    private (TrustAnchorReading Reading, TrustAnchorCheckResult Result) Checked(string device) => checks.Latest(device);
}

/// <summary>
/// The AC 3.1–3.2 check as one scenario runs it: the rig's check environment, the device's parties, and each reading's
/// result kept for the Then steps, whichever way the cells were read (local port, or 6.24 through the DCC).
/// </summary>
public sealed class TrustAnchorResults(BenchWorld bench)
{
    private readonly Dictionary<string, (TrustAnchorReading Reading, TrustAnchorCheckResult Result)> _checked = new(StringComparer.Ordinal);

    /// <summary>Runs the check on a reading without recording it.</summary>
    public TrustAnchorCheckResult Check(string device, TrustAnchorReading reading) =>
        new TrustAnchorCheck(bench.Rig.TrustAnchors.CheckEnvironment()).Check(reading.Report, RigParties.For(bench.Rig[device].Type));

    /// <summary>Checks a reading, keeps it as the device's latest, and attaches both as evidence.</summary>
    public TrustAnchorCheckResult Record(string device, string via, TrustAnchorReading reading)
    {
        var result = Check(device, reading);
        _checked[device] = (reading, result);
        bench.Context.Attach($"Trust Anchor Cells of {device} ({via})", reading.Describe());
        bench.Context.Attach($"AC 3.1–3.2 check of {device} ({via})", result.Passed
            ? result + Environment.NewLine + string.Join(Environment.NewLine, result.Conforming.Select(v => "  " + v))
            : result.ToString());
        return result;
    }

    public (TrustAnchorReading Reading, TrustAnchorCheckResult Result) Latest(string device) =>
        _checked.TryGetValue(device, out var c) ? c : throw new StepArgumentException($"The Trust Anchor Cells of {device} were not read: a When step must read them first.");

    /// <summary>The one reading of the scenario, for steps that judge "the finding".</summary>
    public (TrustAnchorReading Reading, TrustAnchorCheckResult Result) Only =>
        _checked.Count == 1 ? _checked.Values.Single() : throw new StepArgumentException($"This step judges the one device read, but {_checked.Count} were: {string.Join(", ", _checked.Keys)}.");
}
