using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>
/// Every list pages the same way: REST answers { data, hasMore, next } and takes limit and cursor; GraphQL answers a
/// connection and takes first and after; the two hand out the same cursors, and a wrong one is named as its API names it.
/// </summary>
public sealed class PagingTests
{
    private sealed record Walk(List<string> Ids, List<string> Cursors);

    /// <summary>Reads a REST list two items at a time until <c>next</c> is null; checks each page's shape on the way.</summary>
    private static async Task<Walk> RestWalkAsync(Scenario s, string url, string idField = "id", int maxPages = 50)
    {
        var walk = new Walk([], []);
        string? cursor = null;
        for (var page = 0; page < maxPages; page++)
        {
            var separator = url.Contains('?') ? '&' : '?';
            var body = await s.Admin.GetFromJsonAsync<JsonElement>($"{url}{separator}limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            var data = body.GetProperty("data").EnumerateArray().ToList();
            Assert.InRange(data.Count, 0, 2);
            walk.Ids.AddRange(data.Select(x => x.GetProperty(idField).ToString()));
            cursor = body.GetProperty("next").GetString();
            Assert.Equal(cursor is not null, body.GetProperty("hasMore").GetBoolean());
            if (cursor is null) return walk;
            Assert.Equal(2, data.Count); // a page before the last is full
            walk.Cursors.Add(cursor);
        }
        return walk;
    }

    /// <summary>The same through a GraphQL connection, following endCursor.</summary>
    private static async Task<Walk> GraphWalkAsync(Scenario s, string field, string arguments, string idField = "id", int maxPages = 50)
    {
        var walk = new Walk([], []);
        string? after = null;
        var query = $"query($after: String) {{ {field}({arguments}{(arguments.Length > 0 ? ", " : "")}first: 2, after: $after) " +
                    $"{{ edges {{ cursor node {{ {idField} }} }} nodes {{ {idField} }} pageInfo {{ hasNextPage hasPreviousPage endCursor }} }} }}";
        for (var page = 0; page < maxPages; page++)
        {
            var connection = (await s.GraphQLDataAsync(query, new { after })).GetProperty(field);
            var edges = connection.GetProperty("edges").EnumerateArray().ToList();
            var info = connection.GetProperty("pageInfo");
            Assert.Equal(after is not null, info.GetProperty("hasPreviousPage").GetBoolean());
            Assert.Equal(edges.Select(e => e.GetProperty("node").GetProperty(idField).ToString()),
                connection.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty(idField).ToString()));
            if (edges.Count > 0) Assert.Equal(edges[^1].GetProperty("cursor").GetString(), info.GetProperty("endCursor").GetString());
            walk.Ids.AddRange(edges.Select(e => e.GetProperty("node").GetProperty(idField).ToString()));
            if (!info.GetProperty("hasNextPage").GetBoolean()) return walk;
            after = info.GetProperty("endCursor").GetString();
            walk.Cursors.Add(after!);
        }
        return walk;
    }

    [Fact]
    public async Task Work_queues_delivery_logs_ledgers_and_purchase_orders_page_alike_in_REST_and_GraphQL()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscribed = await s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Url.ToString(), eventFilters = new[] { "webhook.ping" } });
        Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
        var subscription = (await subscribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetString();

        var node = await s.WarehouseAsync();
        var sku = await s.ProductAsync();
        var orders = new List<string>();
        for (var i = 0; i < 5; i++) orders.Add((await s.PaidOrderAsync(s.OrderBody(sku))).GetProperty("id").GetString()!);
        var supplier = "SUP-" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Acme", leadTimeDays = 3 })).StatusCode);
        for (var i = 0; i < 3; i++) await s.StockAsync(sku, node, 1); // ledger entries
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/purchase-orders",
                new { supplierCode = supplier, nodeCode = node, lines = new[] { new { sku, quantity = 10 + i } } })).StatusCode);
        // Pings go to this subscription alone, so its delivery log is this test's own.
        for (var i = 0; i < 5; i++) Assert.Equal(HttpStatusCode.Accepted, (await s.Admin.PostAsync($"/api/v1/webhook-subscriptions/{subscription}/test", null)).StatusCode);
        await receiver.WaitForAsync(r => r.Select(x => x.WebhookId).Distinct().Count() >= 5, what: "five pings delivered");

        var lists = new (string Url, string Field, string Arguments, string IdField)[]
        {
            ($"/api/v1/fulfilment-orders?nodeCode={node}", "fulfilmentOrders", $"nodeCode: \"{node}\"", "id"),
            ($"/api/v1/allocations?nodeCode={node}", "allocations", $"nodeCode: \"{node}\"", "id"),
            ($"/api/v1/webhook-subscriptions/{subscription}/deliveries", "webhookDeliveries", $"subscriptionId: \"{subscription}\"", "id"),
            ($"/api/v1/inventory/{sku}/ledger", "inventoryLedger", $"sku: \"{sku}\"", "id"),
            ($"/api/v1/purchase-orders?supplierCode={supplier}", "purchaseOrders", $"supplierCode: \"{supplier}\"", "id"),
        };
        foreach (var (rest, field, arguments, idField) in lists)
        {
            var restWalk = await RestWalkAsync(s, rest, idField);
            var graphWalk = await GraphWalkAsync(s, field, arguments, idField);
            Assert.True(restWalk.Ids.Count >= 3, $"{rest}: {restWalk.Ids.Count} items");
            Assert.Equal(restWalk.Ids.Count, restWalk.Ids.Distinct().Count()); // every item once
            Assert.Equal(restWalk.Ids, graphWalk.Ids);                       // same items, same order
            Assert.Equal(restWalk.Cursors, graphWalk.Cursors);               // REST's next is GraphQL's endCursor
            var all = (await s.Admin.GetFromJsonAsync<JsonElement>($"{rest}{(rest.Contains('?') ? '&' : '?')}limit=250")).GetProperty("data");
            Assert.Equal(all.EnumerateArray().Select(x => x.GetProperty(idField).ToString()), restWalk.Ids); // pages add up to the whole list
        }

        // Newest first: the fulfilment orders and allocations of the five orders, last placed first.
        var work = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-orders?nodeCode={node}")).GetProperty("data");
        Assert.Equal(Enumerable.Reverse(orders), work.EnumerateArray().Select(f => f.GetProperty("orderId").GetString()!));
        var allocations = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/allocations?nodeCode={node}")).GetProperty("data");
        Assert.Equal(Enumerable.Reverse(orders), allocations.EnumerateArray().Select(a => a.GetProperty("orderId").GetString()!));
        await s.Admin.PatchAsJsonAsync($"/api/v1/webhook-subscriptions/{subscription}", new { active = false });
    }

    [Theory]
    [InlineData("/api/v1/fulfilment-nodes", "fulfilmentNodes", "code", true)]
    [InlineData("/api/v1/suppliers", "suppliers", "code", true)]
    [InlineData("/api/v1/api-keys", "apiKeys", "id", false)]
    [InlineData("/api/v1/webhook-subscriptions", "webhookSubscriptions", "id", false)]
    [InlineData("/api/v1/returns", "returns", "id", false)]
    public async Task Directories_page_in_a_stable_order(string rest, string field, string idField, bool byCode)
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscriptions = new List<string>();
        // Seven of each exist whatever ran before, so three pages of two are full and more follow.
        if (field == "returns")
        {
            var order = await s.DeliverAllAsync((await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync(), 7))).GetProperty("id").GetString()!);
            var line = order.GetProperty("lines")[0].GetProperty("id").GetString();
            for (var i = 0; i < 7; i++)
            {
                var requested = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{order.GetProperty("id").GetString()}/returns",
                    new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "damaged" } } });
                Assert.True(requested.IsSuccessStatusCode, await requested.Content.ReadAsStringAsync());
            }
        }
        for (var i = 0; i < 7; i++)
        {
            var created = field switch
            {
                "fulfilmentNodes" => null,
                "suppliers" => await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = $"P{i}-{s.Tag}", name = "Acme", leadTimeDays = 3 }),
                "apiKeys" => await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = $"paging-{i}-{s.Tag}", scopes = new[] { "orders:read" } }),
                "webhookSubscriptions" => await s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = $"{receiver.Url}{i}", eventFilters = new[] { "webhook.ping" } }),
                _ => null,
            };
            if (created is not null) Assert.True(created.IsSuccessStatusCode, await created.Content.ReadAsStringAsync());
            if (field == "webhookSubscriptions")
                subscriptions.Add((await created!.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetString()!);
            if (field == "fulfilmentNodes") await s.NodeAsync($"P{i}", 52, 13, "DE");
        }

        var walk = await RestWalkAsync(s, rest, idField, maxPages: 3);
        Assert.Equal(6, walk.Ids.Count);
        Assert.Equal(6, walk.Ids.Distinct().Count());
        // Codes ascending; ids (version 7: creation time first) descending, newest first.
        var expected = byCode ? walk.Ids.Order(StringComparer.Ordinal) : walk.Ids.OrderDescending(StringComparer.Ordinal);
        Assert.Equal(expected, walk.Ids);
        Assert.Equal(3, walk.Cursors.Count);

        // A GraphQL page answers with the same shape, and its endCursor continues a REST list.
        var first = (await s.GraphQLDataAsync($"{{ {field}(first: 2) {{ nodes {{ {idField} }} pageInfo {{ hasNextPage endCursor }} }} }}")).GetProperty(field);
        Assert.Equal(2, first.GetProperty("nodes").GetArrayLength());
        Assert.True(first.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        var next = await s.Admin.GetFromJsonAsync<JsonElement>($"{rest}?limit=2&cursor={first.GetProperty("pageInfo").GetProperty("endCursor").GetString()}");
        Assert.Equal(2, next.GetProperty("data").GetArrayLength());
        foreach (var id in subscriptions) await s.Admin.PatchAsJsonAsync($"/api/v1/webhook-subscriptions/{id}", new { active = false });
    }

    [Theory]
    [InlineData("/api/v1/fulfilment-orders", "fulfilmentOrders")]
    [InlineData("/api/v1/allocations", "allocations")]
    [InlineData("/api/v1/returns", "returns")]
    [InlineData("/api/v1/fulfilment-nodes", "fulfilmentNodes")]
    [InlineData("/api/v1/suppliers", "suppliers")]
    [InlineData("/api/v1/api-keys", "apiKeys")]
    [InlineData("/api/v1/webhook-subscriptions", "webhookSubscriptions")]
    [InlineData("/api/v1/orders", "orders")]
    public async Task A_wrong_page_size_or_cursor_is_refused_under_the_name_each_API_gives_it(string rest, string field)
    {
        var s = await Scenario.StartAsync();
        foreach (var (query, name) in new[] { ("limit=0", "limit"), ("limit=251", "limit"), ("cursor=bm9wZQ", "cursor"), ("cursor=%25%25", "cursor") })
        {
            var response = await s.Admin.GetAsync($"{rest}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(name, out _), $"{query}: {problem}");
        }
        foreach (var (arguments, name) in new[] { ("first: 0", "first"), ("first: 251", "first"), ("after: \"bm9wZQ\"", "after") })
        {
            var (_, body) = await s.GraphQLAsync($"{{ {field}({arguments}) {{ pageInfo {{ hasNextPage }} }} }}");
            var error = body.GetProperty("errors")[0];
            Assert.Equal("validation_failed", error.GetProperty("extensions").GetProperty("code").GetString());
            Assert.True(error.GetProperty("extensions").GetProperty("errors").TryGetProperty(name, out _), $"{arguments}: {error}");
        }
    }
}
