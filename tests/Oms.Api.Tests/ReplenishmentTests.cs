using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests;

public sealed class ReplenishmentTests
{
    [Fact]
    public async Task Reaching_the_reorder_point_drafts_a_purchase_order_whose_receipt_releases_a_backorder()
    {
        var s = await Scenario.StartAsync();
        var node = await s.WarehouseAsync();
        var sku = await s.ProductAsync(stock: 5, backorderPolicy: "backorder");
        var supplier = "SUP-" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Acme Supply", leadTimeDays = 3 })).StatusCode);
        var settings = await s.Admin.PutAsJsonAsync($"/api/v1/inventory/{sku}/nodes/{node}", new { safetyStock = 0, reorderPoint = 3, reorderQuantity = 20, supplierCode = supplier });
        Assert.Equal(HttpStatusCode.OK, settings.StatusCode);

        // 4 of 5 reserved: available 1 < 3, so a draft purchase order appears; 3 more are backordered.
        var first = (await s.PlaceAsync(sku, quantity: 4)).GetProperty("id").GetString();
        Assert.Equal("allocated", (await (await s.Admin.PostAsync($"/api/v1/orders/{first}/confirm", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var second = (await s.PlaceAsync(sku, quantity: 4)).GetProperty("id").GetString();
        Assert.Equal("confirmed", (await (await s.Admin.PostAsync($"/api/v1/orders/{second}/confirm", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var waiting = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{second}/routing");
        Assert.Equal(3, waiting.GetProperty("backorders")[0].GetProperty("quantity").GetInt32());
        Assert.Equal("partial", waiting.GetProperty("decisions")[0].GetProperty("outcome").GetString());

        var drafts = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/purchase-orders?supplierCode={supplier}");
        var po = Assert.Single(drafts.GetProperty("data").EnumerateArray());
        Assert.Equal("draft", po.GetProperty("status").GetString());
        Assert.True(po.GetProperty("createdByReorder").GetBoolean());
        Assert.Equal(20, po.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        var below = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory?nodeCode={node}&belowReorderPoint=true&sku={sku}");
        Assert.Single(below.GetProperty("data").EnumerateArray());

        var poId = po.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/purchase-orders/{poId}/submit", null)).StatusCode);
        var received = await s.Admin.PostAsJsonAsync($"/api/v1/purchase-orders/{poId}/receive", new { lines = new[] { new { sku, quantity = 12 } } });
        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.Equal("partially_received", (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{second}")).GetProperty("status").GetString());
        var routing = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{second}/routing");
        Assert.Equal("allocated", routing.GetProperty("backorders")[0].GetProperty("status").GetString());
        Assert.Equal("backorder", routing.GetProperty("decisions").EnumerateArray().Last().GetProperty("trigger").GetString());
        var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(17, inventory.GetProperty("onHand").GetInt32());
        Assert.Equal(8, inventory.GetProperty("reserved").GetInt32());

        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}/ledger");
        var receipt = ledger.GetProperty("data")[0];
        Assert.Equal("received", receipt.GetProperty("reason").GetString());
        Assert.Equal((5, 17), (receipt.GetProperty("onHandBefore").GetInt32(), receipt.GetProperty("onHandAfter").GetInt32()));
        Assert.StartsWith("PO-", receipt.GetProperty("reference").GetString());

        // Everything that happened is in the outbox for webhook subscribers, committed with the change itself.
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var nodeId = await db.Nodes.Where(n => n.Code == node).Select(n => n.Id.Value).SingleAsync();
        var orderIds = new[] { Guid.Parse(first!), Guid.Parse(second!) };
        var types = await db.OutboxMessages.Where(m => m.AggregateId == nodeId || orderIds.Contains(m.AggregateId) || m.AggregateId == Guid.Parse(poId!))
            .Select(m => m.Type).ToListAsync();
        foreach (var expected in new[] { "inventory.adjusted", "inventory.low_stock", "order.allocated", "purchase_order.created", "purchase_order.received" })
            Assert.Contains(expected, types);
    }

    [Fact]
    public async Task Expedited_backorders_are_served_before_older_standard_ones()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0, backorderPolicy: "backorder");
        var older = (await s.PlaceAsync(sku, 1)).GetProperty("id").GetString();
        var body = s.OrderBody(sku, 1);
        body["priority"] = "expedited";
        var expedited = (await s.PlaceAsync(body)).GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{older}/confirm", null);
        await s.Admin.PostAsync($"/api/v1/orders/{expedited}/confirm", null);

        await s.StockAsync(sku, await s.WarehouseAsync(), 1);

        Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{expedited}")).GetProperty("status").GetString());
        Assert.Equal("confirmed", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{older}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Absolute_counts_are_compare_and_swap_and_every_change_is_in_the_ledger()
    {
        var s = await Scenario.StartAsync();
        var node = await s.WarehouseAsync();
        var sku = await s.ProductAsync(stock: 10);

        var stale = await s.Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "cycle_count", setOnHand = 8, expectedOnHand = 9 });
        Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
        Assert.Equal("inventory.count_changed", (await stale.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var counted = await s.Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "cycle_count", setOnHand = 8, expectedOnHand = 10, note = "shelf B3" });
        Assert.Equal(HttpStatusCode.OK, counted.StatusCode);
        var change = await counted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8, change.GetProperty("levels")[0].GetProperty("onHand").GetInt32());
        Assert.Equal((10, 8), (change.GetProperty("ledger")[0].GetProperty("onHandBefore").GetInt32(), change.GetProperty("ledger")[0].GetProperty("onHandAfter").GetInt32()));

        var id = (await s.PlaceAsync(sku, 6)).GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
        var tooMuch = await s.Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "damaged", delta = -3 });
        Assert.Equal(HttpStatusCode.Conflict, tooMuch.StatusCode); // 8 on hand, 6 reserved: cannot lose 3
        Assert.Equal("inventory.below_reserved", (await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var bad = await s.Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "shipped", delta = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);

        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}/ledger?nodeCode={node}");
        var entries = ledger.GetProperty("data").EnumerateArray().ToList();
        Assert.Equal(new[] { "cycle_count", "received" }, entries.Select(e => e.GetProperty("reason").GetString()!).ToArray());
        Assert.Equal("shelf B3", entries[0].GetProperty("note").GetString());
        Assert.False(string.IsNullOrEmpty(entries[0].GetProperty("actor").GetString()));
    }

    [Fact]
    public async Task Inventory_adjusts_through_GraphQL_and_needs_the_inventory_scope()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0);
        var node = await s.WarehouseAsync();
        const string mutation = "mutation($sku: String!, $node: String!) { adjustInventory(input: { sku: $sku, nodeCode: $node, reason: RECEIVED, delta: 7 }) { levels { onHand available } ledger { reason onHandAfter } } }";

        var data = await s.GraphQLDataAsync(mutation, new { sku, node });
        Assert.Equal(7, data.GetProperty("adjustInventory").GetProperty("levels")[0].GetProperty("onHand").GetInt32());

        var reader = s.Factory.Client(await s.Factory.KeyWithScopesAsync("inv-reader-" + s.Tag, "inventory:read"));
        var (_, denied) = await s.GraphQLAsync(mutation, new { sku, node }, reader);
        Assert.Equal("forbidden", Scenario.ErrorCode(denied));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, reason = "received", delta = 1 })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync($"/api/v1/inventory/{sku}")).StatusCode);
    }

    [Fact]
    public async Task A_refused_receipt_writes_no_stock_row_for_any_sku()
    {
        var s = await Scenario.StartAsync();
        var node = await s.WarehouseAsync();
        var sku = await s.ProductAsync(stock: 0); // no stock row at the node yet
        var supplier = "SUP-" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Acme", leadTimeDays = 3 })).StatusCode);
        var created = await s.Admin.PostAsJsonAsync("/api/v1/purchase-orders", new { supplierCode = supplier, nodeCode = node, lines = new[] { new { sku, quantity = 5 } } });
        var poId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        // A draft cannot receive; nor can a submitted order receive a SKU it does not hold (even one with bidi and zero-width characters).
        var draft = await s.Admin.PostAsJsonAsync($"/api/v1/purchase-orders/{poId}/receive", new { lines = new[] { new { sku, quantity = 5 }, new { sku = "GHOST\u202E\u200B-" + s.Tag, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.Conflict, draft.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/purchase-orders/{poId}/submit", null)).StatusCode);
        var stranger = await s.Admin.PostAsJsonAsync($"/api/v1/purchase-orders/{poId}/receive", new { lines = new[] { new { sku = "GHOST-" + s.Tag, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, stranger.StatusCode);

        var rows = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory?nodeCode={node}");
        Assert.DoesNotContain(rows.GetProperty("data").EnumerateArray(), i => i.GetProperty("sku").GetString()!.StartsWith("GHOST", StringComparison.Ordinal));
        Assert.DoesNotContain(rows.GetProperty("data").EnumerateArray(), i => i.GetProperty("sku").GetString() == sku);
    }
}

