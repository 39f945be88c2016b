using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Persistence;
using SecDcc.Dcc.PostCommissioning;
using SecDcc.Dcc.Tests.Support;
using static SecDcc.Dcc.Tests.PostCommissioning.PostCommissioningFlows;
using static SecDcc.Dcc.Tests.Support.TestWorld;

namespace SecDcc.Dcc.Tests.PostCommissioning;

/// <summary>
/// What every SMI store must keep for the post-commissioning work (migration 4), written once and run on SQLite and on
/// PostgreSQL, beside <see cref="Persistence.StoreContractTests"/>.
/// </summary>
public abstract class PostCommissioningStoreContractTests
{
    /// <summary>A new, empty database: its SQLite file path or PostgreSQL connection string.</summary>
    protected abstract Task<string> NewDatabaseAsync(string tempDir);
    protected abstract ISmiStore Open(string database);
    protected abstract DbConnection Connect(string database);


    private async Task<TestWorld> WorldAsync() => await TestWorld.CreateAsync(async dir => Open(await NewDatabaseAsync(dir)));

    private static Task<T> Read<T>(TestWorld w, Func<ISmiSession, CancellationToken, Task<T>> read) => w.Dcc.Store.ReadAsync(read, w.Ct);

    private static Task Write(TestWorld w, Func<ISmiSession, CancellationToken, Task> write) =>
        w.Dcc.Store.WriteAsync<Done>(async (s, ct) => { await write(s, ct); return Done.Value; }, w.Ct);

    [Test, Category("AC-5.8")]
    public async Task Migration_4_keeps_devices_of_the_earlier_schema_and_dates_commissioned_ones_by_their_last_change()
    {
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-upgrade-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var database = await NewDatabaseAsync(dir);
            var changed = Start.AddDays(3);
            await using (var earlier = (SqlSmiStore)Open(database))
            await using (var connection = Connect(database))
            {
                string Dialect(string statement) => earlier.InDialect(statement);
                await connection.OpenAsync();
                await ExecAsync(connection, Dialect("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {BIGINT} NOT NULL)"));
                foreach (var migration in Migrations.All.Where(m => m.Version <= 3))
                {
                    foreach (var statement in migration.Statements)
                        await ExecAsync(connection, Dialect(statement));
                    await ExecAsync(connection, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({migration.Version}, 'v{migration.Version}', 0)");
                }
                foreach (var (id, status) in new[] { (11L, "Commissioned"), (12L, "Pending") })
                    await ExecAsync(connection,
                        "INSERT INTO devices (device_id, device_type, generation, manufacturer, model, hardware_version, firmware_version, status, mpxns, responsible_suppliers, added_at, updated_at) " +
                        $"VALUES ({id}, 'ESME', 'SMETS2Plus', 'Acme', 'E-2', '1.0', '3.1', '{status}', '', '{ImportSupplier.Party}', {Start.ToUnixTimeMilliseconds()}, {changed.ToUnixTimeMilliseconds()})");
            }

            await using var store = Open(database);
            await store.MigrateAsync(CancellationToken.None);
            Assert.That((await store.AppliedMigrationsAsync(CancellationToken.None)).Select(m => m.Version), Is.EqualTo(Migrations.All.Select(m => m.Version)));
            var commissioned = await store.ReadDeviceAsync(new DeviceId(11), CancellationToken.None);
            var pending = await store.ReadDeviceAsync(new DeviceId(12), CancellationToken.None);
            Assert.That((commissioned!.CommissionedAt, commissioned.CommissionedBy, commissioned.ResponsibleSuppliers.Single()), Is.EqualTo(((DateTimeOffset?)changed, (PartyId?)null, ImportSupplier.Party)));
            Assert.That(pending!.CommissionedAt, Is.Null);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task ExecAsync(DbConnection connection, string sql)
    {
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        await cmd.ExecuteNonQueryAsync();
    }

    [Test, Category("AC-5.8")]
    public async Task Commissioning_date_and_supplier_round_trip_through_insert_and_update()
    {
        await using var w = await WorldAsync();
        var device = new Device
        {
            Id = new DeviceId(0x8000_0000_0000_0042), Type = DeviceType.GSME, Model = Smets2Gsme, Generation = SmetsGeneration.SMETS2Plus,
            Status = SmiStatus.Commissioned, CommissionedAt = Start.AddMinutes(5), CommissionedBy = new PartyId(0xFF00_0000_0000_0001), AddedAt = Start, UpdatedAt = Start,
        };
        await Write(w, (s, ct) => s.InsertDeviceAsync(device, ct));
        Assert.That(Plain(await w.DeviceAsync(device.Id)), Is.EqualTo(device));
        var updated = device with { CommissionedAt = null, CommissionedBy = null };
        await Write(w, (s, ct) => s.UpdateDeviceAsync(updated, ct));
        Assert.That(Plain(await w.DeviceAsync(device.Id)), Is.EqualTo(updated));
        await Write(w, (s, ct) => s.InsertDevicesAsync([device with { Id = new DeviceId(43) }], ct));
        Assert.That((await w.DeviceAsync(new DeviceId(43))).CommissionedBy, Is.EqualTo(device.CommissionedBy));
    }

    /// <summary>The device with its (empty) lists as the test wrote them, so record equality compares every other field.</summary>
    private static Device Plain(Device d)
    {
        Assert.That((d.JoinedTo, d.Mpxns, d.ResponsibleSuppliers), Is.EqualTo((Array.Empty<DeviceId>(), Array.Empty<string>(), Array.Empty<PartyId>())));
        return d with { JoinedTo = [], Mpxns = [], ResponsibleSuppliers = [] };
    }

    [Test, Category("AC-5.5")]
    public async Task Credential_facts_round_trip_every_field_and_a_second_put_replaces_the_first()
    {
        await using var w = await WorldAsync();
        var id = new DeviceId(0xF000_0000_0000_0007);
        var full = new CredentialFacts
        {
            DeviceId = id, IssueSecurityCredentials = 2, UpdateSecurityCredentialsDevice = 3, UpdateSecurityCredentialsKrp = 4,
            KeysRegeneratedAt = Start.AddHours(1), OrganisationCertificateReplacedAt = Start.AddHours(2), DccInterrogationFailedAt = Start.AddHours(3),
            DccInterrogationSucceededAt = Start.AddHours(4), RecoveryCellPopulated = false, SupplierInterrogationSucceededAt = Start.AddHours(5),
            NetworkParty = Distributor.Party, NetworkPartyAt = Start.AddHours(6), SupplierParty = new PartyId(ulong.MaxValue), SupplierPartyAt = Start.AddHours(7),
            ChfWeekCheckedAt = Start.AddHours(8), IncidentStepsAt = Start.AddHours(9), IncidentInterrogationAt = Start.AddHours(10),
            IncidentRecoveryCellAt = Start.AddHours(11), UpdatedAt = Start.AddHours(12),
        };
        await Write(w, (s, ct) => s.PutCredentialFactsAsync(full, ct));
        Assert.That(await Read(w, (s, ct) => s.GetCredentialFactsAsync(id, ct)), Is.EqualTo(full));

        var bare = CredentialFacts.None(id) with { RecoveryCellPopulated = true, UpdatedAt = Start };
        await Write(w, (s, ct) => s.PutCredentialFactsAsync(bare, ct));
        Assert.That(await Read(w, (s, ct) => s.GetCredentialFactsAsync(id, ct)), Is.EqualTo(bare));
        Assert.That(await Read(w, (s, ct) => s.GetCredentialFactsAsync(new DeviceId(1), ct)), Is.Null);
    }

    [Test, Category("AC-5.18")]
    public async Task Device_certificates_supersede_by_use_and_list_current_ones_first()
    {
        await using var w = await WorldAsync();
        var id = new DeviceId(77);
        await Write(w, (s, ct) => s.RecordDeviceCertificatesAsync(id, [Signing, KeyAgreement], Start, ct));
        var newer = Signing with { SerialNumber = "ABCDEF" };
        await Write(w, (s, ct) => s.RecordDeviceCertificatesAsync(id, [newer], Start.AddDays(1), ct));
        var record = await Read(w, (s, ct) => s.DeviceCertificatesAsync(id, ct));
        Assert.That(record, Is.EqualTo(new[]
        {
            new RecordedDeviceCertificate(newer, Start.AddDays(1), null),
            new RecordedDeviceCertificate(KeyAgreement, Start, null),
            new RecordedDeviceCertificate(Signing, Start, Start.AddDays(1)),
        }));
    }

    [Test, Category("AC-5.6"), Category("AC-5.10")]
    public async Task Post_commissioning_information_updates_and_day_snapshots_persist()
    {
        await using var w = await WorldAsync();
        var entry = new PostCommissioningEntry(new DeviceId(0x8000_0000_0000_0009), DeviceType.ESME, Start, PostCommissioningReasons.InterrogationFailed | PostCommissioningReasons.UpdateSecurityCredentialsKrp,
            [ImportSupplier.Party, OtherSupplier.Party], ImportSupplier.Party, Start.AddDays(7));
        var hub = new PostCommissioningEntry(new DeviceId(5), DeviceType.CHF, Start, PostCommissioningReasons.RecoveryCellNotPopulated, [], null, Start.AddDays(7));
        var day = new DateOnly(2025, 1, 8);

        await Write(w, (s, ct) => s.ReplacePostCommissioningInformationAsync([entry, hub], Start.AddDays(7), ct));
        await Write(w, (s, ct) => s.CompileDayAsync(day, Start.AddDays(8), ct));
        await Write(w, (s, ct) => s.ReplacePostCommissioningInformationAsync([hub], Start.AddDays(8), ct));

        Assert.That(await Read(w, (s, ct) => s.PostCommissioningInformationAsync(ct)), Is.EqualTo(new[] { hub }).Using<PostCommissioningEntry>(SameEntry));
        Assert.That(await Read(w, (s, ct) => s.GetPostCommissioningEntryAsync(entry.DeviceId, ct)), Is.Null);
        Assert.That(await Read(w, (s, ct) => s.LastPostCommissioningUpdateAsync(ct)), Is.EqualTo(Start.AddDays(8)));
        Assert.That(await Read(w, (s, ct) => s.SnapshotAsync(day, ct)), Is.EquivalentTo(new[] { entry, hub }).Using<PostCommissioningEntry>(SameEntry));
        Assert.That(await Read(w, (s, ct) => s.DayCompiledAtAsync(day, ct)), Is.EqualTo(Start.AddDays(8)));
        Assert.That(await Read(w, (s, ct) => s.LastCompiledDayAsync(ct)), Is.EqualTo(day));
        Assert.That(await Read(w, (s, ct) => s.CompiledDaysBeforeAsync(day.AddDays(1), ct)), Does.Contain(day));

        await Write(w, (s, ct) => s.DeleteCompiledDayAsync(day, ct));
        Assert.That(await Read(w, (s, ct) => s.SnapshotAsync(day, ct)), Is.Empty);
        Assert.That(await Read(w, (s, ct) => s.DayCompiledAtAsync(day, ct)), Is.Null);
    }

    private static bool SameEntry(PostCommissioningEntry a, PostCommissioningEntry b) =>
        a with { ResponsibleSuppliers = [] } == b with { ResponsibleSuppliers = [] } && a.ResponsibleSuppliers.SequenceEqual(b.ResponsibleSuppliers);

    [Test, Category("AC-5.13")]
    public async Task Incidents_are_read_from_the_outbox_by_device()
    {
        await using var w = await WorldAsync();
        Notification Incident(ulong device) => new()
        {
            CreatedAt = Start, Kind = NotificationKind.Incident, Clause = "AC-5.13(a)", Recipient = new Recipient(RecipientKind.DccIncidentManagement, null),
            DeviceId = new DeviceId(device), Message = "incident",
        };
        await Write(w, async (s, ct) =>
        {
            await s.AddNotificationAsync(Incident(1), ct);
            await s.AddNotificationAsync(Incident(2), ct);
        });
        Assert.That((await w.Pc().IncidentsAsync(new DeviceId(2), w.Ct)).Single().DeviceId, Is.EqualTo(new DeviceId(2)));
        Assert.That(await w.Pc().IncidentsAsync(null, w.Ct), Has.Count.EqualTo(2));
    }

    [Test, Category("AC-5.9")]
    public async Task A_monthly_report_over_three_months_runs_the_same_on_this_store()
    {
        await using var w = await WorldAsync();
        var (_, _, esme) = await w.Smets2ElectricityAsync();
        await w.SetAsync(Start.AddDays(7));
        await w.SetAsync(new DateTimeOffset(2025, 5, 1, 9, 0, 0, TimeSpan.Zero));
        var april = (await w.Pc().Reports.MonthlyAsync(new ReportMonth(2025, 4), w.Ct)).Must();
        var counts = april.Suppliers.Single().DeviceTypes.Single(t => t.DeviceType == DeviceType.ESME).Counts;
        Assert.That(counts, Is.EqualTo(new MonthlyCounts(1, 0, 0, 1, 1, 0)), $"{esme} listed at the end of January, February and March");
    }
}

[Category("Store:SQLite")]
public sealed class SqlitePostCommissioningStoreContractTests : PostCommissioningStoreContractTests
{
    protected override Task<string> NewDatabaseAsync(string tempDir) => Task.FromResult(Path.Combine(tempDir, "smi.db"));
    protected override ISmiStore Open(string database) => new SqliteSmiStore(database);
    protected override DbConnection Connect(string database) => new SqliteConnection($"Data Source={database}");
}

[Category("Store:PostgreSQL")]
public sealed class PostgresPostCommissioningStoreContractTests : PostCommissioningStoreContractTests
{
    protected override async Task<string> NewDatabaseAsync(string tempDir) => await (await PostgresCluster.SharedAsync()).CreateDatabaseAsync();
    protected override ISmiStore Open(string database) => new PostgresSmiStore(database);
    protected override DbConnection Connect(string database) => new NpgsqlConnection(database);
}
