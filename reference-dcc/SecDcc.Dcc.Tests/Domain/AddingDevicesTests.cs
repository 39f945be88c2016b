using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 2.3–2.9 and 3.4–3.5: adding Devices to the Smart Metering Inventory.</summary>
public sealed class AddingDevicesTests
{
    private TestWorld _w = null!;

    [SetUp]
    public async Task SetUp() => _w = await TestWorld.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<Device>> Add(DeviceType type, DeviceModel model, SmetsGeneration gen = SmetsGeneration.SMETS2Plus, DeviceId? id = null, Actor? by = null, PartyId? rs = null) =>
        _w.Smi.AddDeviceAsync(new AddDeviceRequest(by ?? ImportSupplier, id ?? _w.NewId(), type, model, gen, rs), _w.Ct);

    [Test, Category("AC-2.4")]
    public async Task AC_2_4_dcc_adds_chf_and_gpf_of_a_delivered_hub_as_pending()
    {
        var (chf, gpf) = await _w.DeliverHubAsync();
        var c = await _w.DeviceAsync(chf);
        var g = await _w.DeviceAsync(gpf);
        Assert.That((c.Type, c.Status, g.Type, g.Status), Is.EqualTo((DeviceType.CHF, (SmiStatus?)SmiStatus.Pending, DeviceType.GPF, (SmiStatus?)SmiStatus.Pending)));
        Assert.That(g.ChfId, Is.EqualTo(chf));
        Assert.That(c.PendingSince, Is.EqualTo(Start));
        Assert.That(c.ResponsibleSuppliers, Is.EqualTo(new[] { ImportSupplier.Party }));
    }

    [Test, Category("AC-2.4")]
    public async Task AC_2_4_delivery_refused_when_hub_model_not_on_cpl() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.DeliverCommunicationsHubAsync(new DeliverCommunicationsHubRequest(_w.NewId(), _w.NewId(), NotOnCpl, ImportSupplier.Party), _w.Ct), "AC-2.4", "DeviceModelNotOnCpl");

    [Test, Category("AC-2.4")]
    public async Task AC_2_4_delivery_refused_when_model_is_on_cpl_as_a_meter_not_a_hub() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.DeliverCommunicationsHubAsync(new DeliverCommunicationsHubRequest(_w.NewId(), _w.NewId(), Smets2Esme, ImportSupplier.Party), _w.Ct), "AC-2.4", "DeviceModelNotOnCpl");

    [Test, Category("AC-2.5")]
    public async Task AC_2_5_chf_alone_refused() =>
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.CHF, Smets1Hub, SmetsGeneration.SMETS1), "AC-2.5", "CommunicationsHubFunctionsAddedTogether");

    [Test, Category("AC-2.5")]
    public async Task AC_2_5_gpf_alone_refused() =>
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.GPF, Smets1Hub, SmetsGeneration.SMETS1), "AC-2.5", "CommunicationsHubFunctionsAddedTogether");

    [Test, Category("AC-2.5")]
    public async Task AC_2_5_hub_without_gpf_id_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, _w.NewId(), null, Smets1Hub, SmetsGeneration.SMETS1), _w.Ct), "AC-2.5");
        Assert.That(refusal.Field, Is.EqualTo("gpfId"));
    }

    [Test, Category("AC-2.5")]
    public async Task AC_2_5_hub_with_the_same_id_for_chf_and_gpf_refused()
    {
        var id = _w.NewId();
        await _w.RefusedUnchangedAsync(() => _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, id, id, Smets1Hub, SmetsGeneration.SMETS1), _w.Ct), "AC-2.5");
    }

    [Test, Category("AC-2.5")]
    public async Task AC_2_5_hub_refused_whole_when_its_gpf_is_already_listed()
    {
        var (_, gpf) = await _w.AddSmets1HubAsync();
        var chf = _w.NewId();
        await _w.ServiceDeskAsync(chf);
        var refusal = await _w.RefusedUnchangedAsync(() => _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, chf, gpf, Smets1Hub, SmetsGeneration.SMETS1), _w.Ct), "AC-2.3", "DeviceAlreadyInSmi");
        Assert.That(refusal.Field, Is.EqualTo("gpfId"));
        Assert.That((await _w.Smi.ReadInventoryAsync(chf, _w.Ct)).IsSuccess, Is.False, "the CHF must not be added without its GPF");
    }

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_user_adds_device_of_a_cpl_model_as_pending()
    {
        var device = (await Add(DeviceType.ESME, Smets2Esme)).Must();
        Assert.That(device.Status, Is.EqualTo(SmiStatus.Pending));
        Assert.That((await _w.DeviceAsync(device.Id)).PendingSince, Is.EqualTo(Start));
    }

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_any_user_may_add_naming_the_responsible_supplier()
    {
        var device = (await Add(DeviceType.ESME, Smets2Esme, by: Agent, rs: ImportSupplier.Party)).Must();
        Assert.That(device.ResponsibleSuppliers, Is.EqualTo(new[] { ImportSupplier.Party }));
    }

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_non_supplier_adding_without_a_responsible_supplier_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => Add(DeviceType.ESME, Smets2Esme, by: Agent), "AC-2.6", "ResponsibleSupplierMissing");
        Assert.That(refusal.Field, Is.EqualTo("responsibleSupplier"));
    }

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_device_model_not_on_cpl_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => Add(DeviceType.ESME, NotOnCpl), "AC-2.6", "DeviceModelNotOnCpl");
        Assert.That(refusal.Message, Does.Contain("Nobody X"));
    }

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_model_on_cpl_as_another_device_type_refused() =>
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.GSME, Smets2Esme), "AC-2.6", "DeviceModelNotOnCpl");

    [Test, Category("AC-2.3")]
    public async Task AC_2_3_device_already_listed_refused()
    {
        var id = _w.NewId();
        (await Add(DeviceType.ESME, Smets2Esme, id: id)).Must();
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.ESME, Smets2Esme, id: id), "AC-2.3", "DeviceAlreadyInSmi");
    }

    [Test, Category("AC-2.8")]
    public async Task AC_2_8_user_adds_a_smets1_hub()
    {
        var (chf, gpf) = await _w.AddSmets1HubAsync();
        Assert.That((await _w.DeviceAsync(chf)).Generation, Is.EqualTo(SmetsGeneration.SMETS1));
        Assert.That((await _w.DeviceAsync(gpf)).LeadSupplier, Is.EqualTo(ImportSupplier.Party));
    }

    [Test, Category("AC-2.8")]
    public async Task AC_2_8_user_adding_a_smets2_hub_refused() =>
        await _w.RefusedUnchangedAsync(() => _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, _w.NewId(), _w.NewId(), Smets2Hub, SmetsGeneration.SMETS2Plus), _w.Ct), "AC-2.8", "OnlySmets1OrDccProvidedHubs");

    [Test, Category("AC-2.9")]
    public async Task AC_2_9_type2_device_added_with_no_status_and_no_cpl_entry()
    {
        var ihd = (await Add(DeviceType.IHD, Ihd)).Must();
        Assert.That(ihd.Status, Is.Null);
        Assert.That(ihd.PendingSince, Is.Null);
        Assert.That((await _w.DeviceAsync(ihd.Id)).Status, Is.Null);
        var cad = (await Add(DeviceType.CAD, NotOnCpl, by: OtherUser, rs: ImportSupplier.Party)).Must();
        Assert.That(cad.Status, Is.Null);
    }

    [Test, Category("AC-2.9")]
    public async Task AC_2_9_type2_device_added_twice_refused()
    {
        var id = _w.NewId();
        (await Add(DeviceType.IHD, Ihd, id: id)).Must();
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.IHD, Ihd, id: id), "AC-2.3", "DeviceAlreadyInSmi");
    }

    [Test, Category("AC-3.5")]
    public async Task AC_3_5_smets1_device_with_service_desk_information_added()
    {
        var id = _w.NewId();
        await _w.ServiceDeskAsync(id);
        Assert.That((await Add(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1, id)).Must().Status, Is.EqualTo(SmiStatus.Pending));
    }

    [Test, Category("AC-3.5")]
    public async Task AC_3_5_smets1_device_without_service_desk_information_refused() =>
        await _w.RefusedUnchangedAsync(() => Add(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1), "AC-3.5", "ServiceDeskInformationMissing");

    [Test, Category("AC-3.5")]
    public async Task AC_3_5_smets1_hub_without_service_desk_information_for_its_gpf_refused()
    {
        var chf = _w.NewId();
        await _w.ServiceDeskAsync(chf);
        var refusal = await _w.RefusedUnchangedAsync(() => _w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(ImportSupplier, chf, _w.NewId(), Smets1Hub, SmetsGeneration.SMETS1), _w.Ct), "AC-3.5", "ServiceDeskInformationMissing");
        Assert.That(refusal.Field, Is.EqualTo("gpfId"));
    }

    [Test, Category("AC-3.4")]
    public async Task AC_3_4_b_smets1_device_refused_when_information_the_dcc_requires_for_its_model_is_missing()
    {
        await using var w = await TestWorld.CreateAsync(options: new DccOptions
        {
            ServiceDeskInformationRequired = new Dictionary<string, IReadOnlyList<string>> { [Smets1Esme.Key] = ["wanAddress", "hanKey"] },
        });
        var id = w.NewId();
        await w.ServiceDeskAsync(id); // gives wanAddress only
        var refusal = await w.RefusedUnchangedAsync(() => w.Smi.AddDeviceAsync(new AddDeviceRequest(ImportSupplier, id, DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1), w.Ct), "AC-3.5", "ServiceDeskInformationIncomplete");
        Assert.That(refusal.Message, Does.Contain("hanKey"));
    }

    [Test, Category("AC-3.4")]
    public async Task AC_3_4_service_desk_information_with_an_empty_name_refused() =>
        (await _w.Smi.ProvideServiceDeskInformationAsync(new ServiceDeskContact(ImportSupplier, _w.NewId(), new Dictionary<string, string> { [" "] = "x" }), _w.Ct)).Refused("AC-3.4(b)");

    [Test, Category("AC-2.6")]
    public async Task AC_2_6_batch_pre_notification_adds_the_eligible_and_refuses_the_rest_each_with_its_clause()
    {
        var ok1 = _w.NewId();
        var ok2 = _w.NewId();
        var offCpl = _w.NewId();
        var results = await _w.Smi.PreNotifyDevicesAsync(
        [
            new AddDeviceRequest(ImportSupplier, ok1, DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus),
            new AddDeviceRequest(ImportSupplier, offCpl, DeviceType.ESME, NotOnCpl, SmetsGeneration.SMETS2Plus),
            new AddDeviceRequest(ImportSupplier, ok2, DeviceType.GSME, Smets2Gsme, SmetsGeneration.SMETS2Plus),
            new AddDeviceRequest(ImportSupplier, ok1, DeviceType.ESME, Smets2Esme, SmetsGeneration.SMETS2Plus),
            new AddDeviceRequest(ImportSupplier, _w.NewId(), DeviceType.CHF, Smets2Hub, SmetsGeneration.SMETS2Plus),
        ], _w.Ct);
        Assert.That(results.Select(r => r.Refusal?.Clause), Is.EqualTo(new[] { null, "AC-2.6", null, "AC-2.3", "AC-2.5" }));
        Assert.That(await _w.Smi.CountDevicesAsync(_w.Ct), Is.EqualTo(2));
        Assert.That((await _w.DeviceAsync(ok2)).Status, Is.EqualTo(SmiStatus.Pending));
    }
}
