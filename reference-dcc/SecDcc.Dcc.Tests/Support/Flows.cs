using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>Steps that build Smart Metering Systems; each asserts its own success so a test fails where the flow broke.</summary>
public static class Flows
{
    public static T Must<T>(this Outcome<T> outcome)
    {
        Assert.That(outcome.Refusal, Is.Null, () => $"expected success, got {outcome}");
        return outcome.Value;
    }

    /// <summary>Asserts a refusal with the given clause and code, and returns it.</summary>
    public static Refusal Refused<T>(this Outcome<T> outcome, string clause, string? code = null)
    {
        Assert.That(outcome.IsSuccess, Is.False, () => $"expected a refusal under {clause}, got {outcome}");
        Assert.That(outcome.Refusal!.Clause, Is.EqualTo(clause), () => outcome.Refusal.ToString());
        if (code is not null)
            Assert.That(outcome.Refusal.Code, Is.EqualTo(code), () => outcome.Refusal.ToString());
        Assert.That(outcome.Refusal.Message, Is.Not.Empty);
        return outcome.Refusal;
    }

    public static async Task<(DeviceId Chf, DeviceId Gpf)> DeliverHubAsync(this TestWorld w, Actor? to = null, DeviceModel? model = null)
    {
        var chf = w.NewId();
        var gpf = w.NewId();
        (await w.Smi.DeliverCommunicationsHubAsync(new DeliverCommunicationsHubRequest(chf, gpf, model ?? TestWorld.Smets2Hub, (to ?? TestWorld.ImportSupplier).Party), w.Ct)).Must();
        return (chf, gpf);
    }

    public static async Task<DeviceId> AddAsync(this TestWorld w, DeviceType type, DeviceModel model, SmetsGeneration generation = SmetsGeneration.SMETS2Plus, Actor? by = null)
    {
        var id = w.NewId();
        if (generation == SmetsGeneration.SMETS1)
            await w.ServiceDeskAsync(id, by);
        (await w.Smi.AddDeviceAsync(new AddDeviceRequest(by ?? TestWorld.ImportSupplier, id, type, model, generation), w.Ct)).Must();
        return id;
    }

    public static async Task ServiceDeskAsync(this TestWorld w, DeviceId id, Actor? by = null) =>
        (await w.Smi.ProvideServiceDeskInformationAsync(new ServiceDeskContact(by ?? TestWorld.ImportSupplier, id, new Dictionary<string, string> { ["wanAddress"] = "10.0.0.1" }), w.Ct)).Must();

    public static async Task<(DeviceId Chf, DeviceId Gpf)> AddSmets1HubAsync(this TestWorld w, Actor? lead = null)
    {
        var chf = w.NewId();
        var gpf = w.NewId();
        await w.ServiceDeskAsync(chf, lead);
        await w.ServiceDeskAsync(gpf, lead);
        (await w.Smi.AddCommunicationsHubAsync(new AddCommunicationsHubRequest(lead ?? TestWorld.ImportSupplier, chf, gpf, TestWorld.Smets1Hub, SmetsGeneration.SMETS1), w.Ct)).Must();
        return (chf, gpf);
    }

    public static async Task DeclareAsync(this TestWorld w, DeviceModel model, Actor? supplier = null) =>
        (await w.Smi.RecordSmets1DeclarationAsync(new Smets1DeclarationRequest(supplier ?? TestWorld.ImportSupplier, model, "Example Energy Supply Ltd", "A. Person, Head of Metering"), w.Ct)).Must();

    public static async Task CommissionChfAsync(this TestWorld w, DeviceId chf) =>
        Assert.That((await w.Smi.ChfCommunicationVerifiedAsync(chf, w.Ct)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));

    public static async Task WhitelistAsync(this TestWorld w, DeviceId chf, DeviceId device, params string[] mpxns) =>
        (await w.Smi.HanDeviceLogUpdatedAsync(new HanDeviceLogUpdate(TestWorld.ImportSupplier, chf, device, mpxns), w.Ct)).Must();

    public static async Task InstallAsync(this TestWorld w, DeviceId chf, DeviceId device, params string[] mpxns)
    {
        await w.WhitelistAsync(chf, device, mpxns);
        (await w.Smi.HanAlertReceivedAsync(new HanAlert(chf, device), w.Ct)).Must();
    }

    public static async Task CommissionMeterAsync(this TestWorld w, DeviceId meter, Actor? by = null)
    {
        (await w.Smi.RequestCommissionDeviceAsync(new CommissionDeviceRequest(by ?? TestWorld.ImportSupplier, meter), w.Ct)).Must();
        Assert.That((await w.Smi.CommissionDeviceResponseAsync(new CommissionDeviceResponse(meter, true), w.Ct)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    public static async Task<Device> JoinAsync(this TestWorld w, DeviceId device, DeviceId target, Actor? by = null)
    {
        (await w.Smi.RequestJoinAsync(new JoinRequest(by ?? TestWorld.ImportSupplier, device, target), w.Ct)).Must();
        return (await w.Smi.JoinResponseAsync(new JoinResponse(device, target, true), w.Ct)).Must();
    }

    /// <summary>A SMETS2+ electricity system: delivered hub with Commissioned CHF, ESME Commissioned.</summary>
    public static async Task<(DeviceId Chf, DeviceId Gpf, DeviceId Esme)> Smets2ElectricityAsync(this TestWorld w)
    {
        var (chf, gpf) = await w.DeliverHubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, TestWorld.Smets2Esme);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, TestWorld.Mpan);
        await w.CommissionMeterAsync(esme);
        return (chf, gpf, esme);
    }
}
