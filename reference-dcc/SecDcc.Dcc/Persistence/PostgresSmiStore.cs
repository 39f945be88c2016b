using System.Data;
using System.Data.Common;
using Npgsql;
using NpgsqlTypes;
using SecDcc.Dcc.Inventory;

namespace SecDcc.Dcc.Persistence;

/// <summary>
/// The shared store: PostgreSQL through Npgsql. Writers take a transaction-scoped advisory lock, so rules that
/// read then write stay correct even when two DCC processes share one database.
/// </summary>
public sealed class PostgresSmiStore : SqlSmiStore
{
    // An arbitrary constant naming "the SMI writer" among advisory locks.
    private const long WriterLock = 0x5EC_DCC_0001;
    private readonly NpgsqlDataSource _dataSource;

    public PostgresSmiStore(string connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            throw new ArgumentException("Give a PostgreSQL connection string (--postgres \"Host=...;Username=...;Database=...\").", nameof(connectionString));
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // The store sends the same few statements all day: let Npgsql prepare them on the server, and skip the
        // DISCARD ALL it would otherwise send when a pooled connection is reused (the store leaves no session state).
        if (builder.MaxAutoPrepare == 0)
            builder.MaxAutoPrepare = 64;
        builder.NoResetOnClose = true;
        _dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
    }

    public override string Kind => "postgres";

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct) => await _dataSource.OpenConnectionAsync(ct);

    protected internal override string JoinTargetsAggregate => "string_agg(j.target_id::text, ',')";

    protected override string Dialect(string statement) => statement
        .Replace("{DEVICE_PK}", "BIGINT PRIMARY KEY")
        .Replace("{ID_PK}", "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        .Replace("{BIGINT}", "BIGINT");

    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct)
    {
        var tx = await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.ReadCommitted, ct);
        await using var cmd = Command(connection, tx, "SELECT pg_advisory_xact_lock(@k)", ("@k", WriterLock));
        await cmd.ExecuteNonQueryAsync(ct);
        return tx;
    }

    protected override async Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        await ((NpgsqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);

    protected internal override async Task InsertDevicesCoreAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<Device> devices, CancellationToken ct)
    {
        var npgsql = (NpgsqlConnection)connection;
        await using (var writer = await npgsql.BeginBinaryImportAsync($"COPY devices ({SqlSession.DeviceColumns}) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var device in devices)
            {
                await writer.StartRowAsync(ct);
                var values = SqlSession.DeviceValues(device);
                for (var i = 0; i < values.Length; i++)
                {
                    var type = SqlSession.DeviceParameterTypes[i] == DbType.Int64 ? NpgsqlDbType.Bigint : NpgsqlDbType.Text;
                    if (values[i] is null)
                        await writer.WriteNullAsync(ct);
                    else
                        await writer.WriteAsync(values[i], type, ct);
                }
            }
            await writer.CompleteAsync(ct);
        }
        foreach (var device in devices)
            await SqlSession.InsertJoinsAsync(connection, tx, device, ct);
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
