using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using SecDcc.Dcc.Service.Hosting;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Replay;

/// <summary>The outcome of offering a RequestID counter: accepted, or refused with the last one accepted from that originator.</summary>
public readonly record struct CounterCheck(bool Accepted, ulong? LastAccepted);

/// <summary>
/// The last RequestID counter accepted from each originator, kept in the SMI's own database (SQLite file or PostgreSQL)
/// in a table of its own, so a restart of the DCC does not let an old signed request be replayed (decision 1001). A
/// counter is accepted only if it is strictly greater than the last one; the check and the update are one statement,
/// so two requests racing with the same counter cannot both pass.
/// </summary>
public abstract class RequestCounterStore : IAsyncDisposable
{
    public const string Table = "duis_request_counters";

    // Counters are xs:unsignedLong; zero-padded to 20 digits they compare as text in both databases.
    protected static string Text(ulong counter) => counter.ToString("D20", CultureInfo.InvariantCulture);

    protected static ulong? Counter(object? value) =>
        value is string s && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;

    // A cheap first look: a counter at or below one already accepted is refused without touching the database.
    private readonly ConcurrentDictionary<DuisEui, ulong> _seen = new();

    public static RequestCounterStore For(ServiceOptions options) =>
        options.PostgresConnectionString is { } pg ? new PostgresCounterStore(pg) : new SqliteCounterStore(options.DataPath);

    /// <summary>Creates the table if it is not there yet.</summary>
    public abstract Task InitialiseAsync(CancellationToken ct);

    private readonly Lock _gate = new();
    private Task? _initialised;

    // The table is made on first use, so the service starts even while the database is briefly away; a failed attempt is retried.
    private Task EnsureInitialisedAsync()
    {
        lock (_gate)
        {
            if (_initialised is null || _initialised.IsFaulted || _initialised.IsCanceled)
                _initialised = InitialiseAsync(CancellationToken.None);
            return _initialised;
        }
    }

    public async Task<CounterCheck> TryAdvanceAsync(DuisEui originator, ulong counter, DateTimeOffset at, CancellationToken ct)
    {
        if (_seen.TryGetValue(originator, out var known) && counter <= known)
            return new CounterCheck(false, known);
        await EnsureInitialisedAsync().WaitAsync(ct);
        var key = originator.ToString();
        var accepted = await UpsertIfGreaterAsync(key, Text(counter), at, ct) == 1;
        if (accepted)
        {
            _seen.AddOrUpdate(originator, counter, (_, old) => Math.Max(old, counter));
            return new CounterCheck(true, null);
        }
        var last = await LastAsync(key, ct);
        if (last is { } l)
            _seen.AddOrUpdate(originator, l, (_, old) => Math.Max(old, l));
        return new CounterCheck(false, last);
    }

    protected const string UpsertSql =
        $"INSERT INTO {Table} (originator, last_counter, updated_at) VALUES (@o, @c, @t) " +
        $"ON CONFLICT (originator) DO UPDATE SET last_counter = excluded.last_counter, updated_at = excluded.updated_at " +
        $"WHERE {Table}.last_counter < excluded.last_counter";

    protected const string CreateSql =
        $"CREATE TABLE IF NOT EXISTS {Table} (originator TEXT PRIMARY KEY, last_counter TEXT NOT NULL, updated_at TEXT NOT NULL)";

    protected const string SelectSql = $"SELECT last_counter FROM {Table} WHERE originator = @o";

    protected abstract Task<int> UpsertIfGreaterAsync(string originator, string counter, DateTimeOffset at, CancellationToken ct);

    protected abstract Task<ulong?> LastAsync(string originator, CancellationToken ct);

    public abstract ValueTask DisposeAsync();

    protected static void Bind(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}

/// <summary>The counters in the SMI's SQLite file, through connections of our own (WAL mode lets them share the file with the SMI store).</summary>
public sealed class SqliteCounterStore : RequestCounterStore
{
    private readonly string _connectionString;
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    public SqliteCounterStore(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(path),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public override async Task InitialiseAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            await using var create = connection.CreateCommand();
            create.CommandText = CreateSql;
            await create.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            Release(connection);
        }
    }

    protected override async Task<int> UpsertIfGreaterAsync(string originator, string counter, DateTimeOffset at, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = UpsertSql;
            Bind(command, "@o", originator);
            Bind(command, "@c", counter);
            Bind(command, "@t", at.ToString("O", CultureInfo.InvariantCulture));
            return await command.ExecuteNonQueryAsync(ct);
        }
        finally
        {
            Release(connection);
        }
    }

    protected override async Task<ulong?> LastAsync(string originator, CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = SelectSql;
            Bind(command, "@o", originator);
            return Counter(await command.ExecuteScalarAsync(ct));
        }
        finally
        {
            Release(connection);
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        if (_idle.TryTake(out var idle))
            return idle;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragmas = connection.CreateCommand();
        // FULL, as the SMI store: an accepted counter must survive a crash, or the request it admitted could be replayed.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await pragmas.ExecuteNonQueryAsync(ct);
        return connection;
    }

    private void Release(SqliteConnection connection)
    {
        if (_idle.Count < 16)
            _idle.Add(connection);
        else
            connection.Dispose();
    }

    public override async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
            await connection.DisposeAsync();
    }
}

/// <summary>The counters in the SMI's PostgreSQL database.</summary>
public sealed class PostgresCounterStore(string connectionString) : RequestCounterStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    public override async Task InitialiseAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(CreateSql);
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task<int> UpsertIfGreaterAsync(string originator, string counter, DateTimeOffset at, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(UpsertSql);
        Bind(command, "@o", originator);
        Bind(command, "@c", counter);
        Bind(command, "@t", at.ToString("O", CultureInfo.InvariantCulture));
        return await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task<ulong?> LastAsync(string originator, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(SelectSql);
        Bind(command, "@o", originator);
        return Counter(await command.ExecuteScalarAsync(ct));
    }

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
