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
/// Webhook dispatch under load: virtual users place orders through the API (in process) for a fixed time while a
/// receiver on loopback takes every order.placed event. Prints dispatch throughput (events/s) and the delay from
/// the event's commit to its first delivery (p50/p95/p99). Closed loop by default: every user places its next order
/// as soon as the last is placed, which takes the whole machine and leaves the dispatcher what the checkouts do not
/// use. With <c>--rate N</c> orders arrive at N per second whatever the answers (open loop): below capacity, the delay
/// is what a subscriber sees on a machine with headroom.
/// Run: dotnet run -c Release --project tests/Oms.Benchmarks -- webhooks [--seconds 10] [--users 16 | --rate 200]
/// (OMS_BENCH_POSTGRES=connection string to use a server of your own; otherwise a throwaway one is started).
/// </summary>
public static class WebhookBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 10);
        var users = Arg(args, "--users", 16);
        var rate = Arg(args, "--rate", 0);
        var arrivals = new ConcurrentDictionary<string, double>();
        var receiverBuilder = WebApplication.CreateSlimBuilder();
        receiverBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        receiverBuilder.Logging.ClearProviders();
        await using var receiver = receiverBuilder.Build();
        receiver.MapPost("/hook", async (HttpContext http) =>
        {
            using var doc = await JsonDocument.ParseAsync(http.Request.Body);
            var occurred = DateTimeOffset.Parse(doc.RootElement.GetProperty("occurred_at").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
            arrivals.TryAdd(http.Request.Headers["webhook-id"].ToString(), (DateTimeOffset.UtcNow - occurred).TotalMilliseconds);
            return Results.Ok();
        });
        await receiver.StartAsync();

        await using var host = await BenchHost.StartAsync(("Webhooks:AllowHttp", "true"), ("Webhooks:AllowPrivateTargets", "true"));
        var client = host.Client;
        (await client.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Urls.First() + "/hook", eventFilters = new[] { "order.placed" } })).EnsureSuccessStatusCode();
        var sku = "BENCH-" + Guid.NewGuid().ToString("N")[..8];
        (await client.PostAsJsonAsync("/api/v1/products", new { sku, name = "Bench", price = new { amount = 1000, currency = "EUR" } })).EnsureSuccessStatusCode();
        var customers = 0;
        string Body() => JsonSerializer.Serialize(new
        {
            channel = "web", customer = new { email = $"guest{Interlocked.Increment(ref customers)}@example.com" }, currency = "EUR",
            lines = new[] { new { sku, quantity = 1 } },
            shippingAddress = new { name = "Bench", line1 = "Street 1", city = "Berlin", country = "DE" },
        });

        async Task PlaceOneAsync()
        {
            using var response = await client.PostAsync("/api/v1/orders", new StringContent(Body(), Encoding.UTF8, "application/json"));
            response.EnsureSuccessStatusCode();
        }

        async Task<int> PlaceForAsync(TimeSpan duration)
        {
            if (rate > 0) return await PlaceAtRateAsync(duration);
            var until = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
            var placed = 0;
            await Task.WhenAll(Enumerable.Range(0, users).Select(async _ =>
            {
                while (Stopwatch.GetTimestamp() < until)
                {
                    await PlaceOneAsync();
                    Interlocked.Increment(ref placed);
                }
            }));
            return placed;
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
                inFlight.Add(PlaceOneAsync());
            }
            await Task.WhenAll(inFlight);
            return count;
        }

        var warm = await PlaceForAsync(TimeSpan.FromSeconds(2)); // warm-up, delivered before the run starts
        await WaitAsync(() => arrivals.Count >= warm, TimeSpan.FromSeconds(60));
        await Load.ApiCluster.AnalyzeAsync(host.PostgresConnectionString); // the plans of a filled database (see ApiCluster.AnalyzeAsync)
        arrivals.Clear();
        var started = Stopwatch.GetTimestamp();
        var placed = await PlaceForAsync(TimeSpan.FromSeconds(seconds));
        var placing = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await WaitAsync(() => arrivals.Count >= placed, TimeSpan.FromSeconds(120));
        var total = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var delays = arrivals.Values.Order().ToArray();
        double P(double q) => delays.Length == 0 ? double.NaN : delays[Math.Min(delays.Length - 1, (int)Math.Ceiling(q * delays.Length) - 1)];
        Console.WriteLine();
        Console.WriteLine("| scenario | users or rate | orders placed | orders/s | events delivered | dispatch events/s | commit→delivery p50 | p95 | p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        Console.WriteLine($"| webhooks | {(rate > 0 ? $"{rate}/s" : $"{users} users")} | {placed} | {placed / placing:0} | {arrivals.Count} | {arrivals.Count / total:0} | {P(0.50):0.0} ms | {P(0.95):0.0} ms | {P(0.99):0.0} ms |");
        return arrivals.Count >= placed ? 0 : 1;
    }

    private static async Task WaitAsync(Func<bool> done, TimeSpan timeout)
    {
        var until = DateTimeOffset.UtcNow + timeout;
        while (!done() && DateTimeOffset.UtcNow < until) await Task.Delay(20);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
