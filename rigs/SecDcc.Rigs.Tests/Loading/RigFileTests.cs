using SecDcc.DeviceProtocol.Messages;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

/// <summary>Each kind of mistake in a rig file is reported as file:line:column: field: message.</summary>
public sealed class RigFileTests
{
    private const string ChModel = """
        manufacturer: Acme
        model: CH-1
        deviceType: CH
        smets: SMETS1
        hardwareVersion: "1.0"
        firmwareVersion: "1.0.0"
        firmwareHash: 2f78878c190e649c3b6d35616ce5ca91e7b8aa27c820174f3baa5dbc4129ee6f
        """;

    private const string EsmeModel = """
        manufacturer: Acme
        model: ESME-1
        deviceType: ESME
        smets: SMETS1
        hardwareVersion: "1.0"
        firmwareVersion: "1.0.0"
        firmwareHash: 2f78878c190e649c3b6d35616ce5ca91e7b8aa27c820174f3baa5dbc4129ee6f
        """;

    /// <summary>A valid rig; tests change one line of it. Line numbers are noted where tests rely on them.</summary>
    private const string GoodRig = """
        name: bench
        wan:
          gateway: 127.0.0.1:7070
        devices:
          - name: chf
            id: 00-DB-12-34-56-78-00-01
            type: CHF
            model: models/ch.yaml
            port: emulated
          - name: gpf
            id: 00-DB-12-34-56-78-00-02
            type: GPF
            model: models/ch.yaml
            port: emulated
          - name: esme
            id: 00-DB-12-34-56-78-00-03
            type: ESME
            model: models/esme.yaml
            port: emulated
        """;

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = new TempFolder();
        _folder.File("models/ch.yaml", ChModel);
        _folder.File("models/esme.yaml", EsmeModel);
    }

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void A_valid_rig_loads_with_its_devices_models_and_wan()
    {
        var rig = RigFile.Load(Write(GoodRig));
        Assert.Multiple(() =>
        {
            Assert.That(rig.Name, Is.EqualTo("bench"));
            Assert.That(rig.Wan, Is.EqualTo(new TcpWan("127.0.0.1", 7070)));
            Assert.That(rig.Devices.Select(d => d.Name), Is.EqualTo(new[] { "chf", "gpf", "esme" }));
            Assert.That(rig.Chf.Model.Model, Is.EqualTo("CH-1"));
            Assert.That(rig.Device("esme").Type, Is.EqualTo(DeviceType.ESME));
            Assert.That(rig.Device("esme").Port, Is.EqualTo(EmulatedPort.Instance));
            Assert.That(rig.IsEmulated, Is.True);
        });
    }

    [Test]
    public void A_real_port_that_does_not_exist_is_named_with_its_position()
    {
        var path = Write(GoodRig.Replace(
            "    model: models/esme.yaml\n    port: emulated",
            "    model: models/esme.yaml\n    port: { path: /dev/ttyUSB9, baud: 9600 }"));
        var errors = Errors(path, new RigLoadOptions());
        Assert.That(errors, Has.Some.StartsWith($"{path}:19:11: devices[2].port: /dev/ttyUSB9 does not exist — check the cable or the path"));
    }

    [Test]
    public void A_yaml_syntax_error_is_placed()
    {
        var path = Write("name: bench\nwan: [unclosed\n");
        Assert.That(Errors(path)[0], Does.Match($@"^{Escape(path)}:\d+:\d+: \(syntax\): .+fix the YAML syntax"));
    }

    [Test]
    public void Unknown_fields_are_errors_with_a_suggestion()
    {
        var path = Write(GoodRig.Replace("    type: GPF", "    type: GPF\n    prot: emulated"));
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:13:5: devices[1].prot: unknown field 'prot' — did you mean 'port'?"));
    }

    [Test]
    public void An_unknown_top_level_field_is_an_error()
    {
        var path = Write("colour: blue\n" + GoodRig);
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:1:1: colour: unknown field 'colour'"));
    }

    [TestCase("wan:\n  gateway: 127.0.0.1:7070\n", "", "1:1: wan: required field 'wan' is missing")]
    [TestCase("    id: 00-DB-12-34-56-78-00-01\n", "", "5:5: devices[0].id: required field 'id' is missing")]
    [TestCase("    type: CHF\n", "", "5:5: devices[0].type: required field 'type' is missing")]
    [TestCase("    model: models/ch.yaml\n    port: emulated\n  - name: gpf", "    model: models/ch.yaml\n  - name: gpf", "5:5: devices[0].port: required field 'port' is missing")]
    [TestCase("name: bench\n", "", "1:1: name: required field 'name' is missing")]
    [TestCase("devices:", "devices: []\nold:", "4:10: devices: the rig lists no devices; add at least the CHF")]
    public void Missing_required_fields_are_named(string remove, string replacement, string expected)
    {
        var yaml = GoodRig + "\n";
        Assert.That(yaml, Does.Contain(remove), "the test's own edit must apply");
        var path = Write(ReplaceFirst(yaml, remove, replacement));
        Assert.That(Errors(path), Has.Some.StartsWith($"{path}:{expected}"));
    }

    [Test]
    public void A_bad_eui64_is_an_error_at_its_value()
    {
        var path = Write(GoodRig.Replace("00-DB-12-34-56-78-00-03", "00-DB-12-34"));
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:16:9: devices[2].id: '00-DB-12-34' is not a device EUI-64"));
    }

    [Test]
    public void A_bad_device_type_lists_the_types()
    {
        var path = Write(GoodRig.Replace("type: ESME", "type: METER"));
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:17:11: devices[2].type: 'METER' is not a Device Type; use one of ESME, GSME, CHF"));
    }

    [Test]
    public void A_missing_model_file_is_named_relative_to_the_rig()
    {
        var path = Write(GoodRig.Replace("models/esme.yaml", "models/nope.yaml"));
        var expected = Path.Combine(_folder.Path, "models/nope.yaml");
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:18:12: devices[2].model: {expected} does not exist"));
    }

    [Test]
    public void A_model_of_the_wrong_kind_for_the_device_is_refused()
    {
        var path = Write(GoodRig.Replace("type: GPF\n    model: models/ch.yaml", "type: GPF\n    model: models/esme.yaml"));
        Assert.That(Errors(path), Has.Some.Contains("devices[1].model:").And.Contains("is an ESME model and cannot describe a GPF (the CHF and GPF take a CH model)"));
    }

    [Test]
    public void Mistakes_in_a_model_file_are_reported_in_that_file()
    {
        var model = _folder.File("models/esme.yaml", EsmeModel.Replace("firmwareHash: 2f78", "firmwareHash: zz78") + "\nquirks: [no-such-quirk]");
        var errors = Errors(Write(GoodRig));
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.StartsWith($"{model}:7:15: firmwareHash: 'zz78"));
            Assert.That(errors, Has.Some.StartsWith($"{model}:8:10: quirks[0]: 'no-such-quirk' is not a known quirk; known quirks: no-han-alert"));
        });
    }

    [Test]
    public void A_non_existent_port_path_is_not_checked_when_asked_not_to()
    {
        var rig = RigFile.Load(
            Write(GoodRig.Replace("port: emulated", "port: { path: /dev/ttyUSB9, baud: 9600, parity: even, dataBits: 7, stopBits: 2 }")),
            new RigLoadOptions { CheckPortPaths = false });
        var port = (SerialPortResource)rig.Device("esme").Port;
        Assert.Multiple(() =>
        {
            Assert.That(port.Path, Is.EqualTo("/dev/ttyUSB9"));
            Assert.That(port.Settings.BaudRate, Is.EqualTo(9600));
            Assert.That(port.Settings.Parity, Is.EqualTo(Parity.Even));
            Assert.That(port.Settings.DataBits, Is.EqualTo(7));
            Assert.That(port.Settings.StopBits, Is.EqualTo(StopBits.Two));
        });
    }

    [TestCase("baud: 12345", "devices[0].port.baud: 12345 is not a baud rate the serial driver can set")]
    [TestCase("parity: mark", "devices[0].port.parity: 'mark' is not a parity; use none, even or odd")]
    [TestCase("dataBits: 5", "devices[0].port.dataBits: 5 data bits are not supported; use 7 or 8")]
    [TestCase("stopBits: 3", "devices[0].port.stopBits: 3 stop bits are not supported; use 1 or 2")]
    [TestCase("baud: fast", "devices[0].port.baud: 'fast' is not a whole number")]
    [TestCase("speed: 9600", "devices[0].port.speed: unknown field 'speed'")]
    public void Bad_line_settings_are_named(string setting, string expected)
    {
        var path = Write(GoodRig.Replace(
            "model: models/ch.yaml\n    port: emulated",
            $"model: models/ch.yaml\n    port: {{ path: /dev/null, {setting} }}"));
        Assert.That(Errors(path, new RigLoadOptions { CheckPortPaths = false }), Has.Some.Contains(expected));
    }

    [Test]
    public void A_port_that_is_neither_emulated_nor_a_mapping_says_how_to_write_it()
    {
        var path = Write(ReplaceFirst(GoodRig, "model: models/ch.yaml\n    port: emulated", "model: models/ch.yaml\n    port: /dev/ttyUSB0"));
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:9:11: devices[0].port: '/dev/ttyUSB0' is not a port; write 'emulated', or a mapping such as {{ path: /dev/ttyUSB0, baud: 9600 }}"));
    }

    [Test]
    public void Duplicate_names_and_ids_are_errors_on_the_second_use()
    {
        var path = Write(GoodRig.Replace("name: esme", "name: gpf").Replace("00-DB-12-34-56-78-00-03", "00-DB-12-34-56-78-00-02"));
        var errors = Errors(path);
        Assert.Multiple(() =>
        {
            Assert.That(errors, Has.Some.StartsWith($"{path}:15:11: devices[2].name: the name 'gpf' is already used by devices[1]"));
            Assert.That(errors, Has.Some.StartsWith($"{path}:16:9: devices[2].id: 00-DB-12-34-56-78-00-02 is already the ID of devices[1]"));
        });
    }

    [Test]
    public void A_rig_without_a_chf_is_refused()
    {
        var path = Write(GoodRig.Replace("type: CHF", "type: GPF"));
        Assert.That(Errors(path), Has.Some.StartsWith($"{path}:1:1: devices: the rig has no CHF"));
    }

    [Test]
    public void Emulated_and_real_devices_cannot_share_a_han()
    {
        var path = Write(GoodRig.Replace("model: models/esme.yaml\n    port: emulated", "model: models/esme.yaml\n    port: { path: /dev/null }"));
        Assert.That(Errors(path).Single(), Does.StartWith($"{path}:19:11: devices[2].port: a real ESME cannot join the emulated CHF of devices[0]'s HAN"));
    }

    [TestCase("  gateway: localhost", "wan.gateway: 'localhost' is not host:port")]
    [TestCase("  gateway: 127.0.0.1:99999", "wan.gateway: '127.0.0.1:99999' is not host:port")]
    [TestCase("  gateway: 127.0.0.1:7070\n  serial: emulated", "wan: give exactly one of 'gateway: host:port' (TCP) or 'serial: ...'")]
    public void Bad_wan_settings_are_named(string wan, string expected)
    {
        var path = Write(GoodRig.Replace("  gateway: 127.0.0.1:7070", wan));
        Assert.That(Errors(path), Has.Some.Contains(expected));
    }

    [Test]
    public void A_serial_wan_line_may_be_emulated_or_a_real_port()
    {
        var emulated = RigFile.Load(Write(GoodRig.Replace("  gateway: 127.0.0.1:7070", "  serial: emulated")));
        var real = RigFile.Load(Write(GoodRig.Replace("  gateway: 127.0.0.1:7070", "  serial: { path: /dev/ttyUSB1, baud: 57600 }")), new RigLoadOptions { CheckPortPaths = false });
        Assert.Multiple(() =>
        {
            Assert.That(emulated.Wan, Is.EqualTo(new SerialWan(EmulatedPort.Instance)));
            Assert.That(real.Wan, Is.TypeOf<SerialWan>().With.Property(nameof(SerialWan.Port)).TypeOf<SerialPortResource>());
        });
    }

    [Test]
    public void Several_mistakes_are_reported_together_in_file_order()
    {
        var path = Write(GoodRig.Replace("type: ESME", "type: METER").Replace("00-DB-12-34-56-78-00-01", "nope") + "\nextra: 1");
        var errors = Errors(path);
        Assert.That(errors, Has.Count.EqualTo(3));
        Assert.That(errors.Select(e => int.Parse(e.Split(':')[1])), Is.Ordered);
    }

    private static string ReplaceFirst(string text, string find, string replacement)
    {
        var at = text.IndexOf(find, StringComparison.Ordinal);
        return text[..at] + replacement + text[(at + find.Length)..];
    }

    private string Write(string yaml) => _folder.File("rig.yaml", yaml);

    private static IReadOnlyList<string> Errors(string path, RigLoadOptions? options = null)
    {
        var e = Assert.Throws<RigFileException>(() => RigFile.Load(path, options))!;
        Assert.That(e.Message, Does.Contain(e.Errors[0].ToString()));
        return e.Errors.Select(x => x.ToString()).ToArray();
    }

    private static string Escape(string s) => System.Text.RegularExpressions.Regex.Escape(s);
}
