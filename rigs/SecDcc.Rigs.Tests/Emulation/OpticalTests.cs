using SecDcc.Drivers.Optical;
using SecDcc.Rigs.Bench;
using SecDcc.Rigs.Emulation;
using SecDcc.Rigs.Model;
using SecDcc.Rigs.Tests.Support;
using static SecDcc.Rigs.Tests.Support.TestRigs;

namespace SecDcc.Rigs.Tests.Emulation;

/// <summary>An emulated meter's optical port read with the real IEC 62056-21 reader through its pseudo-terminal.</summary>
public sealed class OpticalTests
{
    [Test]
    [CancelAfter(30_000)]
    public async Task The_optical_identity_agrees_with_the_model_file_and_the_cpl(CancellationToken ct)
    {
        await using var started = await StartAsync([], ct);
        var esme = started.Rig["esme"];
        var read = await OpticalIdentity.ReadAsync(esme.OpticalPortPath!, cancellationToken: ct);
        var comparison = OpticalIdentityCheck.Compare(read, esme.Model, [Cpl(esme.Model)]);

        Assert.Multiple(() =>
        {
            Assert.That(read.FlagId, Is.EqualTo(DeviceModelDefinition.DefaultFlagId));
            Assert.That(read.Manufacturer, Is.EqualTo(esme.Model.Manufacturer));
            Assert.That(read.Model, Is.EqualTo(esme.Model.Model));
            Assert.That(read.FirmwareVersion, Is.EqualTo(esme.Model.FirmwareVersion));
            Assert.That(read.FirmwareHash, Is.EqualTo(esme.Model.FirmwareHash.ToHex()));
            Assert.That(read.SerialNumber, Is.EqualTo(Esme.Value.ToString("X16")));
            Assert.That(read.Energy?.Kwh, Is.EqualTo(0m));
            Assert.That(comparison.Passed, Is.True, comparison.ToString());
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_gas_meter_has_an_optical_port_too(CancellationToken ct)
    {
        RequirePseudoTerminals();
        using var folder = new TempFolder();
        await using var rig = await EmulatedRig.StartAsync(WithBench(Full(folder.Path)), new EmulatorOptions(), ct);
        var read = await OpticalIdentity.ReadAsync(rig["gsme"].OpticalPortPath!, cancellationToken: ct);
        Assert.That(read.Model, Is.EqualTo(rig["gsme"].Model.Model));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task Wrong_optical_firmware_is_caught_against_the_model_file_and_the_cpl_while_the_local_port_stays_right(CancellationToken ct)
    {
        await using var started = await StartAsync([new Quirk(QuirkKind.WrongOpticalFirmware)], ct);
        var esme = started.Rig["esme"];
        var read = await OpticalIdentity.ReadAsync(esme.OpticalPortPath!, cancellationToken: ct);
        var comparison = OpticalIdentityCheck.Compare(read, esme.Model, [Cpl(esme.Model)]);
        await using var port = DeviceProtocol.Local.LocalPortClient.Open(esme.LocalPortPath);

        Assert.Multiple(async () =>
        {
            Assert.That(read.FirmwareVersion, Is.EqualTo("1.0.1"));
            Assert.That(comparison.Findings.Select(f => (f.Field, f.Against)), Is.EquivalentTo(new[] { ("firmware version", "the Device Model file"), ("firmware version", "the CPL") }));
            Assert.That(comparison.ToString(), Does.Contain("says firmware version 1.0.1 on its optical port, but the Device Model file").And.Contain("the CPL lists"));
            Assert.That((await port.ReadIdentityAsync(ct)).Model.FirmwareVersion, Is.EqualTo("1.0.0"), "only the optical port is wrong");
        });
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_garbled_block_is_reported_as_a_bad_bcc_and_the_next_readout_is_clean(CancellationToken ct)
    {
        await using var started = await StartAsync([], ct);
        var esme = started.Rig.Meter("esme");
        esme.GarbleNextOpticalBlock();

        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () => await OpticalIdentity.ReadAsync(esme.OpticalPortPath!, cancellationToken: ct))!;
        Assert.Multiple(() =>
        {
            Assert.That(e.Error, Is.EqualTo(OpticalError.Garbled));
            Assert.That(e.Message, Does.Contain("BCC").And.Contain(esme.OpticalPortPath!));
        });
        Assert.That((await OpticalIdentity.ReadAsync(esme.OpticalPortPath!, cancellationToken: ct)).Model, Is.EqualTo(esme.Model.Model));
    }

    [Test]
    [CancelAfter(30_000)]
    public async Task A_meter_without_power_is_dark_on_its_optical_port(CancellationToken ct)
    {
        await using var started = await StartAsync([], ct);
        await started.Rig.PowerOffAsync("esme");
        var e = Assert.ThrowsAsync<OpticalReadoutException>(async () =>
            await OpticalIdentity.ReadAsync(started.Rig["esme"].OpticalPortPath!, new OpticalReaderOptions { AnswerTimeout = TimeSpan.FromMilliseconds(300) }, ct))!;
        Assert.That(e.Error, Is.EqualTo(OpticalError.NoAnswer));
    }

    private static CplIdentity Cpl(DeviceModelDefinition model) =>
        new(model.Manufacturer, model.Model, model.HardwareVersion, model.FirmwareVersion, model.FirmwareHash.ToHex().ToLowerInvariant());

    private static async Task<Started> StartAsync(Quirk[] esmeQuirks, CancellationToken ct)
    {
        RequirePseudoTerminals();
        var folder = new TempFolder();
        var rig = await EmulatedRig.StartAsync(WithBench(Small(folder.Path, esmeQuirks: esmeQuirks)), new EmulatorOptions(), ct);
        return new Started(rig, folder);
    }

    private sealed record Started(EmulatedRig Rig, TempFolder Folder) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Rig.DisposeAsync();
            Folder.Dispose();
        }
    }
}
