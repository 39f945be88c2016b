using NUnit.Framework;
using SecDcc.Scenarios;
using SecDcc.Steps.Support;

namespace SecDcc.Steps.Commissioning;

/// <summary>AC 4.1–4.4 and 4.11–4.15: the CHF's connection, the HAN Device Log and alerts, Commission Device.</summary>
[Binding]
public sealed class CommissioningSteps(SmiWorld world)
{
    private const string Chf = "Communications Hub Function";

    [When("^the Communications Hub Function connects to the SM WAN$")]
    public Task WhenChfConnects() => Connect(true, true);

    [When("^the Communications Hub Function's communication that it has connected reaches the DCC altered in transit$")]
    public Task WhenAltered() => Connect(false, true);

    [When("^a communication naming the Communications Hub Function reaches the DCC from another origin$")]
    public Task WhenForeignOrigin() => Connect(true, false);

    private async Task Connect(bool integrity, bool origin) =>
        world.Record(await world.Devices.ChfConnectsAsync(world.Device(Chf).Id, integrity, origin, world.Ct));

    [When("^" + P.Party + " adds the " + P.Device + " to the Device Log of the Communications Hub Function$")]
    public async Task WhenAddsToLog(string party, string label)
    {
        var device = world.Device(label);
        world.Record(await world.Client.UpdateHanDeviceLogAsync(world.Party(party), world.Device(Chf).Id, device.Id, await world.MpxnsForAsync(device), world.Ct));
    }

    [When("^" + P.Party + " adds the " + P.Device + " to the Device Log of the Communications Hub Function with (?:MPAN|MPRN) '([^']*)'$")]
    public async Task WhenAddsToLogWith(string party, string label, string mpxn)
    {
        var device = world.Device(label);
        await world.RegisterNetworkOperatorsAsync();
        world.Record(await world.Client.UpdateHanDeviceLogAsync(world.Party(party), world.Device(Chf).Id, device.Id, [mpxn], world.Ct));
    }

    [When("^the Communications Hub Function alerts that it can communicate over the HAN with the " + P.Device + "$")]
    public async Task WhenHanAlert(string label) =>
        world.Record(await world.Devices.HanAlertAsync(world.Device(Chf).Id, world.Device(label).Id, world.Ct));

    [When("^" + P.Party + " sends a 'Commission Device' Service Request for the " + P.Device + "$")]
    public async Task WhenCommission(string party, string label) =>
        world.Record(await world.Client.CommissionDeviceAsync(world.Party(party), world.Device(label).Id, world.Ct));

    [Given("^the Responsible Supplier has sent a 'Commission Device' Service Request for the " + P.Device + "$")]
    public async Task GivenCommissionSent(string label) =>
        SmiWorld.Need(await world.Client.CommissionDeviceAsync(world.Supplier, world.Device(label).Id, world.Ct), $"send Commission Device for the {label}");

    [When("^the " + P.Device + " answers over the SM WAN that 'Commission Device' was (successfully executed|not successfully executed)$")]
    public async Task WhenCommissionResponse(string label, string outcome) =>
        world.Record(await world.Devices.CommissionResponseAsync(world.Device(label).Id, outcome == "successfully executed", world.Ct));

    [Then("^the (Electricity Distributor|Gas Transporter) is notified of the " + P.Device + "'s (?:MPAN|MPRN), Device ID and Device Type$")]
    public async Task ThenNetworkOperatorNotified(string operatorName, string label)
    {
        var device = world.Device(label);
        var recipient = world.Party(operatorName);
        var notices = await world.Client.NotificationsAsync(recipient.Party, world.Ct);
        var notice = notices.FirstOrDefault(n => n.Kind == "MpxnRecorded" && n.DeviceId == device.Id);
        Assert.That(notice, Is.Not.Null,
            $"AC 4.3(b) requires the DCC to notify the {operatorName} ({recipient.Party}) of the {label}'s MPxN, Device ID and Device Type; it has {notices.Count} notice(s), none about {device.Id}.");
        Assert.Multiple(() =>
        {
            Assert.That(notice!.Data.GetValueOrDefault("deviceId"), Is.EqualTo(device.Id), "The notice must carry the Smart Meter's Device ID.");
            Assert.That(notice.Data.GetValueOrDefault("deviceType"), Is.EqualTo(device.DeviceType), "The notice must carry the Smart Meter's Device Type.");
            Assert.That(notice.Data.GetValueOrDefault("mpxns"), Is.EqualTo(string.Join(",", world.SentMpxns[label])), "The notice must carry the MPxN(s) recorded.");
        });
    }

    [Then("^neither the Electricity Distributor nor the Gas Transporter is notified about the " + P.Device + "$")]
    public async Task ThenNoNetworkNotice(string label)
    {
        var id = world.Device(label).Id;
        foreach (var name in new[] { "Electricity Distributor", "Gas Transporter" })
        {
            var notices = await world.Client.NotificationsAsync(world.Party(name).Party, world.Ct);
            Assert.That(notices.Where(n => n.DeviceId == id), Is.Empty, $"The {name} should not be notified about the {label}; it got: {string.Join(" | ", notices.Where(n => n.DeviceId == id).Select(n => n.Message))}");
        }
    }
}
