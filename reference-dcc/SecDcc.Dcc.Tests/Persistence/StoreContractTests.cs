using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.Products;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.Persistence;

/// <summary>
/// What every SMI store must do, written once; one subclass per store. The rules above the store are the same, so a
/// journey through the domain runs here too.
/// </summary>
public abstract class StoreContractTests
{
    protected abstract Task<ISmiStore> CreateStoreAsync(string tempDir);

    private Task<TestWorld> World(bool publishCpl = true) => TestWorld.CreateAsync(CreateStoreAsync, publishCpl: publishCpl);

    protected static Device SampleDevice(ulong id, DateTimeOffset now) => new()
    {
        Id = new DeviceId(id),
        Type = DeviceType.ESME,
        Model = Smets2Esme,
        Generation = SmetsGeneration.SMETS2Plus,
        Status = SmiStatus.Pending,
        PendingSince = now,
        ResponsibleSuppliers = [ImportSupplier.Party, OtherSupplier.Party],
        AddedAt = now,
        UpdatedAt = now,
    };

    [Test]
    public async Task Migrations_are_recorded_in_order_and_applying_them_again_changes_nothing()
    {
        await using var w = await World(publishCpl: false);
        var applied = await w.Dcc.Store.AppliedMigrationsAsync(w.Ct);
        Assert.That(applied.Select(m => m.Version), Is.EqualTo(Migrations.All.Select(m => m.Version)));
        await w.Dcc.Store.MigrateAsync(w.Ct);
        Assert.That((await w.Dcc.Store.AppliedMigrationsAsync(w.Ct)).Select(m => (m.Version, m.AppliedAt)), Is.EqualTo(applied.Select(m => (m.Version, m.AppliedAt))));
    }

    [Test]
    public async Task Device_round_trips_every_field_including_the_top_bit_of_the_eui64()
    {
        await using var w = await World(publishCpl: false);
        var d = SampleDevice(0xFFDB_1234_5678_90A1, Start) with
        {
            StatusBeforeSuspension = SmiStatus.Commissioned,
            ChfId = new DeviceId(0x8000_0000_0000_0001),
            Mpxns = [Mpan, Mpan2],
            LeadSupplier = ImportSupplier.Party,
            JoinedTo = [new DeviceId(1), new DeviceId(ulong.MaxValue)],
        };
        await w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.InsertDeviceAsync(d, ct); return Done.Value; }, w.Ct);
        var read = await w.DeviceAsync(d.Id);
        Assert.That(read with { JoinedTo = [], Mpxns = [], ResponsibleSuppliers = [] }, Is.EqualTo(d with { JoinedTo = [], Mpxns = [], ResponsibleSuppliers = [] }));
        Assert.That(read.JoinedTo, Is.EquivalentTo(d.JoinedTo));
        Assert.That(read.Mpxns, Is.EqualTo(d.Mpxns));
        Assert.That(read.ResponsibleSuppliers, Is.EqualTo(d.ResponsibleSuppliers));
        Assert.That((await w.Dcc.Store.ReadAsync((s, ct) => s.GetDevicesJoinedToAsync(new DeviceId(ulong.MaxValue), ct), w.Ct)).Single().Id, Is.EqualTo(d.Id));
    }

    [Test]
    public async Task Bulk_insert_and_paged_listing_return_every_device_once()
    {
        await using var w = await World(publishCpl: false);
        var devices = Enumerable.Range(1, 1234).Select(i => SampleDevice((ulong)i * 0x0101_0101_0101UL, Start)).ToList();
        await w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.InsertDevicesAsync(devices, ct); return Done.Value; }, w.Ct);
        var seen = new List<DeviceId>();
        DeviceId? after = null;
        while (true)
        {
            var page = await w.Smi.ListDevicesAsync(after, 500, w.Ct);
            seen.AddRange(page.Select(d => d.Id));
            if (page.Count < 500) break;
            after = page[^1].Id;
        }
        // Sorted and compared in order: NUnit's EquivalentTo is quadratic, and this is 1,234 items.
        Assert.That(seen.Select(d => d.Value).Order().ToList(), Is.EqualTo(devices.Select(d => d.Id.Value).Order().ToList()));
        Assert.That(seen.Distinct().Count(), Is.EqualTo(seen.Count));
        Assert.That(await w.Smi.CountDevicesAsync(w.Ct), Is.EqualTo(1234));
    }

    [Test]
    public async Task A_refused_outcome_rolls_back_everything_written_in_its_transaction()
    {
        await using var w = await World();
        var before = await w.SnapshotAsync();
        var outcome = await w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.InsertDeviceAsync(SampleDevice(42, Start), ct);
            await s.AddNotificationAsync(new Notification { CreatedAt = Start, Kind = NotificationKind.DeviceSuspended, Clause = "AC-11.2", Recipient = new Recipient(RecipientKind.ResponsibleSupplier, ImportSupplier.Party), Message = "x" }, ct);
            return new Refusal("TEST", "Refused", "refused after writing");
        }, w.Ct);
        Assert.That(outcome.IsSuccess, Is.False);
        Assert.That(await w.SnapshotAsync(), Is.EqualTo(before));
    }

    [Test]
    public async Task A_status_change_and_its_notifications_commit_together_or_not_at_all()
    {
        await using var w = await World();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        var before = await w.SnapshotAsync();
        var device = await w.DeviceAsync(esme);
        Assert.ThrowsAsync<InvalidOperationException>(() => w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.UpdateDeviceAsync(device with { Status = SmiStatus.Decommissioned }, ct);
            await s.AddNotificationAsync(new Notification { CreatedAt = Start, Kind = NotificationKind.SmartMeterDecommissioned, Clause = "AC-11.1", Recipient = new Recipient(RecipientKind.ElectricityDistributor, Distributor.Party), Message = "x" }, ct);
            throw new InvalidOperationException("the process fails between the change and the commit");
        }, w.Ct));
        Assert.That(await w.SnapshotAsync(), Is.EqualTo(before));

        var mark = await w.LastNoticeIdAsync();
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, esme), w.Ct)).Must();
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Decommissioned));
        Assert.That((await w.NoticesAsync(mark)).Single().Clause, Is.EqualTo("AC-11.1"));
    }

    [Test]
    public async Task Concurrent_writers_are_serialised_so_no_update_is_lost()
    {
        await using var w = await World();
        var ids = new List<DeviceId>();
        for (var i = 0; i < 8; i++)
            ids.Add(await w.AddAsync(DeviceType.PPMID, Smets2Ppmid));
        var tasks = ids.Select(id => Task.Run(async () =>
        {
            (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, id), w.Ct)).Must();
            (await w.Smi.ReactivateDeviceAsync(new ReactivateDeviceRequest(ImportSupplier, id), w.Ct)).Must();
            (await w.Smi.WithdrawDeviceAsync(new WithdrawDeviceRequest(ImportSupplier, id), w.Ct)).Must();
        })).ToList();
        await Task.WhenAll(tasks);
        foreach (var id in ids)
            Assert.That((await w.DeviceAsync(id)).Status, Is.EqualTo(SmiStatus.Withdrawn));
    }

    [Test]
    public async Task Notifications_filter_by_recipient_and_include_notices_to_all_parties()
    {
        await using var w = await World();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        (await w.Smi.DecommissionDeviceAsync(new DecommissionDeviceRequest(ImportSupplier, esme), w.Ct)).Must();
        var forDistributor = await w.Dcc.Notifications.ReadAsync(0, 100, Distributor.Party, w.Ct);
        Assert.That(forDistributor.Select(n => n.Kind), Is.EqualTo(new[] { NotificationKind.MpxnRecorded, NotificationKind.SmartMeterDecommissioned }));
        Assert.That(await w.Dcc.Notifications.ReadAsync(0, 100, OtherUser.Party, w.Ct), Is.Empty);
    }

    [Test]
    public async Task Cpl_documents_entries_and_combinations_persist()
    {
        await using var w = await World();
        Assert.That((await w.Products.CplEntriesAsync(w.Ct)).Select(e => e.Model), Is.EquivalentTo(w.StandardEntries().Select(e => new DeviceModel((string)e["manufacturer"]!, (string)e["model"]!, (string)e["hardwareVersion"]!, (string)e["firmwareVersion"]!))));
        Assert.That((await w.Products.LatestCplAsync(w.Ct))!.SmiUpdatedAt, Is.Not.Null);
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme], w.Ct)).Must();
        Assert.That((await w.Products.CombinationsAsync(CombinationList.EPC, w.Ct)).Single().Models, Is.EqualTo(new[] { Smets1Esme, Smets1Hub }.OrderBy(m => m.Key, StringComparer.Ordinal)));
    }

    [Test]
    public async Task Production_proving_approval_round_trips_and_a_second_one_replaces_the_first()
    {
        await using var w = await World(publishCpl: false);
        var chf = new DeviceId(0xFFDB_1234_5678_90B1);
        var first = new ProductionProvingApproval(chf, new DeviceId(2), "SSC-1", Start);
        var second = new ProductionProvingApproval(chf, new DeviceId(ulong.MaxValue), "SSC-2", Start.AddDays(1));
        await w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.PutProductionProvingApprovalAsync(first, ct); return Done.Value; }, w.Ct);
        Assert.That(await w.Dcc.Store.ReadAsync((s, ct) => s.GetProductionProvingApprovalAsync(chf, ct), w.Ct), Is.EqualTo(first));
        await w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.PutProductionProvingApprovalAsync(second, ct); return Done.Value; }, w.Ct);
        Assert.That(await w.Dcc.Store.ReadAsync((s, ct) => s.GetProductionProvingApprovalAsync(chf, ct), w.Ct), Is.EqualTo(second));
        Assert.That(await w.Dcc.Store.ReadAsync((s, ct) => s.GetProductionProvingApprovalAsync(new DeviceId(2), ct), w.Ct), Is.Null);
    }

    [Test]
    public async Task Removing_one_cpl_entry_leaves_the_others_and_the_received_document()
    {
        await using var w = await World();
        var latest = await w.Products.LatestCplAsync(w.Ct);
        await w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.RemoveCplEntryAsync(Smets2Gsme, ct); return Done.Value; }, w.Ct);
        var models = (await w.Products.CplEntriesAsync(w.Ct)).Select(e => e.Model).ToList();
        Assert.That(models, Does.Not.Contain(Smets2Gsme));
        Assert.That(models, Has.Count.EqualTo(w.StandardEntries().Count - 1));
        Assert.That(await w.Products.LatestCplAsync(w.Ct), Is.EqualTo(latest));
    }

    [Test]
    public async Task Smets1_journey_runs_the_same_on_this_store()
    {
        await using var w = await World();
        (await w.Products.AddEligibleCombinationAsync([Smets1Hub, Smets1Esme], w.Ct)).Must();
        await w.DeclareAsync(Smets1Hub);
        await w.DeclareAsync(Smets1Esme);
        var (chf, _) = await w.AddSmets1HubAsync();
        var esme = await w.AddAsync(DeviceType.ESME, Smets1Esme, SmetsGeneration.SMETS1);
        await w.CommissionChfAsync(chf);
        await w.InstallAsync(chf, esme, Mpan);
        await w.CommissionMeterAsync(esme);
        await w.PublishCplAsync(w.StandardEntries().Where(e => (string)e["model"]! != Smets1Esme.Model));
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Suspended));
        await w.PublishCplAsync(w.StandardEntries());
        Assert.That((await w.DeviceAsync(esme)).Status, Is.EqualTo(SmiStatus.Commissioned));
    }
}

[Category("Store:SQLite")]
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<ISmiStore> CreateStoreAsync(string tempDir) => Task.FromResult<ISmiStore>(new SqliteSmiStore(Path.Combine(tempDir, "smi.db")));

    [Test]
    public async Task Sqlite_file_is_in_wal_mode()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-wal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        await using (var store = new SqliteSmiStore(Path.Combine(dir, "smi.db")))
            await store.MigrateAsync(CancellationToken.None);
        using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(dir, "smi.db")}");
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode";
        Assert.That(cmd.ExecuteScalar(), Is.EqualTo("wal"));
        connection.Close();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(dir, true);
    }

    [Test]
    public async Task A_writer_that_finds_another_writing_queues_without_holding_its_caller_and_both_commit()
    {
        await using var w = await TestWorld.CreateAsync(CreateStoreAsync, publishCpl: false);
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finish = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var first = w.Dcc.Store.WriteAsync<Done>(async (s, ct) =>
        {
            await s.InsertDeviceAsync(SampleDevice(0x51, Start), ct);
            writing.SetResult();
            await finish.Task;
            return Done.Value;
        }, w.Ct);
        await writing.Task;

        // Left to SQLite's busy handler, this call would block the calling thread in BEGIN IMMEDIATE (a whole second
        // per retry with the bundled e_sqlite3) and fail with "database is locked" once busy_timeout ran out, as the
        // first writer cannot finish until the call returns.
        var second = w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await s.InsertDeviceAsync(SampleDevice(0x52, Start), ct); return Done.Value; }, w.Ct);
        Assert.That(second.IsCompleted, Is.False, "the second writer should wait its turn in the store, not at SQLite's file lock");

        finish.SetResult();
        await Task.WhenAll(first, second);
        Assert.That((await w.DeviceAsync(new DeviceId(0x51))).Id, Is.EqualTo(new DeviceId(0x51)));
        Assert.That((await w.DeviceAsync(new DeviceId(0x52))).Id, Is.EqualTo(new DeviceId(0x52)));
    }

    [Test]
    public void Sqlite_path_in_a_missing_folder_is_refused_clearly() =>
        Assert.That(() => new SqliteSmiStore("/nonexistent-folder/smi.db"), Throws.TypeOf<DirectoryNotFoundException>().With.Message.Contains("--data"));
}

[Category("Store:PostgreSQL")]
public sealed class PostgresStoreContractTests : StoreContractTests
{
    protected override async Task<ISmiStore> CreateStoreAsync(string tempDir)
    {
        var cluster = await PostgresCluster.SharedAsync();
        return new PostgresSmiStore(await cluster.CreateDatabaseAsync());
    }
}
