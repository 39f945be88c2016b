using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace SecDcc.Dcc.Tests.Support;

/// <summary>
/// A throwaway PostgreSQL 15 cluster on a free loopback port, started once for the test run and stopped at its end
/// (<see cref="PostgresClusterTeardown"/>). initdb refuses to run as root, so as root the binaries run through
/// <c>runuser -u postgres --</c> on a temporary folder owned by postgres. Where the binaries are absent the tests
/// that need it are ignored with the reason. scripts/pg-test-cluster.sh does the same by hand.
/// </summary>
public sealed class PostgresCluster
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static PostgresCluster? _shared;
    private static string? _unavailable;

    private readonly string _bin;
    private readonly string _dir;
    private readonly bool _asPostgresUser;

    private PostgresCluster(string bin, string dir, int port, bool asPostgresUser)
    {
        _bin = bin;
        _dir = dir;
        Port = port;
        _asPostgresUser = asPostgresUser;
    }

    public int Port { get; }
    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false;Timeout=15";

    /// <summary>The shared cluster; calls Assert.Ignore with the reason when PostgreSQL cannot be started here.</summary>
    public static async Task<PostgresCluster> SharedAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (_shared is null && _unavailable is null)
            {
                try
                {
                    _shared = await StartAsync();
                }
                catch (PostgresUnavailableException e)
                {
                    _unavailable = e.Message;
                }
            }
        }
        finally
        {
            Gate.Release();
        }
        if (_unavailable is not null)
            Assert.Ignore(_unavailable);
        return _shared!;
    }

    /// <summary>A new empty database on the shared cluster; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await cmd.ExecuteNonQueryAsync();
        }
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name};Timeout=15";
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var initdb = FindInitdb() ?? throw new PostgresUnavailableException("PostgreSQL server binaries not found (dpkg -L postgresql-15 lists no bin/initdb); install postgresql-15 to run the PostgreSQL store tests.");
        var bin = Path.GetDirectoryName(initdb)!;
        var asPostgres = Environment.UserName == "root";
        if (asPostgres && !File.Exists("/usr/sbin/runuser") && !File.Exists("/sbin/runuser"))
            throw new PostgresUnavailableException("Running as root but runuser is missing, and initdb refuses to run as root.");
        var dir = Path.Combine(Path.GetTempPath(), "secdcc-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (asPostgres)
            await RunAsync("chown", ["postgres:postgres", dir], dir);
        var port = FreePort();
        var cluster = new PostgresCluster(bin, dir, port, asPostgres);
        await cluster.PgAsync("initdb", ["-D", Path.Combine(dir, "data"), "-A", "trust", "-U", "postgres", "-E", "UTF8", "--no-sync"]);
        await cluster.PgAsync("pg_ctl", ["-D", Path.Combine(dir, "data"), "-l", Path.Combine(dir, "log"), "-w", "-t", "60",
            "-o", $"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c max_connections=200", "start"]);
        return cluster;
    }

    public async Task StopAsync()
    {
        try
        {
            await PgAsync("pg_ctl", ["-D", Path.Combine(_dir, "data"), "-m", "immediate", "-w", "stop"]);
        }
        finally
        {
            Directory.Delete(_dir, recursive: true);
        }
    }

    public static async Task StopSharedAsync()
    {
        if (_shared is { } s)
        {
            _shared = null;
            await s.StopAsync();
        }
    }

    private Task PgAsync(string tool, IReadOnlyList<string> args) =>
        _asPostgresUser
            ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(_bin, tool), .. args], _dir)
            : RunAsync(Path.Combine(_bin, tool), args, _dir);

    private static async Task RunAsync(string file, IReadOnlyList<string> args, string dir)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = dir };
        foreach (var a in args)
            psi.ArgumentList.Add(a);
        using var p = Process.Start(psi) ?? throw new PostgresUnavailableException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await p.WaitForExitAsync(timeout.Token);
        if (p.ExitCode != 0)
        {
            var log = Path.Combine(dir, "log");
            var tail = File.Exists(log) ? string.Join("\n", File.ReadLines(log).TakeLast(10)) : "";
            throw new PostgresUnavailableException($"{file} {string.Join(" ", args)} exited {p.ExitCode}: {await stderr}{await stdout}\n{tail}");
        }
    }

    private static string? FindInitdb()
    {
        try
        {
            var psi = new ProcessStartInfo("dpkg", "-L postgresql-15") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var p = Process.Start(psi)!;
            var lines = p.StandardOutput.ReadToEnd().Split('\n');
            p.WaitForExit();
            var hit = lines.FirstOrDefault(l => l.EndsWith("bin/initdb", StringComparison.Ordinal));
            if (hit is not null && File.Exists(hit))
                return hit;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            // No dpkg here: fall back to the usual place.
        }
        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "initdb")).FirstOrDefault(File.Exists)
            : null;
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}

public sealed class PostgresUnavailableException(string message) : Exception(message);

/// <summary>Stops the shared PostgreSQL cluster when the test run ends.</summary>
[SetUpFixture]
public sealed class PostgresClusterTeardown
{
    [OneTimeTearDown]
    public Task StopAsync() => PostgresCluster.StopSharedAsync();
}
