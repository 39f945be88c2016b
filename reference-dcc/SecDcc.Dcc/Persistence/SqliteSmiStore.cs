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

    private readonly string _connectionString;

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
            Pooling = true,
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
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(ct);
        await using var cmd = Command(connection, null, "PRAGMA synchronous=FULL; PRAGMA busy_timeout=30000; PRAGMA foreign_keys=OFF;");
        await cmd.ExecuteNonQueryAsync(ct);
        return connection;
    }

    protected override string Dialect(string statement) => statement
        .Replace("{DEVICE_PK}", "INTEGER PRIMARY KEY")
        .Replace("{ID_PK}", "INTEGER PRIMARY KEY AUTOINCREMENT")
        .Replace("{BIGINT}", "INTEGER");

    // Not deferred: BEGIN IMMEDIATE takes the write lock up front, so two writers never deadlock on upgrade.
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override Task<DbTransaction> BeginReadAsync(DbConnection connection, CancellationToken ct) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: true));

    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        return ValueTask.CompletedTask;
    }
}
