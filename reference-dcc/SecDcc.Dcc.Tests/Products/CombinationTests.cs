using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Products;

/// <summary>EPC and PPC (BEIS consultation 2.4–2.5, 6.10–6.16), the DPL (F2.16) and CPA expiry notices (F2.4).</summary>
public sealed class CombinationTests
{
    private TestWorld _w = null!;
    private static readonly PartyId Manufacturer = PartyId.Parse("00-11-22-33-44-55-66-77");
    private static readonly DeviceModel[] Combo = [Smets1Hub, Smets1Esme, Smets1Ppmid];

    [SetUp]
    public async Task SetUp() => _w = await TestWorld.CreateAsync();

    [TearDown]
    public async Task TearDown() => await _w.DisposeAsync();

    [Test, Category("PPC")]
    public async Task PPC_6_12_requested_combination_goes_on_the_ppc_with_its_date()
    {
        _w.Clock.Advance(TimeSpan.FromDays(2));
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        Assert.That((c.List, c.AddedAt, c.Requester), Is.EqualTo((CombinationList.PPC, Start.AddDays(2), (PartyId?)Manufacturer)));
        Assert.That((await _w.Products.CombinationsAsync(CombinationList.PPC, _w.Ct)).Single().Key, Is.EqualTo(ProductCombination.KeyOf(Combo.Reverse())), "a combination is a set");
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_passed_test_moves_the_combination_to_the_epc_and_tells_the_requester()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        _w.Clock.Advance(TimeSpan.FromDays(10));
        var moved = (await _w.Products.RecordPpcTestResultAsync(c.Key, true, null, _w.Ct)).Must();
        Assert.That((moved.List, moved.AddedAt), Is.EqualTo((CombinationList.EPC, Start.AddDays(10))));
        Assert.That(await _w.Products.CombinationsAsync(CombinationList.PPC, _w.Ct), Is.Empty);
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That((notice.Kind, notice.Recipient), Is.EqualTo((NotificationKind.PpcTestPassed, new Recipient(RecipientKind.TestingParticipant, Manufacturer))));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_failed_test_removes_the_combination_and_explains_to_the_requester()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        (await _w.Products.RecordPpcTestResultAsync(c.Key, false, "The PPMID sent no HAN alert after being whitelisted.", _w.Ct)).Must();
        Assert.That(await _w.Products.CombinationsAsync(CombinationList.PPC, _w.Ct), Is.Empty);
        Assert.That(await _w.Products.CombinationsAsync(CombinationList.EPC, _w.Ct), Is.Empty);
        var notice = (await _w.NoticesAsync()).Single();
        Assert.That((notice.Kind, notice.Clause), Is.EqualTo((NotificationKind.PpcTestFailed, "PPC-6.13")));
        Assert.That(notice.Message, Does.Contain("no HAN alert"));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_13_failure_without_an_explanation_refused()
    {
        var c = (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        await _w.RefusedUnchangedAsync(() => _w.Products.RecordPpcTestResultAsync(c.Key, false, " ", _w.Ct), "PPC-6.13");
        Assert.That(await _w.Products.CombinationsAsync(CombinationList.PPC, _w.Ct), Has.Count.EqualTo(1));
    }

    [Test, Category("PPC")]
    public async Task PPC_6_10_request_for_a_combination_already_on_the_epc_or_ppc_refused()
    {
        (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Must();
        (await _w.Products.RequestPpcTestAsync(Manufacturer, Combo, _w.Ct)).Refused("PPC-6.10", "AlreadyOnPpc");
        (await _w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Gsme], _w.Ct)).Must();
        (await _w.Products.RequestPpcTestAsync(Manufacturer, [Smets1Gsme, Smets1Hub], _w.Ct)).Refused("PPC-6.10", "AlreadyOnEpc");
    }

    [Test, Category("PPC")]
    public async Task PPC_result_for_a_combination_not_on_the_ppc_refused() =>
        (await _w.Products.RecordPpcTestResultAsync("nothing", true, null, _w.Ct)).Refused("PPC-6.12", "NotOnPpc");

    [Test, Category("PPC")]
    public async Task PPC_empty_or_repeating_combination_refused()
    {
        (await _w.Products.RequestPpcTestAsync(Manufacturer, [], _w.Ct)).Refused("PPC-6.12", "InvalidField");
        (await _w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Hub], _w.Ct)).Refused("PPC-2.5", "InvalidField");
        (await _w.Products.AddEligibleCombinationAsync([new DeviceModel("", "x", "1", "1")], _w.Ct)).Refused("PPC-2.5", "InvalidField");
    }

    [Test, Category("F2.16")]
    public async Task F2_16_dpl_lists_each_combination_in_the_smi_with_its_type2_devices_and_count()
    {
        for (var i = 0; i < 2; i++)
        {
            var (chf, _, esme) = await _w.Smets2ElectricityAsync();
            var ihd = await _w.AddAsync(DeviceType.IHD, Ihd);
            await _w.WhitelistAsync(chf, ihd);
            await _w.JoinAsync(ihd, esme, OtherUser);
        }
        var (chf3, _) = await _w.DeliverHubAsync();
        var gsme = await _w.AddAsync(DeviceType.GSME, Smets2Gsme);
        await _w.WhitelistAsync(chf3, gsme, Mprn);
        var dpl = await _w.Products.DeployedProductsAsync(_w.Ct);
        Assert.That(dpl.Select(d => (string.Join("+", d.SystemModels.Select(m => m.Model)), string.Join("+", d.Type2Models.Select(m => m.Model)), d.Systems)),
            Is.EquivalentTo(new[] { ("CH-2+E-2", "IHD", 2), ("CH-2+G-2", "", 1) }));
    }

    [Test, Category("F2.6")]
    public async Task F2_6_cpa_expiry_notices_go_out_12_and_6_months_ahead_once_each()
    {
        await using var w = await TestWorld.CreateAsync(publishCpl: false);
        var expiry = new DateOnly(2026, 7, 1);
        await w.PublishCplAsync([w.Entry("ESME", Smets2Esme, cpaExpiry: expiry)]);
        Assert.That(await Cpa(w), Is.Empty);

        w.Clock.Set(new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That((await Cpa(w)).Select(n => (n.Clause, n.Data["months"], n.Recipient.Kind)), Is.EqualTo(new[] { ("F2.6", "12", RecipientKind.AllParties) }));

        w.Clock.Set(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That((await Cpa(w)).Select(n => n.Data["months"]), Is.EqualTo(new[] { "12", "6" }));

        w.Clock.Set(new DateTimeOffset(2026, 8, 1, 0, 0, 0, TimeSpan.Zero));
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That(await Cpa(w), Has.Count.EqualTo(2), "no notice after expiry");
    }

    [Test, Category("F2.6")]
    public async Task F2_6_model_added_inside_six_months_gets_one_notice_not_two()
    {
        await using var w = await TestWorld.CreateAsync(publishCpl: false);
        await w.PublishCplAsync([w.Entry("ESME", Smets2Esme, cpaExpiry: DateOnly.FromDateTime(Start.UtcDateTime).AddMonths(5))]);
        Assert.That((await Cpa(w)).Select(n => n.Data["months"]), Is.EqualTo(new[] { "6" }));
        w.Clock.Advance(TimeSpan.FromDays(30));
        await w.Dcc.Duties.RunDueAsync(w.Ct);
        Assert.That(await Cpa(w), Has.Count.EqualTo(1));
    }

    private static async Task<List<Notification>> Cpa(TestWorld w) =>
        (await w.NoticesAsync()).Where(n => n.Kind == NotificationKind.CpaExpiry).ToList();
}
