using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class ListingTests
{
    [Fact]
    public async Task Filters_combine_and_cursor_pages_cover_every_order_once()
    {
        var s = await Scenario.StartAsync();
        var skuA = await s.ProductAsync();
        var skuB = await s.ProductAsync();
        var placed = new List<JsonElement>();
        for (var i = 0; i < 7; i++)
            placed.Add(await s.PlaceAsync(s.OrderBody(i % 2 == 0 ? skuA : skuB, channel: i < 5 ? "web" : "pos")));
        var confirmedId = placed[0].GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{confirmedId}/confirm", null);

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}&limit=3" + (cursor is null ? "" : $"&cursor={cursor}"));
            seen.AddRange(page.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("number").GetString()!));
            cursor = page.GetProperty("next").GetString();
            Assert.Equal(cursor is not null, page.GetProperty("hasMore").GetBoolean());
            pages++;
        } while (cursor is not null);
        Assert.Equal(3, pages);
        Assert.Equal(7, seen.Distinct().Count());
        Assert.Equal(seen.OrderByDescending(n => long.Parse(n[4..])).ToList(), seen); // newest first, stable

        async Task<int> Count(string query) =>
            (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}&{query}")).GetProperty("data").GetArrayLength();
        Assert.Equal(4, await Count($"sku={skuA}"));
        Assert.Equal(2, await Count("channel=pos"));
        Assert.Equal(1, await Count($"channel=pos&sku={skuA}"));
        Assert.Equal(1, await Count("status=allocated"));
        Assert.Equal(6, await Count("status=pending"));
        var created = placed[3].GetProperty("createdAt").GetDateTimeOffset();
        Assert.Equal(4, await Count($"createdFrom={Uri.EscapeDataString(created.ToString("O"))}"));
        Assert.Equal(3, await Count($"createdTo={Uri.EscapeDataString(created.ToString("O"))}"));
        Assert.Equal(7, await Count("")); // e-mail match is case-insensitive via normalisation
        Assert.Equal(7, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email().ToUpperInvariant()}")).GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task GraphQL_connection_pages_like_REST()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        for (var i = 0; i < 5; i++) await s.PlaceAsync(s.OrderBody(sku));

        const string query = "query($f: OrderFilter, $after: String) { orders(filter: $f, first: 2, after: $after) { edges { cursor node { number } } pageInfo { hasNextPage endCursor } } }";
        var numbers = new List<string>();
        string? after = null;
        while (true)
        {
            var data = await s.GraphQLDataAsync(query, new { f = new { customerEmail = s.Email() }, after });
            var connection = data.GetProperty("orders");
            numbers.AddRange(connection.GetProperty("edges").EnumerateArray().Select(e => e.GetProperty("node").GetProperty("number").GetString()!));
            if (!connection.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean()) break;
            after = connection.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        }
        Assert.Equal(5, numbers.Distinct().Count());
    }

    [Fact]
    public async Task A_GraphQL_page_costs_the_same_SQL_commands_for_5_and_50_orders_with_lines_and_products()
    {
        var s = await Scenario.StartAsync();
        var skus = new List<string>();
        for (var i = 0; i < 4; i++) skus.Add(await s.ProductAsync());
        var bodies = Enumerable.Range(0, 50).Select(i =>
        {
            var body = s.OrderBody(skus[i % 4]);
            body["lines"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["sku"] = skus[(i + 1) % 4], ["quantity"] = 2 });
            return body;
        });
        foreach (var chunk in bodies.Chunk(10)) await Task.WhenAll(chunk.Select(b => s.PlaceAsync(b)));

        async Task<int> SqlCommandsFor(int first)
        {
            var (response, body) = await s.GraphQLAsync(
                "query($f: OrderFilter, $first: Int) { orders(filter: $f, first: $first) { nodes { number total { amount } timeline { to } lines { sku quantity product { name brand price { amount currency } } } } } }",
                new { f = new { customerEmail = s.Email() }, first });
            Assert.False(body.TryGetProperty("errors", out _), body.ToString());
            Assert.Equal(first, body.GetProperty("data").GetProperty("orders").GetProperty("nodes").GetArrayLength());
            Assert.All(body.GetProperty("data").GetProperty("orders").GetProperty("nodes").EnumerateArray(),
                n => Assert.All(n.GetProperty("lines").EnumerateArray(), l => Assert.Equal(JsonValueKind.Object, l.GetProperty("product").ValueKind)));
            return int.Parse(response.Headers.GetValues("Oms-Sql-Commands").Single());
        }

        // The fewest of two tries: an API-key cache refresh may add one command to any single request.
        var small = Math.Min(await SqlCommandsFor(5), await SqlCommandsFor(5));
        var large = Math.Min(await SqlCommandsFor(50), await SqlCommandsFor(50));
        Assert.Equal(small, large);
        Assert.True(large <= 4, $"a page took {large} SQL commands");
    }
}
