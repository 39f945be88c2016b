using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Products;

/// <summary>F2.2, F2.8, F2.14–F2.15 and AC 2.9: the Panel-signed CPL the DCC verifies before it relies on it.</summary>
public sealed class CplTests
{
    private TestWorld _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await TestWorld.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<CplDocumentRecord>> Receive(string document) => _w.Products.ReceiveCplAsync(document, _w.Ct);

    private async Task<Refusal> RefusedAndCplUnchangedAsync(string document, string clause, string field)
    {
        var entriesBefore = JsonSerializer.Serialize(await _w.Products.CplEntriesAsync(_w.Ct));
        var latestBefore = await _w.Products.LatestCplAsync(_w.Ct);
        var refusal = await _w.RefusedUnchangedAsync(() => Receive(document), clause);
        Assert.That(refusal.Field, Is.EqualTo(field), refusal.ToString);
        Assert.That(JsonSerializer.Serialize(await _w.Products.CplEntriesAsync(_w.Ct)), Is.EqualTo(entriesBefore));
        Assert.That(await _w.Products.LatestCplAsync(_w.Ct), Is.EqualTo(latestBefore));
        return refusal;
    }

    [Test, Category("F2.14")]
    public async Task F2_14_signed_cpl_with_every_f2_2_field_is_accepted_and_used()
    {
        var newModel = new DeviceModel("Acme", "E-3", "2.0", "1.0");
        var record = (await Receive(_w.SignedCpl(_w.StandardEntries().Append(_w.Entry("ESME", newModel))))).Must();
        Assert.That((record.EntryCount, record.ReceivedAt, record.SmiUpdatedAt), Is.EqualTo((9, Start, (DateTimeOffset?)null)));
        var entry = (await _w.Products.CplEntriesAsync(_w.Ct)).Single(e => e.Model == newModel);
        Assert.That(entry.HardwareReleaseNotes, Does.Contain("2.0"));
        Assert.That(entry.FirmwareHash, Has.Length.EqualTo(64));
        Assert.That(entry.AssuranceCertificates, Is.Not.Empty);
        Assert.That(entry.CpaExpiry, Is.EqualTo(new DateOnly(2031, 1, 1)));
        (await _w.Smi.AddDeviceAsync(new AddDeviceRequest(ImportSupplier, _w.NewId(), DeviceType.ESME, newModel, SmetsGeneration.SMETS2Plus), _w.Ct)).Must();
    }

    [Test, Category("F2.15")]
    public async Task F2_15_a_cpl_signed_by_another_key_is_refused_and_nothing_changes()
    {
        using var impostor = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var refusal = await RefusedAndCplUnchangedAsync(_w.SignedCpl([_w.Entry("ESME", Smets2Esme)], key: impostor), "F2.15(a)", "signature");
        Assert.That(refusal.Code, Is.EqualTo("CplSignatureInvalid"));
        (await _w.Smi.AddDeviceAsync(new AddDeviceRequest(ImportSupplier, _w.NewId(), DeviceType.GSME, Smets2Gsme, SmetsGeneration.SMETS2Plus), _w.Ct)).Must();
    }

    [Test, Category("F2.15")]
    public async Task F2_15_a_cpl_whose_payload_was_altered_after_signing_is_refused()
    {
        var signed = JsonDocument.Parse(_w.SignedCpl(_w.StandardEntries())).RootElement;
        var payload = Encoding.UTF8.GetString(Convert.FromBase64String(signed.GetProperty("payload").GetString()!)).Replace("E-2", "E-9");
        var tampered = JsonSerializer.Serialize(new { payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)), signature = signed.GetProperty("signature").GetString() });
        await RefusedAndCplUnchangedAsync(tampered, "F2.15(a)", "signature");
    }

    [Test, Category("F2.15")]
    public async Task F2_15_a_cpl_without_signature_is_refused() =>
        await RefusedAndCplUnchangedAsync(JsonSerializer.Serialize(new { payload = Convert.ToBase64String("{}"u8.ToArray()) }), "F2.14(a)", "signature");

    [Test, Category("F2.15")]
    public async Task F2_15_a_dcc_without_a_panel_key_refuses_every_cpl()
    {
        await using var w = await TestWorld.CreateAsync(publishCpl: false);
        var noKey = new ProductCatalogue(w.Dcc.Store, w.Clock, new DccOptions());
        var refusal = (await noKey.ReceiveCplAsync(w.SignedCpl(w.StandardEntries()), w.Ct)).Refused("F2.15(a)", "NoPanelKey");
        Assert.That(refusal.Message, Does.Contain("--panel-key"));
    }

    [Test, Category("F2.14")]
    public async Task F2_14_malformed_document_is_refused() =>
        await RefusedAndCplUnchangedAsync("{ not json", "F2.14(a)", "(document)");

    [Test, Category("F2.15")]
    public async Task F2_15_an_older_or_replayed_cpl_does_not_replace_the_newer_one()
    {
        var refusal = await RefusedAndCplUnchangedAsync(_w.SignedCpl([_w.Entry("ESME", Smets2Esme)], sequence: 1), "F2.15", "sequence");
        Assert.That(refusal.Code, Is.EqualTo("CplNotNewer"));
    }

    [TestCase("manufacturer", "F2.2(a)")]
    [TestCase("model", "F2.2(a)")]
    [TestCase("hardwareVersion", "F2.2(b)")]
    [TestCase("hardwareReleaseNotes", "F2.2(b)")]
    [TestCase("firmwareVersion", "F2.2(c)")]
    [TestCase("firmwareReleaseNotes", "F2.2(c)")]
    [TestCase("firmwareHash", "F2.2(d)")]
    [TestCase("generation", "F2.2(e)")]
    [TestCase("technicalSpecificationVersion", "F2.2(e)")]
    [TestCase("assuranceCertificates", "F2.2(f)")]
    [TestCase("cpaExpiry", "F2.2(g)")]
    [TestCase("manufacturerKey", "F2.8(a)")]
    [TestCase("firmwareHashSignature", "F2.8(b)")]
    [TestCase("deviceType", "F2.2")]
    [Category("F2.2")]
    public async Task F2_2_cpl_entry_missing_a_field_is_refused_naming_it(string field, string clause)
    {
        var entries = _w.StandardEntries().ToList();
        var broken = _w.Entry("ESME", new DeviceModel("Acme", "E-4", "1", "1"));
        broken.Remove(field);
        entries.Insert(2, broken);
        var refusal = await RefusedAndCplUnchangedAsync(_w.SignedCpl(entries), clause, $"entries[2].{field}");
        Assert.That(refusal.Message, Does.Contain($"entries[2].{field}"));
    }

    [Test, Category("F2.2")]
    public async Task F2_2_smets1_and_ppmid_entries_need_no_cpa_expiry()
    {
        var entries = _w.StandardEntries();
        Assert.That(entries.Where(e => !e.ContainsKey("cpaExpiry")).Select(e => e["model"]), Is.EquivalentTo(new[] { "P-2", "CH-1", "E-1", "G-1", "P-1" }));
        (await Receive(_w.SignedCpl(entries))).Must();
    }

    [Test, Category("F2.2")]
    public async Task F2_2_cpl_listing_a_model_twice_is_refused() =>
        await RefusedAndCplUnchangedAsync(_w.SignedCpl([_w.Entry("ESME", Smets2Esme), _w.Entry("ESME", Smets2Esme)]), "F2.2", "entries[1]");

    [Test, Category("F2.8(c)")]
    public async Task F2_8_c_firmware_hash_signed_by_another_key_is_refused()
    {
        using var other = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var entries = _w.StandardEntries().Append(_w.Entry("ESME", new DeviceModel("Acme", "E-5", "1", "1"), signer: other));
        var refusal = await RefusedAndCplUnchangedAsync(_w.SignedCpl(entries), "F2.8(c)", "entries[8].firmwareHashSignature");
        Assert.That(refusal.Code, Is.EqualTo("FirmwareHashSignatureInvalid"));
    }

    [Test, Category("F2.8(c)")]
    public async Task F2_8_c_signature_over_a_different_hash_is_refused()
    {
        var entry = _w.Entry("ESME", new DeviceModel("Acme", "E-6", "1", "1"));
        entry["firmwareHash"] = new string('a', 64);
        await RefusedAndCplUnchangedAsync(_w.SignedCpl(_w.StandardEntries().Append(entry)), "F2.8(c)", "entries[8].firmwareHashSignature");
    }

    [Test, Category("F2.8(a)")]
    public async Task F2_8_a_manufacturer_key_that_is_not_an_ecdsa_key_is_refused()
    {
        var entry = _w.Entry("ESME", new DeviceModel("Acme", "E-7", "1", "1"));
        entry["manufacturerKey"] = Convert.ToBase64String("not a key"u8.ToArray());
        await RefusedAndCplUnchangedAsync(_w.SignedCpl(_w.StandardEntries().Append(entry)), "F2.8(a)", "entries[8].manufacturerKey");
    }

    [Test, Category("AC-2.9")]
    public async Task AC_2_9_cpl_listing_a_type2_device_is_refused()
    {
        var refusal = await RefusedAndCplUnchangedAsync(_w.SignedCpl(_w.StandardEntries().Append(_w.Entry("IHD", Ihd))), "AC-2.9", "entries[8].deviceType");
        Assert.That(refusal.Code, Is.EqualTo("Type2OnCpl"));
    }

    [Test, Category("F2.15")]
    public async Task F2_15_b_smi_follows_the_new_cpl_within_the_configured_delay_and_never_later_than_24_hours()
    {
        await using var w = await TestWorld.CreateAsync(options: new DccOptions { CplSmiUpdateDelay = TimeSpan.FromHours(24) }, publishCpl: false);
        (await w.Products.ReceiveCplAsync(w.SignedCpl(w.StandardEntries()), w.Ct)).Must();
        w.Clock.Advance(TimeSpan.FromHours(24));
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        var esme = await w.AddAsync(DeviceType.ESME, Smets2Esme);

        (await w.Products.ReceiveCplAsync(w.SignedCpl(w.StandardEntries().Where(e => (string)e["model"]! != Smets2Esme.Model)), w.Ct)).Must();
        // The DCC relies on the new CPL at once (F2.15): the removed model can no longer be added ...
        (await w.Smi.AddDeviceAsync(new AddDeviceRequest(ImportSupplier, w.NewId(), DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus), w.Ct)).Refused("AC-2.6");
        // ... and the SMI follows by the end of the allowed period.
        w.Clock.Advance(TimeSpan.FromHours(23));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).CplDocumentsApplied, Is.Zero);
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Pending));
        w.Clock.Advance(TimeSpan.FromHours(1));
        var report = await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That((report.CplDocumentsApplied, report.DevicesSuspended), Is.EqualTo((1, 1)));
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Suspended));
        Assert.That((await w.Products.LatestCplAsync(w.Ct))!.SmiUpdatedAt, Is.EqualTo(w.Clock.UtcNow));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).DidAnything, Is.False, "the duties are idempotent");
    }

    [Test, Category("F2.15")]
    public void F2_15_b_a_delay_longer_than_24_hours_is_refused_as_configuration() =>
        Assert.That(() => new DccOptions { CplSmiUpdateDelay = TimeSpan.FromHours(25) }.Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("F2.15(b)"));

    [Test, Category("F2.15")]
    public void F2_15_a_panel_key_that_is_not_pem_is_refused_as_configuration() =>
        Assert.That(() => new DccOptions { PanelPublicKeysPem = ["garbage"] }.Validate(), Throws.ArgumentException.With.Message.Contains("PEM"));

    [Test, Category("F2.15")]
    public async Task F2_15_der_encoded_signatures_are_accepted_too()
    {
        var payload = JsonSerializer.Serialize(new { sequence = 99, issuedAt = "2025-01-01T00:00:00Z", entries = _w.StandardEntries() });
        var bytes = Encoding.UTF8.GetBytes(payload);
        var der = _w.PanelKey.SignData(bytes, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        (await Receive(JsonSerializer.Serialize(new { payload = Convert.ToBase64String(bytes), signature = Convert.ToBase64String(der) }))).Must();
    }

    // ---- F2.12: a Device Model whose CPA Certificate expired leaves the CPL ----

    private static readonly DeviceModel ExpiringEsme = new("Acme", "E-X", "1.0", "1.0");

    [Test, Category("F2.12")]
    public async Task F2_12_a_cpl_still_listing_a_model_whose_cpa_certificate_expired_before_its_issue_is_refused()
    {
        var expiredYesterday = DateOnly.FromDateTime(Start.UtcDateTime).AddDays(-1);
        var refusal = await RefusedAndCplUnchangedAsync(
            _w.SignedCpl(_w.StandardEntries().Append(_w.Entry("ESME", ExpiringEsme, cpaExpiry: expiredYesterday))), "F2.12", "entries[8].cpaExpiry");
        Assert.That(refusal.Code, Is.EqualTo("CpaCertificateExpired"));
        Assert.That(refusal.Message, Does.Contain(ExpiringEsme.ToString()));
    }

    [Test, Category("F2.12")]
    public async Task F2_12_a_cpl_listing_a_model_whose_cpa_certificate_expires_later_is_accepted()
    {
        var tomorrow = DateOnly.FromDateTime(Start.UtcDateTime).AddDays(1);
        (await Receive(_w.SignedCpl(_w.StandardEntries().Append(_w.Entry("ESME", ExpiringEsme, cpaExpiry: tomorrow))))).Must();
        Assert.That((await _w.Products.CplEntriesAsync(_w.Ct)).Select(e => e.Model), Does.Contain(ExpiringEsme));
    }

    [Test, Category("F2.12")]
    public async Task F2_12_when_the_cpa_certificate_expires_the_model_leaves_the_cpl_and_its_devices_are_suspended()
    {
        var expiry = DateOnly.FromDateTime(Start.UtcDateTime).AddMonths(2);
        await _w.PublishCplAsync(_w.StandardEntries().Append(_w.Entry("ESME", ExpiringEsme, cpaExpiry: expiry)));
        var (chf, _) = await _w.DeliverHubAsync();
        await _w.CommissionChfAsync(chf);
        var esme = await _w.AddAsync(DeviceType.ESME, ExpiringEsme);
        await _w.InstallAsync(chf, esme, Mpan);

        _w.Clock.Set(new DateTimeOffset(expiry.AddDays(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var before = await _w.Dcc.Duties.RunDueAsync(_w.Ct);
        Assert.That(before.CplEntriesExpired, Is.Zero);
        Assert.That((await _w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));

        _w.Clock.Set(new DateTimeOffset(expiry.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero));
        var report = await _w.Dcc.Duties.RunDueAsync(_w.Ct);
        Assert.That((report.CplEntriesExpired, report.DevicesSuspended), Is.EqualTo((1, 1)));
        var models = (await _w.Products.CplEntriesAsync(_w.Ct)).Select(e => e.Model).ToList();
        Assert.That(models, Does.Not.Contain(ExpiringEsme));
        Assert.That(models, Has.Count.EqualTo(8), "the other models stay listed");
        var device = await _w.DeviceAsync(esme);
        Assert.That((device.Status, device.StatusBeforeSuspension), Is.EqualTo(((SmiStatus?)SmiStatus.Suspended, (SmiStatus?)SmiStatus.InstalledNotCommissioned)));
        (await _w.Smi.AddDeviceAsync(new AddDeviceRequest(ImportSupplier, _w.NewId(), DeviceType.ESME, ExpiringEsme, SmetsGeneration.SMETS2Plus), _w.Ct)).Refused("AC-2.6");

        Assert.That((await _w.Dcc.Duties.RunDueAsync(_w.Ct)).CplEntriesExpired, Is.Zero, "running the duty again removes nothing more");
    }
}
