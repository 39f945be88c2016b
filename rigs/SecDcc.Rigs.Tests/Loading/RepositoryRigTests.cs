using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

/// <summary>The rig and model files in the repository load, so a bench or the runner never trips on them.</summary>
public sealed class RepositoryRigTests
{
    [TestCase("emulated.yaml", 6)]
    [TestCase("emulated-quirky.yaml", 9)]
    [TestCase("emulated-quirky-cuts.yaml", 6)]
    [TestCase("emulated-bench-quirks.yaml", 3)]
    [TestCase("emulated-trust-anchors.yaml", 7)]
    [TestCase("emulated-trust-anchors-hub.yaml", 2)]
    public void The_repositorys_emulated_rigs_load(string file, int devices)
    {
        var rig = RigFile.Load(Path.Combine(RepoPaths.Rigs, file));
        Assert.Multiple(() =>
        {
            Assert.That(rig.Devices, Has.Count.EqualTo(devices));
            Assert.That(rig.IsEmulated, Is.True);
            Assert.That(rig.Wan, Is.EqualTo(new TcpWan("127.0.0.1", 7070)));
        });
    }

    [Test]
    public void The_example_bench_loads_when_its_ports_are_not_checked_and_names_them_when_they_are()
    {
        var path = Path.Combine(RepoPaths.Rigs, "bench-example.yaml");
        var rig = RigFile.Load(path, new RigLoadOptions { CheckPortPaths = false });
        Assert.That(rig.IsEmulated, Is.False);
        var e = Assert.Throws<RigFileException>(() => RigFile.Load(path))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Errors.Select(x => x.Message), Has.Some.Contains("/dev/serial/by-id/usb-FTDI_hub_local-if00-port0 does not exist"));
            Assert.That(e.Errors.Select(x => x.Message), Has.Some.Contains("Numato_Lab_8_Channel_USB_Relay_Module-if00 does not exist"), "the relay module's path is checked too");
            Assert.That(rig.GpioBanks["relays"].IsSimulated, Is.False);
            Assert.That(rig.Device("esme").Gpio, Is.EqualTo(new DeviceGpio(new GpioLineRef("relays", "relay2", ActiveLow: true), new GpioLineRef("relays", "relay3"), new GpioLineRef("relays", "gpio0"))));
            Assert.That(rig.Device("esme").Optical, Is.TypeOf<SerialPortResource>());
        });
    }

    [Test]
    public void The_default_emulated_rig_has_the_bench_parts_a_real_bench_has()
    {
        var rig = RigFile.Load(Path.Combine(RepoPaths.Rigs, "emulated.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(rig.GpioBanks["bench"].OpenSpec, Is.EqualTo("sim:bench"));
            Assert.That(rig.Devices.Where(d => d.Gpio.Power is null).Select(d => d.Name), Is.Empty, "every device's power is on a relay");
            Assert.That(rig.Device("esme").Gpio.Pulse, Is.Not.Null);
            Assert.That(rig.Device("esme").Model.MeterConstant, Is.EqualTo(1000));
            Assert.That(rig.Devices.Where(d => d.Optical is EmulatedPort).Select(d => d.Name), Is.EquivalentTo(new[] { "esme", "gsme" }));
            Assert.That(rig.TrustAnchors.Seed, Is.EqualTo("emulated"));
            Assert.That(rig.TrustAnchors.CellsFile, Is.EqualTo(Path.Combine(RepoPaths.Rigs, "trust-anchors", "cells.yaml")));
        });
    }

    [Test]
    public void Every_model_file_in_the_repository_loads()
    {
        var files = Directory.GetFiles(Path.Combine(RepoPaths.Rigs, "models"), "*.yaml");
        Assert.That(files, Is.Not.Empty);
        foreach (var file in files)
        {
            Assert.That(() => DeviceModelFile.Load(file), Throws.Nothing, file);
        }
    }

    [Test]
    public void The_quirky_models_carry_the_quirks_their_comments_promise()
    {
        var ch = DeviceModelFile.Load(Path.Combine(RepoPaths.Rigs, "models", "quirky-ch.yaml"));
        var esme = DeviceModelFile.Load(Path.Combine(RepoPaths.Rigs, "models", "quirky-esme.yaml"));
        Assert.Multiple(() =>
        {
            Assert.That(ch.Quirks.All.Select(q => q.Kind), Is.EquivalentTo(new[] { QuirkKind.NoHanAlert, QuirkKind.LateResponses }));
            Assert.That(esme.Quirks.All.Select(q => q.Kind), Is.EquivalentTo(new[] { QuirkKind.WrongFirmwareHash, QuirkKind.ForgetfulDeviceLog, QuirkKind.RefuseType2Join }));
        });
    }
}
