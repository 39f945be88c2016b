using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Products;

/// <summary>F2.2, F2.8, F2.11, F2.14(a), F2.15 and AC 2.9 at the CPL: the Panel's signed issues and what the DCC makes of them.</summary>
[Binding]
public sealed class CplSteps(SmiWorld world)
{
    /// <summary>F2.2's fields as a compliance reader names them, and the entry field that carries each.</summary>
    private static readonly Dictionary<string, string> Fields = new(StringComparer.OrdinalIgnoreCase)
    {
        ["manufacturer"] = "manufacturer",
        ["model"] = "model",
        ["hardware version"] = "hardwareVersion",
        ["Manufacturer Release Notes for the hardware version"] = "hardwareReleaseNotes",
        ["firmware version"] = "firmwareVersion",
        ["Manufacturer Release Notes for the firmware version"] = "firmwareReleaseNotes",
        ["Firmware Hash"] = "firmwareHash",
        ["SMETS or CHTS version"] = "technicalSpecificationVersion",
        ["Assurance Certificate numbers"] = "assuranceCertificates",
        ["CPA Certificate expiry date"] = "cpaExpiry",
        ["Manufacturer's identity"] = "manufacturerKey",
        ["Manufacturer's signature over the Firmware Hash"] = "firmwareHashSignature",
    };

    private Dictionary<string, object?> NewEntry(string label, Generation generation, int variant = 7, ECDsa? signer = null)
    {
        var type = SmiWorld.CplTypeOf(SmiWorld.TypeOfLabel(label));
        world.NewModel = world.ModelFor(type, generation, variant);
        return world.CplEntry(type, generation, variant, signer: signer);
    }

    [Given("^the Panel gives the DCC a signed Central Products List that adds a new " + P.Generation + P.Device + " Device Model$")]
    [When("^the Panel gives the DCC a signed Central Products List that adds a new " + P.Generation + P.Device + " Device Model$")]
    public async Task WhenPanelAdds(string generation, string label)
    {
        var entry = NewEntry(label, P.ParseGeneration(generation));
        world.Run.Panel.List(entry, world.NewModel!, world.Number);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries()));
    }

    [When("^the Panel gives the DCC a signed Central Products List whose entry for a new " + P.Generation + P.Device + " Device Model lacks its (.+)$")]
    public async Task WhenEntryLacks(string generation, string label, string field)
    {
        var key = Fields.TryGetValue(field, out var k) ? k : throw new StepArgumentException($"'{field}' is not a CPL entry field; use one of: {string.Join(", ", Fields.Keys)}.");
        var entry = NewEntry(label, P.ParseGeneration(generation));
        entry.Remove(key);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry])));
    }

    [When("^the Panel gives the DCC a signed Central Products List whose entry for a new " + P.Generation + P.Device + " Device Model has a Firmware Hash signed by a key that is not the Manufacturer's$")]
    public async Task WhenHashSignedByOther(string generation, string label)
    {
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var entry = NewEntry(label, P.ParseGeneration(generation), signer: stranger);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry])));
    }

    [When("^the Panel gives the DCC a signed Central Products List that adds a new firmware version of the " + P.Device + "'s Device Model with a Firmware Hash (signed|not signed) by the Manufacturer$")]
    public async Task WhenAdditionalFirmware(string label, string signed)
    {
        var device = world.Device(label);
        using var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var entry = NewEntry(label, device.Generation, variant: 2, signer: signed == "signed" ? null : stranger);
        if (signed == "signed") world.Run.Panel.List(entry, world.NewModel!, world.Number);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries(signed == "signed" ? null : [entry])));
    }

    [When("^the Panel gives the DCC a signed Central Products List that identifies an? (IHD|CAD) Device Model$")]
    public async Task WhenType2OnCpl(string type)
    {
        var entry = world.Run.Panel.Entry(type, world.ModelFor(type, Generation.Smets2Plus), Generation.Smets2Plus, SmiWorld.FarExpiry);
        world.NewModel = world.ModelFor(type, Generation.Smets2Plus);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry])));
    }

    [When("^the DCC is given a Central Products List that adds a new " + P.Device + " Device Model without any signature$")]
    public async Task WhenUnsigned(string label)
    {
        var entry = NewEntry(label, Generation.Smets2Plus);
        var payload = Panel.Payload(await world.NextSequenceAsync(), await world.Admin.NowAsync(world.Ct), world.Run.Panel.Entries([entry]));
        var document = JsonSerializer.Serialize(new { payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload)) });
        world.Record(await world.Admin.SubmitCplAsync(document, world.Ct));
    }

    [Given("^the DCC is given a Central Products List that adds a new " + P.Device + " Device Model, signed with a key that is not the Panel's$")]
    [When("^the DCC is given a Central Products List that adds a new " + P.Device + " Device Model, signed with a key that is not the Panel's$")]
    public async Task WhenForged(string label)
    {
        using var forger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var entry = NewEntry(label, Generation.Smets2Plus);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry]), forger));
    }

    [When("^the DCC is given a Central Products List signed by the Panel whose payload was then altered to add a new " + P.Device + " Device Model$")]
    public async Task WhenTampered(string label)
    {
        var now = await world.Admin.NowAsync(world.Ct);
        var sequence = await world.NextSequenceAsync();
        var signed = JsonDocument.Parse(Panel.Sign(Panel.Payload(sequence, now, world.Run.Panel.Entries()), world.Run.Panel.PanelKey)).RootElement;
        var altered = Panel.Payload(sequence, now, world.Run.Panel.Entries([NewEntry(label, Generation.Smets2Plus)]));
        var document = JsonSerializer.Serialize(new { payload = Convert.ToBase64String(Encoding.UTF8.GetBytes(altered)), signature = signed.GetProperty("signature").GetString() });
        world.Record(await world.Admin.SubmitCplAsync(document, world.Ct));
    }

    [When("^the DCC is given a Panel-signed Central Products List older than the one it holds that adds a new " + P.Device + " Device Model$")]
    public async Task WhenReplayed(string label)
    {
        var entry = NewEntry(label, Generation.Smets2Plus);
        world.Record(await world.SubmitSignedCplAsync(world.Run.Panel.Entries([entry]), sequence: 1));
    }

    [When("^the DCC is given a Panel-signed Central Products List whose payload is not a list of Device Models$")]
    public async Task WhenGarbage()
    {
        var document = Panel.Sign("\"this is not a Central Products List\"", world.Run.Panel.PanelKey);
        world.Record(await world.Admin.SubmitCplAsync(document, world.Ct));
    }

    [Then("^the new Device Model is on the DCC's Central Products List$")]
    public async Task ThenNewModelListed()
    {
        var model = world.NewModel ?? throw new StepArgumentException("No new Device Model was named earlier in the scenario.");
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        Assert.That(cpl.Entries.Any(e => e.Model == model), Is.True, $"The DCC's Central Products List should list {model}; it lists {cpl.Entries.Count} models without it.");
    }

    [Then("^the new Device Model is not on the DCC's Central Products List$")]
    public async Task ThenNewModelNotListed()
    {
        var model = world.NewModel ?? throw new StepArgumentException("No new Device Model was named earlier in the scenario.");
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        Assert.That(cpl.Entries.Any(e => e.Model == model), Is.False, $"The refused CPL must not change the DCC's list, yet it now lists {model}.");
    }

    [Then("^the Device Model of the " + P.Device + " is still on the DCC's Central Products List$")]
    public async Task ThenStillListed(string label)
    {
        var model = world.Device(label).Model;
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        Assert.That(cpl.Entries.Any(e => e.Model == model), Is.True, $"The DCC must keep using the CPL it had; {model} is missing from it.");
    }

    [Then("^the DCC's Central Products List shows every F2.2 field of the new Device Model's entry$")]
    public async Task ThenEntryComplete()
    {
        var model = world.NewModel!;
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        var entry = cpl.Entries.SingleOrDefault(e => e.Model == model);
        Assert.That(entry, Is.Not.Null, $"The DCC's Central Products List should list {model}.");
        Assert.Multiple(() =>
        {
            Assert.That(entry!.DeviceType, Is.Not.Empty, "F2.2: the entry identifies the Device Model by Device Type.");
            Assert.That(entry.Model, Is.EqualTo(model), "F2.2(a)–(c): manufacturer, model, hardware and firmware version.");
            Assert.That(entry.HardwareReleaseNotes, Is.Not.Empty, "F2.2(b): the hardware version's Manufacturer Release Notes.");
            Assert.That(entry.FirmwareReleaseNotes, Is.Not.Empty, "F2.2(c): the firmware version's Manufacturer Release Notes.");
            Assert.That(entry.FirmwareHash, Has.Length.EqualTo(64), "F2.2(d): the Firmware Hash.");
            Assert.That(entry.TechnicalSpecificationVersion, Is.Not.Empty, "F2.2(e): the SMETS or CHTS version.");
            Assert.That(entry.AssuranceCertificates, Is.Not.Empty, "F2.2(f): the Assurance Certificate numbers.");
            Assert.That(entry.CpaExpiry, Is.Not.Null, "F2.2(g): the CPA Certificate's expiry date.");
        });
    }

    [Then("^the DCC holds the Panel's latest Central Products List$")]
    public async Task ThenHoldsLatest()
    {
        var cpl = await world.Admin.ReadCplAsync(world.Ct);
        var last = world.Last?.Value as CplDocumentRecord;
        Assert.That(last, Is.Not.Null, "The last CPL given to the DCC was not accepted.");
        Assert.That(cpl.Document?.Sequence, Is.EqualTo(last!.Sequence), "F2.15: the DCC relies on the CPL it most recently received from the Panel.");
    }
}
