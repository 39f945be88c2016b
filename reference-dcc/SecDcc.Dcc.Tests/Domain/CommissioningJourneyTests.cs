using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Tests.Support;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>Whole journeys through the domain layer, from pre-notification to commissioned and joined.</summary>
public sealed class CommissioningJourneyTests
{
    [Test]
    [Category("AC-4")]
    public async Task Smets1_dual_fuel_system_goes_from_pre_notification_to_commissioned_and_joined()
    {
        await using var w = await TestWorld.CreateAsync();
        var supplier = TestWorld.ImportSupplier;
        (await w.Products.AddEligibleCombinationAsync([TestWorld.Smets1Hub, TestWorld.Smets1Esme, TestWorld.Smets1Gsme, TestWorld.Smets1Ppmid], w.Ct)).Must();
        foreach (var model in new[] { TestWorld.Smets1Hub, TestWorld.Smets1Esme, TestWorld.Smets1Gsme, TestWorld.Smets1Ppmid })
            await w.DeclareAsync(model);

        // Pre-notification (AC 2.5, 2.6, 2.8, 2.9, 3.4–3.5).
        var (chf, gpf) = await w.AddSmets1HubAsync(lead: supplier);
        var esme = await w.AddAsync(DeviceType.ESME, TestWorld.Smets1Esme, SmetsGeneration.SMETS1);
        var gsme = await w.AddAsync(DeviceType.GSME, TestWorld.Smets1Gsme, SmetsGeneration.SMETS1, TestWorld.GasSupplier);
        var ppmid = await w.AddAsync(DeviceType.PPMID, TestWorld.Smets1Ppmid, SmetsGeneration.SMETS1);
        var ihd = await w.AddAsync(DeviceType.IHD, TestWorld.Ihd, SmetsGeneration.SMETS1);
        foreach (var id in new[] { chf, gpf, esme, gsme, ppmid })
            Assert.That((await w.DeviceAsync(id)).Status, Is.EqualTo(SmiStatus.Pending));
        Assert.That((await w.DeviceAsync(ihd)).Status, Is.Null, "a Type 2 Device has no SMI Status (AC 2.9)");
        Assert.That((await w.DeviceAsync(gpf)).ChfId, Is.EqualTo(chf));
        Assert.That((await w.DeviceAsync(chf)).LeadSupplier, Is.EqualTo(supplier.Party));

        // AC 4.1: the CHF connects.
        await w.CommissionChfAsync(chf);

        // AC 4.3–4.4: HAN Device Log, then HAN alerts.
        await w.WhitelistAsync(chf, esme, TestWorld.Mpan);
        await w.WhitelistAsync(chf, gsme, TestWorld.Mprn);
        await w.WhitelistAsync(chf, ppmid);
        await w.WhitelistAsync(chf, ihd);
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Whitelisted));
        Assert.That((await w.DeviceAsync(ihd)).Status, Is.Null);
        foreach (var id in new[] { esme, gsme, ppmid })
            (await w.Smi.HanAlertReceivedAsync(new HanAlert(chf, id), w.Ct)).Must();
        Assert.That((await w.DeviceAsync(ppmid)).Status, Is.EqualTo(SmiStatus.InstalledNotCommissioned));

        // AC 4.11–4.13: Commission Device for each meter.
        await w.CommissionMeterAsync(esme, supplier);
        await w.CommissionMeterAsync(gsme, TestWorld.GasSupplier);

        // AC 4.10: GPF joined to the Commissioned GSME is Commissioned; AC 4.9: PPMID joined to the ESME likewise.
        Assert.That((await w.JoinAsync(gpf, gsme, TestWorld.GasSupplier)).Status, Is.EqualTo(SmiStatus.Commissioned));
        Assert.That((await w.JoinAsync(ppmid, esme)).Status, Is.EqualTo(SmiStatus.Commissioned));
        // AC 4.8: the IHD (Type 2) joined by an Other User, Associated with no status.
        var joinedIhd = await w.JoinAsync(ihd, esme, TestWorld.OtherUser);
        Assert.That(joinedIhd.Status, Is.Null);
        Assert.That(joinedIhd.JoinedTo, Is.EqualTo(new[] { esme }));

        // DUIS 8.2 Read Inventory by CHF shows the whole system.
        var byChf = (await w.Smi.ReadInventoryByChfAsync(chf, w.Ct)).Must();
        Assert.That(byChf.Devices.Select(d => d.Id), Is.EquivalentTo(new[] { gpf, esme, gsme, ppmid, ihd }));
        Assert.That(byChf.Devices.Where(d => !d.IsType2).Select(d => d.Status), Is.All.EqualTo(SmiStatus.Commissioned));

        // AC 4.3(b): the ED and GT were told of the MPAN and MPRN.
        var notices = await w.NoticesAsync();
        Assert.That(notices.Where(n => n.Kind == NotificationKind.MpxnRecorded).Select(n => (n.Recipient.Party, n.Data["mpxns"])),
            Is.EquivalentTo(new[] { ((PartyId?)TestWorld.Distributor.Party, TestWorld.Mpan), ((PartyId?)TestWorld.Transporter.Party, TestWorld.Mprn) }));

        // F2.16: the DPL has the electricity and gas systems.
        var dpl = await w.Products.DeployedProductsAsync(w.Ct);
        Assert.That(dpl, Has.Count.EqualTo(2));
        Assert.That(dpl.Single(c => c.SystemModels.Contains(TestWorld.Smets1Esme)).Type2Models, Is.EqualTo(new[] { TestWorld.Ihd }));
    }

    [Test]
    [Category("AC-4")]
    public async Task Smets2_electricity_system_goes_from_delivery_to_commissioned()
    {
        await using var w = await TestWorld.CreateAsync();
        var (chf, _, esme) = await w.Smets2ElectricityAsync();
        var ppmid = await w.AddAsync(DeviceType.PPMID, TestWorld.Smets2Ppmid);
        await w.InstallAsync(chf, ppmid);
        Assert.That((await w.JoinAsync(ppmid, esme)).Status, Is.EqualTo(SmiStatus.Commissioned));
        Assert.That((await w.DeviceAsync(esme)).Mpxns, Is.EqualTo(new[] { TestWorld.Mpan }));
    }
}
