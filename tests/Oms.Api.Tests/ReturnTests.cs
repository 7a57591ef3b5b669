using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class ReturnTests
{
    private static async Task<(Scenario S, string OrderId, string LineId, string Sku, long Total)> DeliveredOrderAsync(int quantity = 2, long price = 2500)
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: price, stock: 10);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, quantity));
        var id = order.GetProperty("id").GetString()!;
        await s.DeliverAllAsync(id);
        return (s, id, order.GetProperty("lines")[0].GetProperty("id").GetString()!, sku, order.GetProperty("total").GetProperty("amount").GetInt64());
    }

    private static async Task<JsonElement> PostAsync(Scenario s, string url, object body, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var response = await s.Admin.PostAsJsonAsync(url, body);
        Assert.True(response.StatusCode == expected, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<string> InspectedReturnAsync(Scenario s, string orderId, string lineId, int quantity, string disposition, string reason = "size_or_fit")
    {
        var rma = await PostAsync(s, $"/api/v1/orders/{orderId}/returns", new { lines = new[] { new { orderLineId = lineId, quantity, reason } } }, HttpStatusCode.Created);
        var url = $"/api/v1/returns/{rma.GetProperty("id").GetString()}";
        await PostAsync(s, url + "/approve", new { });
        await PostAsync(s, url + "/receive", new { nodeCode = await s.WarehouseAsync() });
        await PostAsync(s, url + "/inspect", new { lines = new[] { new { orderLineId = lineId, disposition } } });
        return url;
    }

    [Fact]
    public async Task An_exchange_creates_a_linked_replacement_order_that_is_reserved_and_routed()
    {
        var (s, orderId, lineId, sku, _) = await DeliveredOrderAsync();
        var url = await InspectedReturnAsync(s, orderId, lineId, 1, "write_off");
        var before = await s.StockAtAsync(sku, await s.WarehouseAsync());
        Assert.Equal(8, before.GetProperty("onHand").GetInt32()); // written off: not back on the shelf

        var exchanged = await PostAsync(s, url + "/exchange", new { });
        Assert.Equal("exchanged", exchanged.GetProperty("status").GetString());
        var replacementId = exchanged.GetProperty("replacementOrderId").GetString()!;
        var replacement = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{replacementId}");
        Assert.Equal("allocated", replacement.GetProperty("status").GetString());
        Assert.Equal(exchanged.GetProperty("id").GetString(), replacement.GetProperty("replacementForReturnId").GetString());
        Assert.Equal(0, replacement.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(sku, replacement.GetProperty("lines")[0].GetProperty("sku").GetString());
        Assert.Equal(1, replacement.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(s.Email(), replacement.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal(1, (await s.StockAtAsync(sku, await s.WarehouseAsync())).GetProperty("reserved").GetInt32());
        Assert.Single(await s.FulfilmentOrdersAsync(replacementId));
        // Exchanged is final: no refund on top of the replacement.
        var refund = await s.Admin.PostAsJsonAsync(url + "/refund", new { });
        Assert.Equal(HttpStatusCode.Conflict, refund.StatusCode);
        Assert.Equal("return.invalid_transition", (await refund.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task An_exchange_for_something_out_of_stock_changes_nothing()
    {
        var (s, orderId, lineId, _, _) = await DeliveredOrderAsync();
        var url = await InspectedReturnAsync(s, orderId, lineId, 1, "restock");
        var scarce = await s.ProductAsync(stock: 0);
        var response = await s.Admin.PostAsJsonAsync(url + "/exchange", new { lines = new[] { new { sku = scarce, quantity = 1 } } });
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("inventory.insufficient_stock", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("inspected", (await s.Admin.GetFromJsonAsync<JsonElement>(url)).GetProperty("status").GetString());
        var orders = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={Uri.EscapeDataString(s.Email())}");
        Assert.Equal(1, orders.GetProperty("data").GetArrayLength()); // no half-made replacement
    }

    [Fact]
    public async Task Returns_are_refused_before_delivery_beyond_what_was_bought_and_for_unknown_lines()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 5);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, 2));
        var id = order.GetProperty("id").GetString()!;
        var line = order.GetProperty("lines")[0].GetProperty("id").GetString();
        var early = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "other" } } });
        Assert.Equal(HttpStatusCode.Conflict, early.StatusCode);
        Assert.Equal("return.not_delivered", (await early.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        await s.DeliverAllAsync(id);
        var first = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = line, quantity = 2, reason = "other" } } });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var more = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "other" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, more.StatusCode);
        var problem = await more.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("return.invalid_quantity", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("lines[0].quantity", out _));

        // A rejected return gives its units back to what can be returned.
        await PostAsync(s, $"/api/v1/returns/{(await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()}/reject", new { reason = "worn" });
        var again = await PostAsync(s, $"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "other" } } }, HttpStatusCode.Created);
        Assert.EndsWith("-R2", again.GetProperty("number").GetString());

        var unknown = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = Guid.NewGuid(), quantity = 1, reason = "other" } } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var badReason = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "bored" } } });
        Assert.Equal(HttpStatusCode.BadRequest, badReason.StatusCode);
        Assert.True((await badReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("lines[0].reason", out _));
        Assert.Equal(2, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/returns")).GetArrayLength());
    }

    [Fact]
    public async Task A_refund_keeps_a_restocking_fee_and_never_exceeds_the_returned_value()
    {
        var (s, orderId, lineId, sku, total) = await DeliveredOrderAsync(quantity: 2, price: 5000);
        var url = await InspectedReturnAsync(s, orderId, lineId, 1, "restock");
        Assert.Equal(9, (await s.StockAtAsync(sku, await s.WarehouseAsync())).GetProperty("onHand").GetInt32());
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        var value = 5000 + (long)Math.Round(5000 * order.GetProperty("taxRateBasisPoints").GetInt32() / 10000m, MidpointRounding.AwayFromZero);

        var tooMuch = await s.Admin.PostAsJsonAsync(url + "/refund", new { amount = value, restockingFee = 500 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.True((await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("amount", out _));

        var refunded = await PostAsync(s, url + "/refund", new { restockingFee = 500 });
        Assert.Equal(value - 500, refunded.GetProperty("refundAmount").GetProperty("amount").GetInt64());
        Assert.Equal(500, refunded.GetProperty("restockingFee").GetProperty("amount").GetInt64());
        var payment = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/payments"))[0];
        Assert.Equal("partially_refunded", payment.GetProperty("status").GetString());
        Assert.Equal(value - 500, payment.GetProperty("refunded").GetProperty("amount").GetInt64());
        Assert.Equal(total - value + 500, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Return_counts_per_SKU_and_reason_are_reported_in_both_APIs()
    {
        var (s, orderId, lineId, sku, _) = await DeliveredOrderAsync(quantity: 3);
        await PostAsync(s, $"/api/v1/orders/{orderId}/returns", new { lines = new[] { new { orderLineId = lineId, quantity = 2, reason = "defective" } } }, HttpStatusCode.Created);
        await PostAsync(s, $"/api/v1/orders/{orderId}/returns", new { lines = new[] { new { orderLineId = lineId, quantity = 1, reason = "wrong_item" } } }, HttpStatusCode.Created);
        var stats = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/reports/returns?sku={sku}");
        var rows = stats.GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(2, rows.Count);
        Assert.Equal(("defective", 2, 1), (rows[0].GetProperty("reason").GetString(), rows[0].GetProperty("units").GetInt32(), rows[0].GetProperty("returns").GetInt32()));
        Assert.Equal(("wrong_item", 1, 1), (rows[1].GetProperty("reason").GetString(), rows[1].GetProperty("units").GetInt32(), rows[1].GetProperty("returns").GetInt32()));
        var gql = await s.GraphQLDataAsync("query($sku: String) { returnStats(sku: $sku) { rows { sku reason units returns } } }", new { sku });
        Assert.Equal("DEFECTIVE", gql.GetProperty("returnStats").GetProperty("rows")[0].GetProperty("reason").GetString());
    }
}
