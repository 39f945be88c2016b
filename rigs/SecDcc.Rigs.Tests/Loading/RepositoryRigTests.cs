using SecDcc.Rigs.Loading;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;

namespace SecDcc.Rigs.Tests.Loading;

/// <summary>The rig and model files in the repository load, so a bench or the runner never trips on them.</summary>
public sealed class RepositoryRigTests
{
    [TestCase("emulated.yaml", 6)]
    [TestCase("emulated-quirky.yaml", 4)]
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
        Assert.That(e.Errors.Select(x => x.Message), Has.Some.Contains("/dev/serial/by-id/usb-FTDI_hub_local-if00-port0 does not exist"));
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
