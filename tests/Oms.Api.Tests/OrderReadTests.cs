using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>
/// Lists and GraphQL pages select an order's columns straight into the contract (<c>OrderDto.Projection</c>); writes
/// and reads of one order map the domain object (<c>OrderDto.From</c>). A client sees one order either way: every
/// write's answer must equal the reads that follow it, field by field, by id, by number and in a list.
/// </summary>
public sealed class OrderReadTests
{
    [Fact]
    public async Task An_order_read_by_id_by_number_or_in_a_list_is_the_order_its_last_write_answered()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1999);
        var other = await s.ProductAsync(price: 500);
        var email = s.Email();

        async Task SameAsRead(JsonElement answered, string what)
        {
            var id = answered.GetProperty("id").GetString();
            var number = answered.GetProperty("number").GetString();
            var byId = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
            var byNumber = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/by-number/{number}");
            var list = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={Uri.EscapeDataString(email)}&limit=250");
            var listed = list.GetProperty("data").EnumerateArray().Single(o => o.GetProperty("id").GetString() == id);
            var expected = JsonNode.Parse(answered.GetRawText());
            foreach (var (read, how) in new[] { (byId, "by id"), (byNumber, "by number"), (listed, "in a list") })
                Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(read.GetRawText())), $"{what}, read {how}:\nanswered {answered}\nread     {read}");
        }

        // Two addresses, two lines, notes, metadata and shipping: pending, waiting for its money.
        var body = s.OrderBody(sku, 2, email);
        body["billingAddress"] = new JsonObject { ["name"] = "Ada Lovelace", ["company"] = "Analytical Engines", ["line1"] = "Strand 5", ["city"] = "London", ["postalCode"] = "WC2R 0RN", ["country"] = "GB" };
        ((JsonArray)body["lines"]!).Add(new JsonObject { ["sku"] = other, ["quantity"] = 3 });
        body["notes"] = "Leave at the door";
        body["metadata"] = new JsonObject { ["cart"] = "c-1", ["ü"] = "ß" };
        body["customer"]!["phone"] = "+49 30 1234567";
        var placed = await s.PlaceAsync(body);
        Assert.Equal("pending", placed.GetProperty("status").GetString());
        await SameAsRead(placed, "placed");

        var id = placed.GetProperty("id").GetString();
        var held = await Answer(s, $"/api/v1/orders/{id}/hold", new { reason = "Address check" });
        Assert.Equal("on_hold", held.GetProperty("status").GetString());
        await SameAsRead(held, "held");
        var cancelled = await Answer(s, $"/api/v1/orders/{id}/cancel", new { reason = "Customer asked" });
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(0, cancelled.GetProperty("availableActions").GetArrayLength());
        await SameAsRead(cancelled, "cancelled");

        // Paid in full (confirmed, routed, reserved): the money and what can be done next come from other columns.
        var paid = await s.PaidOrderAsync(s.OrderBody(sku, 1, email));
        Assert.Equal(1999 + paid.GetProperty("shippingTotal").GetProperty("amount").GetInt64() + paid.GetProperty("taxTotal").GetProperty("amount").GetInt64(),
            paid.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        var paidId = paid.GetProperty("id").GetString()!;
        var edited = await Answer(s, $"/api/v1/orders/{paidId}", new { notes = "Gift wrap" }, HttpMethod.Patch);
        Assert.Equal("allocated", edited.GetProperty("status").GetString());
        await SameAsRead(edited, "paid and edited");
        await s.DeliverAllAsync(paidId);
        var completed = await Answer(s, $"/api/v1/orders/{paidId}/complete", null);
        Assert.Equal("completed", completed.GetProperty("status").GetString());
        await SameAsRead(completed, "completed");

        // No address at all: a pickup order; its address fields are null, not empty objects.
        var node = await s.NodeAsync("SHOP", 52.50, 13.35, "DE", kind: "store", canPickup: true);
        var pickup = s.OrderBody(sku, 1, email);
        pickup.Remove("shippingAddress");
        pickup["delivery"] = new JsonObject { ["type"] = "pickup", ["pickupLocation"] = node };
        var collected = await s.PlaceAsync(pickup);
        Assert.Equal(JsonValueKind.Null, collected.GetProperty("shippingAddress").ValueKind);
        await SameAsRead(collected, "a pickup order");
    }

    private static async Task<JsonElement> Answer(Scenario s, string path, object? body, HttpMethod? method = null)
    {
        var response = await s.Admin.SendAsync(new HttpRequestMessage(method ?? HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) });
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
