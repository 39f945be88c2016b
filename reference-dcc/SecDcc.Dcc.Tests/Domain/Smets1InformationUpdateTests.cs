using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 6.3: a Party that changes a SMETS1 Device's AC 3.4 information notifies the DCC, which then holds the update.</summary>
public sealed class Smets1InformationUpdateTests
{
    private TestWorld _w = null!;
    private DeviceId _esme;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync(options: new DccOptions
        {
            ServiceDeskInformationRequired = new Dictionary<string, IReadOnlyList<string>> { [Smets1Esme.Key] = ["wanAddress"] },
        });
        _esme = await _w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<Done>> Notify(DeviceId id, Dictionary<string, string> information, Actor? by = null) =>
        _w.Smi.ProvideServiceDeskInformationAsync(new ServiceDeskContact(by ?? ImportSupplier, id, information), _w.Ct);

    private async Task<ServiceDeskInformation> Held(DeviceId id) => (await _w.Smi.ReadServiceDeskInformationAsync(id, _w.Ct)).Must();

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_update_from_any_party_is_held_with_the_items_it_did_not_change()
    {
        (await Notify(_esme, new() { ["wanAddress"] = "10.0.0.2", ["smsoConnection"] = "SMSO B" }, OtherUser)).Must();

        var held = await Held(_esme);
        Assert.That(held.Information, Is.EqualTo(new Dictionary<string, string> { ["wanAddress"] = "10.0.0.2", ["smsoConnection"] = "SMSO B" }));
        Assert.That(held.ProvidedBy, Is.EqualTo(OtherUser));
        Assert.That(held.ProvidedAt, Is.EqualTo(_w.Clock.UtcNow));

        (await Notify(_esme, new() { ["smsoConnection"] = "SMSO C" })).Must();
        Assert.That((await Held(_esme)).Information, Is.EqualTo(new Dictionary<string, string> { ["wanAddress"] = "10.0.0.2", ["smsoConnection"] = "SMSO C" }));
    }

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_update_naming_another_device_id_refused_and_the_earlier_information_kept()
    {
        var before = await Held(_esme);
        var refusal = (await Notify(_esme, new() { ["deviceId"] = _w.NewId().ToString(), ["wanAddress"] = "10.0.0.9" })).Refused("AC-6.3", "DeviceIdChanged");
        Assert.That(refusal.Field, Is.EqualTo("information.deviceId"));
        Assert.That((await Held(_esme)).Information, Is.EqualTo(before.Information));
    }

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_update_giving_its_own_device_id_is_accepted()
    {
        (await Notify(_esme, new() { ["deviceId"] = _esme.ToString(), ["wanAddress"] = "10.0.0.3" })).Must();
        Assert.That((await Held(_esme)).Information["wanAddress"], Is.EqualTo("10.0.0.3"));
    }

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_update_blanking_an_item_the_dcc_requires_refused()
    {
        var refusal = (await Notify(_esme, new() { ["wanAddress"] = " " })).Refused("AC-6.3", "ServiceDeskInformationIncomplete");
        Assert.That(refusal.Message, Does.Contain("wanAddress"));
        Assert.That((await Held(_esme)).Information["wanAddress"], Is.EqualTo("10.0.0.1"));
    }

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_update_naming_nothing_refused() =>
        Assert.That((await Notify(_esme, [])).Refused("AC-6.3").Field, Is.EqualTo("information"));

    [Test, Category("AC-6.3")]
    public async Task AC_6_3_information_of_a_smets2_device_is_not_taken()
    {
        var smets2 = await _w.AddAsync(DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus);
        (await Notify(smets2, new() { ["wanAddress"] = "10.0.0.4" })).Refused("AC-6.3", "NotASmets1Device");
        (await _w.Smi.ReadServiceDeskInformationAsync(smets2, _w.Ct)).Refused("AC-3.4", "NoServiceDeskInformation");
    }
}
