using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Oms.Testing;

/// <summary>
/// A throwaway PostgreSQL for the test run: started from the machine's server binaries in a temp folder (as the
/// unprivileged <c>postgres</c> user when we are root, since the server refuses to run as root), or a fresh database
/// on the server named by <c>OMS_TEST_POSTGRES</c>.
/// </summary>
public sealed class PostgresServer
{
    private readonly string? _dataDir;
    private readonly string? _binDir;
    private readonly bool _asPostgresUser;

    private PostgresServer(string connectionString, string? dataDir, string? binDir, bool asPostgresUser)
    {
        ConnectionString = connectionString;
        _dataDir = dataDir;
        _binDir = binDir;
        _asPostgresUser = asPostgresUser;
    }

    public string ConnectionString { get; }

    /// <summary>The data folder of a server started here; null for a given one.</summary>
    public string? DataDirectory => _dataDir;

    /// <param name="durable">Commits wait for the disk (fsync, synchronous_commit), as in production; the tests leave it off.</param>
    /// <param name="unixSocket">Clients connect through the server's Unix-domain socket (as a same-host deployment
    /// would) instead of TCP on 127.0.0.1; the benchmark measures with it.</param>
    /// <param name="own">Always a server of its own from the binaries, even when OMS_TEST_POSTGRES names one (a replica needs one it can copy).</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false, bool unixSocket = false, bool own = false)
    {
        var database = "oms_test_" + Guid.NewGuid().ToString("N")[..12];
        if (!own && Environment.GetEnvironmentVariable("OMS_TEST_POSTGRES") is { Length: > 0 } given)
        {
            await CreateDatabaseAsync(given, database);
            return new PostgresServer(WithDatabase(given, database), null, null, false);
        }

        var bin = FindBinaries();
        var root = Environment.UserName == "root"; // the server refuses to run as root
        RemoveLeftovers();
        var dir = Path.Combine(Path.GetTempPath(), "oms-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (root) Run("chown", $"postgres:postgres {dir}", asPostgres: false);
        var port = FreePort();
        Run(Path.Combine(bin, "initdb"), $"-D {dir} -U postgres --auth=trust -E UTF8 --no-sync --no-instructions", root);
        // Durability off for tests: a test database dies with the run, and fsync costs more than the tests themselves.
        var durability = durable ? "" : "-c fsync=off -c synchronous_commit=off -c full_page_writes=off ";
        // Extra server settings for a look inside, e.g. OMS_PG_OPTIONS="-c log_statement=all" (the log is server.log in the data directory).
        // They come last, so they override the defaults above.
        var extra = Environment.GetEnvironmentVariable("OMS_PG_OPTIONS") is { Length: > 0 } options ? options + " " : "";
        Run(Path.Combine(bin, "pg_ctl"),
            $"-D {dir} -l {dir}/server.log -w -t 60 -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 {durability}-c max_connections=300 -c shared_buffers=128MB {extra}\" start",
            root);
        var server = new PostgresServer($"Host={(unixSocket ? dir : "127.0.0.1")};Port={port};Username=postgres;Database={database};Maximum Pool Size=100;Include Error Detail=true", dir, bin, root);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.Stop();
        await CreateDatabaseAsync($"Host=127.0.0.1;Port={port};Username=postgres;Database=postgres", database);
        return server;
    }

    /// <summary>
    /// A streaming replica of this server (started here): a base backup with the standby settings written (-R), started
    /// on a port of its own as a hot standby (with the primary's max_connections, which a standby may not go below). Its connection string names the same database; it only reads.
    /// </summary>
    public async Task<PostgresServer> StartReplicaAsync()
    {
        if (_dataDir is null || _binDir is null) throw new InvalidOperationException("Only a server started here can be replicated.");
        var primary = new NpgsqlConnectionStringBuilder(ConnectionString);
        var dir = Path.Combine(Path.GetTempPath(), "oms-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        if (_asPostgresUser) Run("chown", $"postgres:postgres {dir}", asPostgres: false);
        Run("chmod", $"700 {dir}", _asPostgresUser);
        Run(Path.Combine(_binDir, "pg_basebackup"), $"-h 127.0.0.1 -p {primary.Port} -U postgres -D {dir} -R -X stream -c fast", _asPostgresUser);
        var port = FreePort();
        Run(Path.Combine(_binDir, "pg_ctl"),
            $"-D {dir} -l {dir}/server.log -w -t 60 -o \"-p {port} -k {dir} -c listen_addresses=127.0.0.1 -c hot_standby=on -c max_connections=300\" start",
            _asPostgresUser);
        var replica = new PostgresServer(new NpgsqlConnectionStringBuilder(ConnectionString) { Host = "127.0.0.1", Port = port }.ConnectionString, dir, _binDir, _asPostgresUser);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => replica.Stop();
        await Task.CompletedTask;
        return replica;
    }

    public void Stop()
    {
        if (_dataDir is null || !Directory.Exists(_dataDir)) return;
        try
        {
            Run(Path.Combine(_binDir!, "pg_ctl"), $"-D {_dataDir} -m immediate -w stop", _asPostgresUser);
        }
        finally
        {
            try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Data folders of earlier runs whose server is gone (a killed test host cannot clean up after itself).</summary>
    private static void RemoveLeftovers()
    {
        foreach (var dir in Directory.GetDirectories(Path.GetTempPath(), "oms-pg-*"))
        {
            if (File.Exists(Path.Combine(dir, "postmaster.pid"))) continue;
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>A fresh database on the same server, for tests that run several app instances of their own.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "oms_test_" + Guid.NewGuid().ToString("N")[..12];
        await CreateDatabaseAsync(ConnectionString, name);
        return WithDatabase(ConnectionString, name);
    }

    private static async Task CreateDatabaseAsync(string adminConnectionString, string database)
    {
        await using var conn = new NpgsqlConnection(WithDatabase(adminConnectionString, "postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {database}", conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static string WithDatabase(string connectionString, string database) =>
        new NpgsqlConnectionStringBuilder(connectionString) { Database = database }.ConnectionString;

    private static string FindBinaries()
    {
        if (Environment.GetEnvironmentVariable("OMS_PG_BIN") is { Length: > 0 } configured) return configured;
        var versions = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Where(d => File.Exists(Path.Combine(d, "bin", "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(d), out var v) ? v : 0).ToList()
            : [];
        if (versions.Count > 0) return Path.Combine(versions[0], "bin");
        throw new InvalidOperationException(
            "No PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin). Install the 'postgresql' package, " +
            "set OMS_PG_BIN to their folder, or set OMS_TEST_POSTGRES to a connection string.");
    }

    private static void Run(string file, string arguments, bool asPostgres)
    {
        var start = asPostgres
            ? new ProcessStartInfo("runuser", $"-u postgres -- {file} {arguments}")
            : new ProcessStartInfo(file, arguments);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000)) { process.Kill(true); throw new TimeoutException($"{file} {arguments} did not finish"); }
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stdout.Result} {stderr.Result}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
