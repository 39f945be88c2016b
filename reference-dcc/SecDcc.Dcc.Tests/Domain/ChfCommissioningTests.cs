using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Domain;

/// <summary>AC 4.1–4.2: a CHF is Commissioned by its verified connection to the SM WAN.</summary>
public sealed class ChfCommissioningTests
{
    private TestWorld _w = null!;
    private DeviceId _chf, _gpf;

    [SetUp]
    public async Task SetUp()
    {
        _w = await TestWorld.CreateAsync();
        (_chf, _gpf) = await _w.DeliverHubAsync();
    }

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    private Task<Outcome<Device>> Receive(DeviceId chf, bool integrity = true, bool origin = true) =>
        _w.Smi.ChfCommunicationReceivedAsync(new ChfCommunication(chf, integrity, origin), _w.Ct);

    [Test, Category("AC-4.1")]
    public async Task AC_4_1_chf_commissioned_from_pending()
    {
        var after = (await Receive(_chf)).Must();
        Assert.That(after.Status, Is.EqualTo(SmiStatus.Commissioned));
        Assert.That(after.PendingSince, Is.Null);
        Assert.That((await _w.DeviceAsync(_chf)).Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-4.1")]
    public async Task AC_4_1_chf_commissioned_from_installed_not_commissioned()
    {
        var device = await _w.DeviceAsync(_chf);
        await _w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.UpdateDeviceAsync(device with { Status = SmiStatus.InstalledNotCommissioned }, ct);
            return Done.Value;
        }, _w.Ct);
        Assert.That((await Receive(_chf)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));
    }

    [Test, Category("AC-4.1")]
    public async Task AC_4_1_connection_of_an_already_commissioned_chf_changes_nothing()
    {
        (await Receive(_chf)).Must();
        var before = await _w.SnapshotAsync();
        Assert.That((await Receive(_chf)).Must().Status, Is.EqualTo(SmiStatus.Commissioned));
        Assert.That(await _w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test, Category("AC-4.2")]
    public async Task AC_4_2_a_chf_not_listed_refused() =>
        await _w.RefusedUnchangedAsync(() => Receive(_w.NewId()), "AC-4.2(a)", "DeviceNotInSmi");

    [Test, Category("AC-4.2")]
    public async Task AC_4_2_b_chf_decommissioned_refused()
    {
        (await _w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, _chf), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Receive(_chf), "AC-4.2(b)", "ChfStatusNotCommissionable");
    }

    [Test, Category("AC-4.2")]
    public async Task AC_4_2_b_chf_withdrawn_refused()
    {
        (await _w.Smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(ImportSupplier, _chf), _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => Receive(_chf), "AC-4.2(b)");
    }

    [Test, Category("AC-4.2")]
    public async Task AC_4_2_c_communication_changed_in_transit_refused() =>
        await _w.RefusedUnchangedAsync(() => Receive(_chf, integrity: false), "AC-4.2(c)", "CommunicationNotAuthentic");

    [Test, Category("AC-4.2")]
    public async Task AC_4_2_c_communication_not_from_the_named_chf_refused()
    {
        var refusal = await _w.RefusedUnchangedAsync(() => Receive(_chf, origin: false), "AC-4.2(c)", "CommunicationNotAuthentic");
        Assert.That(refusal.Message, Does.Contain("does not originate"));
    }

    [Test, Category("AC-4.1")]
    public async Task AC_4_1_a_gpf_is_not_commissioned_by_a_connection() =>
        await _w.RefusedUnchangedAsync(() => Receive(_gpf), "AC-4.1", "NotACommunicationsHubFunction");
}
