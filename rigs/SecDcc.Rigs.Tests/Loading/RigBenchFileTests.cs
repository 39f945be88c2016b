using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

/// <summary>The bench parts of a rig file: GPIO banks and lines, optical ports, trust anchor settings, each mistake named with its place.</summary>
public sealed class RigBenchFileTests
{
    private const string Model = """
        manufacturer: Acme
        model: {0}
        deviceType: {1}
        smets: SMETS1
        hardwareVersion: "1.0"
        firmwareVersion: "1.0.0"
        firmwareHash: 2f78878c190e649c3b6d35616ce5ca91e7b8aa27c820174f3baa5dbc4129ee6f
        {2}
        """;

    private const string Rig = """
        name: bench
        wan:
          gateway: 127.0.0.1:7070
        gpio:
          bench: sim
        devices:
          - name: chf
            id: 00-DB-12-34-56-78-00-01
            type: CHF
            model: models/ch.yaml
            port: emulated
            gpio: { power: bench/chf-power }
          - name: gpf
            id: 00-DB-12-34-56-78-00-02
            type: GPF
            model: models/ch.yaml
            port: emulated
            gpio: { power: bench/chf-power }
          - name: esme
            id: 00-DB-12-34-56-78-00-03
            type: ESME
            model: models/esme.yaml
            port: emulated
            gpio: { power: bench/esme-power, button: bench/esme-button, pulse: bench/esme-pulse }
            optical: emulated
          - name: gsme
            id: 00-DB-12-34-56-78-00-04
            type: GSME
            model: models/gsme.yaml
            port: emulated
        """;

    private TempFolder _folder = null!;

    [SetUp]
    public void CreateFolder()
    {
        _folder = new TempFolder();
        _folder.File("models/ch.yaml", string.Format(Model, "CH-1", "CH", string.Empty));
        _folder.File("models/esme.yaml", string.Format(Model, "ESME-1", "ESME", "meterConstant: 1000"));
        _folder.File("models/gsme.yaml", string.Format(Model, "GSME-1", "GSME", string.Empty));
        _folder.File("models/esme-no-constant.yaml", string.Format(Model, "ESME-2", "ESME", string.Empty));
    }

    [TearDown]
    public void RemoveFolder() => _folder.Dispose();

    [Test]
    public void Banks_lines_and_optical_ports_load_with_the_gpf_on_its_hubs_relay()
    {
        var rig = RigFile.Load(Write(Rig));
        Assert.Multiple(() =>
        {
            Assert.That(rig.GpioBanks["bench"], Is.EqualTo(new GpioBankDefinition("bench", "sim")));
            Assert.That(rig.GpioBanks["bench"].OpenSpec, Is.EqualTo("sim:bench"));
            Assert.That(rig.Device("gpf").Gpio.Power, Is.EqualTo(rig.Device("chf").Gpio.Power));
            Assert.That(rig.Device("esme").Gpio, Is.EqualTo(new DeviceGpio(TestRigs.Line("esme-power"), TestRigs.Line("esme-button"), TestRigs.Line("esme-pulse"))));
            Assert.That(rig.Device("esme").Optical, Is.EqualTo(EmulatedPort.Instance));
            Assert.That(rig.Device("gsme").Gpio, Is.EqualTo(DeviceGpio.None));
            Assert.That(rig.Device("gsme").Optical, Is.Null);
        });
    }

    [Test]
    public void Trust_anchor_settings_default_to_the_rigs_name_and_the_tables_beside_it()
    {
        _folder.File("trust-anchors/cells.yaml", "deviceTypes: {}\n");
        var defaults = RigFile.Load(Write(Rig));
        var given = RigFile.Load(Write(Rig.Replace("gpio:\n  bench: sim", "gpio:\n  bench: sim\ntrustAnchors: { seed: run-42, cells: trust-anchors/cells.yaml }")));
        Assert.Multiple(() =>
        {
            Assert.That(defaults.TrustAnchors, Is.EqualTo(new TrustAnchorSettings("bench", Path.Combine(_folder.Path, "trust-anchors", "cells.yaml"), null)));
            Assert.That(given.TrustAnchors.Seed, Is.EqualTo("run-42"));
        });
    }

    [TestCase("button: bench/esme-button", "button: relays/1", "devices[2].gpio.button: no GPIO bank named 'relays'; the rig's banks are bench")]
    [TestCase("bench/esme-button", "bench/chf-power", "devices[2].gpio.button: bench/chf-power is already chf's power line; each line is wired to one thing")]
    [TestCase("bench/esme-pulse", "bench/3", "devices[2].gpio.pulse: a simulated bank's lines are made from their names")]
    [TestCase("bench/esme-pulse", "esme-pulse", "devices[2].gpio.pulse: 'esme-pulse' is not bank/line")]
    [TestCase("pulse: bench/esme-pulse }", "pulse: bench/esme-pulse, relay: bench/x }", "devices[2].gpio.relay: unknown field 'relay'")]
    [TestCase("models/esme.yaml", "models/esme-no-constant.yaml", "devices[2].gpio.pulse: the pulse count is compared through the meter constant")]
    [TestCase("bench: sim", "bench: simulated", "gpio.bench: 'simulated' is not a GPIO spec")]
    public void Mistakes_in_the_wiring_are_named(string find, string replace, string expected)
    {
        var path = Write(Rig.Replace(find, replace));
        Assert.That(Errors(path, new RigLoadOptions { CheckPortPaths = false }), Has.Some.Contains(expected));
    }

    [Test]
    public void An_emulated_device_cannot_be_wired_to_a_real_bank_nor_a_real_one_to_a_simulated_bank()
    {
        var emulatedOnReal = Write(Rig.Replace("bench: sim", "bench: sim\n  relays: serial:/dev/ttyACM9?relays=8").Replace("power: bench/chf-power }\n  - name: gpf", "power: relays/relay0 }\n  - name: gpf"));
        Assert.That(Errors(emulatedOnReal, new RigLoadOptions { CheckPortPaths = false }), Has.Some.Contains("devices[0].gpio.power: an emulated device is switched inside the emulator: wire it to a simulated bank"));
    }

    [Test]
    public void An_optical_port_belongs_to_a_meter()
    {
        var path = Write(Rig.Replace("    port: emulated\n    gpio: { power: bench/chf-power }\n  - name: gpf", "    port: emulated\n    optical: emulated\n    gpio: { power: bench/chf-power }\n  - name: gpf", StringComparison.Ordinal));
        Assert.That(Errors(path), Has.Some.Contains("devices[0].optical: a CHF has no IEC 62056-21 optical port"));
    }

    [Test]
    public void A_real_banks_device_must_exist_when_paths_are_checked()
    {
        var path = Write(Rig.Replace("bench: sim", "bench: sim\n  relays: chardev:gpiochip9"));
        Assert.That(Errors(path), Has.Some.Contains("gpio.relays: /dev/gpiochip9 does not exist"));
    }

    [Test]
    public void A_named_cells_table_must_exist()
    {
        var path = Write(Rig.Replace("gpio:\n  bench: sim", "trustAnchors: { cells: nowhere.yaml }\ngpio:\n  bench: sim"));
        Assert.That(Errors(path), Has.Some.Contains("trustAnchors.cells:").And.Some.Contains("nowhere.yaml does not exist"));
    }

    private string Write(string yaml) => _folder.File("rig.yaml", yaml);

    private static IReadOnlyList<string> Errors(string path, RigLoadOptions? options = null) =>
        Assert.Throws<RigFileException>(() => RigFile.Load(path, options))!.Errors.Select(e => e.ToString()).ToArray();
}
