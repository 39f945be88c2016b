using NUnit.Framework;
using SecDcc.Rigs.TrustAnchors;
using SecDcc.Scenarios;
using SecDcc.Smki.TrustAnchors;
using SecDcc.Steps.Bench;

namespace SecDcc.Steps.TrustAnchors;

/// <summary>
/// AC 3.1–3.2 for every device of the rig under test that rigs/trust-anchors/cells.yaml requires cells of: each read
/// over its local port and judged by SecDcc.Smki's check, and each clause's findings judged on their own, so a device
/// that breaks one clause fails that clause's scenario and no other.
/// </summary>
[Binding]
public sealed class RigUnderTestTrustAnchorSteps(BenchWorld bench)
{
    private readonly List<(string Device, TrustAnchorReading Reading, TrustAnchorCheckResult Result)> _checked = [];

    [When("^the harness reads the Trust Anchor Cells of every device of the rig under test over its local port$")]
    public async Task WhenEveryDeviceRead()
    {
        var anchors = bench.Rig.TrustAnchors;
        var devices = bench.Rig.Devices.Where(d => anchors.RequiredCells(d.Definition) is { Count: > 0 }).ToList();
        if (devices.Count == 0)
            Assert.Ignore($"The rig under test {bench.Rig.Definition.Name} has no device of a type {anchors.Settings.CellsFile ?? "the cells table"} requires Trust Anchor Cells of.");
        var check = new TrustAnchorCheck(anchors.CheckEnvironment());
        foreach (var device in devices)
        {
            TrustAnchorReading reading;
            await using (var port = bench.Ports.OpenLocalPort(device.Name))
            {
                reading = TrustAnchorReading.From(await port.ReadIdentityAsync(bench.Ct), await port.ReadCredentialsAsync(bench.Ct));
            }

            var result = check.Check(reading.Report, RigParties.For(device.Type));
            bench.Context.Attach($"Trust Anchor Cells of {device.Name} (local port)", reading.Describe());
            bench.Context.Attach($"AC 3.1–3.2 check of {device.Name}", result.ToString());
            _checked.Add((device.Name, reading, result));
        }
    }

    [Then("^no device has left empty a Trust Anchor Cell it must have$")]
    public void ThenNoneEmpty()
    {
        AssertNoFindingsUnder("AC-3.1");
        var unjudged = _checked
            .Select(c => (c.Device, Missing: bench.Rig.TrustAnchors.RequiredCells(bench.Rig[c.Device].Definition)!.Except(c.Result.Conforming.Select(v => v.Cell))
                .Except(c.Result.Findings.Select(f => f.Cell).OfType<TrustAnchorCellId>()).ToList()))
            .Where(u => u.Missing.Count > 0)
            .Select(u => $"{u.Device}: {string.Join(", ", u.Missing)}")
            .ToList();
        Assert.That(unjudged, Is.Empty, "every required cell of every device is judged, so a cell the device does not report is not passed over");
    }

    [Then("^every populated cell holds a certificate that AC 3.2\\(a\\) allows for its Remote Party Role$")]
    public void ThenAllowed() => AssertNoFindingsUnder("AC-3.2(a)");

    [Then("^every populated cell holds a certificate of the cell's own keyUsage$")]
    public void ThenKeyUsage() => AssertNoFindingsUnder("AC-3.2(b)");

    private void AssertNoFindingsUnder(string clause)
    {
        if (_checked.Count == 0)
            throw new StepArgumentException("No device's Trust Anchor Cells were read: a When step must read them first.");
        var findings = _checked
            .SelectMany(c => c.Result.Findings.Where(f => f.Clause == clause).Select(f => $"{c.Device}: {f.Message}"))
            .ToList();
        Assert.That(findings, Is.Empty, $"findings under {clause} on the rig under test {bench.Rig.Definition.Name} ({_checked.Count} devices checked)");
    }
}
