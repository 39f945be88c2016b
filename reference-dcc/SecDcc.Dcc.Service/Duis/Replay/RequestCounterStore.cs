using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Npgsql;
using SecDcc.Dcc.Service.Hosting;
using DuisEui = SecDcc.Duis.Eui64;

namespace SecDcc.Dcc.Service.Duis.Replay;

/// <summary>The outcome of offering a RequestID counter: accepted, or refused with the last one accepted from that originator.</summary>
public readonly record struct CounterCheck(bool Accepted, ulong? LastAccepted);

/// <summary>
/// The last RequestID counter accepted from each originator, kept durably so a restart of the DCC does not let an old
/// signed request be replayed (decision 1001): in a SQLite file beside the SMI's, or in a table of the SMI's PostgreSQL
/// database. A counter is accepted only if it is strictly greater than the last one, checked and recorded in one
/// statement. One writer commits the counters that arrive together in one transaction, so concurrent requests share a
/// durable write instead of queueing for one each.
/// </summary>
public abstract class RequestCounterStore : IAsyncDisposable
{
    public const string Table = "duis_request_counters";
    private const int MaxBatch = 256;

    protected const string UpsertSql =
        $"INSERT INTO {Table} (originator, last_counter, updated_at) VALUES (@o, @c, @t) " +
        $"ON CONFLICT (originator) DO UPDATE SET last_counter = excluded.last_counter, updated_at = excluded.updated_at " +
        $"WHERE {Table}.last_counter < excluded.last_counter";

    protected const string CreateSql =
        $"CREATE TABLE IF NOT EXISTS {Table} (originator TEXT PRIMARY KEY, last_counter TEXT NOT NULL, updated_at TEXT NOT NULL)";

    protected const string SelectSql = $"SELECT last_counter FROM {Table} WHERE originator = @o";

    // A cheap first look: a counter at or below one already accepted is refused without touching the database.
    private readonly ConcurrentDictionary<DuisEui, ulong> _seen = new();
    private readonly Channel<Offer> _offers = Channel.CreateUnbounded<Offer>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _gate = new();
    private Task? _writer;

    protected sealed record Offer(string Originator, string Counter, DateTimeOffset At)
    {
        public TaskCompletionSource<bool> Accepted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public static RequestCounterStore For(ServiceOptions options) =>
        options.PostgresConnectionString is { } pg ? new PostgresCounterStore(pg) : new SqliteCounterStore(SqliteCounterStore.PathBeside(options.DataPath));

    // Counters are xs:unsignedLong; zero-padded to 20 digits they compare as text in both databases.
    protected static string Text(ulong counter) => counter.ToString("D20", CultureInfo.InvariantCulture);

    protected static ulong? Counter(object? value) =>
        value is string s && ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;

    /// <summary>Creates the table if it is not there yet.</summary>
    protected abstract Task InitialiseAsync(CancellationToken ct);

    /// <summary>Offers each counter in order, in one transaction; true for each the table accepted.</summary>
    protected abstract Task<bool[]> OfferAllAsync(IReadOnlyList<Offer> offers, CancellationToken ct);

    protected abstract Task<ulong?> LastAsync(string originator, CancellationToken ct);

    public async Task<CounterCheck> TryAdvanceAsync(DuisEui originator, ulong counter, DateTimeOffset at, CancellationToken ct)
    {
        if (_seen.TryGetValue(originator, out var known) && counter <= known)
            return new CounterCheck(false, known);
        EnsureWriter();
        var offer = new Offer(originator.ToString(), Text(counter), at);
        await _offers.Writer.WriteAsync(offer, ct);
        if (await offer.Accepted.Task.WaitAsync(ct))
        {
            _seen.AddOrUpdate(originator, counter, (_, old) => Math.Max(old, counter));
            return new CounterCheck(true, null);
        }
        var last = await LastAsync(offer.Originator, ct);
        if (last is { } l)
            _seen.AddOrUpdate(originator, l, (_, old) => Math.Max(old, l));
        return new CounterCheck(false, last);
    }

    // Started on first use, so the service starts even while its database is briefly away.
    private void EnsureWriter()
    {
        lock (_gate)
            _writer ??= Task.Run(WriteAsync);
    }

    private async Task WriteAsync()
    {
        var initialised = false;
        while (await _offers.Reader.WaitToReadAsync())
        {
            var batch = new List<Offer>();
            while (batch.Count < MaxBatch && _offers.Reader.TryRead(out var offer))
                batch.Add(offer);
            try
            {
                if (!initialised)
                {
                    await InitialiseAsync(CancellationToken.None);
                    initialised = true;
                }
                var accepted = await OfferAllAsync(batch, CancellationToken.None);
                for (var i = 0; i < batch.Count; i++)
                    batch[i].Accepted.TrySetResult(accepted[i]);
            }
            catch (Exception e)
            {
                // Whatever failed, the requests waiting on this batch must not wait for ever: they fail with the error
                // (the database's, typically), and the next batch tries again.
                foreach (var offer in batch)
                    offer.Accepted.TrySetException(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _offers.Writer.TryComplete();
        if (_writer is { } writer)
            await writer;
        await DisposeStoreAsync();
    }

    protected abstract ValueTask DisposeStoreAsync();

    protected static DbParameter Bind(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
        return p;
    }

    protected static string Instant(DateTimeOffset at) => at.ToString("O", CultureInfo.InvariantCulture);
}

/// <summary>
/// The counters in a SQLite file of their own beside the SMI's: SQLite has one writer per file, and sharing the SMI's
/// would make every request's counter wait on (and be waited on by) the SMI's writes.
/// </summary>
public sealed class SqliteCounterStore : RequestCounterStore
{
    private readonly string _connectionString;
    private SqliteConnection? _writer;
    private readonly ConcurrentBag<SqliteConnection> _readers = [];

    public SqliteCounterStore(string path)
    {
        SQLitePCL.Batteries_V2.Init();
        Path = System.IO.Path.GetFullPath(path);
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }

    /// <summary>smi.db → smi.duis-counters.db, in the same folder.</summary>
    public static string PathBeside(string smiPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(smiPath))!,
            System.IO.Path.GetFileNameWithoutExtension(smiPath) + ".duis-counters" + System.IO.Path.GetExtension(smiPath));

    protected override async Task InitialiseAsync(CancellationToken ct)
    {
        _writer ??= await OpenAsync(ct);
        await using var create = _writer.CreateCommand();
        create.CommandText = CreateSql;
        await create.ExecuteNonQueryAsync(ct);
    }

    protected override async Task<bool[]> OfferAllAsync(IReadOnlyList<Offer> offers, CancellationToken ct)
    {
        var connection = _writer!;
        await using var tx = connection.BeginTransaction(deferred: false);
        await using var upsert = connection.CreateCommand();
        upsert.Transaction = tx;
        upsert.CommandText = UpsertSql;
        var (o, c, t) = (Bind(upsert, "@o", ""), Bind(upsert, "@c", ""), Bind(upsert, "@t", ""));
        var accepted = new bool[offers.Count];
        for (var i = 0; i < offers.Count; i++)
        {
            (o.Value, c.Value, t.Value) = (offers[i].Originator, offers[i].Counter, Instant(offers[i].At));
            accepted[i] = await upsert.ExecuteNonQueryAsync(ct) == 1;
        }
        await tx.CommitAsync(ct);
        return accepted;
    }

    protected override async Task<ulong?> LastAsync(string originator, CancellationToken ct)
    {
        if (!_readers.TryTake(out var connection))
            connection = await OpenAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = SelectSql;
            Bind(command, "@o", originator);
            return Counter(await command.ExecuteScalarAsync(ct));
        }
        finally
        {
            if (_readers.Count < 4)
                _readers.Add(connection);
            else
                await connection.DisposeAsync();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var pragmas = connection.CreateCommand();
        // FULL, as the SMI store: an accepted counter must survive a crash, or the request it admitted could be replayed.
        pragmas.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000;";
        await pragmas.ExecuteNonQueryAsync(ct);
        return connection;
    }

    protected override async ValueTask DisposeStoreAsync()
    {
        if (_writer is not null)
            await _writer.DisposeAsync();
        while (_readers.TryTake(out var connection))
            await connection.DisposeAsync();
    }
}

/// <summary>The counters in a table of the SMI's PostgreSQL database.</summary>
public sealed class PostgresCounterStore(string connectionString) : RequestCounterStore
{
    private readonly NpgsqlDataSource _dataSource = NpgsqlDataSource.Create(connectionString);

    protected override async Task InitialiseAsync(CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(CreateSql);
        await command.ExecuteNonQueryAsync(ct);
    }

    protected override async Task<bool[]> OfferAllAsync(IReadOnlyList<Offer> offers, CancellationToken ct)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        var accepted = new bool[offers.Count];
        for (var i = 0; i < offers.Count; i++)
        {
            await using var upsert = new NpgsqlCommand(UpsertSql, connection, tx);
            Bind(upsert, "@o", offers[i].Originator);
            Bind(upsert, "@c", offers[i].Counter);
            Bind(upsert, "@t", Instant(offers[i].At));
            accepted[i] = await upsert.ExecuteNonQueryAsync(ct) == 1;
        }
        await tx.CommitAsync(ct);
        return accepted;
    }

    protected override async Task<ulong?> LastAsync(string originator, CancellationToken ct)
    {
        await using var command = _dataSource.CreateCommand(SelectSql);
        Bind(command, "@o", originator);
        return Counter(await command.ExecuteScalarAsync(ct));
    }

    protected override ValueTask DisposeStoreAsync() => _dataSource.DisposeAsync();
}
