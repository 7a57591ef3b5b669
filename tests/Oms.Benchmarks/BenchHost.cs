using System.Diagnostics;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Oms.Testing;

namespace Oms.Benchmarks;

/// <summary>
/// The API hosted in this process on PostgreSQL (OMS_BENCH_POSTGRES, or a throwaway server started here), with an
/// admin client. In-process hosting skips the network stack, and the load generator shares the process: figures
/// are for comparing changes on one machine, not for sizing production.
/// </summary>
public sealed class BenchHost : IAsyncDisposable
{
    private readonly WebApplicationFactory<Program> _factory;

    private BenchHost(WebApplicationFactory<Program> factory, HttpClient client, string postgresConnectionString, string? postgresDataDir)
    {
        _factory = factory;
        Client = client;
        PostgresConnectionString = postgresConnectionString;
        PostgresDataDir = postgresDataDir;
    }

    public HttpClient Client { get; }

    /// <summary>A client of the in-process API with the given key (a storefront's, say: an admin key is read from the database on every request).</summary>
    public HttpClient ClientWith(string key)
    {
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public string PostgresConnectionString { get; }

    /// <summary>The data folder of the throwaway server, to read its processes' CPU time; null for a given server.</summary>
    public string? PostgresDataDir { get; }

    public static async Task<BenchHost> StartAsync(params (string Key, string Value)[] settings)
    {
        string connection;
        string? dataDir = null;
        if (Environment.GetEnvironmentVariable("OMS_BENCH_POSTGRES") is { Length: > 0 } given) connection = given;
        else
        {
            var server = await PostgresServer.StartAsync();
            // The pool the checkout benchmark and docs/operations.md use: the test suite's 100 let an open-loop run keep 100
            // backends busy on 2 cores.
            connection = new Npgsql.NpgsqlConnectionStringBuilder(server.ConnectionString) { MaxPoolSize = Load.ApiCluster.PoolSizeFor(1) }.ConnectionString;
            dataDir = server.DataDirectory;
        }
        var adminKey = "oms_bench_admin_" + Guid.NewGuid().ToString("N");
        // The benchmark is no test project, so tell WebApplicationFactory where the API's content root is.
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "HeadlessOms.sln"))) root = root.Parent;
        Environment.SetEnvironmentVariable("ASPNETCORE_TEST_CONTENTROOT_OMS_API", Path.Combine(root!.FullName, "src", "Oms.Api"));
        var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Production");
            b.UseSetting("ConnectionStrings:Postgres", connection);
            b.UseSetting("Seed:Demo", "false");
            b.UseSetting("Auth:DevKey", "false");
            b.UseSetting("Auth:BootstrapKey", adminKey);
            b.UseSetting("Diagnostics:SqlCommandHeader", "true");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        return new BenchHost(factory, client, connection, dataDir);
    }

    /// <summary>CPU seconds (user + system) this process and the PostgreSQL server have used so far.</summary>
    public (double Process, double? Postgres) CpuSeconds()
    {
        var self = Load.ProcStat.CpuSeconds(Environment.ProcessId);
        if (PostgresDataDir is null || !OperatingSystem.IsLinux()) return (self, null);
        return (self, Load.ProcStat.Pids().Where(pid => Load.ProcStat.Name(pid) == "postgres").Sum(Load.ProcStat.CpuSeconds));
    }

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    public static long Now => Stopwatch.GetTimestamp();
    public static double MillisecondsSince(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;
}
