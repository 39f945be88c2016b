using System.Data;
using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Serialization;
using SecDcc.Dcc.Inventory;
using SecDcc.Dcc.Notifications;
using SecDcc.Dcc.Products;

namespace SecDcc.Dcc.Persistence;

/// <summary>
/// The SQL both stores share: plain ADO.NET with named parameters, 64-bit integers for EUI-64s (the bits of
/// the ulong, stored signed) and for instants (Unix milliseconds, UTC). Subclasses open connections and say
/// how the dialect differs.
/// </summary>
public abstract class SqlSmiStore : ISmiStore
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter() },
    };

    public abstract string Kind { get; }

    /// <summary>Opens a ready-to-use connection (pragmas applied).</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken ct);

    /// <summary>Gives a connection from <see cref="OpenAsync"/> back; a store that keeps its own pool overrides this.</summary>
    protected virtual ValueTask ReleaseAsync(DbConnection connection) => connection.DisposeAsync();

    /// <summary>Replaces the schema tokens of <see cref="Migrations"/> with this dialect's types.</summary>
    protected abstract string Dialect(string statement);

    /// <summary>A statement of <see cref="Migrations"/> as this store runs it, e.g. to build an earlier schema and test an upgrade from it.</summary>
    public string InDialect(string statement) => Dialect(statement);

    /// <summary>An aggregate of <c>target_id</c> as comma-separated text, e.g. group_concat or string_agg.</summary>
    protected internal abstract string JoinTargetsAggregate { get; }

    /// <summary>Begins a write transaction that serialises against other writers.</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct);

    /// <summary>
    /// Waits, without holding a thread, until this process may begin a write transaction; disposing the result lets
    /// the next writer in. By default every writer goes straight to the database, which serialises them itself.
    /// </summary>
    protected virtual ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct) => ValueTask.FromResult<IDisposable?>(null);

    /// <summary>Begins a read transaction that sees one consistent snapshot.</summary>
    protected abstract Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct);

    /// <summary>Taken inside the migration transaction so two processes cannot migrate at once.</summary>
    protected virtual Task LockForMigrationAsync(DbConnection connection, DbTransaction tx, CancellationToken ct) => Task.CompletedTask;

    public virtual async Task MigrateAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        using (await EnterWriteAsync(ct))
        await using (var tx = await BeginWriteAsync(connection, ct))
        {
            await ExecAsync(connection, tx, Dialect("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at {BIGINT} NOT NULL)"), ct);
            await tx.CommitAsync(ct);
        }
        foreach (var migration in Migrations.All)
        {
            using var writer = await EnterWriteAsync(ct);
            await using var tx = await BeginWriteAsync(connection, ct);
            await LockForMigrationAsync(connection, tx, ct);
            await using (var check = Command(connection, tx, "SELECT COUNT(*) FROM schema_migrations WHERE version = @v", ("@v", migration.Version)))
            {
                if (Convert.ToInt64(await check.ExecuteScalarAsync(ct)) > 0)
                {
                    await tx.RollbackAsync(ct);
                    continue;
                }
            }
            foreach (var statement in migration.Statements)
                await ExecAsync(connection, tx, Dialect(statement), ct);
            await using (var record = Command(connection, tx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@v, @n, @t)",
                             ("@v", migration.Version), ("@n", migration.Name), ("@t", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds())))
                await record.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
        }
    }

    public async Task<IReadOnlyList<AppliedMigration>> AppliedMigrationsAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var cmd = Command(connection, null, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<AppliedMigration>();
        while (await reader.ReadAsync(ct))
            list.Add(new AppliedMigration(Convert.ToInt32(reader.GetValue(0)), reader.GetString(1), FromMs(reader.GetInt64(2))));
        return list;
    }

    public async Task<Outcome<T>> WriteAsync<T>(Func<ISmiSession, CancellationToken, Task<Outcome<T>>> work, CancellationToken ct)
    {
        using var writer = await EnterWriteAsync(ct);
        var connection = await OpenAsync(ct);
        try
        {
            await using var tx = await BeginWriteAsync(connection, ct);
            var outcome = await work(CreateSession(connection, tx), ct);
            if (outcome.IsSuccess)
                await tx.CommitAsync(ct);
            else
                await tx.RollbackAsync(ct);
            return outcome;
        }
        finally
        {
            await ReleaseAsync(connection);
        }
    }

    public async Task<T> ReadAsync<T>(Func<ISmiSession, CancellationToken, Task<T>> work, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            await using var tx = await BeginReadAsync(connection, ct);
            var result = await work(CreateSession(connection, tx), ct);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            await ReleaseAsync(connection);
        }
    }

    public async Task<Device?> ReadDeviceAsync(DeviceId id, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            return await new SqlSession(this, connection, null).GetDeviceAsync(id, ct);
        }
        finally
        {
            await ReleaseAsync(connection);
        }
    }

    protected virtual ISmiSession CreateSession(DbConnection connection, DbTransaction tx) => new SqlSession(this, connection, tx);

    /// <summary>Inserts devices in bulk; the PostgreSQL store overrides this with COPY.</summary>
    protected internal virtual async Task InsertDevicesCoreAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<Device> devices, CancellationToken ct)
    {
        await using var cmd = Command(connection, tx, SqlSession.InsertDeviceSql);
        SqlSession.AddDeviceParameters(cmd, devices[0]);
        cmd.Prepare();
        foreach (var device in devices)
        {
            SqlSession.SetDeviceParameters(cmd, device);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        foreach (var device in devices)
            await SqlSession.InsertJoinsAsync(connection, tx, device, ct);
    }

    public abstract ValueTask DisposeAsync();

    internal static DbCommand Command(DbConnection connection, DbTransaction? tx, string sql, params (string Name, object? Value)[] parameters)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters)
            AddParameter(cmd, name, value);
        return cmd;
    }

    internal static DbParameter AddParameter(DbCommand cmd, string name, object? value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value ?? DBNull.Value;
        if (value is null)
            p.DbType = DbType.Int64; // every nullable column we write is a 64-bit integer or text that accepts an untyped null
        cmd.Parameters.Add(p);
        return p;
    }

    private static async Task ExecAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = Command(connection, tx, sql);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    internal static long Ms(DateTimeOffset t) => t.ToUnixTimeMilliseconds();
    internal static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
    internal static long Db(DeviceId id) => unchecked((long)id.Value);
    internal static long Db(PartyId id) => unchecked((long)id.Value);
}

/// <summary>One transaction's SQL.</summary>
internal sealed partial class SqlSession(SqlSmiStore store, DbConnection connection, DbTransaction? tx) : ISmiSession
{
    private const long NoTarget = 0;

    internal const string DeviceColumns =
        "device_id, device_type, generation, manufacturer, model, hardware_version, firmware_version, status, status_before_suspension, pending_since, chf_id, mpxns, responsible_suppliers, lead_supplier, added_at, updated_at, commissioned_at, commissioned_by";

    internal const string InsertDeviceSql =
        "INSERT INTO devices (" + DeviceColumns + ") VALUES (@id, @type, @gen, @man, @mod, @hw, @fw, @status, @before, @pending, @chf, @mpxns, @rs, @lead, @added, @updated, @commissioned, @commissionedBy)";

    private static readonly string[] DeviceParameterNames = ["@id", "@type", "@gen", "@man", "@mod", "@hw", "@fw", "@status", "@before", "@pending", "@chf", "@mpxns", "@rs", "@lead", "@added", "@updated", "@commissioned", "@commissionedBy"];

    // The column types, so a null goes to PostgreSQL typed as its column is.
    internal static readonly DbType[] DeviceParameterTypes =
    [
        DbType.Int64, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String,
        DbType.String, DbType.String, DbType.Int64, DbType.Int64, DbType.String, DbType.String, DbType.Int64, DbType.Int64, DbType.Int64,
        DbType.Int64, DbType.Int64,
    ];

    private DbCommand Cmd(string sql, params (string, object?)[] ps) => SqlSmiStore.Command(connection, tx, sql, ps);

    internal static void AddDeviceParameters(DbCommand cmd, Device d)
    {
        foreach (var name in DeviceParameterNames)
            SqlSmiStore.AddParameter(cmd, name, null);
        SetDeviceParameters(cmd, d);
    }

    internal static void SetDeviceParameters(DbCommand cmd, Device d)
    {
        var values = DeviceValues(d);
        for (var i = 0; i < values.Length; i++)
        {
            var p = cmd.Parameters[i];
            p.Value = values[i] ?? DBNull.Value;
            p.DbType = DeviceParameterTypes[i];
        }
    }

    internal static object?[] DeviceValues(Device d) =>
    [
        SqlSmiStore.Db(d.Id), d.Type.ToString(), d.Generation.ToString(), d.Model.Manufacturer, d.Model.Model, d.Model.HardwareVersion, d.Model.FirmwareVersion,
        d.Status?.ToString(), d.StatusBeforeSuspension?.ToString(), d.PendingSince is { } ps ? SqlSmiStore.Ms(ps) : null,
        d.ChfId is { } chf ? SqlSmiStore.Db(chf) : null, string.Join(",", d.Mpxns), string.Join(",", d.ResponsibleSuppliers.Select(p => p.ToString())),
        d.LeadSupplier is { } lead ? SqlSmiStore.Db(lead) : null, SqlSmiStore.Ms(d.AddedAt), SqlSmiStore.Ms(d.UpdatedAt),
        d.CommissionedAt is { } c ? SqlSmiStore.Ms(c) : null, d.CommissionedBy is { } by ? SqlSmiStore.Db(by) : null,
    ];

    internal static async Task InsertJoinsAsync(DbConnection connection, DbTransaction? tx, Device d, CancellationToken ct)
    {
        foreach (var target in d.JoinedTo)
        {
            await using var cmd = SqlSmiStore.Command(connection, tx, "INSERT INTO joins (device_id, target_id) VALUES (@d, @t)",
                ("@d", SqlSmiStore.Db(d.Id)), ("@t", SqlSmiStore.Db(target)));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    private static Device ReadDevice(DbDataReader r) => new()
    {
        Id = new DeviceId(unchecked((ulong)r.GetInt64(0))),
        Type = Enum.Parse<DeviceType>(r.GetString(1)),
        Generation = Enum.Parse<SmetsGeneration>(r.GetString(2)),
        Model = new DeviceModel(r.GetString(3), r.GetString(4), r.GetString(5), r.GetString(6)),
        Status = r.IsDBNull(7) ? null : Enum.Parse<SmiStatus>(r.GetString(7)),
        StatusBeforeSuspension = r.IsDBNull(8) ? null : Enum.Parse<SmiStatus>(r.GetString(8)),
        PendingSince = r.IsDBNull(9) ? null : SqlSmiStore.FromMs(r.GetInt64(9)),
        ChfId = r.IsDBNull(10) ? null : new DeviceId(unchecked((ulong)r.GetInt64(10))),
        Mpxns = Split(r.GetString(11)),
        ResponsibleSuppliers = Split(r.GetString(12)).Select(PartyId.Parse).ToList(),
        LeadSupplier = r.IsDBNull(13) ? null : new PartyId(unchecked((ulong)r.GetInt64(13))),
        AddedAt = SqlSmiStore.FromMs(r.GetInt64(14)),
        UpdatedAt = SqlSmiStore.FromMs(r.GetInt64(15)),
        CommissionedAt = r.IsDBNull(16) ? null : SqlSmiStore.FromMs(r.GetInt64(16)),
        CommissionedBy = r.IsDBNull(17) ? null : new PartyId(unchecked((ulong)r.GetInt64(17))),
    };

    // The join targets' aggregate follows the device columns in GetDeviceAsync.
    private static readonly int JoinTargetsOrdinal = DeviceParameterNames.Length;

    private static IReadOnlyList<string> Split(string s) => s.Length == 0 ? [] : s.Split(',');

    private async Task<IReadOnlyList<Device>> QueryDevicesAsync(string where, CancellationToken ct, params (string, object?)[] ps)
    {
        var list = new List<Device>();
        await using (var cmd = Cmd($"SELECT {DeviceColumns} FROM devices d {where}", ps))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
            while (await r.ReadAsync(ct))
                list.Add(ReadDevice(r));
        if (list.Count == 0)
            return list;
        var joins = await JoinsOfAsync(list.Select(d => d.Id).ToList(), ct);
        return list.Select(d => joins.TryGetValue(d.Id, out var j) ? d with { JoinedTo = j } : d).ToList();
    }

    private async Task<Dictionary<DeviceId, List<DeviceId>>> JoinsOfAsync(IReadOnlyList<DeviceId> ids, CancellationToken ct)
    {
        var map = new Dictionary<DeviceId, List<DeviceId>>();
        foreach (var chunk in ids.Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@j{i}").ToArray();
            await using var cmd = Cmd($"SELECT device_id, target_id FROM joins WHERE device_id IN ({string.Join(",", names)}) ORDER BY device_id, target_id",
                chunk.Select((id, i) => (names[i], (object?)SqlSmiStore.Db(id))).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var device = new DeviceId(unchecked((ulong)r.GetInt64(0)));
                if (!map.TryGetValue(device, out var list))
                    map[device] = list = [];
                list.Add(new DeviceId(unchecked((ulong)r.GetInt64(1))));
            }
        }
        return map;
    }

    /// <summary>One statement: the device row and its join targets aggregated beside it.</summary>
    public async Task<Device?> GetDeviceAsync(DeviceId id, CancellationToken ct)
    {
        await using var cmd = Cmd($"SELECT {DeviceColumns}, (SELECT {store.JoinTargetsAggregate} FROM joins j WHERE j.device_id = d.device_id) FROM devices d WHERE d.device_id = @id",
            ("@id", SqlSmiStore.Db(id)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
            return null;
        var device = ReadDevice(r);
        if (r.IsDBNull(JoinTargetsOrdinal))
            return device;
        var targets = r.GetString(JoinTargetsOrdinal).Split(',').Select(long.Parse).Order().Select(v => new DeviceId(unchecked((ulong)v))).ToList();
        return device with { JoinedTo = targets };
    }

    public async Task<IReadOnlySet<DeviceId>> ExistingDeviceIdsAsync(IReadOnlyList<DeviceId> ids, CancellationToken ct)
    {
        var found = new HashSet<DeviceId>();
        foreach (var chunk in ids.Chunk(500))
        {
            var names = chunk.Select((_, i) => $"@e{i}").ToArray();
            await using var cmd = Cmd($"SELECT device_id FROM devices WHERE device_id IN ({string.Join(",", names)})",
                chunk.Select((id, i) => (names[i], (object?)SqlSmiStore.Db(id))).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                found.Add(new DeviceId(unchecked((ulong)r.GetInt64(0))));
        }
        return found;
    }

    public Task<IReadOnlyList<Device>> GetDevicesByChfAsync(DeviceId chf, CancellationToken ct) =>
        QueryDevicesAsync("WHERE chf_id = @chf ORDER BY device_id", ct, ("@chf", SqlSmiStore.Db(chf)));

    public Task<IReadOnlyList<Device>> GetDevicesJoinedToAsync(DeviceId target, CancellationToken ct) =>
        QueryDevicesAsync("WHERE device_id IN (SELECT device_id FROM joins WHERE target_id = @t) ORDER BY device_id", ct, ("@t", SqlSmiStore.Db(target)));

    public Task<IReadOnlyList<Device>> ListDevicesAsync(DeviceId? after, int limit, CancellationToken ct) =>
        // EUI-64s are stored as signed 64-bit integers, so order by the signed value and page on it.
        after is { } a
            ? QueryDevicesAsync("WHERE device_id > @a ORDER BY device_id LIMIT @n", ct, ("@a", SqlSmiStore.Db(a)), ("@n", limit))
            : QueryDevicesAsync("ORDER BY device_id LIMIT @n", ct, ("@n", limit));

    public async Task<long> CountDevicesAsync(CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT COUNT(*) FROM devices");
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    public async Task InsertDeviceAsync(Device device, CancellationToken ct)
    {
        await using (var cmd = Cmd(InsertDeviceSql))
        {
            AddDeviceParameters(cmd, device);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await InsertJoinsAsync(connection, tx, device, ct);
    }

    public Task InsertDevicesAsync(IReadOnlyList<Device> devices, CancellationToken ct) =>
        devices.Count == 0 ? Task.CompletedTask : store.InsertDevicesCoreAsync(connection, tx, devices, ct);

    public async Task UpdateDeviceAsync(Device device, CancellationToken ct)
    {
        await using (var cmd = Cmd(
            "UPDATE devices SET device_type=@type, generation=@gen, manufacturer=@man, model=@mod, hardware_version=@hw, firmware_version=@fw, status=@status, " +
            "status_before_suspension=@before, pending_since=@pending, chf_id=@chf, mpxns=@mpxns, responsible_suppliers=@rs, lead_supplier=@lead, added_at=@added, updated_at=@updated, " +
            "commissioned_at=@commissioned, commissioned_by=@commissionedBy WHERE device_id=@id"))
        {
            AddDeviceParameters(cmd, device);
            if (await cmd.ExecuteNonQueryAsync(ct) != 1)
                throw new InvalidOperationException($"Device {device.Id} was to be updated but is not in the devices table.");
        }
        await using (var del = Cmd("DELETE FROM joins WHERE device_id = @d", ("@d", SqlSmiStore.Db(device.Id))))
            await del.ExecuteNonQueryAsync(ct);
        await InsertJoinsAsync(connection, tx, device, ct);
    }

    public async Task DeleteDeviceAsync(DeviceId id, CancellationToken ct)
    {
        var db = SqlSmiStore.Db(id);
        foreach (var sql in new[]
                 {
                     "DELETE FROM joins WHERE device_id = @d OR target_id = @d",
                     "UPDATE devices SET chf_id = NULL WHERE chf_id = @d",
                     "DELETE FROM pending_commands WHERE device_id = @d OR target_id = @d",
                     "DELETE FROM devices WHERE device_id = @d",
                 })
        {
            await using var cmd = Cmd(sql, ("@d", db));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<DeviceId>> PendingSinceBeforeAsync(DateTimeOffset cutoff, int limit, CancellationToken ct)
    {
        var list = new List<DeviceId>();
        await using var cmd = Cmd("SELECT device_id FROM devices WHERE status = 'Pending' AND pending_since <= @c ORDER BY pending_since LIMIT @n",
            ("@c", SqlSmiStore.Ms(cutoff)), ("@n", limit));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new DeviceId(unchecked((ulong)r.GetInt64(0))));
        return list;
    }

    private const string OnCpl =
        "EXISTS (SELECT 1 FROM cpl_entries c WHERE c.manufacturer = d.manufacturer AND c.model = d.model AND c.hardware_version = d.hardware_version AND c.firmware_version = d.firmware_version)";

    public Task<IReadOnlyList<Device>> DevicesOffCplAsync(int limit, CancellationToken ct) =>
        QueryDevicesAsync($"WHERE status IN ('Pending','Whitelisted','InstalledNotCommissioned','Commissioned') AND NOT {OnCpl} ORDER BY device_id LIMIT @n", ct, ("@n", limit));

    public Task<IReadOnlyList<Device>> SuspendedDevicesOnCplAsync(int limit, CancellationToken ct) =>
        QueryDevicesAsync($"WHERE status = 'Suspended' AND {OnCpl} ORDER BY device_id LIMIT @n", ct, ("@n", limit));

    public async Task<IReadOnlyList<(DeviceId Device, DeviceId Target)>> AllJoinsAsync(CancellationToken ct)
    {
        var list = new List<(DeviceId, DeviceId)>();
        await using var cmd = Cmd("SELECT device_id, target_id FROM joins");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add((new DeviceId(unchecked((ulong)r.GetInt64(0))), new DeviceId(unchecked((ulong)r.GetInt64(1)))));
        return list;
    }

    public async Task PutPendingCommandAsync(PendingCommand c, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO pending_commands (kind, device_id, target_id, requester, requester_role, created_at) VALUES (@k, @d, @t, @r, @role, @at) " +
            "ON CONFLICT (kind, device_id, target_id) DO UPDATE SET requester = excluded.requester, requester_role = excluded.requester_role, created_at = excluded.created_at",
            ("@k", c.Kind), ("@d", SqlSmiStore.Db(c.DeviceId)), ("@t", c.TargetId is { } t ? SqlSmiStore.Db(t) : NoTarget),
            ("@r", SqlSmiStore.Db(c.Requester.Party)), ("@role", c.Requester.Role.ToString()), ("@at", SqlSmiStore.Ms(c.CreatedAt)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<PendingCommand?> GetPendingCommandAsync(string kind, DeviceId device, DeviceId? target, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT requester, requester_role, created_at FROM pending_commands WHERE kind = @k AND device_id = @d AND target_id = @t",
            ("@k", kind), ("@d", SqlSmiStore.Db(device)), ("@t", target is { } t ? SqlSmiStore.Db(t) : NoTarget));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
            return null;
        return new PendingCommand(kind, device, target, new Actor(new PartyId(unchecked((ulong)r.GetInt64(0))), Enum.Parse<UserRole>(r.GetString(1))), SqlSmiStore.FromMs(r.GetInt64(2)));
    }

    public async Task DeletePendingCommandAsync(string kind, DeviceId device, DeviceId? target, CancellationToken ct)
    {
        await using var cmd = Cmd("DELETE FROM pending_commands WHERE kind = @k AND device_id = @d AND target_id = @t",
            ("@k", kind), ("@d", SqlSmiStore.Db(device)), ("@t", target is { } t ? SqlSmiStore.Db(t) : NoTarget));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task PutServiceDeskInformationAsync(ServiceDeskInformation info, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO service_desk_information (device_id, provided_by, provided_by_role, information, provided_at) VALUES (@d, @p, @role, @i, @at) " +
            "ON CONFLICT (device_id) DO UPDATE SET provided_by = excluded.provided_by, provided_by_role = excluded.provided_by_role, information = excluded.information, provided_at = excluded.provided_at",
            ("@d", SqlSmiStore.Db(info.DeviceId)), ("@p", SqlSmiStore.Db(info.ProvidedBy.Party)), ("@role", info.ProvidedBy.Role.ToString()),
            ("@i", JsonSerializer.Serialize(info.Information, SqlSmiStore.Json)), ("@at", SqlSmiStore.Ms(info.ProvidedAt)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<ServiceDeskInformation?> GetServiceDeskInformationAsync(DeviceId id, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT provided_by, provided_by_role, information, provided_at FROM service_desk_information WHERE device_id = @d", ("@d", SqlSmiStore.Db(id)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
            return null;
        return new ServiceDeskInformation(id, new Actor(new PartyId(unchecked((ulong)r.GetInt64(0))), Enum.Parse<UserRole>(r.GetString(1))),
            JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(2), SqlSmiStore.Json) ?? [], SqlSmiStore.FromMs(r.GetInt64(3)));
    }

    public async Task PutSmets1DeclarationAsync(Smets1Declaration d, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO smets1_declarations (supplier, model_key, manufacturer, model, hardware_version, firmware_version, supplier_legal_name, signed_by, declared_at) " +
            "VALUES (@s, @k, @man, @mod, @hw, @fw, @name, @by, @at) ON CONFLICT (supplier, model_key) DO UPDATE SET supplier_legal_name = excluded.supplier_legal_name, signed_by = excluded.signed_by, declared_at = excluded.declared_at",
            ("@s", SqlSmiStore.Db(d.Supplier)), ("@k", d.Model.Key), ("@man", d.Model.Manufacturer), ("@mod", d.Model.Model), ("@hw", d.Model.HardwareVersion),
            ("@fw", d.Model.FirmwareVersion), ("@name", d.SupplierLegalName), ("@by", d.SignedBy), ("@at", SqlSmiStore.Ms(d.DeclaredAt)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<Smets1Declaration?> GetSmets1DeclarationAsync(PartyId supplier, DeviceModel model, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT supplier_legal_name, signed_by, declared_at FROM smets1_declarations WHERE supplier = @s AND model_key = @k",
            ("@s", SqlSmiStore.Db(supplier)), ("@k", model.Key));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new Smets1Declaration(supplier, model, r.GetString(0), r.GetString(1), SqlSmiStore.FromMs(r.GetInt64(2))) : null;
    }

    public async Task PutPanelDirectionAsync(PanelDirection d, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO panel_directions (device_id, dispute_reference, directed_at) VALUES (@d, @r, @at) ON CONFLICT (device_id) DO UPDATE SET dispute_reference = excluded.dispute_reference, directed_at = excluded.directed_at",
            ("@d", SqlSmiStore.Db(d.DeviceId)), ("@r", d.DisputeReference), ("@at", SqlSmiStore.Ms(d.DirectedAt)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<PanelDirection?> GetPanelDirectionAsync(DeviceId id, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT dispute_reference, directed_at FROM panel_directions WHERE device_id = @d", ("@d", SqlSmiStore.Db(id)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? new PanelDirection(id, r.GetString(0), SqlSmiStore.FromMs(r.GetInt64(1))) : null;
    }

    public async Task<bool> DeletePanelDirectionAsync(DeviceId id, CancellationToken ct)
    {
        await using var cmd = Cmd("DELETE FROM panel_directions WHERE device_id = @d", ("@d", SqlSmiStore.Db(id)));
        return await cmd.ExecuteNonQueryAsync(ct) > 0;
    }

    public async Task PutProductionProvingApprovalAsync(ProductionProvingApproval a, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO production_proving_approvals (chf_id, gpf_id, reference, approved_at) VALUES (@c, @g, @r, @at) " +
            "ON CONFLICT (chf_id) DO UPDATE SET gpf_id = excluded.gpf_id, reference = excluded.reference, approved_at = excluded.approved_at",
            ("@c", SqlSmiStore.Db(a.ChfId)), ("@g", SqlSmiStore.Db(a.GpfId)), ("@r", a.Reference), ("@at", SqlSmiStore.Ms(a.ApprovedAt)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<ProductionProvingApproval?> GetProductionProvingApprovalAsync(DeviceId chf, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT gpf_id, reference, approved_at FROM production_proving_approvals WHERE chf_id = @c", ("@c", SqlSmiStore.Db(chf)));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new ProductionProvingApproval(chf, new DeviceId(unchecked((ulong)r.GetInt64(0))), r.GetString(1), SqlSmiStore.FromMs(r.GetInt64(2)))
            : null;
    }

    public async Task PutNetworkOperatorAsync(NetworkOperator op, CancellationToken ct)
    {
        await using var cmd = Cmd("INSERT INTO network_operators (gas, prefix, party) VALUES (@g, @p, @party) ON CONFLICT (gas, prefix) DO UPDATE SET party = excluded.party",
            ("@g", op.Gas ? 1 : 0), ("@p", op.Prefix), ("@party", SqlSmiStore.Db(op.Party)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<NetworkOperator>> NetworkOperatorsAsync(CancellationToken ct)
    {
        var list = new List<NetworkOperator>();
        await using var cmd = Cmd("SELECT gas, prefix, party FROM network_operators ORDER BY gas, prefix");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(new NetworkOperator(Convert.ToInt32(r.GetValue(0)) != 0, r.GetString(1), new PartyId(unchecked((ulong)r.GetInt64(2)))));
        return list;
    }

    public async Task<long> AddNotificationAsync(Notification n, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO notifications (created_at, kind, clause, recipient_kind, recipient_party, device_id, message, data) VALUES (@at, @k, @c, @rk, @rp, @d, @m, @data) RETURNING id",
            ("@at", SqlSmiStore.Ms(n.CreatedAt)), ("@k", n.Kind.ToString()), ("@c", n.Clause), ("@rk", n.Recipient.Kind.ToString()),
            ("@rp", n.Recipient.Party is { } p ? SqlSmiStore.Db(p) : null), ("@d", n.DeviceId is { } d ? SqlSmiStore.Db(d) : null),
            ("@m", n.Message), ("@data", JsonSerializer.Serialize(n.Data, SqlSmiStore.Json)));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct));
    }

    public async Task<IReadOnlyList<Notification>> NotificationsAsync(long afterId, int limit, PartyId? recipient, CancellationToken ct)
    {
        var list = new List<Notification>();
        await using var cmd = recipient is { } rp
            ? Cmd("SELECT id, created_at, kind, clause, recipient_kind, recipient_party, device_id, message, data FROM notifications WHERE id > @a AND (recipient_party = @rp OR recipient_kind = 'AllParties') ORDER BY id LIMIT @n",
                ("@a", afterId), ("@rp", SqlSmiStore.Db(rp)), ("@n", limit))
            : Cmd("SELECT id, created_at, kind, clause, recipient_kind, recipient_party, device_id, message, data FROM notifications WHERE id > @a ORDER BY id LIMIT @n",
                ("@a", afterId), ("@n", limit));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(ReadNotification(r));
        return list;
    }

    private static Notification ReadNotification(DbDataReader r) => new()
    {
        Id = r.GetInt64(0),
        CreatedAt = SqlSmiStore.FromMs(r.GetInt64(1)),
        Kind = Enum.Parse<NotificationKind>(r.GetString(2)),
        Clause = r.GetString(3),
        Recipient = new Recipient(Enum.Parse<RecipientKind>(r.GetString(4)), r.IsDBNull(5) ? null : new PartyId(unchecked((ulong)r.GetInt64(5)))),
        DeviceId = r.IsDBNull(6) ? null : new DeviceId(unchecked((ulong)r.GetInt64(6))),
        Message = r.GetString(7),
        Data = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(8), SqlSmiStore.Json) ?? [],
    };

    public async Task<CplEntry?> GetCplEntryAsync(DeviceModel m, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT entry FROM cpl_entries WHERE manufacturer = @man AND model = @mod AND hardware_version = @hw AND firmware_version = @fw",
            ("@man", m.Manufacturer), ("@mod", m.Model), ("@hw", m.HardwareVersion), ("@fw", m.FirmwareVersion));
        var json = await cmd.ExecuteScalarAsync(ct) as string;
        return json is null ? null : JsonSerializer.Deserialize<CplEntry>(json, SqlSmiStore.Json);
    }

    public async Task<IReadOnlyList<CplEntry>> CplEntriesAsync(CancellationToken ct)
    {
        var list = new List<CplEntry>();
        await using var cmd = Cmd("SELECT entry FROM cpl_entries ORDER BY manufacturer, model, hardware_version, firmware_version");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(JsonSerializer.Deserialize<CplEntry>(r.GetString(0), SqlSmiStore.Json)!);
        return list;
    }

    private static CplDocumentRecord ReadDoc(DbDataReader r) =>
        new(r.GetInt64(0), SqlSmiStore.FromMs(r.GetInt64(1)), SqlSmiStore.FromMs(r.GetInt64(2)), r.IsDBNull(3) ? null : SqlSmiStore.FromMs(r.GetInt64(3)), Convert.ToInt32(r.GetValue(4)));

    public async Task<CplDocumentRecord?> LatestCplDocumentAsync(CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT sequence, issued_at, received_at, smi_updated_at, entry_count FROM cpl_documents ORDER BY sequence DESC LIMIT 1");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadDoc(r) : null;
    }

    public async Task ReplaceCplAsync(CplDocumentRecord doc, string payload, IReadOnlyList<CplEntry> entries, CancellationToken ct)
    {
        await using (var ins = Cmd("INSERT INTO cpl_documents (sequence, issued_at, received_at, smi_updated_at, entry_count, payload) VALUES (@s, @i, @r, NULL, @c, @p)",
                         ("@s", doc.Sequence), ("@i", SqlSmiStore.Ms(doc.IssuedAt)), ("@r", SqlSmiStore.Ms(doc.ReceivedAt)), ("@c", doc.EntryCount), ("@p", payload)))
            await ins.ExecuteNonQueryAsync(ct);
        await using (var del = Cmd("DELETE FROM cpl_entries"))
            await del.ExecuteNonQueryAsync(ct);
        foreach (var e in entries)
        {
            await using var cmd = Cmd("INSERT INTO cpl_entries (manufacturer, model, hardware_version, firmware_version, entry) VALUES (@man, @mod, @hw, @fw, @e)",
                ("@man", e.Model.Manufacturer), ("@mod", e.Model.Model), ("@hw", e.Model.HardwareVersion), ("@fw", e.Model.FirmwareVersion),
                ("@e", JsonSerializer.Serialize(e, SqlSmiStore.Json)));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    public async Task<IReadOnlyList<CplDocumentRecord>> CplDocumentsAwaitingSmiUpdateAsync(CancellationToken ct)
    {
        var list = new List<CplDocumentRecord>();
        await using var cmd = Cmd("SELECT sequence, issued_at, received_at, smi_updated_at, entry_count FROM cpl_documents WHERE smi_updated_at IS NULL ORDER BY sequence");
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            list.Add(ReadDoc(r));
        return list;
    }

    public async Task MarkCplSmiUpdatedAsync(long sequence, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = Cmd("UPDATE cpl_documents SET smi_updated_at = @at WHERE sequence <= @s AND smi_updated_at IS NULL", ("@at", SqlSmiStore.Ms(at)), ("@s", sequence));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task RemoveCplEntryAsync(DeviceModel m, CancellationToken ct)
    {
        await using var cmd = Cmd("DELETE FROM cpl_entries WHERE manufacturer = @man AND model = @mod AND hardware_version = @hw AND firmware_version = @fw",
            ("@man", m.Manufacturer), ("@mod", m.Model), ("@hw", m.HardwareVersion), ("@fw", m.FirmwareVersion));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<bool> CpaNoticeSentAsync(DeviceModel model, int months, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT COUNT(*) FROM cpa_notices WHERE model_key = @k AND months = @m", ("@k", model.Key), ("@m", months));
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(ct)) > 0;
    }

    public async Task RecordCpaNoticeAsync(DeviceModel model, int months, DateTimeOffset at, CancellationToken ct)
    {
        await using var cmd = Cmd("INSERT INTO cpa_notices (model_key, months, sent_at) VALUES (@k, @m, @at)", ("@k", model.Key), ("@m", months), ("@at", SqlSmiStore.Ms(at)));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static ProductCombination ReadCombination(DbDataReader r) => new()
    {
        List = Enum.Parse<CombinationList>(r.GetString(1)),
        Models = JsonSerializer.Deserialize<List<DeviceModel>>(r.GetString(2), SqlSmiStore.Json)!,
        AddedAt = SqlSmiStore.FromMs(r.GetInt64(3)),
        Requester = r.IsDBNull(4) ? null : new PartyId(unchecked((ulong)r.GetInt64(4))),
    };

    public async Task<ProductCombination?> GetCombinationAsync(string key, CancellationToken ct)
    {
        await using var cmd = Cmd("SELECT combination_key, list, models, added_at, requester FROM product_combinations WHERE combination_key = @k", ("@k", key));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? ReadCombination(r) : null;
    }

    public async Task PutCombinationAsync(ProductCombination c, CancellationToken ct)
    {
        await using var cmd = Cmd(
            "INSERT INTO product_combinations (combination_key, list, models, added_at, requester) VALUES (@k, @l, @m, @at, @r) " +
            "ON CONFLICT (combination_key) DO UPDATE SET list = excluded.list, models = excluded.models, added_at = excluded.added_at, requester = excluded.requester",
            ("@k", c.Key), ("@l", c.List.ToString()), ("@m", JsonSerializer.Serialize(c.Models, SqlSmiStore.Json)), ("@at", SqlSmiStore.Ms(c.AddedAt)),
            ("@r", c.Requester is { } p ? SqlSmiStore.Db(p) : null));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task DeleteCombinationAsync(string key, CancellationToken ct)
    {
        await using var cmd = Cmd("DELETE FROM product_combinations WHERE combination_key = @k", ("@k", key));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<ProductCombination>> CombinationsAsync(CombinationList list, CancellationToken ct)
    {
        var result = new List<ProductCombination>();
        await using var cmd = Cmd("SELECT combination_key, list, models, added_at, requester FROM product_combinations WHERE list = @l ORDER BY added_at, combination_key", ("@l", list.ToString()));
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            result.Add(ReadCombination(r));
        return result;
    }
}
