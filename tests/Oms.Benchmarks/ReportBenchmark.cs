using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using Bogus;
using Npgsql;
using NpgsqlTypes;
using Oms.Benchmarks.Load;
using Oms.Domain.Reports;

namespace Oms.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Oms.Benchmarks -- reports [--orders 1000000] [--runs 15]
/// Fills a throwaway PostgreSQL with two years of orders as the reports keep them, then times every report over the
/// last 90 days and over the two years, through the API over HTTP (issue 38: under 100 ms at p95 for 90 days, under
/// 300 ms for two years, on 2 cores).
/// </summary>
/// <remarks>
/// The orders are made here (Bogus, seeded: a few SKUs and customers take most of the sales, weekdays and hours have
/// their seasons, sales grow over the two years) and turned into their facts and rollup rows by the API's own rules
/// (<see cref="ReportFacts"/>), then bulk-copied in. The order tables themselves stay empty: reports never read them,
/// and placing a million orders through the checkout would take the better part of an hour here. What folding costs
/// the checkout is measured by the checkout benchmark with the rollups kept (docs/checkout-benchmark.md).
/// </remarks>
public static class ReportBenchmark
{
    private const int Skus = 2_000, Customers = 200_000, Sellers = 40;
    private static readonly string[] Nodes = ["DE-BER-WH", "DE-FRA-WH", "NL-AMS-WH", "GB-LON-3PL", "DE-BER-STORE"];
    private static readonly (string Channel, int Weight)[] Channels = [("web", 55), ("marketplace", 20), ("mobile", 12), ("pos", 8), ("phone", 3), ("api", 2)];
    private static readonly (string Country, string Currency, int Weight)[] Countries =
        [("DE", "EUR", 38), ("NL", "EUR", 14), ("FR", "EUR", 12), ("GB", "GBP", 16), ("BE", "EUR", 7), ("AT", "EUR", 6), ("IT", "EUR", 4), ("ES", "EUR", 3)];
    private static readonly int[] HourWeights = [1, 1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 9, 9, 8, 8, 8, 9, 11, 12, 11, 8, 5, 2];
    private static readonly double[] WeekdayFactor = [1.25, 0.9, 0.95, 0.95, 1.0, 1.1, 1.0]; // Sunday first (DayOfWeek)

    public static async Task<int> RunAsync(string[] args)
    {
        var orders = Int(args, "--orders", 1_000_000);
        var runs = Int(args, "--runs", 15);
        Console.WriteLine($"reports: {orders:N0} orders over two years, {runs} timed runs of each report after 3 untimed");
        // --postgres: a database of one's own, kept after the run (filled once: a second run finds the orders there and
        // reuses them, for looking at the plans with EXPLAIN).
        await using var cluster = await ApiCluster.StartAsync(1, Text(args, "--postgres"), false, new Dictionary<string, string>());
        var cs = cluster.PostgresConnectionString!;
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var first = today.AddDays(-729);

        var load = Stopwatch.StartNew();
        long facts, lines, cells;
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM report_orders", connection);
            facts = (long)(await count.ExecuteScalarAsync())!;
        }
        if (facts > 0)
        {
            Console.WriteLine($"reusing the {facts:N0} orders in the given database");
            (lines, cells) = (0, 0);
        }
        else (facts, lines, cells) = await FillAsync(cs, orders, first, today, await CatalogAsync(cluster.Setup));
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM orders", connection);
            if ((long)(await count.ExecuteScalarAsync())! == 0)
            {
                Console.WriteLine("the operational rows behind them:");
                await OperationalFill.RunAsync(cs);
            }
        }
        await using (var connection = new NpgsqlConnection(cs))
        {
            await connection.OpenAsync();
            foreach (var table in new[] { "report_orders", "report_lines", "report_rollups" }.Concat(OperationalFill.Tables))
            {
                await using var analyze = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection) { CommandTimeout = 600 };
                await analyze.ExecuteNonQueryAsync();
            }
        }
        Console.WriteLine($"filled in {load.Elapsed.TotalSeconds:F0} s: {facts:N0} orders, {lines:N0} line parts, {cells:N0} rollup rows");
        // Monthly reporting rates for pounds into euros.
        var rates = Enumerable.Range(0, 26).Select(i => new { @base = "GBP", quote = "EUR", date = new DateOnly(first.Year, first.Month, 1).AddMonths(i), rate = 1.15m + i % 7 * 0.0137m }).ToArray();
        (await cluster.Setup.PostAsJsonAsync("/api/v1/exchange-rates", new { rates })).EnsureSuccessStatusCode();

        var periods = new[] { ("90 days", today.AddDays(-89), today), ("2 years", first, today) };
        var reports = new List<(string Name, string Query)>
        {
            ("KPIs", "kpis?"),
            ("KPIs in EUR", "kpis?reportingCurrency=EUR&"),
            ("KPIs, web only", "kpis?channel=web&"),
        };
        foreach (var d in new[] { "products", "customers", "orders", "countries", "brands", "categories", "sellers", "channels", "nodes", "days", "weekdays", "hours" })
            reports.Add(($"top {d}", $"top/{d}?"));
        reports.Add(("top products by units, limit 100", "top/products?rankBy=units&limit=100&"));
        reports.Add(("top customers in EUR", "top/customers?reportingCurrency=EUR&"));
        reports.Add(("top products, country GB", "top/products?country=GB&"));
        reports.Add(("top customers, channel marketplace", "top/customers?channel=marketplace&"));
        reports.Add(("top products, node NL-AMS-WH (lines)", "top/products?node=NL-AMS-WH&"));
        reports.Add(("top customers, brand Brand-01 (lines)", "top/customers?brand=Brand-01&"));
        reports.Add(("top products as CSV", "top/products?limit=100&csv&"));
        // The biggest customer (the fill's first) and an ordinary one.
        foreach (var (who, id) in new[] { ("the biggest customer", 1), ("a customer of a few orders", 5_000) })
        {
            var customer = $"customer={id:x8}-7000-8000-8000-000000000001&";
            reports.Add(($"KPIs, {who}", "kpis?" + customer));
            reports.Add(($"top products, {who}", "top/products?" + customer));
            reports.Add(($"operations, {who}", "operations?" + customer));
        }
        reports.Add(("operations", "operations?"));
        reports.Add(("operations, web only", "operations?channel=web&"));
        reports.Add(("operations, node NL-AMS-WH", "operations?node=NL-AMS-WH&"));
        reports.Add(("stock", "stock?"));
        reports.Add(("stock, node DE-BER-WH", "stock?node=DE-BER-WH&"));
        reports.Add(("projections (period-free: the next 90 days)", "projections?"));
        reports.Add(("projections, one SKU at one node", "projections?sku=SKU-00001&node=DE-BER-WH&"));

        Console.WriteLine();
        Console.WriteLine("| report | 90 days p50 / p95 ms | 2 years p50 / p95 ms |");
        Console.WriteLine("|---|---:|---:|");
        var worst = new Dictionary<string, double> { ["90 days"] = 0, ["2 years"] = 0 };
        foreach (var (name, query) in reports)
        {
            var cellsText = new List<string>();
            foreach (var (label, from, to) in periods)
            {
                var url = $"/api/v1/reports/{query.Replace("csv&", "")}from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}";
                var times = new List<double>();
                var (untimed, timed) = (3, runs);
                for (var i = 0; i < untimed + timed; i++)
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, url);
                    if (query.Contains("csv&")) request.Headers.Accept.ParseAdd("text/csv");
                    var watch = Stopwatch.StartNew();
                    using var response = await cluster.Setup.SendAsync(request);
                    var body = await response.Content.ReadAsStringAsync();
                    watch.Stop();
                    if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"{url}: {(int)response.StatusCode} {body}");
                    // A report that takes seconds is far over budget whatever its spread: one untimed run and three timed.
                    if (i == 0 && watch.Elapsed.TotalSeconds > 2) (untimed, timed) = (1, 3);
                    if (i >= untimed) times.Add(watch.Elapsed.TotalMilliseconds);
                }
                times.Sort();
                var p95 = times[(int)Math.Ceiling(0.95 * times.Count) - 1];
                worst[label] = Math.Max(worst[label], p95);
                cellsText.Add($"{times[times.Count / 2]:F1} / {p95:F1}");
            }
            Console.WriteLine($"| {name} | {cellsText[0]} | {cellsText[1]} |");
        }
        Console.WriteLine();
        Console.WriteLine($"worst p95: {worst["90 days"]:F1} ms over 90 days (budget 100), {worst["2 years"]:F1} ms over two years (budget 300)");
        return worst["90 days"] < 100 && worst["2 years"] < 300 ? 0 : 1;
    }

    private sealed record Product(string Sku, string Brand, string Category, long Price, int Weight);

    /// <summary>The catalogue (a product's brand and category are what the facts name) and the nodes, through the API, so labels resolve.</summary>
    private static async Task<Product[]> CatalogAsync(HttpClient admin)
    {
        var faker = new Faker { Random = new Randomizer(38) };
        var products = Enumerable.Range(1, Skus).Select(i => new Product($"SKU-{i:00000}", $"Brand-{faker.Random.Int(1, 60):00}", $"Category-{faker.Random.Int(1, 25):00}",
            faker.Random.Int(5, 250) * 100 - 1, 1)).ToArray();
        await Parallel.ForEachAsync(products, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (p, ct) =>
            (await admin.PostAsJsonAsync("/api/v1/products", new
            {
                sku = p.Sku, name = "Product " + p.Sku, brand = p.Brand, category = p.Category, price = new { amount = p.Price, currency = "EUR" }, weightGrams = 500, active = true,
            }, ct)).Created());
        foreach (var code in Nodes)
            (await admin.PostAsJsonAsync("/api/v1/fulfilment-nodes", new
            {
                code, kind = code.EndsWith("STORE", StringComparison.Ordinal) ? "store" : "warehouse", name = code, timeZone = "Europe/Berlin", priority = 0,
                address = new { name = code, line1 = "Depot 1", city = "City", country = code[..2], latitude = 52.5, longitude = 13.4 },
                shippingCost = new { @base = 300, perKg = 50, per100Km = 20, currency = "EUR" },
            })).Created();
        return products;
    }

    /// <summary>
    /// Makes the orders day by day and copies their facts in, and each month's rollup rows when the month is done
    /// (the rules of <see cref="ReportFacts"/>: the same rows the API's fold would write).
    /// </summary>
    private static async Task<(long Orders, long Lines, long Cells)> FillAsync(string cs, int count, DateOnly first, DateOnly last, Product[] products)
    {
        var faker = new Faker { Random = new Randomizer(20261207) };
        var random = faker.Random;
        var days = last.DayNumber - first.DayNumber + 1;
        // Orders per day: growing by half over the two years, with the weekly season.
        var weights = Enumerable.Range(0, days).Select(i => (1 + 0.5 * i / days) * WeekdayFactor[(int)first.AddDays(i).DayOfWeek]).ToArray();
        var perDay = weights.Select(w => (int)Math.Round(count * w / weights.Sum())).ToArray();
        perDay[^1] += count - perDay.Sum();
        var customerIds = Enumerable.Range(0, Customers).Select(i => new Guid(i + 1, 0x7000, unchecked((short)0x8000), [0x80, 0, 0, 0, 0, 0, 0, 1])).ToArray();
        var customerCountry = Enumerable.Range(0, Customers).Select(_ => Pick(random, Countries, c => c.Weight)).ToArray();

        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        long orders = 0, lineCount = 0, cellCount = 0, number = 100_000;
        var month = new Dictionary<RollupCell, RollupMeasures>();
        var currentMonth = new DateOnly(first.Year, first.Month, 1);
        await using var orderCopy = await connection.BeginBinaryImportAsync(
            "COPY report_orders (order_id, number, placed_at, day, currency, channel, country, seller, customer_id, gross, net, refunded, cancelled, units, returned_units) FROM STDIN (FORMAT BINARY)");
        var lineConnection = new NpgsqlConnection(cs);
        await lineConnection.OpenAsync();
        await using var lineCopy = await lineConnection.BeginBinaryImportAsync(
            "COPY report_lines (order_id, part, day, hour, currency, channel, country, seller, customer_id, cancelled, sku, brand, category, node, units, returned_units, gross, net, refunded) FROM STDIN (FORMAT BINARY)");
        var rollupConnection = new NpgsqlConnection(cs);
        await rollupConnection.OpenAsync();
        var bySku = products.ToDictionary(p => p.Sku);
        for (var d = 0; d < days; d++)
        {
            var day = first.AddDays(d);
            if (new DateOnly(day.Year, day.Month, 1) != currentMonth)
            {
                cellCount += await CopyCellsAsync(rollupConnection, month);
                month.Clear();
                currentMonth = new DateOnly(day.Year, day.Month, 1);
            }
            for (var n = 0; n < perDay[d]; n++)
            {
                var customer = Zipf(random, Customers, 0.9);
                var (country, currency, _) = customerCountry[customer];
                var channel = Pick(random, Channels, c => c.Weight).Channel;
                var at = new DateTimeOffset(day.ToDateTime(new TimeOnly(Pick(random, Enumerable.Range(0, 24).ToArray(), h => HourWeights[h]), random.Int(0, 59), random.Int(0, 59))), TimeSpan.Zero);
                var lineInputs = new List<LineInput>();
                foreach (var _ in Enumerable.Range(0, 1 + Zipf(random, 4, 1.5)))
                {
                    var product = products[Zipf(random, Skus, 1.05)];
                    var quantity = 1 + Zipf(random, 3, 2);
                    var price = currency == "GBP" ? product.Price * 86 / 100 : product.Price;
                    // Most lines ship from the warehouse of the customer's side; a few are split between two nodes.
                    var node = country == "GB" ? Nodes[3] : country == "NL" || country == "BE" ? Nodes[2] : Nodes[random.Int(0, 1)];
                    List<(string, int)> parts = quantity > 1 && random.Bool(0.05f) ? [(node, 1), (Nodes[4], quantity - 1)] : [(node, quantity)];
                    lineInputs.Add(new LineInput(Guid.NewGuid(), product.Sku, quantity, price * quantity, parts, random.Bool(0.05f) ? 1 : 0));
                }
                var subtotal = lineInputs.Sum(l => l.Value);
                var total = subtotal + 495 + (subtotal + 495) * 19 / 100;
                var cancelled = random.Bool(0.04f);
                var refunded = !cancelled && random.Bool(0.06f) ? total * random.Int(10, 100) / 100 : 0;
                var seller = random.Bool(0.7f) ? $"seller-{Zipf(random, Sellers, 1.0) + 1:00}" : null;
                var (fact, lineFacts) = ReportFacts.Of(Guid.CreateVersion7(at), ++number, at, currency, channel, country, seller, customerIds[customer], total, refunded, cancelled,
                    lineInputs, sku => (bySku[sku].Brand, bySku[sku].Category));
                await orderCopy.StartRowAsync();
                await orderCopy.WriteAsync(fact.OrderId, NpgsqlDbType.Uuid);
                await orderCopy.WriteAsync(fact.Number, NpgsqlDbType.Bigint);
                await orderCopy.WriteAsync(fact.PlacedAt, NpgsqlDbType.TimestampTz);
                await orderCopy.WriteAsync(fact.Day, NpgsqlDbType.Date);
                await orderCopy.WriteAsync(fact.Currency, NpgsqlDbType.Text);
                await orderCopy.WriteAsync(fact.Channel, NpgsqlDbType.Text);
                await orderCopy.WriteAsync(fact.Country, NpgsqlDbType.Text);
                if (fact.Seller is null) await orderCopy.WriteNullAsync(); else await orderCopy.WriteAsync(fact.Seller, NpgsqlDbType.Text);
                await orderCopy.WriteAsync(fact.CustomerId!.Value, NpgsqlDbType.Uuid);
                await orderCopy.WriteAsync(fact.Gross, NpgsqlDbType.Bigint);
                await orderCopy.WriteAsync(fact.Net, NpgsqlDbType.Bigint);
                await orderCopy.WriteAsync(fact.Cancelled ? 0 : Math.Min(fact.Refunded, fact.Gross), NpgsqlDbType.Bigint);
                await orderCopy.WriteAsync(fact.Cancelled, NpgsqlDbType.Boolean);
                await orderCopy.WriteAsync(fact.Units, NpgsqlDbType.Integer);
                await orderCopy.WriteAsync(fact.ReturnedUnits, NpgsqlDbType.Integer);
                for (var i = 0; i < lineFacts.Count; i++)
                {
                    var l = lineFacts[i];
                    await lineCopy.StartRowAsync();
                    await lineCopy.WriteAsync(fact.OrderId, NpgsqlDbType.Uuid);
                    await lineCopy.WriteAsync(i, NpgsqlDbType.Integer);
                    await lineCopy.WriteAsync(fact.Day, NpgsqlDbType.Date);
                    await lineCopy.WriteAsync(at.Hour, NpgsqlDbType.Integer);
                    await lineCopy.WriteAsync(fact.Currency, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(fact.Channel, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(fact.Country, NpgsqlDbType.Text);
                    if (fact.Seller is null) await lineCopy.WriteNullAsync(); else await lineCopy.WriteAsync(fact.Seller, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(fact.CustomerId!.Value, NpgsqlDbType.Uuid);
                    await lineCopy.WriteAsync(fact.Cancelled, NpgsqlDbType.Boolean);
                    await lineCopy.WriteAsync(l.Sku, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(l.Brand!, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(l.Category!, NpgsqlDbType.Text);
                    if (l.Node is null) await lineCopy.WriteNullAsync(); else await lineCopy.WriteAsync(l.Node, NpgsqlDbType.Text);
                    await lineCopy.WriteAsync(l.Units, NpgsqlDbType.Integer);
                    await lineCopy.WriteAsync(l.ReturnedUnits, NpgsqlDbType.Integer);
                    await lineCopy.WriteAsync(l.Gross, NpgsqlDbType.Bigint);
                    await lineCopy.WriteAsync(l.Net, NpgsqlDbType.Bigint);
                    await lineCopy.WriteAsync(l.Refunded, NpgsqlDbType.Bigint);
                    lineCount++;
                }
                foreach (var (cell, measures) in ReportFacts.Cells(fact, lineFacts)) month[cell] = month.GetValueOrDefault(cell) + measures;
                orders++;
            }
        }
        cellCount += await CopyCellsAsync(rollupConnection, month);
        await orderCopy.CompleteAsync();
        await lineCopy.CompleteAsync();
        await lineConnection.DisposeAsync();
        await rollupConnection.DisposeAsync();
        return (orders, lineCount, cellCount);
    }

    private static async Task<long> CopyCellsAsync(NpgsqlConnection connection, Dictionary<RollupCell, RollupMeasures> cells)
    {
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY report_rollups (dimension, grain, period, key, channel, country, currency, orders, units, returned_units, gross, net, refunded, cancelled) FROM STDIN (FORMAT BINARY)");
        foreach (var (c, m) in cells)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(c.Dimension, NpgsqlDbType.Text);
            await copy.WriteAsync((short)c.Grain, NpgsqlDbType.Smallint);
            await copy.WriteAsync(c.Period, NpgsqlDbType.Date);
            await copy.WriteAsync(c.Key, NpgsqlDbType.Text);
            await copy.WriteAsync(c.Channel, NpgsqlDbType.Text);
            await copy.WriteAsync(c.Country, NpgsqlDbType.Text);
            await copy.WriteAsync(c.Currency, NpgsqlDbType.Text);
            await copy.WriteAsync(m.Orders, NpgsqlDbType.Integer);
            await copy.WriteAsync(m.Units, NpgsqlDbType.Integer);
            await copy.WriteAsync(m.ReturnedUnits, NpgsqlDbType.Integer);
            await copy.WriteAsync(m.Gross, NpgsqlDbType.Bigint);
            await copy.WriteAsync(m.Net, NpgsqlDbType.Bigint);
            await copy.WriteAsync(m.Refunded, NpgsqlDbType.Bigint);
            await copy.WriteAsync(m.Cancelled, NpgsqlDbType.Integer);
        }
        await copy.CompleteAsync();
        return cells.Count;
    }

    /// <summary>0 … n−1, the first ones far likelier (rank-frequency ∝ 1/(rank+1)^s).</summary>
    private static int Zipf(Randomizer random, int n, double s)
    {
        var table = ZipfTables.GetOrAdd((n, s), k =>
        {
            var w = Enumerable.Range(1, k.Item1).Select(r => 1 / Math.Pow(r, k.Item2)).ToArray();
            var total = w.Sum();
            var cumulative = new double[w.Length];
            double run = 0;
            for (var i = 0; i < w.Length; i++) cumulative[i] = run += w[i] / total;
            return cumulative;
        });
        var x = random.Double();
        var index = Array.BinarySearch(table, x);
        return Math.Min(n - 1, index >= 0 ? index : ~index);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(int, double), double[]> ZipfTables = new();

    private static T Pick<T>(Randomizer random, IReadOnlyList<T> items, Func<T, int> weight)
    {
        var total = items.Sum(weight);
        var x = random.Int(0, total - 1);
        foreach (var item in items)
            if ((x -= weight(item)) < 0) return item;
        return items[^1];
    }

    /// <summary>Made, or there from an earlier run on the same database.</summary>
    private static void Created(this HttpResponseMessage response)
    {
        if (response.StatusCode != System.Net.HttpStatusCode.Conflict) response.EnsureSuccessStatusCode();
    }

    private static string? Text(string[] args, string name)
    {
        var i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static int Int(string[] args, string name, int fallback)
    {
        var i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var v) ? v : fallback;
    }
}
