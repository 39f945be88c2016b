using NUnit.Framework;
using SecDcc.Drivers.Optical;
using SecDcc.Drivers.Serial;
using SecDcc.Rigs.Bench;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Bench;

/// <summary>A meter's optical port read with the IEC 62056-21 reader, against its Device Model file and the DCC's CPL.</summary>
[Binding]
public sealed class OpticalSteps(BenchWorld bench, SmiWorld world)
{
    private OpticalIdentity? _read;
    private OpticalReadoutException? _failure;
    private string? _port;

    [Given("^the Central Products List lists the Device Model of the meter \"([^\"]+)\"$")]
    public Task GivenListed(string meter) => ListAsync(world, bench.Rig[meter].Model);

    /// <summary>Puts a meter's Device Model on the CPL the DCC holds, with the model file's own firmware hash.</summary>
    internal static async Task ListAsync(SmiWorld world, SecDcc.Rigs.Model.DeviceModelDefinition model)
    {
        var listed = new DeviceModel(model.Manufacturer, model.Model, model.HardwareVersion, model.FirmwareVersion);
        var entry = world.Run.Panel.Entry(model.Kind.ToString(), listed, Generation.Smets1, cpaExpiry: null);

        // The entry carries the model's own firmware hash (F2.8), signed by the Manufacturer, not a made-up one.
        var hash = model.FirmwareHash.ToHex().ToLowerInvariant();
        entry["firmwareHash"] = hash;
        entry["firmwareHashSignature"] = Convert.ToBase64String(world.Run.Panel.ManufacturerKey.SignData(Convert.FromHexString(hash), System.Security.Cryptography.HashAlgorithmName.SHA256));
        world.Run.Panel.List(entry, listed, world.Number);
        await world.PublishCplAsync();
    }

    [Given("^the next data block of the meter \"([^\"]+)\" on its optical port is garbled$")]
    public void GivenGarbled(string meter) => bench.Rig.Meter(meter).GarbleNextOpticalBlock();

    [When("^the harness reads the optical port of the meter \"([^\"]+)\"$")]
    public async Task WhenRead(string meter)
    {
        _port = bench.Ports.OpticalPort(meter) ?? throw new StepArgumentException($"{meter} has no optical port in the rig file");
        try
        {
            _read = await OpticalIdentity.ReadAsync(_port, cancellationToken: bench.Ct);
            bench.Context.Attach($"optical readout of {meter}", _read.ToString());
        }
        catch (OpticalReadoutException e) when (e.Error is OpticalError.Garbled or OpticalError.MalformedData)
        {
            // What the meter sent did not arrive whole: the Then steps judge how it was reported.
            _failure = e;
            bench.Context.Attach($"optical readout of {meter} failed", e.Message);
        }
        catch (Exception e) when (e is OpticalReadoutException or SerialPortException)
        {
            throw new RigFaultException($"the optical port of {meter} ({_port}) could not be read: {e.Message}", e);
        }
    }

    [Then("^its manufacturer, model, firmware version and firmware hash match its Device Model file and the CPL$")]
    public async Task ThenMatches()
    {
        var comparison = await CompareAsync();
        Assert.That(comparison.Passed, Is.True, comparison.ToString());
    }

    [Then("^the readout disagrees on the firmware version with its Device Model file and with the CPL, and on nothing else$")]
    public async Task ThenFirmwareDisagrees()
    {
        var comparison = await CompareAsync();
        Assert.That(
            comparison.Findings.Select(f => (f.Field, f.Against)),
            Is.EquivalentTo(new[] { ("firmware version", "the Device Model file"), ("firmware version", "the CPL") }),
            comparison.ToString());
    }

    [Then("^the readout fails as a garbled data block whose BCC does not match, naming the port$")]
    public void ThenGarbled()
    {
        Assert.That(_failure, Is.Not.Null, $"the readout succeeded ({_read}): the garbled block was not noticed");
        Assert.Multiple(() =>
        {
            Assert.That(_failure!.Error, Is.EqualTo(OpticalError.Garbled));
            Assert.That(_failure.Message, Does.Contain("BCC").And.Contain(_port!));
        });
    }

    [Then("^a second readout of the optical port of the meter \"([^\"]+)\" succeeds$")]
    public async Task ThenSecondReadout(string meter)
    {
        var again = await OpticalIdentity.ReadAsync(bench.Ports.OpticalPort(meter)!, cancellationToken: bench.Ct);
        Assert.That(again.Model, Is.EqualTo(bench.Rig[meter].Model.Model));
    }

    /// <summary>The CPL as the DCC gives it (GET /products/cpl), as the identities an optical readout is held against.</summary>
    internal static async Task<IReadOnlyList<CplIdentity>> CplIdentitiesAsync(SmiWorld world)
    {
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        return cpl.Entries.Select(e => new CplIdentity(e.Model.Manufacturer, e.Model.Model, e.Model.HardwareVersion, e.Model.FirmwareVersion, e.FirmwareHash)).ToList();
    }

    /// <summary>The readout against the model file and the CPL as the DCC gives it (GET /products/cpl).</summary>
    private async Task<IdentityComparison> CompareAsync()
    {
        var read = _read ?? throw new StepArgumentException(_failure is null ? "No optical readout was made: a When step must make it first." : $"The optical readout failed: {_failure.Message}");
        var entries = await CplIdentitiesAsync(world);
        var meter = bench.Rig.Devices.Single(d => d.OpticalPortPath == read.Port);
        var comparison = OpticalIdentityCheck.Compare(read, meter.Model, entries);
        bench.Context.Attach($"optical identity of {meter.Name} against its model file and the CPL", comparison.ToString());
        return comparison;
    }
}
