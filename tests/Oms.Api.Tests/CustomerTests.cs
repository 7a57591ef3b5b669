using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>
/// Customers (issue 36): one per person, every order linked to theirs, figures that follow the orders. Every expected
/// figure here is added up in the test from the orders it placed (their totals as answered, what it cancelled,
/// refunded and returned), never read from the API's own sums.
/// </summary>
public sealed class CustomerTests
{
    private static async Task<JsonElement> OkAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    /// <summary>An order placed and paid on placement (bank transfer), so it is confirmed and routed at once.</summary>
    private static JsonObject Paid(JsonObject body)
    {
        body["payment"] = new JsonObject { ["method"] = "bank_transfer" };
        return body;
    }

    private sealed record Placed(string Id, string Currency, long Total, DateTimeOffset CreatedAt);

    private static Placed Of(JsonElement order) => new(order.GetProperty("id").GetString()!, order.GetProperty("currency").GetString()!,
        order.GetProperty("total").GetProperty("amount").GetInt64(), order.GetProperty("createdAt").GetDateTimeOffset());

    private const string FiguresSelection = "id email orderCount lifetimeValue { currency amount orders averageOrderValue } firstOrderAt lastOrderAt ordersReturned unitsReturned returnRate segment";

    [Fact]
    public async Task Figures_equal_what_the_orders_add_up_to_after_cancellations_returns_and_refunds_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var eur = await s.ProductAsync(price: 2500, stock: 20);
        var usd = await s.ProductAsync(price: 1999, currency: "USD", stock: 20);
        var email = s.Email("figures");

        var first = Of(await s.PlaceAsync(Paid(s.OrderBody(eur, 2, email))));
        var cancelled = Of(await s.PlaceAsync(s.OrderBody(eur, 1, email)));
        await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{cancelled.Id}/cancel", new { reason = "changed their mind" }));
        var dollars = s.OrderBody(usd, 1, email.ToUpperInvariant()); // the same person, whatever the case of the address
        dollars["currency"] = "USD";
        var inUsd = Of(await s.PlaceAsync(Paid(dollars)));
        var returned = Of(await s.PlaceAsync(Paid(s.OrderBody(eur, 3, email))));
        await s.DeliverAllAsync(returned.Id);
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{returned.Id}");
        var lineId = order.GetProperty("lines")[0].GetProperty("id").GetString();
        var rma = await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{returned.Id}/returns",
            new { lines = new[] { new { orderLineId = lineId, quantity = 1, reason = "size_or_fit" } } }), HttpStatusCode.Created);
        var url = $"/api/v1/returns/{rma.GetProperty("id").GetString()}";
        await OkAsync(await s.Admin.PostAsJsonAsync(url + "/approve", new { }));
        await OkAsync(await s.Admin.PostAsJsonAsync(url + "/receive", new { nodeCode = await s.WarehouseAsync() }));
        await OkAsync(await s.Admin.PostAsJsonAsync(url + "/inspect", new { lines = new[] { new { orderLineId = lineId, disposition = "restock" } } }));
        var refund = (await OkAsync(await s.Admin.PostAsJsonAsync(url + "/refund", new { restockingFee = 0 }))).GetProperty("refundAmount").GetProperty("amount").GetInt64();
        Assert.True(refund > 0);

        // Every order of the address belongs to one customer.
        var ids = new HashSet<string>();
        foreach (var o in new[] { first, cancelled, inUsd, returned })
            ids.Add((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{o.Id}")).GetProperty("customerId").GetString()!);
        var customerId = Assert.Single(ids);

        // Worked out here: three orders count (one was cancelled), EUR is two totals less the refund, USD one total.
        var eurValue = first.Total + returned.Total - refund;
        var expected = new
        {
            orderCount = 3,
            value = new[] { ("EUR", eurValue, 2, (long)Math.Round(eurValue / 2m, MidpointRounding.AwayFromZero)), ("USD", inUsd.Total, 1, inUsd.Total) },
            first = first.CreatedAt,
            last = returned.CreatedAt,
            ordersReturned = 1,
            unitsReturned = 1,
            returnRate = Math.Round(1m / 3, 4),
        };
        void Check(JsonElement c, string api)
        {
            Assert.True(expected.orderCount == c.GetProperty("orderCount").GetInt32(), $"{api}: {c}");
            var value = c.GetProperty("lifetimeValue").EnumerateArray()
                .Select(v => (v.GetProperty("currency").GetString()!, v.GetProperty("amount").GetInt64(), v.GetProperty("orders").GetInt32(), v.GetProperty("averageOrderValue").GetInt64()))
                .ToArray();
            Assert.Equal(expected.value, value);
            Assert.Equal(expected.first, c.GetProperty("firstOrderAt").GetDateTimeOffset());
            Assert.Equal(expected.last, c.GetProperty("lastOrderAt").GetDateTimeOffset());
            Assert.Equal(expected.ordersReturned, c.GetProperty("ordersReturned").GetInt32());
            Assert.Equal(expected.unitsReturned, c.GetProperty("unitsReturned").GetInt32());
            Assert.Equal(expected.returnRate, c.GetProperty("returnRate").GetDecimal());
            // More than one order, the last one today (GraphQL names the enumeration's values in capitals).
            Assert.Equal(api == "REST" ? "active" : "ACTIVE", c.GetProperty("segment").GetString());
            Assert.Equal(email, c.GetProperty("email").GetString());
        }
        var rest = await OkAsync(await s.Admin.GetAsync($"/api/v1/customers/{customerId}"));
        Check(rest, "REST");
        var graph = await s.GraphQLDataAsync($"query($id: ID!) {{ customer(id: $id) {{ {FiguresSelection} }} }}", new { id = customerId });
        Check(graph.GetProperty("customer"), "GraphQL");
        Assert.Equal(customerId, graph.GetProperty("customer").GetProperty("id").GetString());

        // The customer's orders, newest first, in both APIs.
        var orders = await OkAsync(await s.Admin.GetAsync($"/api/v1/customers/{customerId}/orders"));
        Assert.Equal(new[] { returned.Id, inUsd.Id, cancelled.Id, first.Id }, orders.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task An_order_names_its_customer_or_is_refused_for_one_that_does_not_exist()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var known = (await s.PlaceAsync(s.OrderBody(sku, email: s.Email("first")))).GetProperty("customerId").GetString();

        // Named by id, under another address: the order goes to that customer, and the address is the order's own.
        var body = s.OrderBody(sku, email: s.Email("second-address"));
        body["customerId"] = known;
        var named = await s.PlaceAsync(body);
        Assert.Equal(known, named.GetProperty("customerId").GetString());
        Assert.Equal(2, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{known}")).GetProperty("orderCount").GetInt32());

        body = s.OrderBody(sku, email: s.Email("third"));
        body["customerId"] = Guid.NewGuid().ToString();
        var refused = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("order.unknown_customer", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("customerId", out _), problem.ToString());
        // Nothing of it was written: no order and no customer under that address.
        var listed = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?email={Uri.EscapeDataString(s.Email("third"))}");
        Assert.Equal(0, listed.GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={Uri.EscapeDataString(s.Email("third"))}")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_first_orders_of_one_address_make_one_customer()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var email = s.Email("racing");
        var placed = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => s.PlaceAsync(s.OrderBody(sku, email: email))));
        var customer = Assert.Single(placed.Select(o => o.GetProperty("customerId").GetString()).Distinct());
        Assert.Equal(8, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customer}")).GetProperty("orderCount").GetInt32());
    }

    [Fact]
    public async Task What_staff_change_is_kept_and_customers_need_their_own_scopes()
    {
        var s = await Scenario.StartAsync();
        var id = (await s.PlaceAsync(s.OrderBody(await s.ProductAsync(), email: s.Email("patched")))).GetProperty("customerId").GetString();
        var request = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/customers/{id}")
        {
            Content = Scenario.Content(new
            {
                phone = "+49 30 1234567", locale = "de-DE", tags = new[] { "vip", " vip ", "wholesale" }, externalIds = new Dictionary<string, string> { ["amazon"] = "A1B2C3" },
                marketingConsent = new { granted = true, source = "support_call" },
            }),
        };
        request.Headers.IfMatch.ParseAdd("\"1\"");
        var patched = await OkAsync(await s.Admin.SendAsync(request));
        Assert.Equal(["vip", "wholesale"], patched.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal("A1B2C3", patched.GetProperty("externalIds").GetProperty("amazon").GetString());
        Assert.True(patched.GetProperty("marketingConsent").GetProperty("granted").GetBoolean());
        Assert.Equal(2, patched.GetProperty("version").GetInt32());
        Assert.Equal(1, patched.GetProperty("orderCount").GetInt32()); // what staff say leaves the figures alone

        // A stale version is refused and changes nothing.
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/customers/{id}") { Content = Scenario.Content(new { notes = "late" }) };
        stale.Headers.IfMatch.ParseAdd("\"1\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await s.Admin.SendAsync(stale)).StatusCode);

        // By tag, in both APIs.
        var byTag = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?tag=wholesale&search={s.Tag}");
        Assert.Equal(id, byTag.GetProperty("data").EnumerateArray().Single().GetProperty("id").GetString());
        var graph = await s.GraphQLDataAsync("query($q: String) { customers(filter: { tag: \"vip\", search: $q }) { nodes { id notes } } }", new { q = s.Tag });
        Assert.Equal(id, graph.GetProperty("customers").GetProperty("nodes")[0].GetProperty("id").GetString());

        var orders = s.Factory.Client(await s.Factory.KeyWithScopesAsync("orders only " + s.Tag, "orders:read", "orders:write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await orders.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        var (_, body) = await s.GraphQLAsync("query($id: ID!) { customer(id: $id) { id } }", new { id }, orders);
        Assert.Equal("forbidden", Scenario.ErrorCode(body));
        var reader = s.Factory.Client(await s.Factory.KeyWithScopesAsync("customers reader " + s.Tag, "customers:read"));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/customers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PatchAsync($"/api/v1/customers/{id}", Scenario.Content(new { notes = "no" }))).StatusCode);
    }

    [Fact]
    public async Task A_GraphQL_page_of_customers_with_their_last_orders_costs_the_same_statements_for_5_and_50()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 500);
        for (var i = 0; i < 50; i++)
        {
            await s.PlaceAsync(s.OrderBody(sku, email: s.Email($"page{i:00}")));
            if (i % 3 == 0) await s.PlaceAsync(s.OrderBody(sku, email: s.Email($"page{i:00}")));
        }

        async Task<int> SqlCommandsFor(int first)
        {
            var response = await s.Admin.PostAsJsonAsync("/graphql", new
            {
                query = "query($n: Int, $q: String) { customers(first: $n, filter: { search: $q }, sort: \"-orderCount\") { nodes { id orderCount " +
                        "orders(first: 3) { nodes { number lines { sku } } pageInfo { hasNextPage } } } } }",
                variables = new { n = first, q = s.Tag },
            });
            var body = await OkAsync(response);
            Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
            var nodes = body.GetProperty("data").GetProperty("customers").GetProperty("nodes");
            Assert.Equal(first, nodes.GetArrayLength());
            Assert.All(nodes.EnumerateArray(), n => Assert.Equal(n.GetProperty("orderCount").GetInt32(), n.GetProperty("orders").GetProperty("nodes").GetArrayLength()));
            return int.Parse(response.Headers.GetValues("Oms-Sql-Commands").Single());
        }

        // The fewest of two tries: an API-key cache refresh may add one command to any single request.
        var small = Math.Min(await SqlCommandsFor(5), await SqlCommandsFor(5));
        var large = Math.Min(await SqlCommandsFor(50), await SqlCommandsFor(50));
        Assert.Equal(small, large);
        Assert.True(large <= 4, $"a page took {large} SQL commands");
    }

    [Fact]
    public async Task Segments_sorting_and_paging_follow_the_orders_dates_and_the_thresholds()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 12, 0, 0, TimeSpan.Zero));
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N")) { Clock = clock };
        var s = new Scenario(app);
        var sku = await s.ProductAsync(price: 1000);
        var now = clock.GetUtcNow().AddDays(500);
        // Who, and how many days before "now" each of their orders was placed (oldest first).
        var plan = new (string Who, int[] DaysAgo, string Segment)[]
        {
            ("new", [10], "new"),
            ("active", [60, 20], "active"),
            ("loyal", [80, 60, 40, 20, 5], "loyal"),
            ("atrisk", [200, 100], "at_risk"),
            ("lapsed", [400], "lapsed"),
            ("edge", [90], "new"), // exactly ActiveDays ago: still recent
        };
        var ids = new Dictionary<string, string>();
        var totals = new Dictionary<string, long>();
        // The clock only moves forward: every order in the order of its date. One customer's only order is cancelled:
        // no orders, so new whatever the date.
        foreach (var (who, d) in plan.SelectMany(p => p.DaysAgo.Select(d => (p.Who, d))).Append(("cancelled", 300)).OrderByDescending(x => x.Item2))
        {
            clock.SetUtcNow(now.AddDays(-d));
            var order = await s.PlaceAsync(s.OrderBody(sku, quantity: d % 3 + 1, email: s.Email(who)));
            ids[who] = order.GetProperty("customerId").GetString()!;
            if (who == "cancelled")
                await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{order.GetProperty("id").GetString()}/cancel", new { reason = "test" }));
            else totals[who] = totals.GetValueOrDefault(who) + order.GetProperty("total").GetProperty("amount").GetInt64();
        }
        clock.SetUtcNow(now);

        var expected = plan.Select(p => (Who: p.Who, Segment: p.Segment)).Append((Who: "cancelled", Segment: "new")).ToList();
        foreach (var (who, segment) in expected)
            Assert.True(segment == (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{ids[who]}")).GetProperty("segment").GetString(), who);
        foreach (var segment in new[] { "new", "active", "loyal", "at_risk", "lapsed" })
        {
            var want = expected.Where(e => e.Segment == segment).Select(e => ids[e.Who]).Order().ToList();
            var rest = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?segment={segment}")).GetProperty("data").EnumerateArray()
                .Select(c => c.GetProperty("id").GetString()!).Order().ToList();
            Assert.True(want.SequenceEqual(rest), $"{segment}: REST gave {rest.Count}, expected {want.Count}");
            var graph = (await s.GraphQLDataAsync("query($s: CustomerSegment) { customers(filter: { segment: $s }) { nodes { id } } }", new { s = segment.ToUpperInvariant() }))
                .GetProperty("customers").GetProperty("nodes").EnumerateArray().Select(c => c.GetProperty("id").GetString()!).Order().ToList();
            Assert.True(want.SequenceEqual(graph), $"{segment}: GraphQL gave {graph.Count}, expected {want.Count}");
        }

        // By lifetime value, most first, two a page: every customer once, in the order of the totals added up here.
        var byValue = new List<string>();
        string? cursor = null;
        do
        {
            var page = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?sort=-lifetimeValue&currency=EUR&limit=2" + (cursor is null ? "" : $"&cursor={cursor}"));
            byValue.AddRange(page.GetProperty("data").EnumerateArray().Select(c => c.GetProperty("id").GetString()!));
            cursor = page.GetProperty("next").GetString();
        } while (cursor is not null);
        var wantByValue = ids.OrderByDescending(kv => totals.GetValueOrDefault(kv.Key)).ThenByDescending(kv => Guid.Parse(kv.Value)).Select(kv => kv.Value).ToList();
        Assert.Equal(wantByValue, byValue);

        // Sorting by value needs to know the currency; a cursor of another sort is refused.
        var problem = await s.Admin.GetAsync("/api/v1/customers?sort=lifetimeValue");
        Assert.Equal(HttpStatusCode.BadRequest, problem.StatusCode);
        Assert.True((await problem.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("currency", out _));
        var first = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/customers?sort=orderCount&limit=1");
        var mixed = await s.Admin.GetAsync($"/api/v1/customers?sort=createdAt&cursor={first.GetProperty("next").GetString()}");
        Assert.Equal(HttpStatusCode.BadRequest, mixed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await s.Admin.GetAsync("/api/v1/customers?sort=name")).StatusCode);
    }

    [Fact]
    public async Task A_merge_moves_the_duplicates_orders_and_figures_even_while_both_are_ordering()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1000, stock: 1000);
        var (keepEmail, dupEmail) = (s.Email("keep"), s.Email("duplicate"));
        var totals = new System.Collections.Concurrent.ConcurrentBag<(string Id, long Total)>();
        async Task PlaceAsync(string email, int quantity)
        {
            var order = await s.PlaceAsync(s.OrderBody(sku, quantity, email));
            totals.Add((order.GetProperty("id").GetString()!, order.GetProperty("total").GetProperty("amount").GetInt64()));
        }
        await PlaceAsync(keepEmail, 1);
        await PlaceAsync(dupEmail, 2);
        var keep = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?email={keepEmail}")).GetProperty("data")[0].GetProperty("id").GetString();
        var dup = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?email={dupEmail}")).GetProperty("data")[0].GetProperty("id").GetString();

        // Orders for both while the merge runs.
        var placing = Enumerable.Range(0, 16).Select(i => Task.Run(() => PlaceAsync(i % 2 == 0 ? keepEmail : dupEmail, i % 3 + 1))).ToList();
        await Task.Delay(20);
        var merged = await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/customers/{keep}/merge", new { duplicateId = dup }));
        await Task.WhenAll(placing);
        await PlaceAsync(dupEmail, 1); // after it: the duplicate's address finds the survivor
        Assert.Equal(keep, merged.GetProperty("id").GetString());

        // Every order of both addresses is the survivor's, and its figures add up to all of them.
        var orders = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerId={keep}&limit=250")).GetProperty("data").EnumerateArray()
            .Select(o => o.GetProperty("id").GetString()!).Order().ToList();
        Assert.Equal(totals.Select(t => t.Id).Order().ToList(), orders);
        var survivor = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{keep}");
        Assert.Equal(totals.Count, survivor.GetProperty("orderCount").GetInt32());
        Assert.Equal(totals.Sum(t => t.Total), survivor.GetProperty("lifetimeValue")[0].GetProperty("amount").GetInt64());
        // The old id points at the survivor, the old address finds it, and the duplicate takes no more changes.
        var old = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{dup}");
        Assert.Equal(keep, old.GetProperty("mergedInto").GetString());
        Assert.Equal(keep, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers?email={dupEmail}")).GetProperty("data")[0].GetProperty("id").GetString());
        var again = await s.Admin.PostAsJsonAsync($"/api/v1/customers/{keep}/merge", new { duplicateId = dup });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("customer.merged", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var (_, itself) = await s.GraphQLAsync("mutation($id: ID!) { mergeCustomers(id: $id, duplicateId: $id) { id } }", new { id = keep });
        Assert.Equal("customer.merge_with_itself", Scenario.ErrorCode(itself));
    }

    [Fact]
    public async Task Erasure_leaves_no_trace_of_the_person_in_any_table_and_keeps_the_books()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1500, stock: 10);
        var digits = string.Concat(s.Tag.Where(char.IsAsciiDigit)).PadRight(6, '7')[..6];
        var (email, name, phone, street) = (s.Email("erasure"), "Erin Erasmus" + s.Tag, "0301" + digits, "Vergessenweg " + s.Tag);
        var body = Paid(s.OrderBody(sku, 2, email));
        body["customer"] = new JsonObject { ["email"] = email, ["name"] = name, ["phone"] = phone };
        body["shippingAddress"] = new JsonObject { ["name"] = name, ["line1"] = street, ["city"] = "Berlin", ["postalCode"] = "10117", ["country"] = "DE", ["phone"] = phone };
        body["notes"] = "Ring twice, ask for " + name;
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = Scenario.Content(body) };
        request.Headers.Add("Idempotency-Key", "erase-" + s.Tag);
        var order = await OkAsync(await s.Admin.SendAsync(request), HttpStatusCode.Created);
        var (orderId, total, customerId) = (order.GetProperty("id").GetString()!, order.GetProperty("total").GetProperty("amount").GetInt64(), order.GetProperty("customerId").GetString()!);
        await s.DeliverAllAsync(orderId);
        var lineId = order.GetProperty("lines")[0].GetProperty("id").GetString();
        await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/returns",
            new { lines = new[] { new { orderLineId = lineId, quantity = 1, reason = "damaged", comment = "Dented, says " + name } }, comment = "Call " + phone }), HttpStatusCode.Created);

        var export = await OkAsync(await s.Admin.GetAsync($"/api/v1/customers/{customerId}/export"));
        Assert.Equal(orderId, export.GetProperty("orders")[0].GetProperty("id").GetString());
        Assert.Contains(phone, export.ToString());
        Assert.NotEmpty(export.GetProperty("payments").EnumerateArray());
        Assert.NotEmpty(export.GetProperty("returns").EnumerateArray());
        var before = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}");

        var erased = await OkAsync(await s.Admin.PostAsync($"/api/v1/customers/{customerId}/erase", null));
        Assert.Equal("erased", erased.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.String, erased.GetProperty("erasedAt").ValueKind);

        // No table keeps the address, the name, the phone or the street: not the rows, not the stored payloads.
        var found = await FindAsync(s, email, name, phone, street);
        Assert.True(found.Count == 0, string.Join("\n", found));
        // The books stay: the order's total, lines and figures.
        var after = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal(total, after.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(sku, after.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal("DE", after.GetProperty("shippingAddress").GetProperty("country").GetString());
        Assert.Equal(customerId, after.GetProperty("customerId").GetString());
        var figures = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}");
        Assert.Equal(before.GetProperty("lifetimeValue").ToString(), figures.GetProperty("lifetimeValue").ToString());
        Assert.Equal(before.GetProperty("orderCount").GetInt32(), figures.GetProperty("orderCount").GetInt32());

        // For good: a second erasure is refused; the address is free again, a new order makes a new customer.
        var twice = await s.Admin.PostAsync($"/api/v1/customers/{customerId}/erase", null);
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        var next = await s.PlaceAsync(s.OrderBody(sku, 1, email));
        Assert.NotEqual(customerId, next.GetProperty("customerId").GetString());
    }

    /// <summary>Every row of every table (and every stored response body) that contains one of <paramref name="values"/>, case-insensitive.</summary>
    private static async Task<List<string>> FindAsync(Scenario s, params string[] values)
    {
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
        await using var connection = new Npgsql.NpgsqlConnection(Microsoft.EntityFrameworkCore.RelationalDatabaseFacadeExtensions.GetConnectionString(db.Database));
        await connection.OpenAsync();
        var tables = new List<(string Table, List<string> Binary)>();
        await using (var list = new Npgsql.NpgsqlCommand(
            "SELECT t.table_name, COALESCE(array_agg(c.column_name::text) FILTER (WHERE c.data_type = 'bytea'), '{}') FROM information_schema.tables t " +
            "LEFT JOIN information_schema.columns c ON c.table_schema = t.table_schema AND c.table_name = t.table_name " +
            "WHERE t.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND t.table_name <> 'signing_keys' GROUP BY t.table_name", connection))
        await using (var reader = await list.ExecuteReaderAsync())
            while (await reader.ReadAsync()) tables.Add((reader.GetString(0), [.. reader.GetFieldValue<string[]>(1)]));
        Assert.Contains(tables, t => t.Table == "outbox_messages");
        var found = new List<string>();
        foreach (var (table, binary) in tables)
            foreach (var value in values)
            {
                // The whole row as text, and each binary column as UTF-8 text (a stored response body).
                var where = string.Join(" OR ", binary.Select(b => $"convert_from(t.\"{b}\", 'UTF8') ILIKE @p").Prepend("t::text ILIKE @p"));
                await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM \"{table}\" t WHERE {where}", connection);
                command.Parameters.AddWithValue("p", "%" + value + "%");
                if ((long)(await command.ExecuteScalarAsync())! > 0) found.Add($"{table}: {value}");
            }
        return found;
    }

    [Fact]
    public async Task Delivery_offers_a_feedback_link_and_a_low_rating_flags_the_customer_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 10);
        var order = await s.PlaceAsync(Paid(s.OrderBody(sku, 1, s.Email("feedback"))));
        var id = order.GetProperty("id").GetString()!;
        var customerId = order.GetProperty("customerId").GetString()!;
        Assert.Equal(JsonValueKind.Null, order.GetProperty("feedback").ValueKind); // nothing to rate before the goods arrive
        var delivered = await s.DeliverAllAsync(id);
        var token = delivered.GetProperty("feedback").GetProperty("token").GetString()!;
        Assert.True(token.Length >= 32);
        Assert.True(delivered.GetProperty("feedback").GetProperty("expiresAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(29));

        // The shopper's tracking page carries the link; the answer needs no key.
        var tracking = await s.Factory.Client(null).GetFromJsonAsync<JsonElement>($"/api/v1/tracking/{delivered.GetProperty("number").GetString()}?email={s.Email("feedback")}");
        Assert.Equal(token, tracking.GetProperty("feedback").GetProperty("token").GetString());
        var anonymous = s.Factory.Client(null);
        var bad = await anonymous.PostAsJsonAsync($"/api/v1/feedback/{token}", new { rating = 6 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("rating", out _));
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.PostAsJsonAsync("/api/v1/feedback/not-a-token", new { rating = 3 })).StatusCode);
        var given = await OkAsync(await anonymous.PostAsJsonAsync($"/api/v1/feedback/{token}", new { rating = 2, comment = "Box was crushed", reason = "packaging" }));
        Assert.Equal(2, given.GetProperty("rating").GetInt32());
        // Once only, in either API.
        var (_, twice) = await s.GraphQLAsync("mutation($t: String!) { giveFeedback(token: $t, input: { rating: 5 }) { rating } }", new { t = token }, anonymous);
        Assert.Equal("feedback.already_given", Scenario.ErrorCode(twice));

        // It shows on the order and on the customer, who is flagged for follow-up.
        var after = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal("packaging", after.GetProperty("feedback").GetProperty("reason").GetString());
        var customer = await s.GraphQLDataAsync("query($id: ID!) { customer(id: $id) { followUp timeline(first: 50) { nodes { kind rating summary } } } }", new { id = customerId });
        Assert.True(customer.GetProperty("customer").GetProperty("followUp").GetBoolean());
        Assert.Contains(customer.GetProperty("customer").GetProperty("timeline").GetProperty("nodes").EnumerateArray(),
            n => n.GetProperty("kind").GetString() == "FEEDBACK" && n.GetProperty("rating").GetInt32() == 2);
    }

    [Fact]
    public async Task The_timeline_has_orders_payments_shipments_returns_and_contacts_newest_first_and_pages()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 10);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, 2, s.Email("timeline")));
        var id = order.GetProperty("id").GetString()!;
        var customerId = order.GetProperty("customerId").GetString()!;
        await s.DeliverAllAsync(id);
        var lineId = order.GetProperty("lines")[0].GetProperty("id").GetString();
        await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns",
            new { lines = new[] { new { orderLineId = lineId, quantity = 1, reason = "size_or_fit" } } }), HttpStatusCode.Created);
        var contact = await OkAsync(await s.Admin.PostAsJsonAsync($"/api/v1/customers/{customerId}/contacts", new { channel = "call", summary = "Asked about sizes" }), HttpStatusCode.Created);
        Assert.Equal("call", contact.GetProperty("channel").GetString());
        var refused = await s.Admin.PostAsJsonAsync($"/api/v1/customers/{customerId}/contacts", new { channel = "call", summary = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        await s.GraphQLDataAsync("mutation($id: ID!) { logCustomerContact(id: $id, input: { channel: NOTE, summary: \"Prefers e-mail\" }) { id } }", new { id = customerId });

        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var page = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}/timeline?limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            all.AddRange(page.GetProperty("data").EnumerateArray());
            cursor = page.GetProperty("next").GetString();
        } while (cursor is not null);
        var kinds = all.Select(e => e.GetProperty("kind").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "order", "payment", "shipment", "return", "contact", "note" }, kinds);
        var times = all.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToList();
        Assert.Equal(times.OrderByDescending(t => t).ToList(), times);
        Assert.Equal(all.Count, all.Select(e => e.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal("Prefers e-mail", all[0].GetProperty("summary").GetString()); // the newest
    }
}
