using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

public sealed class DeviceModelFileTests
{
    private const string Hash = "2f78878c190e649c3b6d35616ce5ca91e7b8aa27c820174f3baa5dbc4129ee6f";

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder() => _folder = new TempFolder();

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_model_with_quirks_loads_them_with_their_settings()
    {
        var model = DeviceModelFile.Load(Write("CH", "SMETS1", "quirks:\n  - no-han-alert\n  - late-responses: { delay: 1500ms }"));
        Assert.Multiple(() =>
        {
            Assert.That(model.Kind, Is.EqualTo(ModelKind.CH));
            Assert.That(model.FirmwareHash.ToHex(), Is.EqualTo(Hash.ToUpperInvariant()));
            Assert.That(model.Quirks.Has(QuirkKind.NoHanAlert), Is.True);
            Assert.That(model.Quirks.ResponseDelay, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
            Assert.That(model.Quirks.Has(QuirkKind.WrongWanKey), Is.False);
        });
    }

    [Test]
    public void Late_responses_without_a_delay_wait_longer_than_a_dcc_would()
    {
        var model = DeviceModelFile.Load(Write("ESME", "SMETS1", "quirks: [late-responses]"));
        Assert.That(model.Quirks.ResponseDelay, Is.EqualTo(Quirk.DefaultLateResponseDelay));
    }

    [Test]
    public void A_type2_model_has_no_smets_version()
    {
        var model = DeviceModelFile.Load(Write("IHD", null));
        Assert.That(model.Smets, Is.Empty);
        var path = Write("IHD", "SMETS1");
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:4:8: smets: an IHD is a Type 2 device and has no SMETS version on the CPL (AC 2.9)"));
    }

    [Test]
    public void A_type1_model_needs_a_smets_version()
    {
        var path = Write("ESME", null);
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:1:1: smets: required field 'smets' is missing — an ESME model is SMETS1 or SMETS2+"));
    }

    [TestCase("quirks: [no-han-alert]", "ESME", "5:10: quirks[0]: quirk 'no-han-alert' changes a behaviour an ESME model does not have")]
    [TestCase("quirks: [wrong-wan-key]", "IHD", "4:10: quirks[0]: quirk 'wrong-wan-key' changes a behaviour an IHD model does not have")]
    [TestCase("quirks: [wrong-firmware-hash, wrong-firmware-hash]", "ESME", "quirks[1]: quirk 'wrong-firmware-hash' is listed twice")]
    [TestCase("quirks:\n  - late-responses: { delay: soon }", "ESME", "quirks[0].late-responses.delay: 'soon' is not a duration")]
    [TestCase("quirks:\n  - late-responses: { dealy: 2s }", "ESME", "quirks[0].late-responses.dealy: unknown field 'dealy' — did you mean 'delay'?")]
    [TestCase("quirks: no-han-alert", "CH", "quirks: expected a list of quirk names")]
    [TestCase("deviceType2: CH", "CH", "deviceType2: unknown field 'deviceType2'")]
    [TestCase("smets: SMETS3", "CH", "smets: 'SMETS3' is not a SMETS version")]
    public void Mistakes_in_a_model_are_named(string extra, string kind, string expected)
    {
        var smets = kind is "IHD" ? null : extra.StartsWith("smets", StringComparison.Ordinal) ? null : "SMETS1";
        var path = Write(kind, smets, extra);
        Assert.That(Errors(path), Has.Some.Contains(expected));
    }

    [Test]
    public void Bench_fields_load_a_meter_constant_a_join_window_a_flag_id_and_a_miscount_rate()
    {
        var model = DeviceModelFile.Load(Write("ESME", "SMETS1", "meterConstant: 800\njoinWindow: button, 90s\nflagId: ACM\nquirks:\n  - pulse-miscount: { every: 20 }"));
        var plain = DeviceModelFile.Load(Write("ESME", "SMETS1"));
        Assert.Multiple(() =>
        {
            Assert.That(model.MeterConstant, Is.EqualTo(800));
            Assert.That(model.JoinWindow, Is.EqualTo(new JoinWindowPolicy(TimeSpan.FromSeconds(90))));
            Assert.That(model.FlagId, Is.EqualTo("ACM"));
            Assert.That(model.Quirks.MiscountEvery, Is.EqualTo(20));
            Assert.That((plain.MeterConstant, plain.JoinWindow, plain.FlagId), Is.EqualTo(((int?)null, (JoinWindowPolicy?)null, "SDC")));
            Assert.That(plain.Quirks.MiscountEvery, Is.Null);
        });
    }

    [TestCase("meterConstant: 1000", "GSME", "meterConstant: a GSME model has no pulse LED in imp/kWh")]
    [TestCase("meterConstant: 0", "ESME", "meterConstant: 0 imp/kWh is not a meter constant")]
    [TestCase("joinWindow: 60s", "ESME", "joinWindow: '60s' is not a join window; write 'button, 60s'")]
    [TestCase("joinWindow: button, 60s", "IHD", "joinWindow: an IHD model keeps no Device Log that devices join")]
    [TestCase("flagId: ACME", "ESME", "flagId: 'ACME' is not a FLAG ID")]
    [TestCase("quirks: [pulse-miscount]", "ESME", "quirks: quirk 'pulse-miscount' needs the model's 'meterConstant'")]
    [TestCase("meterConstant: 1000\nquirks:\n  - pulse-miscount: { every: 1 }", "ESME", "quirks[0].pulse-miscount.every: 1 would miss every pulse")]
    [TestCase("quirks: [wrong-optical-firmware]", "CH", "quirk 'wrong-optical-firmware' changes a behaviour a CH model does not have")]
    [TestCase("quirks: [empty-recovery-cell]", "PPMID", "quirk 'empty-recovery-cell' changes a behaviour a PPMID model does not have")]
    public void Mistakes_in_bench_fields_are_named(string extra, string kind, string expected)
    {
        var path = Write(kind, kind is "IHD" ? null : "SMETS1", extra);
        Assert.That(Errors(path), Has.Some.Contains(expected));
    }

    [Test]
    public void A_bad_device_type_lists_the_model_kinds()
    {
        var path = Write("METER", "SMETS1");
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:3:13: deviceType: 'METER' is not a Device Model type; use one of CH, ESME, GSME"));
    }

    [Test]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(_folder.Path, "absent.yaml");
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:").And.Contains("cannot read the Device Model file"));
    }

    private string Write(string kind, string? smets, string extra = "")
    {
        var text = $"manufacturer: Acme\nmodel: M-1\ndeviceType: {kind}\n" +
            (smets is null ? string.Empty : $"smets: {smets}\n") +
            (extra.Length > 0 ? extra + "\n" : string.Empty) +
            $"hardwareVersion: \"1.0\"\nfirmwareVersion: \"1.0.0\"\nfirmwareHash: {Hash}\n";
        return _folder.File($"model-{Guid.NewGuid():N}.yaml", text);
    }

    private static IReadOnlyList<string> Errors(string path) =>
        Assert.Throws<RigFileException>(() => DeviceModelFile.Load(path))!.Errors.Select(e => e.ToString()).ToArray();
}
