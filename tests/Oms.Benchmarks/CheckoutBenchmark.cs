using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Oms.Benchmarks;

/// <summary>
/// Closed-loop checkouts: each virtual user places an order of 1-3 lines for a guest customer, pays it by bank
/// transfer and marks the money received, which confirms, routes and reserves it; then the next one.
/// Run: dotnet run -c Release --project tests/Oms.Benchmarks -- checkout [--seconds 20] [--users 16] [--skus 200] [--nodes 4]
///      dotnet run -c Release --project tests/Oms.Benchmarks -- hot-sku      (64 buyers race for 10 units)
/// </summary>
public static class CheckoutBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Arg(args, "--seconds", 20);
        var users = Arg(args, "--users", 16);
        var skuCount = Arg(args, "--skus", 200);
        var nodeCount = Arg(args, "--nodes", 4);
        await using var host = await BenchHost.StartAsync();
        var client = host.Client;
        var skus = await SeedAsync(client, skuCount, nodeCount, stockPerNode: 1_000_000);

        var latencies = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        var sqlPerCheckout = new ConcurrentBag<int>();
        var errors = new ConcurrentDictionary<string, int>();
        var customer = 0;

        async Task<(bool Ok, int Sql)> TimedAsync(string kind, Func<Task<HttpResponseMessage>> send, Func<HttpResponseMessage, Task>? read = null)
        {
            var started = BenchHost.Now;
            using var response = await send();
            if (read is not null && response.IsSuccessStatusCode) await read(response);
            latencies.GetOrAdd(kind, _ => []).Add(BenchHost.MillisecondsSince(started));
            if (!response.IsSuccessStatusCode) errors.AddOrUpdate($"{kind} {(int)response.StatusCode}", 1, (_, n) => n + 1);
            return (response.IsSuccessStatusCode, response.Headers.TryGetValues("Oms-Sql-Commands", out var v) ? int.Parse(v.First()) : 0);
        }

        async Task<bool> CheckoutAsync(Random random)
        {
            var started = BenchHost.Now;
            var n = Interlocked.Increment(ref customer);
            var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => new { sku = skus[random.Next(skus.Count)], quantity = random.Next(1, 3) }).ToArray();
            var body = JsonSerializer.Serialize(new
            {
                channel = "web", currency = "EUR", customer = new { email = $"guest{n}@example.com", name = "Guest" },
                shippingAddress = new { name = "Guest", line1 = "Street 1", city = "Berlin", postalCode = "10115", country = "DE" },
                lines,
            });
            string? orderId = null, paymentId = null;
            var place = await TimedAsync("place order", () => client.PostAsync("/api/v1/orders", new StringContent(body, Encoding.UTF8, "application/json")),
                async r => orderId = (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
            if (!place.Ok) return false;
            long amount = 0;
            var pay = await TimedAsync("create payment", () => client.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments", new { method = "bank_transfer" }),
                async r =>
                {
                    var p = await r.Content.ReadFromJsonAsync<JsonElement>();
                    paymentId = p.GetProperty("id").GetString();
                    amount = p.GetProperty("amount").GetProperty("amount").GetInt64();
                });
            if (!pay.Ok) return false;
            var received = await TimedAsync("mark received (confirms)", () => client.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments/{paymentId}/mark-received", new { amount }));
            if (!received.Ok) return false;
            latencies.GetOrAdd("whole checkout", _ => []).Add(BenchHost.MillisecondsSince(started));
            sqlPerCheckout.Add(place.Sql + pay.Sql + received.Sql);
            return true;
        }

        async Task<int> RunForAsync(TimeSpan duration)
        {
            var until = BenchHost.Now + (long)(duration.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
            var done = 0;
            await Task.WhenAll(Enumerable.Range(0, users).Select(async u =>
            {
                var random = new Random(u);
                while (BenchHost.Now < until)
                    if (await CheckoutAsync(random)) Interlocked.Increment(ref done);
            }));
            return done;
        }

        await RunForAsync(TimeSpan.FromSeconds(Math.Max(3, seconds / 5))); // warm-up
        latencies.Clear();
        sqlPerCheckout.Clear();
        errors.Clear();
        var cpuBefore = host.CpuSeconds();
        var started = BenchHost.Now;
        var checkouts = await RunForAsync(TimeSpan.FromSeconds(seconds));
        var elapsed = BenchHost.MillisecondsSince(started) / 1000;
        var cpuAfter = host.CpuSeconds();

        Console.WriteLine();
        Console.WriteLine($"checkout: {users} users, {seconds} s, {skuCount} SKUs over {nodeCount} nodes");
        Console.WriteLine("| request | count | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var (kind, values) in latencies.OrderBy(kv => kv.Key == "whole checkout").ThenBy(kv => kv.Key))
        {
            var sorted = values.Order().ToArray();
            Console.WriteLine($"| {kind} | {sorted.Length} | {P(sorted, 0.50):0.0} | {P(sorted, 0.95):0.0} | {P(sorted, 0.99):0.0} |");
        }
        var processCpu = (cpuAfter.Process - cpuBefore.Process) * 1000 / Math.Max(1, checkouts);
        var pgCpu = cpuAfter.Postgres is { } a && cpuBefore.Postgres is { } b ? $"{(a - b) * 1000 / Math.Max(1, checkouts):0.00} ms" : "n/a (external server)";
        Console.WriteLine();
        Console.WriteLine($"checkouts/s: {checkouts / elapsed:0.0}   errors: {errors.Values.Sum()} {string.Join(", ", errors.Select(e => $"{e.Key}×{e.Value}"))}");
        Console.WriteLine($"CPU per checkout: API process (with the load generator) {processCpu:0.00} ms, PostgreSQL {pgCpu}");
        Console.WriteLine($"SQL statements per checkout: {(sqlPerCheckout.IsEmpty ? 0 : sqlPerCheckout.Average()):0.0} (3 requests: place, pay, mark received)");
        return errors.IsEmpty ? 0 : 1;
    }

    /// <summary>64 buyers race for one SKU with 10 units: the confirmed count must equal the stock.</summary>
    public static async Task<int> HotSkuAsync(string[] args)
    {
        await using var host = await BenchHost.StartAsync();
        var client = host.Client;
        var sku = (await SeedAsync(client, 1, 2, stockPerNode: 5))[0];
        var orders = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            var response = await client.PostAsJsonAsync("/api/v1/orders", new
            {
                channel = "web", currency = "EUR", customer = new { email = $"buyer{i}@example.com" },
                shippingAddress = new { name = "Buyer", line1 = "Street 1", city = "Berlin", country = "DE" },
                lines = new[] { new { sku, quantity = 1 } },
            });
            return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        }));
        var results = await Task.WhenAll(orders.Select(id => client.PostAsync($"/api/v1/orders/{id}/confirm", null)));
        var won = results.Count(r => r.StatusCode == HttpStatusCode.OK);
        var refused = results.Count(r => r.StatusCode == HttpStatusCode.Conflict);
        var stock = await client.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Console.WriteLine($"hot-sku: 64 buyers, 10 units over 2 nodes → {won} confirmed, {refused} refused, reserved {stock.GetProperty("reserved").GetInt32()}, available {stock.GetProperty("available").GetInt32()}");
        return won == 10 && refused == 54 ? 0 : 1;
    }

    private static async Task<List<string>> SeedAsync(HttpClient client, int skuCount, int nodeCount, int stockPerNode)
    {
        var run = Guid.NewGuid().ToString("N")[..6];
        var nodes = new List<string>();
        for (var i = 0; i < nodeCount; i++)
        {
            var code = $"BENCH-{run}-{i}";
            (await client.PostAsJsonAsync("/api/v1/fulfilment-nodes", new
            {
                code, kind = "warehouse", name = code, timeZone = "Europe/Berlin",
                address = new { name = code, line1 = "Depot", city = "City", country = "DE", latitude = 48 + i, longitude = 9 + i },
                shippingCost = new { @base = 300, perKg = 50, per100Km = 20, currency = "EUR" },
            })).EnsureSuccessStatusCode();
            nodes.Add(code);
        }
        var skus = new List<string>();
        for (var i = 0; i < skuCount; i++)
        {
            var sku = $"B-{run}-{i:D4}";
            (await client.PostAsJsonAsync("/api/v1/products", new { sku, name = sku, price = new { amount = 1000 + i, currency = "EUR" }, weightGrams = 500 })).EnsureSuccessStatusCode();
            foreach (var node in nodes)
                (await client.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "received", delta = stockPerNode })).EnsureSuccessStatusCode();
            skus.Add(sku);
        }
        return skus;
    }

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];

    private static int Arg(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], out var v) ? v : fallback;
    }
}
