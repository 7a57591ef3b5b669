using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Oms.Benchmarks;

/// <summary>
/// Webhook delivery at the order rate: orders are placed through the API processes (as <c>checkout</c> starts them,
/// on PostgreSQL with durable commits) as the one-request checkout places them (paid, so each is confirmed, routed and reserved and raises all its events), while
/// <c>--subscribers N</c> subscriptions to <c>--filter</c> (<c>*</c> by default) receive them on a loopback receiver.
/// Prints orders/s, deliveries/s, the delay from the event to its delivery (p50/p95/p99, and p99 per window, so a
/// growing backlog shows), and checks the ids: every event the database holds for a subscriber's filter arrived at
/// that subscriber, and none twice. Closed loop by default (<c>--users</c>); with <c>--rate N</c> orders arrive at N
/// per second whatever the answers (open loop).
/// Run: dotnet run -c Release --project tests/Oms.Benchmarks -- webhooks [--seconds 60] [--users 16 | --rate 400]
/// [--subscribers 10] [--filter 'order.*'] [--drain 300] [--replicas 1] [--set Webhooks:Key=Value] (OMS_BENCH_POSTGRES=connection string to use a
/// server of your own; otherwise a throwaway one is started). The receiver and the load run in this process.
/// </summary>
public static class WebhookBenchmark
{
    private sealed record Arrival(double DelayMs, double AtSeconds);

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 10);
        var users = Arg(args, "--users", 16);
        var rate = Arg(args, "--rate", 0);
        var subscribers = Arg(args, "--subscribers", 1);
        var filter = Text(args, "--filter") ?? "*";
        var drain = Arg(args, "--drain", 300); // seconds to wait for the backlog after the last order
        var clock = Stopwatch.StartNew();
        var recording = false;
        // Per subscriber: each event id's first arrival, and how many times it came.
        var arrivals = Enumerable.Range(0, subscribers).Select(_ => new ConcurrentDictionary<string, Arrival>()).ToArray();
        var copies = Enumerable.Range(0, subscribers).Select(_ => new ConcurrentDictionary<string, int>()).ToArray();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hook/{n:int}", async (int n, HttpContext http) =>
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            var occurred = DateTimeOffset.Parse(doc.RootElement.GetProperty("occurred_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            var id = http.Request.Headers["webhook-id"].ToString();
            if (!Volatile.Read(ref recording)) return Results.Ok();
            arrivals[n].TryAdd(id, new Arrival((DateTimeOffset.UtcNow - occurred).TotalMilliseconds, clock.Elapsed.TotalSeconds));
            copies[n].AddOrUpdate(id, 1, (_, c) => c + 1);
            return Results.Ok();
        });
        await receiver.StartAsync();

        // --set Key=Value: API settings for this run (e.g. --set Webhooks:MaxInFlightPerSubscription=16).
        var settings = args.Select((a, i) => (a, i)).Where(x => x.a == "--set" && x.i + 1 < args.Length).Select(x => args[x.i + 1].Split('=', 2))
            .ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        settings.TryAdd("Webhooks:AllowHttp", "true");
        settings.TryAdd("Webhooks:AllowPrivateTargets", "true");
        await using var cluster = await Load.ApiCluster.StartAsync(Arg(args, "--replicas", 1), Environment.GetEnvironmentVariable("OMS_BENCH_POSTGRES"),
            requestLogs: false, settings);
        var postgres = cluster.PostgresConnectionString!;
        var client = cluster.Setup;
        for (var i = 0; i < subscribers; i++)
            (await client.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = $"{receiver.Urls.First()}/hook/{i}", eventFilters = new[] { filter } })).EnsureSuccessStatusCode();
        var load = new Oms.Testing.Load.LoadScenarios(cluster.Clients, setup: client);
        var skus = await load.SeedAsync(skuCount: 50, nodeCount: 2, stockPerNode: 1_000_000);
        var metrics = new Oms.Testing.Load.Metrics();

        async Task PlaceOneAsync(Random random)
        {
            if (!await load.CheckoutAsync(metrics, random.Next(cluster.Clients.Count), random, skus, "single")) throw new InvalidOperationException("A checkout failed: " + string.Join(", ", metrics.ErrorKinds.Keys));
        }

        async Task<int> PlaceForAsync(TimeSpan duration)
        {
            if (rate > 0) return await PlaceAtRateAsync(duration);
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            return await Oms.Testing.Load.LoadScenarios.LoopAsync(users, until, int.MaxValue, async (_, random) =>
            {
                await PlaceOneAsync(random);
                return true;
            });
        }

        // Order i leaves at start + i / rate, whether or not the earlier ones have been answered.
        async Task<int> PlaceAtRateAsync(TimeSpan duration)
        {
            var started = Stopwatch.GetTimestamp();
            var count = (int)(duration.TotalSeconds * rate);
            var inFlight = new List<Task>(count);
            for (var i = 0; i < count; i++)
            {
                var due = TimeSpan.FromSeconds((double)i / rate) - Stopwatch.GetElapsedTime(started);
                if (due > TimeSpan.Zero) await Task.Delay(due);
                var random = new Random(i);
                inFlight.Add(Task.Run(() => PlaceOneAsync(random)));
            }
            await Task.WhenAll(inFlight);
            return count;
        }

        await PlaceForAsync(TimeSpan.FromSeconds(3)); // warm-up
        await WaitAsync(async () => await BacklogAsync(postgres) == 0, TimeSpan.FromSeconds(120));
        await Load.ApiCluster.AnalyzeAsync(postgres); // the plans of a filled database (see ApiCluster.AnalyzeAsync)
        var since = DateTimeOffset.UtcNow;
        var startedAt = clock.Elapsed.TotalSeconds;
        Volatile.Write(ref recording, true);
        var cpuBefore = cluster.CpuSeconds();
        var loadBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var placed = await PlaceForAsync(TimeSpan.FromSeconds(seconds));
        var placing = clock.Elapsed.TotalSeconds - startedAt;
        var drained = await WaitAsync(async () => await BacklogAsync(postgres) == 0, TimeSpan.FromSeconds(drain));
        await Task.Delay(500); // the last answers' outcomes
        var total = clock.Elapsed.TotalSeconds - startedAt;
        var cpuAfter = cluster.CpuSeconds();
        var loadAfter = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        Volatile.Write(ref recording, false);

        // What each subscriber should have got: every event of the run its filter matches, as the database holds them.
        var expected = await ExpectedAsync(postgres, since, filter);
        var delivered = arrivals.Sum(a => a.Count);
        var missing = arrivals.Sum(a => expected.Count(id => !a.ContainsKey(id)));
        var twice = copies.Sum(c => c.Values.Count(n => n > 1));
        var delays = arrivals.SelectMany(a => a.Values.Select(v => v.DelayMs)).Order().ToArray();
        Console.WriteLine();
        Console.WriteLine($"webhooks: {(rate > 0 ? $"{rate} orders/s offered (open loop)" : $"{users} users (closed loop)")}, {seconds} s, {subscribers} subscriber(s) to '{filter}', " +
                          $"{Environment.ProcessorCount} cores, {cluster.Clients.Count} API process(es), PostgreSQL with durable commits; load and receiver in this process");
        Console.WriteLine("| orders placed | orders/s | events per order | deliveries | deliveries/s | missing | delivered twice | event→delivery p50 | p95 | p99 | max | API CPU ms/order | PostgreSQL CPU ms/order | load and receiver CPU ms/order |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| {placed} | {placed / placing:0} | {(double)expected.Count / Math.Max(1, placed):0.0} | {delivered} | {delivered / total:0} | {missing} | {twice} | " +
                          $"{P(delays, 0.50):0} ms | {P(delays, 0.95):0} ms | {P(delays, 0.99):0} ms | {(delays.Length > 0 ? delays[^1] : double.NaN):0} ms | " +
                          $"{((cpuAfter.Api - cpuBefore.Api) * 1000 / Math.Max(1, placed))?.ToString("0.00") ?? "-"} | {((cpuAfter.Postgres - cpuBefore.Postgres) * 1000 / Math.Max(1, placed))?.ToString("0.00") ?? "-"} | " +
                          $"{(loadAfter - loadBefore) * 1000 / Math.Max(1, placed):0.00} |");
        // The delay's p99 by when the delivery arrived: flat when delivery keeps up, rising when a backlog grows.
        var windows = arrivals.SelectMany(a => a.Values).GroupBy(a => (int)((a.AtSeconds - startedAt) / 5)).OrderBy(g => g.Key)
            .Select(g => $"{P(g.Select(a => a.DelayMs).Order().ToArray(), 0.99):0}");
        Console.WriteLine($"p99 ms per 5-s window of arrival: {string.Join(" ", windows)}{(drained ? "" : $" (backlog not drained {drain} s after the last order: missing counts what had not arrived then)")}");
        return missing == 0 && twice == 0 && drained ? 0 : 1;
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    /// <summary>Events not yet fanned out plus deliveries not yet made.</summary>
    private static async Task<long> BacklogAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT (SELECT count(*) FROM outbox_pending) + (SELECT count(*) FROM webhook_deliveries WHERE status = 'Pending')", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<HashSet<string>> ExpectedAsync(string connectionString, DateTimeOffset since, string filter)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(
            "SELECT id FROM outbox_messages WHERE occurred_at >= $1 AND target_subscription_id IS NULL AND ($2 = '*' OR type LIKE $3)", connection);
        command.Parameters.Add(new() { Value = since });
        command.Parameters.Add(new() { Value = filter });
        command.Parameters.Add(new() { Value = filter.TrimEnd('*') + "%" });
        var ids = new HashSet<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ids.Add(Oms.Infrastructure.Webhooks.WebhookDispatcher.EventId(reader.GetGuid(0)));
        return ids;
    }

    private static async Task<bool> WaitAsync(Func<Task<bool>> done, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < until)
        {
            if (await done()) return true;
            await Task.Delay(1000);
        }
        return false;
    }

    private static int Arg(string[] args, string name, int fallback) => int.TryParse(Text(args, name), out var v) ? v : fallback;

    private static string? Text(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
