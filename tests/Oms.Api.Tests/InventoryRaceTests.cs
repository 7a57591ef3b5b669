using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Reservations never oversell, whatever the concurrency.</summary>
public sealed class InventoryRaceTests
{
    private static async Task<List<string>> PlaceManyAsync(Scenario s, string sku, int count)
    {
        var ids = new List<string>();
        foreach (var chunk in Enumerable.Range(0, count).Chunk(16))
            ids.AddRange(await Task.WhenAll(chunk.Select(async i => (await s.PlaceAsync(s.OrderBody(sku, email: s.Email($"b{i}")))).GetProperty("id").GetString()!)));
        return ids;
    }

    /// <summary>Reads the SKU's levels while the race runs and records any impossible state.</summary>
    private static async Task<List<string>> WatchAsync(Scenario s, string sku, CancellationToken stop)
    {
        var violations = new List<string>();
        while (!stop.IsCancellationRequested)
        {
            var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}", CancellationToken.None);
            foreach (var node in inventory.GetProperty("nodes").EnumerateArray())
            {
                var onHand = node.GetProperty("onHand").GetInt32();
                var reserved = node.GetProperty("reserved").GetInt32();
                var safety = node.GetProperty("safetyStock").GetInt32();
                // Never more reserved than on hand, nothing negative, and available exactly what the counts leave.
                if (reserved > onHand || reserved < 0 || onHand < 0 || node.GetProperty("available").GetInt32() != Math.Max(0, onHand - reserved - safety))
                    violations.Add(node.ToString());
            }
        }
        return violations;
    }

    [Theory]
    [InlineData("deny")]
    [InlineData("backorder")]
    public async Task Sixty_four_buyers_race_for_ten_units_over_two_nodes(string policy)
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 6, backorderPolicy: policy);
        var second = await s.NodeAsync("SECOND", 48.14, 11.58, "DE");
        await s.StockAsync(sku, second, 4);
        var orders = await PlaceManyAsync(s, sku, 64);

        using var stop = new CancellationTokenSource();
        var watcher = WatchAsync(s, sku, stop.Token);
        var responses = await Task.WhenAll(orders.Select(id => s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null)));
        stop.Cancel();
        Assert.Empty(await watcher);

        var bodies = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.Content.ReadFromJsonAsync<JsonElement>())));
        var allocated = bodies.Count(b => b.StatusCode == HttpStatusCode.OK && b.Body.GetProperty("status").GetString() == "allocated");
        Assert.Equal(10, allocated);
        if (policy == "deny")
        {
            Assert.Equal(54, bodies.Count(b => b.StatusCode == HttpStatusCode.Conflict && b.Body.GetProperty("code").GetString() == "inventory.insufficient_stock"));
            Assert.All(bodies.Where(b => b.StatusCode == HttpStatusCode.Conflict), b => Assert.True(b.Body.GetProperty("errors").TryGetProperty("lines[0].quantity", out _)));
        }
        else
        {
            Assert.Equal(54, bodies.Count(b => b.StatusCode == HttpStatusCode.OK && b.Body.GetProperty("status").GetString() == "confirmed"));
        }

        var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(10, inventory.GetProperty("reserved").GetInt32());
        Assert.Equal(0, inventory.GetProperty("available").GetInt32());
        Assert.Equal(10, inventory.GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task Orders_of_two_scarce_skus_racing_reserve_both_or_neither()
    {
        var s = await Scenario.StartAsync();
        var plenty = await s.ProductAsync(stock: 20);
        var scarce = await s.ProductAsync(stock: 3);
        var second = await s.NodeAsync("SECOND", 48.14, 11.58, "DE");
        await s.StockAsync(plenty, second, 20);
        await s.StockAsync(scarce, second, 2);
        // Half the buyers list the SKUs one way round, half the other: reservations must not deadlock, and a buyer who
        // got the first SKU at one node but lost the second there to a faster buyer, then was routed again, must not
        // keep the first one twice.
        var responses = await Task.WhenAll(Enumerable.Range(0, 32).Select(i =>
        {
            var body = s.OrderBody(i % 2 == 0 ? plenty : scarce, email: s.Email($"pair{i}"));
            body["lines"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["sku"] = i % 2 == 0 ? scarce : plenty, ["quantity"] = 1 });
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            return s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        }));

        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Equal(5, created.Count);
        foreach (var r in created) Assert.Equal("allocated", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        foreach (var sku in new[] { plenty, scarce })
            Assert.Equal(5, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("reserved").GetInt32());
        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{scarce}")).GetProperty("available").GetInt32());
    }

    [Fact]
    public async Task A_transfer_racing_with_orders_never_loses_or_oversells_a_unit()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 10);
        var from = await s.WarehouseAsync();
        var to = await s.NodeAsync("STORE", 53.55, 9.99, "DE", kind: "store");
        var orders = await PlaceManyAsync(s, sku, 16);

        using var stop = new CancellationTokenSource();
        var watcher = WatchAsync(s, sku, stop.Token);
        var confirms = orders.Select(id => s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null));
        var transfers = Enumerable.Range(0, 8).Select(_ => s.Admin.PostAsJsonAsync("/api/v1/inventory/transfers", new { sku, fromNodeCode = from, toNodeCode = to, quantity = 2 }));
        var all = await Task.WhenAll(confirms.Concat(transfers));
        stop.Cancel();
        Assert.Empty(await watcher);
        // A confirmation or transfer that lost the race is refused for want of stock, and for nothing else.
        foreach (var r in all.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("inventory.insufficient_stock", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(10, inventory.GetProperty("onHand").GetInt32()); // transfers move units, never make or lose them
        var allocated = 0;
        foreach (var id in orders)
            if ((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}")).GetProperty("status").GetString() == "allocated") allocated++;
        Assert.Equal(allocated, inventory.GetProperty("reserved").GetInt32());
        Assert.True(allocated <= 10);
        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}/ledger?limit=250");
        var moved = ledger.GetProperty("data").EnumerateArray().Count(e => e.GetProperty("reason").GetString() == "transfer_in");
        Assert.Equal(moved, ledger.GetProperty("data").EnumerateArray().Count(e => e.GetProperty("reason").GetString() == "transfer_out"));
        Assert.Equal(moved * 2, inventory.GetProperty("nodes").EnumerateArray().Single(n => n.GetProperty("nodeCode").GetString() == to).GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task Cancelling_gives_the_reservation_back()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 3);
        var id = (await s.PlaceAsync(sku, quantity: 2)).GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
        Assert.Equal(2, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("reserved").GetInt32());

        await s.Admin.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "changed mind" }));

        var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(0, inventory.GetProperty("reserved").GetInt32());
        Assert.Equal(3, inventory.GetProperty("available").GetInt32());
        var routing = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/routing");
        Assert.Equal("released", routing.GetProperty("allocations")[0].GetProperty("status").GetString());
    }
}
