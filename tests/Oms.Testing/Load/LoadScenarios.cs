using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Oms.Testing.Load;

/// <summary>
/// The load scenarios, over any set of HTTP clients (API processes on loopback, or an in-process test server):
/// virtual user <c>u</c> talks to target <c>u mod n</c>, one request after another (closed loop).
/// </summary>
/// <param name="targets">The shoppers' clients, one per API process: a storefront's key, not an admin's (an admin key
/// is read from the database on every request, docs/api-conventions.md: Access).</param>
/// <param name="setup">The client that creates the nodes, products and stock (an admin key); the first target when not given.</param>
/// <param name="stripe">Stripe at the HTTP boundary (the API processes configured with its URL and keys), for the <c>card</c> flow.</param>
public sealed class LoadScenarios(IReadOnlyList<HttpClient> targets, HttpClient? setup = null, FakeStripe? stripe = null)
{
    private readonly HttpClient _setup = setup ?? targets[0];

    /// <summary><c>single</c>: one request places the order with its offline payment received (confirmed and routed at once).
    /// <c>separate</c>: place, add a bank-transfer payment, mark it received (three requests).
    /// <c>card</c>: place, create the card payment (a PaymentIntent at Stripe), and Stripe's signed
    /// <c>payment_intent.amount_capturable_updated</c> webhook, which confirms, routes and reserves (three requests).</summary>
    public static readonly string[] Flows = ["single", "separate", "card"];

    private int _customer;

    private HttpClient Target(int user) => targets[user % targets.Count];

    /// <summary>Nodes and SKUs with stock at every node, named uniquely for this run.</summary>
    public async Task<IReadOnlyList<string>> SeedAsync(int skuCount, int nodeCount, int stockPerNode) =>
        (await SeedNetworkAsync(skuCount, nodeCount, stockPerNode)).Skus;

    public async Task<(IReadOnlyList<string> Skus, IReadOnlyList<string> Nodes)> SeedNetworkAsync(int skuCount, int nodeCount, int stockPerNode)
    {
        var client = _setup;
        var run = Guid.NewGuid().ToString("N")[..6];
        var nodes = new List<string>();
        for (var i = 0; i < nodeCount; i++)
        {
            var code = $"LOAD-{run}-{i}";
            (await client.PostAsJsonAsync("/api/v1/fulfilment-nodes", new
            {
                code, kind = "warehouse", name = code, timeZone = "Europe/Berlin",
                address = new { name = code, line1 = "Depot", city = "City", country = "DE", latitude = 48 + i * 0.5, longitude = 9 + i * 0.5 },
                shippingCost = new { @base = 300, perKg = 50, per100Km = 20, currency = "EUR" },
            })).EnsureSuccessStatusCode();
            nodes.Add(code);
        }
        var skus = Enumerable.Range(0, skuCount).Select(i => $"L-{run}-{i:D4}").ToList();
        await Parallel.ForEachAsync(skus, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (sku, ct) =>
        {
            var i = skus.IndexOf(sku);
            (await client.PostAsJsonAsync("/api/v1/products", new { sku, name = sku, price = new { amount = 1000 + i, currency = "EUR" }, weightGrams = 500 }, ct)).EnsureSuccessStatusCode();
            foreach (var node in stockPerNode > 0 ? nodes : [])
                (await client.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "received", delta = stockPerNode }, ct)).EnsureSuccessStatusCode();
        });
        return (skus, nodes);
    }

    /// <summary>Runs closed-loop users until <paramref name="until"/> (Stopwatch timestamp) or <paramref name="limit"/> completed units.</summary>
    public static async Task<int> LoopAsync(int users, long until, int limit, Func<int, Random, Task<bool>> unit)
    {
        var done = 0;
        await Task.WhenAll(Enumerable.Range(0, users).Select(async u =>
        {
            var random = new Random(u * 7919 + Environment.TickCount);
            while (Stopwatch.GetTimestamp() < until && Volatile.Read(ref done) < limit)
                if (await unit(u, random)) Interlocked.Increment(ref done);
        }));
        return done;
    }

    private static async Task<(bool Ok, int Sql, JsonElement Body)> SendAsync(Metrics m, string kind, Func<Task<HttpResponseMessage>> send, bool read)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await send();
            var body = read && response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : default;
            if (!read) await response.Content.LoadIntoBufferAsync();
            m.Latency(kind, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!response.IsSuccessStatusCode) m.Error($"{kind} {(int)response.StatusCode}");
            return (response.IsSuccessStatusCode, response.Headers.TryGetValues("Oms-Sql-Commands", out var v) ? int.Parse(v.First()) : 0, body);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            m.Error($"{kind} {e.GetType().Name}");
            return (false, 0, default);
        }
    }

    /// <summary>One checkout: an order of 1-3 lines for a new guest with a shipping address, paid offline so it confirms and routes.</summary>
    public async Task<bool> CheckoutAsync(Metrics m, int user, Random random, IReadOnlyList<string> skus, string flow)
    {
        var client = Target(user);
        var started = Stopwatch.GetTimestamp();
        var n = Interlocked.Increment(ref _customer);
        var lines = Enumerable.Range(0, random.Next(1, 4)).Select(_ => skus[random.Next(skus.Count)]).Distinct()
            .Select(sku => new { sku, quantity = random.Next(1, 3) }).ToArray();
        var order = new Dictionary<string, object>
        {
            ["channel"] = "web", ["currency"] = "EUR",
            ["customer"] = new { email = $"guest{n}.{Environment.ProcessId}@example.com", name = "Guest" },
            ["shippingAddress"] = new { name = "Guest", line1 = "Street 1", city = "Berlin", postalCode = "10115", country = "DE" },
            ["lines"] = lines,
        };
        if (flow == "single")
        {
            order["payment"] = new { method = "bank_transfer", reference = $"checkout-{n}" };
            var placed = await SendAsync(m, "place order with payment", () => client.PostAsync("/api/v1/orders", Json(order)), read: true);
            if (!placed.Ok) return false;
            if (placed.Body.GetProperty("status").GetString() != "allocated") m.Error("order not allocated");
            m.Sql(placed.Sql);
        }
        else if (flow == "card")
        {
            var fake = stripe ?? throw new InvalidOperationException("The card flow needs a fake Stripe.");
            var placed = await SendAsync(m, "place order", () => client.PostAsync("/api/v1/orders", Json(order)), read: true);
            if (!placed.Ok) return false;
            var id = placed.Body.GetProperty("id").GetString();
            var pay = await SendAsync(m, "create card payment (PaymentIntent)", () => client.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "card" }), read: true);
            if (!pay.Ok) return false;
            var intent = pay.Body.GetProperty("providerReference").GetString()!;
            var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", fake.Authorize(intent));
            var authorised = await SendAsync(m, "Stripe webhook: authorised (confirms)", () => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/stripe/webhook")
            {
                Content = new StringContent(json, Encoding.UTF8, "application/json"), Headers = { { "Stripe-Signature", FakeStripe.Sign(json) } },
            }), read: false);
            if (!authorised.Ok) return false;
            m.Sql(placed.Sql + pay.Sql + authorised.Sql);
        }
        else
        {
            var placed = await SendAsync(m, "place order", () => client.PostAsync("/api/v1/orders", Json(order)), read: true);
            if (!placed.Ok) return false;
            var id = placed.Body.GetProperty("id").GetString();
            var pay = await SendAsync(m, "create payment", () => client.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer" }), read: true);
            if (!pay.Ok) return false;
            // If-Match with the payment's version: the call requires it (or an Idempotency-Key), so a retry cannot count the money twice.
            var received = await SendAsync(m, "mark received (confirms)", () => client.SendAsync(new HttpRequestMessage(HttpMethod.Post,
                $"/api/v1/orders/{id}/payments/{pay.Body.GetProperty("id").GetString()}/mark-received")
            {
                Content = JsonContent.Create(new { amount = pay.Body.GetProperty("amount").GetProperty("amount").GetInt64() }),
                Headers = { IfMatch = { new System.Net.Http.Headers.EntityTagHeaderValue($"\"{pay.Body.GetProperty("version").GetInt32()}\"") } },
            }), read: false);
            if (!received.Ok) return false;
            m.Sql(placed.Sql + pay.Sql + received.Sql);
        }
        var whole = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        m.Latency("whole checkout", whole);
        // With several API processes, each one's count and latency too: the kernel shares the cores out by thread,
        // not by process, so two processes on the same cores need not serve their users alike.
        if (targets.Count > 1) m.Latency($"whole checkout, API process {user % targets.Count + 1}", whole);
        return true;
    }

    /// <summary><paramref name="buyers"/> buyers race for one SKU with <paramref name="units"/> units over two nodes, spread over every target.</summary>
    public async Task<HotSkuResult> HotSkuAsync(int buyers = 64, int units = 10)
    {
        var (skus, nodes) = await SeedNetworkAsync(1, 2, stockPerNode: 0);
        var sku = skus[0];
        (await _setup.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = nodes[0], reason = "received", delta = units - units / 2 })).EnsureSuccessStatusCode();
        (await _setup.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = nodes[1], reason = "received", delta = units / 2 })).EnsureSuccessStatusCode();
        using var gate = new ManualResetEventSlim();
        var results = await Task.WhenAll(Enumerable.Range(0, buyers).Select(async i =>
        {
            await Task.Yield();
            var response = await Target(i).PostAsync("/api/v1/orders", Json(new
            {
                channel = "web", currency = "EUR", customer = new { email = $"buyer{i}.{sku}@example.com" },
                shippingAddress = new { name = "Buyer", line1 = "Street 1", city = "Berlin", country = "DE" },
                lines = new[] { new { sku, quantity = 1 } },
                payment = new { method = "bank_transfer" },
            }));
            return response.StatusCode;
        }));
        var stock = await _setup.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        return new HotSkuResult(buyers, units, results.Count(r => r == HttpStatusCode.Created), results.Count(r => r == HttpStatusCode.Conflict),
            results.Count(r => r is not (HttpStatusCode.Created or HttpStatusCode.Conflict)),
            stock.GetProperty("reserved").GetInt32(), stock.GetProperty("available").GetInt32(), targets.Count);
    }

    /// <summary>The read mix: an order by id, by number, a filtered list, and a GraphQL page of 50 orders with lines.</summary>
    /// <summary>The reads a read mix is made of, by the name <c>--read</c> takes; <c>mix</c> is all four, one after the other.</summary>
    public static readonly string[] Reads = ["mix", "by-id", "by-number", "list", "graphql"];

    public async Task<bool> ReadAsync(Metrics m, int user, Random random, IReadOnlyList<(string Id, string Number)> orders, string read = "mix")
    {
        var client = Target(user);
        var (id, number) = orders[random.Next(orders.Count)];
        var started = Stopwatch.GetTimestamp();
        var results = new List<(bool Ok, int Sql, JsonElement Body)>(4);
        if (read is "mix" or "by-id")
            results.Add(await SendAsync(m, "GET order by id", () => client.GetAsync($"/api/v1/orders/{id}"), read: false));
        if (read is "mix" or "by-number")
            results.Add(await SendAsync(m, "GET order by number", () => client.GetAsync($"/api/v1/orders/by-number/{number}"), read: false));
        if (read is "mix" or "list")
            results.Add(await SendAsync(m, "GET orders?status=allocated&limit=50", () => client.GetAsync("/api/v1/orders?status=allocated&limit=50"), read: false));
        if (read is "mix" or "graphql")
            results.Add(await SendAsync(m, "GraphQL 50 orders with lines", () => client.PostAsync("/graphql", Json(new
            {
                query = "{ orders(first: 50) { nodes { id number status total { amount currency } lines { sku quantity unitPrice { amount } } } } }",
            })), read: false));
        m.Latency(read == "mix" ? "whole read mix" : "whole read", Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        m.Sql(results.Sum(r => r.Sql));
        return results.All(r => r.Ok);
    }

    public async Task<IReadOnlyList<(string Id, string Number)>> RecentOrdersAsync(int count)
    {
        var list = new List<(string, string)>();
        string? cursor = null;
        while (list.Count < count)
        {
            var page = await targets[0].GetFromJsonAsync<JsonElement>($"/api/v1/orders?limit=250{(cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor))}");
            list.AddRange(page.GetProperty("data").EnumerateArray().Select(o => (o.GetProperty("id").GetString()!, o.GetProperty("number").GetString()!)));
            if (!page.GetProperty("hasMore").GetBoolean()) break;
            cursor = page.GetProperty("next").GetString();
        }
        return list;
    }

    private static StringContent Json(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
}

public sealed record HotSkuResult(int Buyers, int Units, int Confirmed, int Refused, int Other, int Reserved, int Available, int Targets)
{
    public bool Exact => Confirmed == Units && Refused == Buyers - Units && Other == 0 && Reserved == Units && Available == 0;

    public override string ToString() =>
        $"hot-sku: {Buyers} buyers over {Targets} API process(es), {Units} units over 2 nodes → {Confirmed} confirmed, {Refused} refused, {Other} other; reserved {Reserved}, available {Available}: {(Exact ? "exact" : "WRONG")}";
}
