using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 8.2: a Device 'pending' for 12 months is removed from the SMI.</summary>
public sealed class PendingExpiryTests
{
    [Test, Category("AC-8.2")]
    public async Task AC_8_2_device_pending_for_12_months_is_removed_and_one_pending_for_less_is_kept()
    {
        await using var w = await TestWorld.CreateAsync();
        var old = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        w.Clock.Advance(TimeSpan.FromDays(40));
        var younger = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        var (chf, gpf) = await w.DeliverHubAsync();
        await w.CommissionChfAsync(chf);

        w.Clock.Set(Start.AddMonths(12).AddSeconds(-1));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).PendingRemoved, Is.Zero);
        Assert.That((await w.Smi.ReadInventoryAsync(old, w.Ct)).IsSuccess, Is.True);

        w.Clock.Set(Start.AddMonths(12));
        var report = await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That(report.PendingRemoved, Is.EqualTo(1));
        (await w.Smi.ReadInventoryAsync(old, w.Ct)).Refused("AC-2.1", "DeviceNotInSmi");
        Assert.That((await w.DeviceAsync(younger)).Status, Is.EqualTo(SmiStatus.Pending));
        Assert.That((await w.DeviceAsync(chf)).Status, Is.EqualTo(SmiStatus.Commissioned));

        // The GPF is pending too: it goes at 12 months plus 40 days, and its CHF no longer lists it.
        w.Clock.Set(Start.AddDays(40).AddMonths(12));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).PendingRemoved, Is.EqualTo(2));
        Assert.That((await w.Smi.ReadInventoryByChfAsync(chf, w.Ct)).Must().Devices, Is.Empty);
        Assert.That((await w.Smi.ReadInventoryAsync(gpf, w.Ct)).IsSuccess, Is.False);
    }

    [Test, Category("AC-8.2")]
    public async Task AC_8_2_reactivation_restarts_the_12_months()
    {
        await using var w = await TestWorld.CreateAsync();
        var id = await w.AddAsync(DeviceType.ESME, Smets2Esme);
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, id), w.Ct)).Must();
        w.Clock.Advance(TimeSpan.FromDays(200));
        (await w.Smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(ImportSupplier, id), w.Ct)).Must();
        w.Clock.Set(Start.AddMonths(12).AddDays(1));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).PendingRemoved, Is.Zero);
        w.Clock.Set(Start.AddDays(200).AddMonths(12));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).PendingRemoved, Is.EqualTo(1));
    }

    [Test, Category("AC-8.2")]
    public async Task AC_8_2_expiry_period_is_configuration()
    {
        await using var w = await TestWorld.CreateAsync(options: new DccOptions { PendingExpiryMonths = 1 });
        await w.AddAsync(DeviceType.ESME, Smets2Esme);
        w.Clock.Set(Start.AddMonths(1));
        Assert.That((await w.Dcc.Duties.RunDueAsync(w.Ct)).PendingRemoved, Is.EqualTo(1));
    }

    [Test, Category("AC-8.2")]
    public void AC_8_2_options_refuse_a_non_positive_expiry() =>
        Assert.That(() => new DccOptions { PendingExpiryMonths = 0 }.Validate(), Throws.TypeOf<ArgumentOutOfRangeException>().With.Message.Contains("AC 8.2"));
}
