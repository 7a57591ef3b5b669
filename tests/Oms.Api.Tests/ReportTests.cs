using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>
/// Reports (issue 38): every figure is worked out here from the orders the test placed, paid, refunded, cancelled,
/// shipped and returned (their totals, lines and nodes as the API answered them), never through the report queries.
/// The test has a database of its own, so the reports hold its orders and nothing else.
/// </summary>
public sealed class ReportTests
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An order as the test knows it: what it was placed as and what happened to it since.</summary>
    private sealed class Placed
    {
        public required string Id { get; init; }
        public required string Number { get; init; }
        public required DateTimeOffset At { get; init; }
        public required string Currency { get; init; }
        public required string Channel { get; init; }
        public required string Country { get; init; }
        public string? Seller { get; set; }
        public required string CustomerId { get; init; }
        public required long Total { get; init; }
        public required List<(string Sku, int Quantity, long Value)> Lines { get; init; }
        public Dictionary<string, string> NodeOf { get; } = [];
        public long Refunded { get; set; }
        public bool Cancelled { get; set; }
        public Dictionary<string, int> Returned { get; } = [];
        public long Net => Cancelled ? 0 : Math.Max(0, Total - Refunded);
        public DateOnly Day => DateOnly.FromDateTime(At.UtcDateTime);
    }

    private sealed record Measures(long Orders, long Units, long Returned, long Cancelled, long Gross, long Net, decimal GrossExact = 0, decimal NetExact = 0);

    /// <summary>A line's share of its order's amount, in proportion to the lines' values, largest remainder first (as docs/reports.md defines it).</summary>
    private static long[] Shares(long amount, IReadOnlyList<long> weights)
    {
        var sum = weights.Sum();
        var shares = weights.Select(w => amount * w / sum).ToArray();
        var left = amount - shares.Sum();
        foreach (var i in Enumerable.Range(0, weights.Count).OrderByDescending(i => amount * weights[i] % sum).ThenBy(i => i).Take((int)left)) shares[i]++;
        return shares;
    }

    /// <summary>What each order adds to each key of a dimension (order-level keys take the whole order, line-level ones the lines in them).</summary>
    private static IEnumerable<(string Key, string Currency, Measures M)> Contributions(IEnumerable<Placed> orders, Func<Placed, string?>? orderKey,
        Func<Placed, (string Sku, int Quantity, long Value), string?>? lineKey, Func<Placed, (string Sku, int Quantity, long Value), bool>? lineFilter = null)
    {
        foreach (var o in orders)
        {
            var cancelled = o.Cancelled ? 1 : 0;
            if (lineKey is null && lineFilter is null)
            {
                if (orderKey!(o) is { } key)
                    yield return (key, o.Currency, new Measures(1, o.Lines.Sum(l => l.Quantity), o.Returned.Values.Sum(), cancelled, o.Total, o.Net));
                continue;
            }
            var gross = Shares(o.Total, o.Lines.Select(l => l.Value).ToList());
            var net = Shares(o.Net, o.Lines.Select(l => l.Value).ToList());
            var parts = o.Lines.Select((l, i) => (Line: l, Gross: gross[i], Net: net[i])).Where(p => lineFilter is null || lineFilter(o, p.Line)).ToList();
            foreach (var g in parts.GroupBy(p => lineKey is not null ? lineKey(o, p.Line) : orderKey!(o)).Where(g => g.Key is not null))
                yield return (g.Key!, o.Currency, new Measures(1, g.Sum(p => p.Line.Quantity), g.Sum(p => o.Returned.GetValueOrDefault(p.Line.Sku)), cancelled,
                    g.Sum(p => p.Gross), g.Sum(p => p.Net)));
        }
    }

    private static List<(string Currency, List<(string Key, Measures M)> Entries)> Ranked(IEnumerable<(string Key, string Currency, Measures M)> contributions,
        Func<Measures, long> by, int limit = 10) =>
        contributions.GroupBy(c => c.Currency).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, g.GroupBy(c => c.Key)
                .Select(k => (Key: k.Key, M: new Measures(k.Sum(c => c.M.Orders), k.Sum(c => c.M.Units), k.Sum(c => c.M.Returned), k.Sum(c => c.M.Cancelled),
                    k.Sum(c => c.M.Gross), k.Sum(c => c.M.Net))))
                .OrderByDescending(k => by(k.M)).ThenByDescending(k => k.M.Gross).ThenBy(k => k.Key, StringComparer.Ordinal).Take(limit).ToList()))
            .ToList();

    private static List<(string Currency, List<(string Key, Measures M)> Entries)> Answered(JsonElement list) =>
        list.GetProperty("rankings").EnumerateArray().Select(r => (r.GetProperty("currency").GetString()!, r.GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, new Measures(e.GetProperty("orders").GetInt64(), e.GetProperty("units").GetInt64(),
                e.GetProperty("returnedUnits").GetInt64(), e.GetProperty("cancelledOrders").GetInt64(), e.GetProperty("gross").GetProperty("amount").GetInt64(),
                e.GetProperty("net").GetProperty("amount").GetInt64()))).ToList())).ToList();

    private static void Same(List<(string Currency, List<(string Key, Measures M)> Entries)> expected, JsonElement answered, string what)
    {
        var got = Answered(answered);
        Assert.True(expected.Count == got.Count && expected.Zip(got).All(p => p.First.Currency == p.Second.Currency && p.First.Entries.SequenceEqual(p.Second.Entries)),
            $"{what}\nexpected: {Show(expected)}\nanswered: {Show(got)}");
    }

    private static string Show(List<(string Currency, List<(string Key, Measures M)> Entries)> r) =>
        string.Join(" | ", r.Select(c => c.Currency + ": " + string.Join("; ", c.Entries.Select(e => $"{e.Key} {e.M.Orders}o {e.M.Units}u {e.M.Returned}r {e.M.Cancelled}c {e.M.Gross}/{e.M.Net}"))));

    private sealed class Shop(ApiFactory app, FakeTimeProvider clock)
    {
        public Scenario S { get; } = new(app);
        public FakeTimeProvider Clock => clock;
        public ApiFactory App => app;
        public HttpClient Admin => S.Admin;
        public List<Placed> Orders { get; } = [];

        public async Task<string> ProductAsync(string name, long price, string currency, string? brand, string category, params (string Node, int Units)[] stock)
        {
            var sku = $"R-{name}-{S.Tag}".ToUpperInvariant();
            await OkAsync(await Admin.PostAsJsonAsync("/api/v1/products", new
            {
                sku, name = $"Report {name}", brand, category, price = new { amount = price, currency }, weightGrams = 400, active = true, backorderPolicy = "deny",
            }), HttpStatusCode.Created);
            foreach (var (node, units) in stock) await S.StockAsync(sku, node, units);
            return sku;
        }

        public async Task<Placed> PlaceAsync(DateTimeOffset at, string channel, string country, string currency, string? seller, string who, bool paid,
            params (string Sku, int Quantity)[] lines) => await PlaceAsync(at, channel, country, currency, seller, who, paid ? "bank_transfer" : null, null, lines);

        public async Task<Placed> PlaceAsync(DateTimeOffset at, string channel, string country, string currency, string? seller, string who, string? payment,
            Action<JsonObject>? extra, params (string Sku, int Quantity)[] lines)
        {
            clock.SetUtcNow(at);
            var body = new JsonObject
            {
                ["channel"] = channel,
                ["seller"] = seller,
                ["customer"] = new JsonObject { ["email"] = S.Email(who), ["name"] = who },
                ["shippingAddress"] = new JsonObject { ["name"] = who, ["line1"] = "Street 1", ["city"] = "City", ["postalCode"] = "10117", ["country"] = country },
                ["currency"] = currency,
                ["lines"] = new JsonArray(lines.Select(l => (JsonNode)new JsonObject { ["sku"] = l.Sku, ["quantity"] = l.Quantity }).ToArray()),
            };
            if (payment is not null) body["payment"] = new JsonObject { ["method"] = payment };
            extra?.Invoke(body);
            var order = await OkAsync(await Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.Created);
            var placed = new Placed
            {
                Id = order.GetProperty("id").GetString()!, Number = order.GetProperty("number").GetString()!, At = order.GetProperty("createdAt").GetDateTimeOffset(),
                Currency = currency, Channel = channel, Country = country, Seller = seller, CustomerId = order.GetProperty("customerId").GetString()!,
                Total = order.GetProperty("total").GetProperty("amount").GetInt64(),
                Lines = order.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("sku").GetString()!, l.GetProperty("quantity").GetInt32(),
                    l.GetProperty("total").GetProperty("amount").GetInt64())).ToList(),
            };
            foreach (var f in await S.FulfilmentOrdersAsync(placed.Id))
                foreach (var l in f.GetProperty("lines").EnumerateArray())
                    placed.NodeOf[l.GetProperty("sku").GetString()!] = f.GetProperty("nodeCode").GetString()!;
            Orders.Add(placed);
            return placed;
        }

        /// <summary>Waits until every change is counted (the report says none is pending).</summary>
        public Task CurrentAsync() => S.ReportsCurrentAsync();

        public async Task<JsonElement> GetAsync(string url) => await OkAsync(await Admin.GetAsync(url));
    }

    [Fact]
    public async Task Top_lists_and_KPIs_equal_what_the_orders_add_up_to_in_both_currencies_converted_filtered_and_as_CSV()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero)); // a Monday
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N")) { Clock = clock };
        var shop = new Shop(app, clock);
        var s = shop.S;
        var north = await s.NodeAsync("NORTH", 53.55, 9.99, "DE");
        var south = await s.NodeAsync("SOUTH", 48.14, 11.58, "DE");
        var shoe = await shop.ProductAsync("shoe", 2500, "EUR", "Acme", "Shoes", (north, 100));
        var bag = await shop.ProductAsync("bag", 4000, "EUR", "Bolt", "Bags", (south, 100));
        var tee = await shop.ProductAsync("tee", 1500, "GBP", "Acme", "Shirts", (north, 100));
        var day1 = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);

        // Monday: a split order (shoes from the north, the bag from the south), and a marketplace order refunded in part.
        var split = await shop.PlaceAsync(day1, "web", "DE", "EUR", "alice", "ann", true, (shoe, 2), (bag, 1));
        Assert.Equal((north, south), (split.NodeOf[shoe], split.NodeOf[bag]));
        var partlyRefunded = await shop.PlaceAsync(day1.AddHours(6), "marketplace", "NL", "EUR", "bob", "ben", true, (shoe, 1));
        var payment = (await shop.GetAsync($"/api/v1/orders/{partlyRefunded.Id}/payments"))[0].GetProperty("id").GetString();
        var refund = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{partlyRefunded.Id}/payments/{payment}/refund") { Content = Scenario.Content(new { amount = 500, reason = "scuffed box" }) };
        refund.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
        await OkAsync(await s.Admin.SendAsync(refund));
        partlyRefunded.Refunded = 500;
        // Tuesday: pounds, and a till order cancelled before it was paid.
        var pounds = await shop.PlaceAsync(day1.AddDays(1).AddHours(1), "web", "GB", "GBP", "alice", "cat", true, (tee, 3));
        var cancelled = await shop.PlaceAsync(day1.AddDays(1).AddHours(2), "pos", "DE", "EUR", null, "ann", false, (bag, 1));
        await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{cancelled.Id}/cancel", new { reason = "changed their mind" }));
        cancelled.Cancelled = true;
        // Wednesday: delivered, one shoe came back damaged and was refunded.
        var damaged = await shop.PlaceAsync(day1.AddDays(2).AddHours(-1), "web", "DE", "EUR", null, "dan", true, (shoe, 2));
        await s.DeliverAllAsync(damaged.Id, clock.GetUtcNow());
        var line = (await shop.GetAsync($"/api/v1/orders/{damaged.Id}")).GetProperty("lines")[0].GetProperty("id").GetString();
        var rma = await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{damaged.Id}/returns",
            new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "damaged" } } }), HttpStatusCode.Created);
        var rmaUrl = $"/api/v1/returns/{rma.GetProperty("id").GetString()}";
        await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/approve", new { }));
        await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/receive", new { nodeCode = north }));
        await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/inspect", new { lines = new[] { new { orderLineId = line, disposition = "write_off" } } }));
        damaged.Refunded = (await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/refund", new { restockingFee = 0 }))).GetProperty("refundAmount").GetProperty("amount").GetInt64();
        damaged.Returned[shoe] = 1;
        Assert.True(damaged.Refunded > 0);
        // April, by phone in pounds; and the split order's seller is put right after the fact (bookkeeping: allowed once shipped too).
        await shop.PlaceAsync(new DateTimeOffset(2026, 4, 11, 12, 0, 0, TimeSpan.Zero), "phone", "GB", "GBP", "carol", "cat", true, (tee, 1));
        await s.DeliverAllAsync(split.Id, clock.GetUtcNow());
        var edited = await OkAsync(await s.Admin.PatchAsJsonAsync($"/api/v1/orders/{split.Id}", new { seller = "dave" }));
        Assert.Equal("dave", edited.GetProperty("seller").GetString());
        split.Seller = "dave";
        await shop.CurrentAsync();

        var all = shop.Orders;
        const string period = "from=2026-03-01&to=2026-04-30"; // two whole months: read at month grain
        long Revenue(Measures m) => m.Gross;

        // KPIs per currency.
        var kpis = await shop.GetAsync($"/api/v1/reports/kpis?{period}");
        foreach (var currency in new[] { "EUR", "GBP" })
        {
            var mine = all.Where(o => o.Currency == currency).ToList();
            var f = kpis.GetProperty("figures").EnumerateArray().Single(x => x.GetProperty("currency").GetString() == currency);
            var kept = mine.Count(o => !o.Cancelled);
            Assert.Equal(mine.Count, f.GetProperty("orders").GetInt64());
            Assert.Equal(mine.Count(o => o.Cancelled), f.GetProperty("cancelledOrders").GetInt64());
            Assert.Equal(mine.Sum(o => o.Lines.Sum(l => l.Quantity)), f.GetProperty("units").GetInt64());
            Assert.Equal(mine.Sum(o => o.Returned.Values.Sum()), f.GetProperty("returnedUnits").GetInt64());
            Assert.Equal(mine.Sum(o => o.Total), f.GetProperty("gross").GetProperty("amount").GetInt64());
            Assert.Equal(mine.Sum(o => o.Net), f.GetProperty("net").GetProperty("amount").GetInt64());
            Assert.Equal(mine.Where(o => !o.Cancelled).Sum(o => Math.Min(o.Refunded, o.Total)), f.GetProperty("refunded").GetProperty("amount").GetInt64());
            Assert.Equal((long)Math.Round((decimal)mine.Sum(o => o.Net) / kept, MidpointRounding.AwayFromZero), f.GetProperty("averageOrderValue").GetProperty("amount").GetInt64());
            Assert.Equal(Math.Round((decimal)mine.Count(o => o.Cancelled) / mine.Count, 4, MidpointRounding.AwayFromZero), f.GetProperty("cancellationRate").GetDecimal());
        }
        Assert.Equal(2, kpis.GetProperty("figures").GetArrayLength());

        // Every top list, per currency.
        string? Sku(Placed o, (string Sku, int Quantity, long Value) l) => l.Sku;
        var brandOf = new Dictionary<string, string> { [shoe] = "Acme", [bag] = "Bolt", [tee] = "Acme" };
        var categoryOf = new Dictionary<string, string> { [shoe] = "Shoes", [bag] = "Bags", [tee] = "Shirts" };
        var lists = new (string Dimension, Func<Placed, string?>? OrderKey, Func<Placed, (string Sku, int Quantity, long Value), string?>? LineKey)[]
        {
            ("products", null, Sku),
            ("brands", null, (o, l) => brandOf[l.Sku]),
            ("categories", null, (o, l) => categoryOf[l.Sku]),
            ("nodes", null, (o, l) => o.NodeOf.GetValueOrDefault(l.Sku)),
            ("customers", o => o.CustomerId, null),
            ("orders", o => o.Id, null),
            ("countries", o => o.Country, null),
            ("channels", o => o.Channel, null),
            ("sellers", o => o.Seller, null),
            ("days", o => o.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), null),
            ("weekdays", o => (((int)o.At.UtcDateTime.DayOfWeek + 6) % 7 + 1).ToString(CultureInfo.InvariantCulture), null),
            ("hours", o => o.At.UtcDateTime.Hour.ToString("00", CultureInfo.InvariantCulture), null),
        };
        foreach (var (dimension, orderKey, lineKey) in lists)
        {
            Same(Ranked(Contributions(all, orderKey, lineKey), Revenue), await shop.GetAsync($"/api/v1/reports/top/{dimension}?{period}"), dimension);
            Same(Ranked(Contributions(all, orderKey, lineKey), m => m.Units, 2), await shop.GetAsync($"/api/v1/reports/top/{dimension}?{period}&rankBy=units&limit=2"), dimension + " by units");
        }
        Same(Ranked(Contributions(all, o => o.CustomerId, null), m => m.Net), await shop.GetAsync($"/api/v1/reports/top/customers?{period}&rankBy=net_revenue"), "customers by net");
        Same(Ranked(Contributions(all, o => o.Channel, null), m => m.Orders), await shop.GetAsync($"/api/v1/reports/top/channels?{period}&rankBy=orders"), "channels by orders");
        var products = await shop.GetAsync($"/api/v1/reports/top/products?{period}");
        Assert.Equal("Report shoe", products.GetProperty("rankings")[0].GetProperty("entries")[0].GetProperty("label").GetString());
        var orders = await shop.GetAsync($"/api/v1/reports/top/orders?{period}&limit=1");
        Assert.Equal(all.Where(o => o.Currency == "EUR").OrderByDescending(o => o.Total).First().Number, orders.GetProperty("rankings")[0].GetProperty("entries")[0].GetProperty("label").GetString());

        // Filters: an order's own (channel, country, currency) and a line's (node, brand, category), alone and together.
        var filters = new (string Query, Func<Placed, bool> Order, Func<Placed, (string Sku, int Quantity, long Value), bool>? Line)[]
        {
            ("channel=web", o => o.Channel == "web", null),
            ("country=GB", o => o.Country == "GB", null),
            ("currency=EUR", o => o.Currency == "EUR", null),
            ($"node={south}", _ => true, (o, l) => o.NodeOf.GetValueOrDefault(l.Sku) == south),
            ("brand=Acme", _ => true, (o, l) => brandOf[l.Sku] == "Acme"),
            ("category=Shoes&channel=web", o => o.Channel == "web", (o, l) => categoryOf[l.Sku] == "Shoes"),
            ($"customer={split.CustomerId}", o => o.CustomerId == split.CustomerId, null),
            ($"customer={pounds.CustomerId}&brand=Acme", o => o.CustomerId == pounds.CustomerId, (o, l) => brandOf[l.Sku] == "Acme"),
        };
        foreach (var (query, orderFilter, lineFilter) in filters)
            foreach (var (dimension, orderKey, lineKey) in lists.Where(l => l.Dimension is "products" or "customers" or "channels" or "nodes" or "weekdays" or "brands"))
            {
                var expected = Ranked(Contributions(all.Where(orderFilter), orderKey, lineKey, lineFilter), Revenue);
                Same(expected, await shop.GetAsync($"/api/v1/reports/top/{dimension}?{period}&{query}"), $"{dimension} where {query}");
            }
        // A customer's history: their orders, and their KPIs.
        var anns = all.Where(o => o.CustomerId == split.CustomerId).ToList();
        Same(Ranked(Contributions(anns, o => o.Id, null), Revenue), await shop.GetAsync($"/api/v1/reports/top/orders?{period}&customer={split.CustomerId}"), "a customer's orders");
        var annKpis = (await shop.GetAsync($"/api/v1/reports/kpis?{period}&customer={split.CustomerId}")).GetProperty("figures").EnumerateArray().Single();
        Assert.Equal((anns.Count, anns.Sum(o => o.Net)), (annKpis.GetProperty("orders").GetInt32(), annKpis.GetProperty("net").GetProperty("amount").GetInt64()));

        // Other periods: days around whole months, one day, and a period with no whole month.
        foreach (var (from, to) in new[] { ("2026-02-15", "2026-05-10"), ("2026-03-03", "2026-03-03"), ("2026-03-02", "2026-04-15"), ("2024-12-08", "2026-12-07") })
        {
            var inPeriod = all.Where(o => o.Day >= DateOnly.Parse(from, CultureInfo.InvariantCulture) && o.Day <= DateOnly.Parse(to, CultureInfo.InvariantCulture));
            Same(Ranked(Contributions(inPeriod, o => o.Seller, null), Revenue), await shop.GetAsync($"/api/v1/reports/top/sellers?from={from}&to={to}"), $"sellers {from}..{to}");
            Same(Ranked(Contributions(inPeriod, null, Sku), Revenue), await shop.GetAsync($"/api/v1/reports/top/products?from={from}&to={to}"), $"products {from}..{to}");
        }

        // Converted to euros: pounds at the rate of their day (a rate that changes mid-March, another from April), summed exactly, rounded once.
        await OkAsync(await s.Admin.PostAsJsonAsync("/api/v1/exchange-rates", new
        {
            rates = new[]
            {
                new { @base = "GBP", quote = "EUR", date = "2026-01-01", rate = 1.1512m },
                new { @base = "GBP", quote = "EUR", date = "2026-03-03", rate = 1.18347m },
                new { @base = "GBP", quote = "EUR", date = "2026-04-01", rate = 1.2m },
            },
        }));
        decimal Rate(Placed o) => o.Currency == "EUR" ? 1m : o.Day >= new DateOnly(2026, 4, 1) ? 1.2m : o.Day >= new DateOnly(2026, 3, 3) ? 1.18347m : 1.1512m;
        var converted = await shop.GetAsync($"/api/v1/reports/kpis?{period}&reportingCurrency=EUR");
        var figures = Assert.Single(converted.GetProperty("figures").EnumerateArray());
        Assert.Equal("EUR", converted.GetProperty("scope").GetProperty("reportingCurrency").GetString());
        Assert.Equal((long)Math.Round(all.Sum(o => o.Total * Rate(o)), MidpointRounding.AwayFromZero), figures.GetProperty("gross").GetProperty("amount").GetInt64());
        Assert.Equal((long)Math.Round(all.Sum(o => o.Net * Rate(o)), MidpointRounding.AwayFromZero), figures.GetProperty("net").GetProperty("amount").GetInt64());
        var byCountry = await shop.GetAsync($"/api/v1/reports/top/countries?{period}&reportingCurrency=EUR");
        var countries = byCountry.GetProperty("rankings")[0].GetProperty("entries").EnumerateArray()
            .Select(e => (e.GetProperty("key").GetString()!, e.GetProperty("gross").GetProperty("amount").GetInt64())).ToList();
        var expectedCountries = all.GroupBy(o => o.Country).Select(g => (g.Key, (long)Math.Round(g.Sum(o => o.Total * Rate(o)), MidpointRounding.AwayFromZero)))
            .OrderByDescending(x => x.Item2).ToList();
        Assert.Equal(expectedCountries, countries);
        // A filter on a line's node reads the lines, converted the same way.
        var southEur = await shop.GetAsync($"/api/v1/reports/top/customers?{period}&node={south}&reportingCurrency=EUR");
        Assert.Equal(Ranked(Contributions(all, o => o.CustomerId, null, (o, l) => o.NodeOf.GetValueOrDefault(l.Sku) == south), Revenue).Single().Entries.Select(e => e.Key),
            southEur.GetProperty("rankings")[0].GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("key").GetString()));
        // No rate into dollars: refused, naming the parameter.
        var noRate = await s.Admin.GetAsync($"/api/v1/reports/kpis?{period}&reportingCurrency=USD");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, noRate.StatusCode);
        var problem = await noRate.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("reports.missing_exchange_rate", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("reportingCurrency", out _));

        // CSV: the same list, amounts in major units.
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/reports/top/products?{period}&currency=EUR");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csv = await s.Admin.SendAsync(csvRequest);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType?.MediaType);
        var rows = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("currency,rank,key,label,orders,units,returned_units,cancelled_orders,gross,net,refunded", rows[0]);
        var top = Ranked(Contributions(all.Where(o => o.Currency == "EUR"), null, Sku), Revenue).Single().Entries;
        Assert.Equal(top.Count + 1, rows.Length);
        var first = rows[1].Split(',');
        Assert.Equal(("EUR", "1", top[0].Key, (top[0].M.Gross / 100m).ToString("F2", CultureInfo.InvariantCulture)), (first[0], first[1], first[2], first[8]));

        // GraphQL answers what REST does.
        var graph = await s.GraphQLDataAsync("""
            query { reports { top(dimension: PRODUCTS, from: "2026-03-01", to: "2026-04-30", rankBy: UNITS, limit: 2) {
              rankings { currency entries { key orders units returnedUnits cancelledOrders gross { amount } net { amount } } } }
              kpis(from: "2026-03-01", to: "2026-04-30", reportingCurrency: "EUR") { figures { currency gross { amount } } } } }
            """);
        Same(Ranked(Contributions(all, null, Sku), m => m.Units, 2), graph.GetProperty("reports").GetProperty("top"), "GraphQL products by units");
        Assert.Equal(figures.GetProperty("gross").GetProperty("amount").GetInt64(),
            graph.GetProperty("reports").GetProperty("kpis").GetProperty("figures")[0].GetProperty("gross").GetProperty("amount").GetInt64());

        // PostgreSQL reads the facts in one round trip of hand-written statements: the same facts as the plain path (EF).
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            var ids = all.Select(o => Guid.Parse(o.Id)).ToList();
            var plain = await Oms.Infrastructure.Reports.ReportRollups.ReadAsync(db, ids, plain: true, default);
            var fast = await Oms.Infrastructure.Reports.ReportRollups.ReadAsync(db, ids, plain: false, default);
            Assert.Equal(all.Count, plain.After.Count);
            Assert.Equal(all.Count, plain.Before.Count); // everything was folded
            foreach (var id in ids)
            {
                Assert.True(plain.After[id].Same(fast.After[id]), $"now: {plain.After[id]} / {fast.After[id]}");
                Assert.True(plain.Before[id].Same(fast.Before[id]), $"stored: {plain.Before[id]} / {fast.Before[id]}");
                Assert.True(plain.Before[id].Same(plain.After[id]), $"folded: {plain.Before[id]} / {plain.After[id]}");
            }
        }

        // Folding every order again changes nothing (each order's old facts come out as its new ones go in).
        var before = (await shop.GetAsync($"/api/v1/reports/top/nodes?{period}")).GetProperty("rankings").GetRawText();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
            await Oms.Infrastructure.Reports.ReportRequests.QueueAsync(db, all.Select(o => Guid.Parse(o.Id)).ToList(), clock.GetUtcNow(), default);
        }
        await shop.CurrentAsync();
        Assert.Equal(before, (await shop.GetAsync($"/api/v1/reports/top/nodes?{period}")).GetProperty("rankings").GetRawText());
        Same(Ranked(Contributions(all, null, Sku), Revenue), await shop.GetAsync($"/api/v1/reports/top/products?{period}"), "products after a replay");
    }

    [Fact]
    public async Task Projections_follow_a_weekly_pattern_and_set_it_against_stock_reservations_and_purchase_orders()
    {
        var start = new DateTimeOffset(2026, 5, 4, 10, 0, 0, TimeSpan.Zero); // a Monday
        var clock = new FakeTimeProvider(start);
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"),
            ("Reports:ReorderPointInterval", "00:00:00.200")) { Clock = clock };
        var shop = new Shop(app, clock);
        var s = shop.S;
        var north = await s.NodeAsync("NORTH", 53.55, 9.99, "DE");
        var gadget = await shop.ProductAsync("gadget", 1000, "EUR", "Acme", "Gadgets", (north, 300));
        var slow = await shop.ProductAsync("slow", 1000, "EUR", "Acme", "Gadgets", (north, 50));
        // Four weeks of a gadget's week: Monday 2 … Saturday 9, Sunday 1; the slow one sells on three days of the last week.
        int[] week = [2, 3, 4, 5, 6, 9, 1];
        for (var d = 0; d < 28; d++)
        {
            var placed = await shop.PlaceAsync(start.AddDays(d), "web", "DE", "EUR", null, "ann", true, (gadget, week[d % 7]));
            foreach (var f in await s.FulfilmentOrdersAsync(placed.Id)) await s.ShipFulfilmentAsync(f.GetProperty("id").GetString()!); // shipped the same day
            if (d is 21 or 23 or 25) await shop.PlaceAsync(start.AddDays(d).AddHours(1), "web", "DE", "EUR", null, "ben", true, (slow, 1));
        }
        var supplier = "SUP-" + s.Tag;
        await OkAsync(await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Acme", leadTimeDays = 5 }), HttpStatusCode.Created);
        await OkAsync(await s.Admin.PutAsJsonAsync($"/api/v1/inventory/{gadget}/nodes/{north}", new { safetyStock = 10, reorderPoint = 20, reorderQuantity = 40, supplierCode = supplier }));
        var po = await OkAsync(await s.Admin.PostAsJsonAsync("/api/v1/purchase-orders",
            new { supplierCode = supplier, nodeCode = north, lines = new[] { new { sku = gadget, quantity = 50 } } }), HttpStatusCode.Created);
        await OkAsync(await s.Admin.PostAsync($"/api/v1/purchase-orders/{po.GetProperty("id").GetString()}/submit", null));
        var poDay = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        clock.SetUtcNow(start.AddDays(28)); // the Monday after
        var today = new DateOnly(2026, 6, 1);
        await shop.CurrentAsync();

        var answer = await shop.GetAsync($"/api/v1/reports/projections?sku={gadget}");
        Assert.Equal(today, DateOnly.Parse(answer.GetProperty("firstDay").GetString()!, CultureInfo.InvariantCulture));
        var p = answer.GetProperty("projections").EnumerateArray().Single();
        Assert.Equal("holt_winters_weekly", p.GetProperty("method").GetString());
        var history = p.GetProperty("history").EnumerateArray().Select(h => (Day: DateOnly.Parse(h.GetProperty("date").GetString()!, CultureInfo.InvariantCulture), Units: h.GetProperty("units").GetDecimal())).ToList();
        Assert.Equal(Enumerable.Range(0, 28).Select(d => (new DateOnly(2026, 5, 4).AddDays(d), (decimal)week[d % 7])), history);
        var forecast = p.GetProperty("forecast").EnumerateArray().Select(f => (double)f.GetProperty("units").GetDecimal()).ToArray();
        Assert.Equal(90, forecast.Length);
        for (var i = 0; i < 28; i++) Assert.InRange(forecast[i], week[i % 7] - 0.5, week[i % 7] + 0.5); // today is a Monday
        Assert.InRange(p.GetProperty("next7Days").GetDecimal(), 30 - 1.5m, 30 + 1.5m);
        Assert.Equal(forecast.Take(30).Sum(), (double)p.GetProperty("next30Days").GetDecimal(), 0.2);

        // Stock: 300 less the 120 shipped on hand, nothing reserved, 50 on the submitted purchase order due after the lead time.
        var sold = Enumerable.Range(0, 28).Sum(d => week[d % 7]);
        Assert.Equal((300 - sold, 0, 50, 10, 20, 5), (p.GetProperty("onHand").GetInt32(), p.GetProperty("reserved").GetInt32(), p.GetProperty("onOrder").GetInt32(),
            p.GetProperty("safetyStock").GetInt32(), p.GetProperty("reorderPoint").GetInt32(), p.GetProperty("leadTimeDays").GetInt32()));
        double left = 300 - sold;
        var arrives = poDay.AddDays(5) < today ? today : poDay.AddDays(5);
        DateOnly? stockOut = null;
        for (var i = 0; i < 90 && stockOut is null; i++)
        {
            if (today.AddDays(i) == arrives) left += 50;
            left -= forecast[i];
            if (left < 0) stockOut = today.AddDays(i);
        }
        Assert.NotNull(stockOut);
        Assert.Equal(stockOut, DateOnly.Parse(p.GetProperty("stockOutDate").GetString()!, CultureInfo.InvariantCulture));
        Assert.Equal((int)Math.Ceiling(forecast.Take(5).Sum() - 1e-9) + 10, p.GetProperty("suggestedReorderPoint").GetInt32());
        Assert.Equal(Math.Max(0, (int)Math.Ceiling(forecast.Take(35).Sum() + 10 - (300 - sold + 50) - 1e-9)), p.GetProperty("suggestedReorderQuantity").GetInt32());
        Assert.Equal((300 - sold) / forecast.Average(), (double)p.GetProperty("daysOfCover").GetDecimal(), 0.2);

        // Without a SKU: the SKUs that sold most, first; a short history is averaged from the first sale on.
        var list = (await shop.GetAsync("/api/v1/reports/projections?limit=5")).GetProperty("projections").EnumerateArray().ToList();
        Assert.Equal([gadget, slow], list.Select(x => x.GetProperty("sku").GetString()));
        Assert.Equal("daily_average", list[1].GetProperty("method").GetString());
        Assert.Equal(7, list[1].GetProperty("history").GetArrayLength());
        Assert.Equal(Math.Round(3m / 7 * 7, 1), list[1].GetProperty("next7Days").GetDecimal());
        // At the node: what it shipped (everything, the day it was ordered), so the same projection; the node's stock.
        var atNode = (await shop.GetAsync($"/api/v1/reports/projections?sku={gadget}&node={north}")).GetProperty("projections")[0];
        Assert.Equal(north, atNode.GetProperty("node").GetString());
        Assert.Equal(p.GetProperty("next30Days").GetDecimal(), atNode.GetProperty("next30Days").GetDecimal());
        Assert.Equal(p.GetProperty("stockOutDate").GetString(), atNode.GetProperty("stockOutDate").GetString());
        // Opted in, the node's reorder point follows the projection: the expected sales over the 5-day lead time plus safety stock.
        var refused = await s.Admin.PutAsJsonAsync($"/api/v1/inventory/{gadget}/nodes/{north}", new { safetyStock = 10, reorderQuantity = 40, reorderPointFollowsProjection = true });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        Assert.Contains("supplierCode", await refused.Content.ReadAsStringAsync());
        var settings = await OkAsync(await s.Admin.PutAsJsonAsync($"/api/v1/inventory/{gadget}/nodes/{north}",
            new { safetyStock = 10, reorderQuantity = 40, supplierCode = supplier, reorderPointFollowsProjection = true }));
        Assert.True(settings.GetProperty("reorderPointFollowsProjection").GetBoolean());
        var expectedPoint = (int)Math.Ceiling(forecast.Take(5).Sum() - 1e-9) + 10;
        Assert.Equal(expectedPoint, atNode.GetProperty("suggestedReorderPoint").GetInt32());
        var followed = System.Diagnostics.Stopwatch.StartNew();
        while ((await s.StockAtAsync(gadget, north)).GetProperty("reorderPoint").GetInt32() != expectedPoint)
        {
            Assert.True(followed.Elapsed < TimeSpan.FromSeconds(30), $"the reorder point did not follow the projection ({expectedPoint}) in 30 s");
            await Task.Delay(100);
        }
        // GraphQL answers the same; CSV has a row per SKU.
        var graph = await s.GraphQLDataAsync("query($sku: String) { reports { projections(sku: $sku) { projections { sku next30Days stockOutDate suggestedReorderQuantity } } } }", new { sku = gadget });
        var g = graph.GetProperty("reports").GetProperty("projections").GetProperty("projections")[0];
        Assert.Equal(p.GetProperty("next30Days").GetDecimal(), g.GetProperty("next30Days").GetDecimal());
        Assert.Equal(p.GetProperty("stockOutDate").GetString(), g.GetProperty("stockOutDate").GetString());
        Assert.Equal(p.GetProperty("suggestedReorderQuantity").GetInt32(), g.GetProperty("suggestedReorderQuantity").GetInt32());
        var csv = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/projections?limit=5");
        csv.Headers.Accept.ParseAdd("text/csv");
        var rows = (await (await s.Admin.SendAsync(csv)).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("sku,label,node,method,next_7_days", rows[0]);
        Assert.StartsWith($"{gadget},", rows[1]);
    }

    [Fact]
    public async Task Operations_KPIs_equal_the_times_and_outcomes_of_the_orders_shipped_late_split_and_returned_damaged()
    {
        var monday = new DateTimeOffset(2026, 1, 12, 0, 0, 0, TimeSpan.Zero); // Berlin is UTC+1
        var clock = new FakeTimeProvider(monday);
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"),
            ("Reports:TransitDays:manual/standard", "2")) { Clock = clock };
        var shop = new Shop(app, clock);
        var s = shop.S;
        var north = await s.NodeAsync("NORTH", 53.55, 9.99, "DE");
        await OkAsync(await s.Admin.PatchAsJsonAsync($"/api/v1/fulfilment-nodes/{north}", new { sameDayCutoff = "14:00" }));
        var south = await s.NodeAsync("SOUTH", 48.14, 11.58, "DE"); // no cut-off: a day to ship
        var shoe = await shop.ProductAsync("shoe", 2500, "EUR", "Acme", "Shoes", (north, 100));
        var bag = await shop.ProductAsync("bag", 4000, "EUR", "Bolt", "Bags", (south, 100));
        var later = $"R-LATER-{s.Tag}".ToUpperInvariant(); // none in stock: orders wait on a backorder
        await OkAsync(await s.Admin.PostAsJsonAsync("/api/v1/products", new
        {
            sku = later, name = "Report later", brand = "Bolt", category = "Later", price = new { amount = 3000, currency = "EUR" }, weightGrams = 400, active = true,
            backorderPolicy = "backorder",
        }), HttpStatusCode.Created);
        DateTimeOffset At(int day, int hour) => monday.AddDays(day).AddHours(hour);
        async Task<Dictionary<string, string>> PartsAsync(Placed o) =>
            (await s.FulfilmentOrdersAsync(o.Id)).ToDictionary(f => f.GetProperty("nodeCode").GetString()!, f => f.GetProperty("id").GetString()!);
        async Task<string> ShipAsync(string part, DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            return (await s.ShipFulfilmentAsync(part)).GetProperty("id").GetString()!;
        }
        async Task DeliverAsync(string shipment, DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/shipments/{shipment}/tracking-events", new { status = "delivered", occurredAt = at }));
        }

        // In the order things happen (the clock only moves forward):
        // A: before the cut-off, out the same afternoon, delivered on the promised day (due Monday + 2 days in transit).
        // B: after the cut-off, split between the nodes; the south part leaves a day late, and delivery misses the channel's promise.
        // C: the channel's ship-by is noon; it leaves at one. Delivered in time, but one shoe came damaged.
        // D: cancelled before payment; E: paid otherwise, not shipped yet; F: two units on backorder since Tuesday 08:30.
        var a = await shop.PlaceAsync(At(0, 9), "web", "DE", "EUR", null, "ann", true, (shoe, 1));
        var c = await shop.PlaceAsync(At(0, 10), "marketplace", "DE", "EUR", null, "cy", "bank_transfer", o => o["shipBy"] = At(0, 12).ToString("O"), (shoe, 2));
        var d = await shop.PlaceAsync(At(0, 11), "pos", "DE", "EUR", null, "dee", false, (bag, 1));
        await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{d.Id}/cancel", new { reason = "changed their mind" }));
        var cShipment = await ShipAsync((await PartsAsync(c))[north], At(0, 13));
        var aShipment = await ShipAsync((await PartsAsync(a))[north], At(0, 15));
        var b = await shop.PlaceAsync(At(0, 16), "marketplace", "DE", "EUR", null, "ben", "bank_transfer", o => o["promisedDeliveryDate"] = "2026-01-15", (shoe, 1), (bag, 1));
        var e = await shop.PlaceAsync(At(1, 8), "web", "DE", "EUR", null, "eve", "other", null, (shoe, 1));
        var f = await shop.PlaceAsync(At(1, 8).AddMinutes(30), "web", "DE", "EUR", null, "fay", true, (later, 2));
        await DeliverAsync(cShipment, At(1, 9));
        var bParts = await PartsAsync(b);
        var bNorth = await ShipAsync(bParts[north], At(1, 10));
        clock.SetUtcNow(At(2, 9));
        var line = (await shop.GetAsync($"/api/v1/orders/{c.Id}")).GetProperty("lines")[0].GetProperty("id").GetString();
        var rma = await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{c.Id}/returns",
            new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "damaged" } } }), HttpStatusCode.Created);
        var rmaUrl = $"/api/v1/returns/{rma.GetProperty("id").GetString()}";
        await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/approve", new { }));
        await OkAsync(await s.Admin.PostAsJsonAsync(rmaUrl + "/receive", new { nodeCode = north }));
        await DeliverAsync(aShipment, At(2, 10));
        var bSouth = await ShipAsync(bParts[south], At(2, 12));
        await DeliverAsync(bNorth, At(3, 9));
        await DeliverAsync(bSouth, At(4, 11));
        await shop.CurrentAsync();

        var o = await shop.GetAsync("/api/v1/reports/operations?from=2026-01-12&to=2026-01-18");
        void Cycle(JsonElement x, int count, double median, double p90, string what)
        {
            Assert.True(count == x.GetProperty("count").GetInt32(), $"{what} count");
            Assert.True((decimal)median == x.GetProperty("medianHours").GetDecimal(), $"{what} median {x.GetProperty("medianHours")}");
            Assert.True((decimal)p90 == x.GetProperty("p90Hours").GetDecimal(), $"{what} p90 {x.GetProperty("p90Hours")}");
        }
        void Rate(JsonElement x, int count, int of, string what) =>
            Assert.True((count, of, of == 0 ? (decimal?)null : Math.Round((decimal)count / of, 4, MidpointRounding.AwayFromZero))
                        == (x.GetProperty("count").GetInt32(), x.GetProperty("of").GetInt32(), x.GetProperty("rate").ValueKind == JsonValueKind.Null ? null : x.GetProperty("rate").GetDecimal()),
                $"{what}: {x}");
        // Hours from placement: shipped in full A 6, B 44 (its last part), C 3; delivered A 49, B 91, C 23.
        Cycle(o.GetProperty("orderToShip"), 3, 6, 6 + 0.8 * 38, "order to ship");
        Cycle(o.GetProperty("orderToDelivery"), 3, 49, 49 + 0.8 * 42, "order to delivery");
        var nodes = o.GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("node").GetString()!);
        Cycle(nodes[north].GetProperty("orderToShip"), 3, 6, 6 + 0.8 * 12, "north");   // A 6, B 18, C 3
        Rate(nodes[north].GetProperty("onTimeShipping"), 2, 3, "north on time");       // C missed its ship-by
        Cycle(nodes[south].GetProperty("orderToShip"), 1, 44, 44, "south");
        Rate(nodes[south].GetProperty("onTimeShipping"), 0, 1, "south on time");       // due by Tuesday's end, left Wednesday
        var carrier = o.GetProperty("carriers").EnumerateArray().Single();
        Assert.Equal(("manual", "standard"), (carrier.GetProperty("carrier").GetString(), carrier.GetProperty("service").GetString()));
        Cycle(carrier.GetProperty("orderToShip"), 4, 12, 18 + 0.7 * 26, "carrier ship");            // 3, 6, 18, 44
        Cycle(carrier.GetProperty("orderToDelivery"), 4, 57, 65 + 0.7 * 26, "carrier delivery");     // 23, 49, 65, 91
        Rate(o.GetProperty("onTimeShipping"), 2, 4, "on-time shipping");
        Rate(o.GetProperty("onTimeDelivery"), 2, 3, "on-time delivery");   // B missed Thursday
        Rate(o.GetProperty("fillRate"), 4, 4, "fill rate");
        Rate(o.GetProperty("splitShipments"), 1, 3, "split shipments");
        Assert.Equal(0, o.GetProperty("shortPicks").GetProperty("count").GetInt32());
        var perfect = o.GetProperty("perfectOrders");
        Rate(perfect.GetProperty("rate"), 1, 3, "perfect orders");         // A; B late, C damaged
        Assert.Equal((1, 0, 1, 0), (perfect.GetProperty("late").GetInt32(), perfect.GetProperty("incomplete").GetInt32(), perfect.GetProperty("damaged").GetInt32(),
            perfect.GetProperty("wrongItem").GetInt32()));
        var bySku = o.GetProperty("returnsBySku").EnumerateArray().Single();
        Assert.Equal((shoe, 1, 5, 0.2m), (bySku.GetProperty("key").GetString(), bySku.GetProperty("returnedUnits").GetInt32(), bySku.GetProperty("orderedUnits").GetInt32(), bySku.GetProperty("rate").GetDecimal()));
        var byCategory = o.GetProperty("returnsByCategory").EnumerateArray().Single();
        Assert.Equal(("Shoes", 0.2m), (byCategory.GetProperty("key").GetString(), byCategory.GetProperty("rate").GetDecimal()));
        var byReason = o.GetProperty("returnsByReason").EnumerateArray().Single();
        Assert.Equal(("damaged", 1, 8, 0.125m), (byReason.GetProperty("key").GetString(), byReason.GetProperty("returnedUnits").GetInt32(), byReason.GetProperty("orderedUnits").GetInt32(), byReason.GetProperty("rate").GetDecimal()));
        var mix = o.GetProperty("paymentMix").EnumerateArray().Select(p => (p.GetProperty("method").GetString(), p.GetProperty("payments").GetInt32(),
            p.GetProperty("amount").GetProperty("amount").GetInt64(), p.GetProperty("share").GetDecimal())).ToList();
        Assert.Equal([("bank_transfer", 4, a.Total + b.Total + c.Total + f.Total, 0.8m), ("other", 1, e.Total, 0.2m)], mix);
        Rate(o.GetProperty("riskHolds").GetProperty("held"), 0, 6, "risk holds");
        // F's backorder, asked for at Friday 11:00 (when the last delivery came): 3 days and 2.5 hours old.
        var backorders = o.GetProperty("backorders");
        Assert.Equal((1, 2, 3.1m, 3.1m), (backorders.GetProperty("open").GetInt32(), backorders.GetProperty("units").GetInt32(),
            backorders.GetProperty("averageAgeDays").GetDecimal(), backorders.GetProperty("oldestAgeDays").GetDecimal()));

        // At one node: only what it shipped.
        var atSouth = await shop.GetAsync($"/api/v1/reports/operations?from=2026-01-12&to=2026-01-18&node={south}");
        Assert.Equal([south], atSouth.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("node").GetString()));
        Rate(atSouth.GetProperty("onTimeShipping"), 0, 1, "south alone");
        // The order shows the promises it was given.
        var bOrder = await shop.GetAsync($"/api/v1/orders/{b.Id}");
        Assert.Equal("2026-01-15", bOrder.GetProperty("promisedDeliveryDate").GetString());
        Assert.Equal(At(0, 12), (await shop.GetAsync($"/api/v1/orders/{c.Id}")).GetProperty("shipBy").GetDateTimeOffset());
        // GraphQL and CSV say the same.
        var graph = await s.GraphQLDataAsync("{ reports { operations(from: \"2026-01-12\", to: \"2026-01-18\") { onTimeDelivery { count of rate } perfectOrders { damaged } } } }");
        Assert.Equal(2, graph.GetProperty("reports").GetProperty("operations").GetProperty("onTimeDelivery").GetProperty("count").GetInt32());
        var csv = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/operations?from=2026-01-12&to=2026-01-18");
        csv.Headers.Accept.ParseAdd("text/csv");
        var rows = (await (await s.Admin.SendAsync(csv)).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("on_time_delivery,,2,3,0.6667,,,,", rows);
    }

    [Fact]
    public async Task Stock_report_values_stock_at_cost_and_counts_turnover_cover_stock_outs_and_slow_movers_from_the_ledger()
    {
        var before = new DateTimeOffset(2026, 2, 1, 12, 0, 0, TimeSpan.Zero);
        var day0 = new DateTimeOffset(2026, 2, 2, 0, 0, 0, TimeSpan.Zero);
        var clock = new FakeTimeProvider(before);
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N")) { Clock = clock };
        var shop = new Shop(app, clock);
        var s = shop.S;
        var node = await s.NodeAsync("STOCK", 52.52, 13.40, "DE");
        async Task<string> Product(string name, long price, long? cost, int stock)
        {
            var sku = $"ST-{name}-{s.Tag}".ToUpperInvariant();
            await OkAsync(await s.Admin.PostAsJsonAsync("/api/v1/products", new
            {
                sku, name = $"Stock {name}", price = new { amount = price, currency = "EUR" }, cost = cost is { } c ? new { amount = c, currency = "EUR" } : null,
                weightGrams = 100, active = true,
            }), HttpStatusCode.Created);
            await s.StockAsync(sku, node, stock);
            return sku;
        }
        var fast = await Product("fast", 1000, 600, 10);
        var idle = await Product("idle", 5000, 3000, 4);
        var scarce = await Product("scarce", 2000, null, 2);
        Assert.Equal(600, (await shop.GetAsync($"/api/v1/products/{fast}")).GetProperty("cost").GetProperty("amount").GetInt64());
        async Task ShipAllAsync(Placed order, DateTimeOffset at)
        {
            clock.SetUtcNow(at);
            foreach (var f in await s.FulfilmentOrdersAsync(order.Id)) await s.ShipFulfilmentAsync(f.GetProperty("id").GetString()!);
        }

        // Day 1 three of the fast one sell, shipped on day 2. Day 3 both scarce ones sell, shipped day 4 (none left on hand);
        // five more arrive on day 5: out of stock on days 4 and 5.
        var one = await shop.PlaceAsync(day0.AddDays(1).AddHours(9), "web", "DE", "EUR", null, "ann", true, (fast, 3));
        await ShipAllAsync(one, day0.AddDays(2).AddHours(9));
        var two = await shop.PlaceAsync(day0.AddDays(3).AddHours(9), "web", "DE", "EUR", null, "ben", true, (scarce, 2));
        await ShipAllAsync(two, day0.AddDays(4).AddHours(9));
        clock.SetUtcNow(day0.AddDays(5).AddHours(9));
        await s.StockAsync(scarce, node, 5);
        clock.SetUtcNow(day0.AddDays(10).AddHours(1));

        var report = await shop.GetAsync($"/api/v1/reports/stock?from=2026-02-02&to=2026-02-11&node={node}");
        var items = report.GetProperty("items").EnumerateArray().ToDictionary(i => i.GetProperty("sku").GetString()!);
        Assert.Equal([idle, fast, scarce], report.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("sku").GetString())); // by value
        // Fast: 7 left at 6.00, 3 shipped over an average of (10 + 7) / 2 on hand, 7 units last 7 / 0.3 a day.
        var f = items[fast];
        Assert.Equal((7, 4200L, 3, 0.35m, 23.3m, 0, false), (f.GetProperty("onHand").GetInt32(), f.GetProperty("value").GetProperty("amount").GetInt64(),
            f.GetProperty("unitsShipped").GetInt32(), f.GetProperty("turnover").GetDecimal(), f.GetProperty("daysOfCover").GetDecimal(), f.GetProperty("stockOutDays").GetInt32(),
            f.GetProperty("slowMover").GetBoolean()));
        // Idle: 4 at 30.00 and nothing shipped.
        var i = items[idle];
        Assert.Equal((12000L, 0, true, JsonValueKind.Null), (i.GetProperty("value").GetProperty("amount").GetInt64(), i.GetProperty("unitsShipped").GetInt32(),
            i.GetProperty("slowMover").GetBoolean(), i.GetProperty("daysOfCover").ValueKind));
        // Scarce: no cost; out on 2 of 10 days; 2 shipped on the 8 days in stock, so the 2 days likely cost 2 × 2/8 units at 20.00.
        var c = items[scarce];
        Assert.Equal((JsonValueKind.Null, 2, (long)Math.Round(2 * 2.0 / 8 * 2000, MidpointRounding.AwayFromZero)),
            (c.GetProperty("value").ValueKind, c.GetProperty("stockOutDays").GetInt32(), c.GetProperty("lostRevenue").GetProperty("amount").GetInt64()));
        var n = report.GetProperty("nodes").EnumerateArray().Single();
        Assert.Equal((3, 16, 16200L, 1, 1, 1, 0), (n.GetProperty("skus").GetInt32(), n.GetProperty("onHand").GetInt32(), n.GetProperty("value")[0].GetProperty("amount").GetInt64(),
            n.GetProperty("skusWithoutCost").GetInt32(), n.GetProperty("stockOuts").GetInt32(), n.GetProperty("slowMovers").GetInt32(), n.GetProperty("overstocked").GetInt32()));
        Assert.Equal(16200L, report.GetProperty("value")[0].GetProperty("amount").GetInt64());
        // A cost in another currency than the price is refused, naming the field.
        var wrong = await s.Admin.PatchAsJsonAsync($"/api/v1/products/{fast}", new { cost = new { amount = 500, currency = "GBP" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, wrong.StatusCode);
        Assert.Contains("cost.currency", await wrong.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Bad_report_requests_are_refused_naming_the_parameter()
    {
        var s = await Scenario.StartAsync();
        foreach (var (url, field) in new[]
                 {
                     ("/api/v1/reports/top/planets", "dimension"),
                     ("/api/v1/reports/top/products?rankBy=fame", "rankBy"),
                     ("/api/v1/reports/top/products?limit=0", "limit"),
                     ("/api/v1/reports/top/products?limit=101", "limit"),
                     ("/api/v1/reports/kpis?from=2026-03-02&to=2026-03-01", "from"),
                     ("/api/v1/reports/kpis?from=2010-01-01&to=2026-03-01", "from"),
                     ("/api/v1/reports/kpis?channel=carrier_pigeon", "channel"),
                     ("/api/v1/reports/kpis?country=Germany", "country"),
                     ("/api/v1/reports/kpis?currency=EURO", "currency"),
                     ("/api/v1/reports/kpis?reportingCurrency=XYZ", "reportingCurrency"),
                     ("/api/v1/reports/projections?limit=51", "limit"),
                     ("/api/v1/reports/kpis?customer=ann", "customer"),
                     ("/api/v1/reports/operations?channel=fax", "channel"),
                     ("/api/v1/reports/stock?limit=0", "limit"),
                     ("/api/v1/reports/stock?node=NO-SUCH-NODE-X", "node"),
                     ("/api/v1/reports/projections?sku=NO-SUCH-SKU-X", "sku"),
                     ("/api/v1/reports/projections?node=NO-SUCH-NODE-X", "node"),
                 })
        {
            var response = await s.Admin.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{url}: {(int)response.StatusCode}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{url}: {problem}");
        }
        var rates = await s.Admin.PostAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { @base = "GBP", quote = "GBP", date = "2026-01-01", rate = 1m } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, rates.StatusCode);
        var zero = await s.Admin.PostAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { @base = "GBP", quote = "EUR", date = "2026-01-01", rate = 0m } } });
        Assert.Equal(HttpStatusCode.BadRequest, zero.StatusCode);
        // A key without reports:read cannot read them.
        var orders = s.Admin; // admin may
        Assert.Equal(HttpStatusCode.OK, (await orders.GetAsync("/api/v1/reports/kpis")).StatusCode);
        var reader = TestApp.Client(await TestApp.GetAsync(), await (await TestApp.GetAsync()).KeyWithScopesAsync("orders only", "orders:read"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/reports/kpis")).StatusCode);
    }
}
