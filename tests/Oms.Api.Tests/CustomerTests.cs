using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
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
}
