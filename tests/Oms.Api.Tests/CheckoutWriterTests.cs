using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence.FastPath;

namespace Oms.Api.Tests;

/// <summary>
/// The checkout's fast path (Database:CheckoutWriter=Fast) against EF's unit of work (Ef): the same placements, at the
/// same clock, on two new databases, must leave the same rows in every table.
/// </summary>
public sealed partial class CheckoutWriterTests
{
    private sealed class SteppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private sealed record App(ApiFactory Owner, Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactory<Program> Factory, HttpClient Http, SteppedClock Clock,
        string ConnectionString);

    private const string AdminKey = "oms_test_admin_checkout_writers_0123456789";

    private static async Task<App> StartAsync(string writer)
    {
        var pg = await TestApp.DatabaseAsync();
        var cs = await pg.CreateDatabaseAsync();
        var clock = new SteppedClock();
        var factory = new ApiFactory(cs, AdminKey, ("Database:CheckoutWriter", writer));
        var configured = factory.WithWebHostBuilder(b => b.ConfigureTestServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(clock);
            // Nothing works in the background: the dispatcher would take events off the outbox while the rows are compared.
            services.RemoveAll<IHostedService>();
        }));
        var client = configured.CreateClient();
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", AdminKey);
        return new App(factory, configured, client, clock, cs);
    }

    [Fact]
    public async Task The_fast_path_writes_every_row_exactly_as_EF_does()
    {
        var fast = await StartAsync("Fast");
        var ef = await StartAsync("Ef");
        try
        {
            foreach (var app in new[] { fast, ef }) await SetUpAsync(app);
            var placements = Placements();
            for (var i = 0; i < placements.Count; i++)
            {
                var answers = new List<string>();
                foreach (var app in new[] { fast, ef })
                {
                    app.Clock.Now = new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero).AddSeconds(i);
                    var response = await app.Http.PostAsync("/api/v1/orders", Scenario.Content(placements[i].Body.DeepClone()));
                    var text = await response.Content.ReadAsStringAsync();
                    Assert.True(response.StatusCode == HttpStatusCode.Created, $"{placements[i].Name}: {(int)response.StatusCode} {text}");
                    answers.Add(JsonDocument.Parse(text).RootElement.GetProperty("status").GetString()!);
                }
                Assert.True(answers[0] == placements[i].Status && answers[1] == placements[i].Status,
                    $"{placements[i].Name}: fast path {answers[0]}, EF {answers[1]}, expected {placements[i].Status}");
            }
            // Each app wrote with the writer it was given, and the fast path never handed a checkout to EF.
            using (var scope = fast.Factory.Services.CreateScope())
                Assert.IsType<FastCheckoutWriter>(scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.ICheckoutWriter>());
            using (var scope = ef.Factory.Services.CreateScope())
                Assert.IsType<Oms.Infrastructure.Persistence.EfCheckoutWriter>(scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.ICheckoutWriter>());
            Assert.Equal(0, fast.Factory.Services.GetRequiredService<FastPathFallbacks>().Count);

            var fastRows = await RowsAsync(fast.ConnectionString);
            var efRows = await RowsAsync(ef.ConnectionString);
            Assert.Equal(efRows.Keys.Order(), fastRows.Keys.Order());
            var differences = efRows.Keys.Where(t => !efRows[t].SequenceEqual(fastRows[t])).Select(t =>
                $"{t}:\n  only EF wrote:\n    {string.Join("\n    ", efRows[t].Except(fastRows[t]))}\n  only the fast path wrote:\n    {string.Join("\n    ", fastRows[t].Except(efRows[t]))}");
            Assert.True(!differences.Any(), string.Join("\n", differences));
            // The comparison saw the checkouts' rows (and would have seen a difference in them).
            Assert.Equal(placements.Count, efRows["orders"].Count);
            Assert.Equal(placements.Count - 2, efRows["customers"].Count);
            Assert.True(efRows["allocations"].Count >= 4 && efRows["backorders"].Count == 1 && efRows["outbox_messages"].Count > 20,
                string.Join(", ", efRows.Select(t => $"{t.Key} {t.Value.Count}")));
        }
        finally
        {
            await fast.Owner.DisposeAsync();
            await ef.Owner.DisposeAsync();
        }
    }

    /// <summary>Two warehouses and three products, stocked so the placements below split, backorder and cross a reorder point.</summary>
    private static async Task SetUpAsync(App app)
    {
        var http = app.Http;
        async Task Ok(HttpResponseMessage response) =>
            Assert.True(response.IsSuccessStatusCode, $"{response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        foreach (var (code, lat, lon, priority) in new[] { ("DIFF-BER", 52.52, 13.40, 1), ("DIFF-HAM", 53.55, 9.99, 0) })
            await Ok(await http.PostAsJsonAsync("/api/v1/fulfilment-nodes", new
            {
                code, kind = "warehouse", name = code, timeZone = "Europe/Berlin", priority,
                address = new { name = code, line1 = "Depot 1", city = code, country = "DE", latitude = lat, longitude = lon },
                shippingCost = new { @base = 300, perKg = 50, per100Km = 20, currency = "EUR" },
            }));
        foreach (var (sku, price, policy) in new[] { ("DIFF-A", 2500L, "deny"), ("DIFF-B", 1299L, "deny"), ("DIFF-C", 4000L, "backorder") })
            await Ok(await http.PostAsJsonAsync("/api/v1/products", new
            {
                sku, name = "Product " + sku, brand = "Acme", category = "Tests", price = new { amount = price, currency = "EUR" }, weightGrams = 400,
                active = true, backorderPolicy = policy,
            }));
        foreach (var (sku, node, quantity) in new[] { ("DIFF-A", "DIFF-BER", 50), ("DIFF-A", "DIFF-HAM", 7), ("DIFF-B", "DIFF-BER", 3), ("DIFF-B", "DIFF-HAM", 40), ("DIFF-C", "DIFF-HAM", 2) })
            await Ok(await http.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, delta = quantity, reason = "received" }));
        await Ok(await http.PostAsJsonAsync("/api/v1/suppliers", new { code = "DIFF-SUP", name = "Acme Supply", leadTimeDays = 3 }));
        await Ok(await http.PutAsJsonAsync("/api/v1/inventory/DIFF-A/nodes/DIFF-BER", new { reorderPoint = 30, reorderQuantity = 100, supplierCode = "DIFF-SUP" }));
    }

    private sealed record Placement(string Name, JsonObject Body, string Status);

    private static List<Placement> Placements()
    {
        JsonObject Order(string email, (string Sku, int Quantity)[] lines, bool paid, Action<JsonObject>? more = null)
        {
            var body = Scenario.NewOrderBody(lines[0].Sku, email, lines[0].Quantity);
            body["lines"] = new JsonArray(lines.Select(l => (JsonNode)new JsonObject { ["sku"] = l.Sku, ["quantity"] = l.Quantity }).ToArray());
            if (paid) body["payment"] = new JsonObject { ["method"] = "bank_transfer", ["reference"] = "BANK-" + email[..3] };
            more?.Invoke(body);
            return body;
        }
        return
        [
            new("one line, paid", Order("ada@example.com", [("DIFF-A", 2)], paid: true), "allocated"),
            new("two lines at two nodes, paid", Order("bob@example.com", [("DIFF-A", 1), ("DIFF-B", 5)], paid: true), "allocated"),
            new("not paid", Order("cyd@example.com", [("DIFF-B", 1)], paid: false), "pending"),
            new("everything an order carries", Order("dee@example.com", [("DIFF-B", 2), ("DIFF-A", 3)], paid: true, b =>
            {
                b["channel"] = "marketplace";
                b["channelOrderRef"] = "MP-1001";
                b["priority"] = "expedited";
                b["notes"] = "Leave at the door, \"please\"";
                b["metadata"] = new JsonObject { ["gift"] = "yes", ["campaign"] = "winter" };
                b["billingAddress"] = new JsonObject { ["name"] = "Dee", ["line1"] = "Rathausmarkt 1", ["city"] = "Hamburg", ["postalCode"] = "20095", ["country"] = "DE" };
                b["clientIp"] = "203.0.113.7";
            }), "allocated"),
            new("short of a backorderable SKU", Order("eve@example.com", [("DIFF-C", 5)], paid: true), "confirmed"),
            // Takes DIFF-A at DIFF-BER below its reorder point: the reservation sent with the write refuses, and the
            // order is placed again, reserving first (its signals go with it).
            new("crossing a reorder point", Order("fay@example.com", [("DIFF-A", 20)], paid: true), "allocated"),
            new("paid in part", Order("gus@example.com", [("DIFF-B", 1)], paid: false, b =>
                b["payment"] = new JsonObject { ["method"] = "other", ["amount"] = 100 }), "pending"),
            // Customers who ordered before: their figures count the order (a statement of the fast path's own), and a
            // new address joins the book.
            new("a returning customer at a new address", Order("Ada@Example.com", [("DIFF-B", 1)], paid: true, b =>
                b["shippingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "Jungfernstieg 7", ["city"] = "Hamburg", ["postalCode"] = "20354", ["country"] = "DE" }), "allocated"),
            new("a returning customer, nothing new", Order("bob@example.com", [("DIFF-A", 1)], paid: false), "pending"),
        ];
    }

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Uuid();

    [GeneratedRegex("\"aggregate_ids\":\\[([^\\]]*)\\]")]
    private static partial Regex IdSet();

    /// <summary>
    /// Every table's rows as JSON text, in an order that does not depend on ids, with each id replaced by the number of
    /// its first appearance (tables by name, rows in that order): equal row sets with equal references compare equal.
    /// </summary>
    private static async Task<Dictionary<string, List<string>>> RowsAsync(string connectionString)
    {
        await using var connection = new Npgsql.NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        // Each database makes its own key for links: not something a checkout writes.
        await using (var list = new Npgsql.NpgsqlCommand(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('__ef_migrations_history', 'signing_keys') ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        // The audit trail names the rows of the others (a stock row by sku@node): read last, when their ids have numbers.
        tables = [.. tables.Where(t => t != "audit_events"), .. tables.Where(t => t == "audit_events")];
        var ids = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var rows = new Dictionary<string, List<string>>();
        foreach (var table in tables)
        {
            var texts = new List<string>();
            // The audit trail names each request by its trace id, and its own ids are referenced by nothing: not compared.
            var sql = table == "audit_events" ? "SELECT (to_jsonb(t) - 'request_id' - 'id')::text FROM audit_events t" : $"SELECT row_to_json(t)::text FROM \"{table}\" t";
            await using (var select = new Npgsql.NpgsqlCommand(sql, connection))
            await using (var reader = await select.ExecuteReaderAsync())
                while (await reader.ReadAsync()) texts.Add(reader.GetString(0));
            rows[table] = texts.OrderBy(t => Uuid().Replace(t, "id"), StringComparer.Ordinal).ThenBy(t => t, StringComparer.Ordinal)
                .Select(t => Uuid().Replace(t, m => ids.TryGetValue(m.Value, out var n) ? n : ids[m.Value] = "id" + ids.Count))
                // A set of ids stored as an array sorted by their values (array_agg(DISTINCT …)): as a set.
                .Select(t => IdSet().Replace(t, m => "\"aggregate_ids\":[" + string.Join(",", m.Groups[1].Value.Split(',').Order(StringComparer.Ordinal)) + "]"))
                // Rows equal but for their ids came in either order: as a set.
                .Order(StringComparer.Ordinal)
                .ToList();
        }
        return rows;
    }
}
