using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>
/// Each quirk turns exactly one conforming behaviour into a non-conforming one: the probe that finds nothing wrong
/// with the conforming models finds that behaviour, and only that one, broken under the quirk.
/// </summary>
public sealed class QuirkTests
{
    private static readonly TimeSpan DccTimeout = TimeSpan.FromSeconds(1.5);

    [Test]
    [CancelAfter(60_000)]
    public async Task Conforming_models_break_no_behaviour(CancellationToken ct)
    {
        TestRigs.RequirePseudoTerminals();
        var report = await ConformanceProbe.RunAsync((state, wan) => TestRigs.Small(state, wan: wan), DccTimeout, ct);
        Assert.That(report.Failed, Is.Empty, report.ToString());
    }

    [Test]
    [CancelAfter(60_000)]
    public Task No_han_alert_breaks_only_the_han_alert(CancellationToken ct) =>
        ExpectOnly(Behaviour.HanAlertRaised, ch: [new Quirk(QuirkKind.NoHanAlert)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public Task Wrong_firmware_hash_breaks_only_the_reported_hash(CancellationToken ct) =>
        ExpectOnly(Behaviour.FirmwareHashMatchesModel, esme: [new Quirk(QuirkKind.WrongFirmwareHash)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public Task Forgetful_device_log_breaks_only_the_log_across_a_restart(CancellationToken ct) =>
        ExpectOnly(Behaviour.DeviceLogSurvivesRestart, esme: [new Quirk(QuirkKind.ForgetfulDeviceLog)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public Task Late_responses_break_only_the_response_time(CancellationToken ct) =>
        ExpectOnly(Behaviour.ResponsesInTime, ch: [new Quirk(QuirkKind.LateResponses, DccTimeout * 2)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public Task Refuse_type2_join_breaks_only_the_ihd_join(CancellationToken ct) =>
        ExpectOnly(Behaviour.Type2JoinAccepted, esme: [new Quirk(QuirkKind.RefuseType2Join)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public Task Wrong_wan_key_breaks_only_the_signatures(CancellationToken ct) =>
        ExpectOnly(Behaviour.WanSignaturesVerify, ch: [new Quirk(QuirkKind.WrongWanKey)], ct: ct);

    [Test]
    [CancelAfter(60_000)]
    public async Task Bench_and_trust_anchor_quirks_break_none_of_the_wan_behaviours(CancellationToken ct)
    {
        // Each of these is shown caught by its own check (PulseTests, OpticalTests, TrustAnchorTests); here, that it changes nothing else.
        TestRigs.RequirePseudoTerminals();
        Quirk[] quirks =
        [
            new(QuirkKind.PulseMiscount), new(QuirkKind.WrongOpticalFirmware), new(QuirkKind.EmptyRecoveryCell),
            new(QuirkKind.WrongKeyUsageCell), new(QuirkKind.UnconsentedSupplierCell),
        ];
        var report = await ConformanceProbe.RunAsync((state, wan) => TestRigs.WithBench(TestRigs.Small(state, chQuirks: quirks[2..], esmeQuirks: quirks, wan: wan), Path.Combine(RepoPaths.Rigs, "trust-anchors", "cells.yaml")), DccTimeout, ct);
        Assert.That(report.Failed, Is.Empty, report.ToString());
    }

    private static async Task ExpectOnly(Behaviour broken, Quirk[]? ch = null, Quirk[]? esme = null, CancellationToken ct = default)
    {
        TestRigs.RequirePseudoTerminals();
        var report = await ConformanceProbe.RunAsync((state, wan) => TestRigs.Small(state, ch, esme, wan), DccTimeout, ct);
        Assert.That(report.Failed, Is.EquivalentTo(new[] { broken }), report.ToString());
    }
}
