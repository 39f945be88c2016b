using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace SecDcc.Dcc.Persistence;

/// <summary>
/// The embedded store: one SQLite file in WAL mode (readers do not block the writer), synchronous=FULL so an
/// acknowledged change survives a crash of the process or the machine.
/// </summary>
public sealed class SqliteSmiStore : SqlSmiStore
{
    private static readonly Lazy<bool> Initialised = new(() =>
    {
        SQLitePCL.Batteries_V2.Init();
        return true;
    });

    private const int MaxIdleConnections = 16;
    private readonly string _connectionString;
    // Open connections kept for reuse: each already has its pragmas applied and its schema loaded, which the
    // driver's own pool (it re-prepares on every open) does not give us.
    private readonly ConcurrentBag<SqliteConnection> _idle = [];

    // Writers of this process queue here, not at SQLite's file lock: a writer that finds the lock taken is put to sleep
    // by SQLite's busy handler, and the e_sqlite3 bundled for Linux is built without usleep, so each of its sleeps is
    // a whole second (docs/decisions/0740). BEGIN IMMEDIATE and busy_timeout stay, for another process on the file.
    private readonly SemaphoreSlim _writer = new(1, 1);

    public SqliteSmiStore(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
            throw new ArgumentException("Give the SQLite file's path (--data <file>).", nameof(path));
        _ = Initialised.Value;
        Path = System.IO.Path.GetFullPath(path);
        var dir = System.IO.Path.GetDirectoryName(Path);
        if (dir is not null && !Directory.Exists(dir))
            throw new DirectoryNotFoundException($"The folder for the SQLite file '{Path}' does not exist; create it or pass another --data path.");
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string Path { get; }
    public override string Kind => "sqlite";

    public override async Task MigrateAsync(CancellationToken ct)
    {
        await using (var connection = await OpenAsync(ct))
        await using (var cmd = Command(connection, null, "PRAGMA journal_mode=WAL"))
        {
            var mode = (string?)await cmd.ExecuteScalarAsync(ct);
            if (!string.Equals(mode, "wal", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException($"SQLite file '{Path}' refused WAL mode (it reports '{mode}'); the file system may not support shared memory.");
        }
        await base.MigrateAsync(ct);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        if (_idle.TryTake(out var idle))
            return idle;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = Command(connection, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF;");
        await cmd.ExecuteNonQueryAsync(ct);
        return connection;
    }

    protected internal override string JoinTargetsAggregate => "group_concat(j.target_id, ',')";

    protected override string Dialect(string statement) => statement
        .Replace("{DEVICE_PK}", "INTEGER PRIMARY KEY")
        .Replace("{ID_PK}", "INTEGER PRIMARY KEY AUTOINCREMENT")
        .Replace("{BIGINT}", "INTEGER");

    protected override async ValueTask<IDisposable?> EnterWriteAsync(CancellationToken ct)
    {
        await _writer.WaitAsync(ct);
        return new WriterTurn(_writer);
    }

    private sealed class WriterTurn(SemaphoreSlim writer) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) writer.Release();
        }
    }

    // Not deferred: BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    protected override ValueTask ReleaseAsync(DbConnection connection)
    {
        if (connection.State == ConnectionState.Open && _idle.Count < MaxIdleConnections)
        {
            _idle.Add((SqliteConnection)connection);
            return ValueTask.CompletedTask;
        }
        return connection.DisposeAsync();
    }

    public override async ValueTask DisposeAsync()
    {
        while (_idle.TryTake(out var connection))
            await connection.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
