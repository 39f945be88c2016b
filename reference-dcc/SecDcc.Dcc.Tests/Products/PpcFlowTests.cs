using System.Security.Cryptography;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Products;

/// <summary>
/// The PPC service from request to EPC (BEIS consultation 2.5, 6.10–6.13, H14.36): combination identity, outcome records,
/// the 6.13 notice and judgement, the signed lists, and a changed combination refused enrolment until its own test passes (6.11, H5).
/// </summary>
public sealed class PpcFlowTests
{
    private TestWorld _w = null!;
    private static readonly PartyId Manufacturer = PartyId.Parse("00-11-22-33-44-55-66-77");
    private static readonly DeviceModel[] Combo = [Smets1Hub, Smets1Esme];
    private static readonly DeviceModel EsmeNewFirmware = Smets1Esme with { FirmwareVersion = "13" };

    [SetUp]
    public async Task SetUp() => _w = await TestWorld.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    [Test, Category("PPC")]
    public void Combination_identity_ignores_order_duplicates_and_whitespace()
    {
        var spaced = new DeviceModel(" Legacy ", "CH-1", "A", " 7");
        Assert.That(CombinationIdentity.Of([Smets1Esme, spaced, Smets1Esme]), Is.EqualTo(CombinationIdentity.Of([Smets1Hub, Smets1Esme])));
        Assert.That(CombinationIdentity.Of(Combo), Has.Length.EqualTo(64).And.Match("^[0-9a-f]+$"));
    }

    [Test, Category("PPC")]
    public void Combination_identity_changes_with_any_component_version()
    {
        var identities = new[]
        {
            CombinationIdentity.Of(Combo),
            CombinationIdentity.Of([Smets1Hub, EsmeNewFirmware]),
            CombinationIdentity.Of([Smets1Hub, Smets1Esme with { HardwareVersion = "B" }]),
            CombinationIdentity.Of([Smets1Hub with { Model = "CH-2" }, Smets1Esme]),
            CombinationIdentity.Of([Smets1Hub, Smets1Esme, Smets1Ppmid]),
        };
        Assert.That(identities, Is.Unique);
    }

    [Test, Category("PPC")]
    public void Combination_identity_is_fixed_by_its_canonical_form()
    {
        // The CLI's combination files compute the same value; a change to the form must change FormVersion.
        Assert.That(CombinationIdentity.CanonicalForm(Combo), Is.EqualTo("secdcc-combination-v1\nLegacy\u001fCH-1\u001fA\u001f7\nLegacy\u001fE-1\u001fA\u001f12"));
        Assert.That(CombinationIdentity.Of(Combo), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData("secdcc-combination-v1\nLegacy\u001fCH-1\u001fA\u001f7\nLegacy\u001fE-1\u001fA\u001f12"u8))));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_12_result_recorded_by_identity_and_the_entry_keeps_its_dates_and_outcome()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        _w.Clock.Advance(TimeSpan.FromDays(3));
        (await _w.Products.RecordPpcTestResultAsync(c.Identity, new PpcTestResult { Passed = true }, _w.Ct)).Must();
        var record = (await _w.Products.PpcRecordsAsync(_w.Ct)).Single();
        Assert.That((record.Identity, record.Outcome, record.RequestedAt, record.ConcludedAt, record.Requester),
            Is.EqualTo((c.Identity, PpcOutcome.Passed, Start, (DateTimeOffset?)Start.AddDays(3), (PartyId?)Manufacturer)));
        Assert.That((await _w.Products.CombinationsAsync(CombinationList.EPC, _w.Ct)).Single().AddedAt, Is.EqualTo(Start.AddDays(3)));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_failure_notice_names_each_failed_step_and_the_judgement()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        var result = new PpcTestResult
        {
            Passed = false,
            Failures = [new PpcFailure("HAN alert", "no AC 4.4 HAN alert within the window after Update HAN Device Log"), new PpcFailure("Join Service", "no Response")],
            Judgement = new PpcJudgement(MaterialChangeToDccSystems: true, SecModification: false),
        };
        (await _w.Products.RecordPpcTestResultAsync(c.Identity, result, _w.Ct)).Must();
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That((notice.Kind, notice.Clause, notice.Recipient), Is.EqualTo((NotificationKind.PpcTestFailed, "PPC-6.13", new Recipient(RecipientKind.TestingParticipant, Manufacturer))));
        Assert.That(notice.Message, Does.Contain("HAN alert: no AC 4.4 HAN alert").And.Contain("Join Service: no Response")
            .And.Contain("material change to DCC Systems").And.Contain("cannot be referred to the Panel").And.Contain(c.Identity));
        var record = (await _w.Products.PpcRecordsAsync(_w.Ct)).Single();
        Assert.That((record.Outcome, record.Failures.Count, record.Judgement), Is.EqualTo((PpcOutcome.NotCompleted, 2, (PpcJudgement?)result.Judgement)));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_device_fault_failure_tells_the_requester_no_dcc_or_sec_change_is_needed()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        (await _w.Products.RecordPpcTestResultAsync(c.Identity, new PpcTestResult { Passed = false, Failures = [new PpcFailure("CHF commissioning", "signature does not verify")] }, _w.Ct)).Must();
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That(notice.Clause, Is.EqualTo("PPC-6.13"));
        Assert.That(notice.Message, Does.Contain("CHF commissioning: signature does not verify").And.Contain("neither a material change to DCC Systems nor a SEC modification").And.Not.Contain("Panel"));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_passed_result_with_failures_refused()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => _w.Products.RecordPpcTestResultAsync(c.Identity,
            new PpcTestResult { Passed = true, Failures = [new PpcFailure("Join Service", "no Response")] }, _w.Ct), "PPC-6.13");
        await _w.RefusedUnchangedAsync(() => _w.Products.RecordPpcTestResultAsync(c.Identity,
            new PpcTestResult { Passed = false, Failures = [new PpcFailure(" ", "no Response")] }, _w.Ct), "PPC-6.13");
    }

    [Test, Category("PPC")]
    public async Task PPC_6_10_request_refused_when_the_same_identity_is_on_the_epc_with_other_spacing()
    {
        (await _w.Products.AddEligibleCombinationAsync(Combo, _w.Ct)).Must();
        (await _w.Products.RequestPpcTestAsync(Manufacturer, [Smets1Hub, Smets1Esme with { FirmwareVersion = " 12 " }], _w.Ct)).Refused("PPC-6.10", "AlreadyOnEpc");
    }

    [Test, Category("PPC")]
    public async Task PPC_2_5_signed_lists_verify_with_the_dcc_key_and_hold_no_failure_details()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (await _w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Gsme], _w.Ct)).Must();
        var passed = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        var failed = (await _w.Products.RequestPpcTestAsync(Manufacturer, [Smets1Hub, Smets1Ppmid], _w.Ct)).Must();
        var pending = (await _w.Products.RequestPpcTestAsync(Manufacturer, [Smets1Hub, Smets1Esme, Smets1Ppmid], _w.Ct)).Must();
        (await _w.Products.RecordPpcTestResultAsync(passed.Identity, new PpcTestResult { Passed = true }, _w.Ct)).Must();
        (await _w.Products.RecordPpcTestResultAsync(failed.Identity, new PpcTestResult { Passed = false, Failures = [new PpcFailure("Join Service", "secret-detail")] }, _w.Ct)).Must();

        var signed = await _w.Products.SignedListsAsync(key, _w.Ct);
        var lists = ProductListsDocument.Verify(signed, key.ExportSubjectPublicKeyInfoPem()).Must();
        Assert.That(lists.Epc.Select(e => e.Identity), Is.EquivalentTo(new[] { CombinationIdentity.Of([Smets1Hub, Smets1Gsme]), passed.Identity }));
        Assert.That(lists.Ppc.Select(p => (p.Identity, p.Outcome)), Is.EquivalentTo(new[]
        {
            (passed.Identity, "Passed"), (failed.Identity, "NotCompleted"), (pending.Identity, "Pending"),
        }));
        Assert.That(signed, Does.Not.Contain("secret-detail"));
        Assert.That(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(System.Text.Json.JsonDocument.Parse(signed).RootElement.GetProperty("payload").GetString()!)),
            Does.Not.Contain("secret-detail"), "6.13: the issues found are for the requester alone");
    }

    [Test, Category("PPC")]
    public async Task PPC_2_5_signed_lists_refused_under_another_key_or_when_altered()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        (await _w.Products.AddEligibleCombinationAsync(Combo, _w.Ct)).Must();
        var signed = await _w.Products.SignedListsAsync(key, _w.Ct);
        ProductListsDocument.Verify(signed, other.ExportSubjectPublicKeyInfoPem()).Refused("PPC-2.5", "BadSignature");
        using var doc = System.Text.Json.JsonDocument.Parse(signed);
        var payload = System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(doc.RootElement.GetProperty("payload").GetString()!)).Replace("\"12\"", "\"13\"");
        var altered = System.Text.Json.JsonSerializer.Serialize(new { payload = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(payload)), signature = doc.RootElement.GetProperty("signature").GetString() });
        ProductListsDocument.Verify(altered, key.ExportSubjectPublicKeyInfoPem()).Refused("PPC-2.5", "BadSignature");
    }

    [Test, Category("PPC")]
    public async Task PPC_6_11_firmware_upgrade_refused_enrolment_until_its_own_ppc_test_passes()
    {
        await using var w = await TestWorld.CreateAsync(publishCpl: false);
        await w.PublishCplAsync(w.StandardEntries().Append(w.Entry("ESME", EsmeNewFirmware, smets1: true)));
        (await w.Products.AddEligibleCombinationAsync(Combo, w.Ct)).Must();
        foreach (var m in new[] { Smets1Hub, EsmeNewFirmware })
            await w.DeclareAsync(m);
        var (chf, _) = await w.AddSmets1HubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, EsmeNewFirmware, SmetsGeneration.SMETS1);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);

        await w.RefusedUnchangedAsync(() => w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct), "H5", "CombinationNotOnEpc");
        var changed = (await w.Products.RequestPpcTestAsync(Manufacturer, [Smets1Hub, EsmeNewFirmware], w.Ct)).Must();
        Assert.That(changed.Identity, Is.Not.EqualTo(CombinationIdentity.Of(Combo)), "the EPC verdict does not carry over to the new firmware");
        await w.RefusedUnchangedAsync(() => w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(ImportSupplier, esme), w.Ct), "H5", "CombinationNotOnEpc");

        (await w.Products.RecordPpcTestResultAsync(changed.Identity, new PpcTestResult { Passed = true }, w.Ct)).Must();
        await w.CommissionMeterAsync(esme);
    }
}
