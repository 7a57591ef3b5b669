using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using Oms.Testing;

namespace Oms.Benchmarks.Load;

/// <summary>
/// The API under load, reached over real HTTP on loopback: either processes this program starts (one per replica,
/// all on one PostgreSQL) or URLs of an API someone else runs. Knows the processes' ids, so it can read their CPU
/// time and memory from /proc.
/// </summary>
public sealed class ApiCluster : IAsyncDisposable
{
    private readonly List<Process> _processes = [];
    private PostgresServer? _postgres;
    private string? _postgresConnectionString;

    /// <summary>The shoppers' clients, one per process, with a storefront's key (<see cref="ShopperScopes"/>).</summary>
    public IReadOnlyList<HttpClient> Clients { get; private set; } = [];
    /// <summary>The admin's client, which sets the run up (nodes, products, stock) and makes the storefront's key.</summary>
    public HttpClient Setup { get; private set; } = null!;

    /// <summary>Where the API processes write their e-mails (removed when the cluster is disposed).</summary>
    public static readonly string MailFolder = Path.Combine(Path.GetTempPath(), "oms-bench-mail-" + Environment.ProcessId);

    /// <summary>What the load's key may do: place orders and take their payments, and read them (a write scope reads too),
    /// with the shopper's personal data unmasked (a shop front shows shoppers their own name and address, as the
    /// built-in integration role allows). Not admin: an admin key is read from the database on every request.</summary>
    public static readonly string[] ShopperScopes = ["orders:write", "payments:write", "customers:pii"];
    public IReadOnlyList<string> Urls { get; private set; } = [];
    public bool OwnsPostgres => _postgres is not null;
    /// <summary>The database the API processes use, when the benchmark knows it (its own server or --postgres).</summary>
    public string? PostgresConnectionString => _postgresConnectionString;
    public bool PostgresOverUnixSocket { get; private set; }

    /// <summary>Connections per API process to the throwaway server (null for a given server: its connection string decides).</summary>
    public int? PoolSize { get; private set; }

    public IReadOnlyList<int> ProcessIds => _processes.Select(p => p.Id).ToList();

    /// <summary>The build configuration of this program; it runs the API build of the same one.</summary>
#if DEBUG
    public const string Configuration = "Debug";
#else
    public const string Configuration = "Release";
#endif

    /// <summary>
    /// Refreshes the planner's statistics of the database the API processes use (false when the benchmark does not know it).
    /// A fresh database's tables are empty when the API first prepares its statements, and PostgreSQL keeps the plans it
    /// chose for empty tables (a sequential scan of the outbox, the orders walked by date) until the tables are analyzed:
    /// autovacuum does that within its first minute on any running database, but a short benchmark would measure the
    /// plans of an empty database instead.
    /// </summary>
    public async Task<bool> AnalyzeAsync()
    {
        if (_postgresConnectionString is null) return false;
        await AnalyzeAsync(_postgresConnectionString);
        return true;
    }

    public static async Task AnalyzeAsync(string postgresConnectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(postgresConnectionString);
        await connection.OpenAsync();
        await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE", connection);
        await analyze.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// Webhook events written but not yet fanned out by the dispatchers (null when the benchmark does not know the
    /// database). Read at the start and the end of a run: a backlog that grows means the dispatch work the API owes is
    /// not all in the CPU figures, and webhooks fall behind.
    /// </summary>
    public async Task<long?> WebhookBacklogAsync() => (long?)await ScalarAsync("SELECT coalesce(sum(cardinality(message_ids)), 0) FROM outbox_pending");

    /// <summary>Documents issued so far and document requests waiting (null for a build without documents, or when the benchmark does not know the database).</summary>
    public async Task<(long Issued, long Waiting)?> DocumentsAsync()
    {
        try
        {
            return await ScalarAsync("SELECT count(*) FROM documents") is long issued && await ScalarAsync("SELECT count(*) FROM document_requests") is long waiting
                ? (issued, waiting) : null;
        }
        catch (Npgsql.PostgresException) // a build from before documents
        {
            return null;
        }
    }

    /// <summary>Where PostgreSQL's write-ahead log stands, in bytes (null when the benchmark does not know the database).</summary>
    public async Task<decimal?> WalPositionAsync() => (decimal?)await ScalarAsync("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn");

    private async Task<object?> ScalarAsync(string sql)
    {
        if (_postgresConnectionString is null) return null;
        await using var connection = new Npgsql.NpgsqlConnection(_postgresConnectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    /// <summary>Targets an API that runs already.</summary>
    public static async Task<ApiCluster> ExistingAsync(IReadOnlyList<string> urls, string key)
    {
        var cluster = new ApiCluster { Urls = urls };
        await cluster.UseKeysAsync(key);
        return cluster;
    }

    /// <summary>The admin's client for setting up, and a storefront key made with it for the load.</summary>
    private async Task UseKeysAsync(string adminKey)
    {
        Setup = Client(Urls[0], adminKey);
        var made = await Setup.PostAsJsonAsync("/api/v1/api-keys", new { name = "benchmark storefront", scopes = ShopperScopes });
        made.EnsureSuccessStatusCode();
        var secret = (await made.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!;
        Clients = Urls.Select(u => Client(u, secret)).ToList();
    }

    /// <summary>The seller the API processes print on their documents.</summary>
    private static readonly (string Name, string Value)[] BenchSeller =
    [
        ("Name", "Benchmark Shop BV"), ("Line1", "Rue de la Loi 16"), ("City", "Brussels"), ("PostalCode", "1000"), ("Country", "BE"), ("VatId", "BE0123456749"),
        ("Iban", "BE68539007547034"),
    ];

    /// <summary>Starts <paramref name="replicas"/> API processes on <paramref name="postgres"/> (or a throwaway server) and waits until each is ready.</summary>
    /// <param name="postgresOverTcp">Connect to the throwaway server on 127.0.0.1 instead of its Unix-domain socket.</param>
    /// <param name="poolSize">Connections per API process to the throwaway server; by default 8 per core of this
    /// machine, shared out over the processes (docs/operations.md: Connection pool).</param>
    /// <summary>Connections per API process: about 8 per core of the machine in all, shared out over the replicas (docs/operations.md: Connection pool).</summary>
    public static int PoolSizeFor(int replicas) => Math.Max(4, 8 * Environment.ProcessorCount / replicas);

    public static async Task<ApiCluster> StartAsync(int replicas, string? postgres, bool requestLogs, IReadOnlyDictionary<string, string> settings,
        bool postgresOverTcp = false, int? poolSize = null)
    {
        var cluster = new ApiCluster();
        if (postgres is null)
        {
            cluster._postgres = await PostgresServer.StartAsync(durable: true, unixSocket: !postgresOverTcp);
            cluster.PostgresOverUnixSocket = !postgresOverTcp;
            cluster.PoolSize = poolSize ?? PoolSizeFor(replicas);
            postgres = new Npgsql.NpgsqlConnectionStringBuilder(cluster._postgres.ConnectionString) { MaxPoolSize = cluster.PoolSize.Value }.ConnectionString;
        }
        cluster._postgresConnectionString = postgres;
        var root = RepositoryRoot();
        // The API build of the benchmark's own configuration (building the benchmark builds it): never a Debug API
        // left newer by a test run, whose unoptimized code would be measured instead.
        var dll = Path.Combine(root, "src", "Oms.Api", "bin", Configuration, "net10.0", "Oms.Api.dll");
        if (!File.Exists(dll)) throw new InvalidOperationException($"Build the benchmark first: dotnet build -c {Configuration} tests/Oms.Benchmarks");
        var key = "oms_bench_admin_" + Guid.NewGuid().ToString("N");
        var urls = new List<string>();
        for (var i = 0; i < replicas; i++)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var start = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.Combine(root, "src", "Oms.Api"), RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["ASPNETCORE_URLS"] = url;
            start.Environment["ConnectionStrings__Postgres"] = postgres;
            start.Environment["Seed__Demo"] = "false";
            start.Environment["Auth__DevKey"] = "false";
            start.Environment["Auth__BootstrapKey"] = key;
            start.Environment["Diagnostics__SqlCommandHeader"] = "true";
            start.Environment["Logging__LogLevel__Default"] = requestLogs ? "Information" : "Warning";
            start.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
            // A seller, as a shop has: invoices are issued at confirmation (the default) while the checkout runs.
            foreach (var (name, value) in BenchSeller) start.Environment["Seller__" + name] = value;
            // E-mails to shoppers at every step, as a shop sends them: rendered and written as .eml files (the mail
            // server's own work is not the API's).
            start.Environment["Notifications__PickupDirectory"] = MailFolder;
            start.Environment["MALLOC_ARENA_MAX"] = "2"; // as in the Docker image: glibc's per-thread arenas otherwise let RSS creep
            start.Environment["DOTNET_TieredCompilation"] = "0"; // as in the Docker image: no background re-JIT competing with requests
            start.Environment["DOTNET_ReadyToRun"] = "0"; // as in the Docker image: the framework JIT-compiled, optimized, too
            // Each replica sized to its share of the machine's cores, as a container given that CPU limit would be
            // (.NET reads the quota): its server GC's heaps and its thread pool (docs/operations.md).
            if (replicas > 1) start.Environment["DOTNET_PROCESSOR_COUNT"] = Math.Max(1, Environment.ProcessorCount / replicas).ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["Webhooks__AllowHttp"] = "true";
            start.Environment["Webhooks__AllowPrivateTargets"] = "true";
            foreach (var (k, v) in settings) start.Environment[k.Replace(":", "__")] = v;
            var process = Process.Start(start)!;
            var replica = i;
            process.OutputDataReceived += (_, e) => { if (requestLogs && e.Data is { Length: > 0 } line) Console.Error.WriteLine($"[api {replica}] {line}"); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is { Length: > 0 } line) Console.Error.WriteLine($"[api {replica}] {line}"); };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            cluster._processes.Add(process);
            urls.Add(url);
            // Replicas start one after the other: the first applies the migrations.
            await WaitReadyAsync(url, process);
        }
        cluster.Urls = urls;
        await cluster.UseKeysAsync(key);
        return cluster;
    }

    private static HttpClient Client(string url, string key)
    {
        var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(10), UseCookies = false };
        // Generous: the report benchmark's slowest reports take minutes over a million orders.
        var client = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(10) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    private static async Task WaitReadyAsync(string url, Process process)
    {
        using var probe = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(2) };
        var until = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < until)
        {
            if (process.HasExited) throw new InvalidOperationException($"The API at {url} exited with {process.ExitCode}.");
            try
            {
                if ((await probe.GetAsync("/health/ready")).StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200);
        }
        throw new TimeoutException($"The API at {url} did not become ready.");
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeadlessOms.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }

    /// <summary>
    /// CPU seconds (user + system) used so far by the API processes, and by PostgreSQL when it runs on this machine
    /// (its live processes, and through the postmaster those that have exited).
    /// </summary>
    public (double? Api, double? Postgres) CpuSeconds()
    {
        double? api = _processes.Count == 0 ? null : _processes.Sum(p => ProcStat.CpuSeconds(p.Id));
        // By executable name: the postmaster's command line is its path, its backends retitle theirs "postgres: …".
        var pg = ProcStat.Pids().Where(pid => ProcStat.Name(pid) == "postgres").Sum(ProcStat.CpuSeconds);
        return (api, pg > 0 ? pg : null);
    }

    /// <summary>Resident memory of each API process, in MB.</summary>
    public IReadOnlyList<double> WorkingSetsMb() => _processes.Select(p => ProcStat.ResidentMb(p.Id)).ToList();

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            try
            {
                if (!p.HasExited) p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
            catch (InvalidOperationException) { }
        }
        foreach (var c in Clients) c.Dispose();
        Setup?.Dispose();
        _postgres?.Stop();
        try { if (Directory.Exists(MailFolder)) Directory.Delete(MailFolder, recursive: true); } catch (IOException) { }
    }
}

/// <summary>Reads what Linux says about a process (nothing on other systems).</summary>
public static class ProcStat
{
    public static IEnumerable<int> Pids() => OperatingSystem.IsLinux()
        ? Directory.GetDirectories("/proc").Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : -1).Where(pid => pid > 0)
        : [];

    public static string Name(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
    }

    public static double CpuSeconds(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime + stime, plus cutime + cstime: the CPU of children that have exited and been waited for. PostgreSQL's
            // backends end when the pool retires a connection, and the postmaster's cutime keeps what they used.
            return (double.Parse(fields[11]) + double.Parse(fields[12]) + double.Parse(fields[13]) + double.Parse(fields[14])) / 100.0; // USER_HZ
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    public static double ResidentMb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) / 1024.0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }
}
