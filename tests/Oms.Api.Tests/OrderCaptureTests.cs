using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class OrderCaptureTests
{
    private const string OrderFields = """
        id number channel channelOrderRef status priority currency notes metadata taxRateBasisPoints version cancelReason availableActions createdAt
        customer { email name phone }
        shippingAddress { name line1 city postalCode country }
        delivery { type pickupLocation }
        lines { sku name quantity unitPrice { amount currency } total { amount currency } }
        subtotal { amount currency } shippingTotal { amount currency } taxTotal { amount currency } total { amount currency }
        """;

    [Fact]
    public async Task A_placed_order_answers_with_the_order_exactly_as_reading_it_back_gives_it()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1250);
        foreach (var paid in new[] { false, true })
        {
            var body = s.OrderBody(sku, quantity: 2);
            body["metadata"] = new JsonObject { ["cart"] = "c-7", ["note"] = "ünïcode & <html>" };
            if (paid) body["payment"] = new JsonObject { ["method"] = "bank_transfer" };
            var placed = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            var text = await placed.Content.ReadAsStringAsync();
            var id = JsonDocument.Parse(text).RootElement.GetProperty("id").GetString();
            Assert.Equal($"/api/v1/orders/{id}", placed.Headers.Location?.OriginalString);
            Assert.Equal("application/json; charset=utf-8", placed.Content.Headers.ContentType?.ToString());
            var read = await s.Admin.GetAsync($"/api/v1/orders/{id}");
            Assert.Equal(read.Headers.ETag, placed.Headers.ETag);
            // Byte for byte: the answer is the resource as the API serializes it (here the JSON its events carry).
            Assert.Equal(await read.Content.ReadAsStringAsync(), text);
            Assert.Equal(paid ? "allocated" : "pending", JsonDocument.Parse(text).RootElement.GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Orders_placed_at_the_same_time_over_several_number_blocks_all_get_their_own_number()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 100);
        // 50 orders take numbers from at least three blocks of 20, most while the next block is being fetched.
        var placed = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => s.PlaceAsync(s.OrderBody(sku))));
        var numbers = placed.Select(o => o.GetProperty("number").GetString()!).ToList();
        Assert.All(numbers, n => Assert.Matches("^OMS-[0-9]+$", n));
        Assert.Equal(50, numbers.Distinct().Count());
    }

    [Fact]
    public async Task Rest_placed_order_reads_back_identically_through_GraphQL()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1999);
        var body = s.OrderBody(sku, quantity: 3);
        body["notes"] = "Leave at the door";
        body["metadata"] = new JsonObject { ["cart"] = "c-42" };
        var placed = await s.PlaceAsync(body);

        Assert.Equal("pending", placed.GetProperty("status").GetString());
        Assert.Matches("^OMS-\\d{6,}$", placed.GetProperty("number").GetString());
        Assert.Equal(5997, placed.GetProperty("subtotal").GetProperty("amount").GetInt64());
        Assert.Equal(499, placed.GetProperty("shippingTotal").GetProperty("amount").GetInt64()); // below the free-shipping threshold
        Assert.Equal(1900, placed.GetProperty("taxRateBasisPoints").GetInt32());                // DE
        Assert.Equal(1234, placed.GetProperty("taxTotal").GetProperty("amount").GetInt64());     // 19 % of 64.96, rounded half up
        Assert.Equal(5997 + 499 + 1234, placed.GetProperty("total").GetProperty("amount").GetInt64());

        var data = await s.GraphQLDataAsync($"query($id: ID!) {{ order(id: $id) {{ {OrderFields} }} }}", new { id = placed.GetProperty("id").GetString() });
        var viaGraph = data.GetProperty("order");
        Assert.Equal(placed.GetProperty("number").GetString(), viaGraph.GetProperty("number").GetString());
        Assert.Equal("PENDING", viaGraph.GetProperty("status").GetString());
        Assert.Equal("WEB", viaGraph.GetProperty("channel").GetString());
        Assert.Equal(placed.GetProperty("customer").GetProperty("email").GetString(), viaGraph.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("c-42", viaGraph.GetProperty("metadata").GetProperty("cart").GetString());
        Assert.Equal("Leave at the door", viaGraph.GetProperty("notes").GetString());
        foreach (var money in new[] { "subtotal", "shippingTotal", "taxTotal", "total" })
            Assert.Equal(placed.GetProperty(money).GetProperty("amount").GetInt64(), viaGraph.GetProperty(money).GetProperty("amount").GetInt64());
        var line = viaGraph.GetProperty("lines")[0];
        Assert.Equal(sku, line.GetProperty("sku").GetString());
        Assert.Equal(3, line.GetProperty("quantity").GetInt32());
        Assert.Equal(1999, line.GetProperty("unitPrice").GetProperty("amount").GetInt64());
        Assert.Equal(placed.GetProperty("version").GetInt32(), viaGraph.GetProperty("version").GetInt32());
        Assert.Equal(placed.GetProperty("createdAt").GetDateTimeOffset(), viaGraph.GetProperty("createdAt").GetDateTimeOffset());

        var reread = await s.Admin.GetStringAsync($"/api/v1/orders/{placed.GetProperty("id").GetString()}");
        Assert.Equal(placed.ToString(), JsonDocument.Parse(reread).RootElement.ToString()); // byte for byte what the POST answered
    }

    [Fact]
    public async Task GraphQL_placed_order_reads_back_identically_through_REST()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 15000);
        var data = await s.GraphQLDataAsync($$"""
            mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { created order { {{OrderFields}} } } }
            """, new
        {
            input = new
            {
                channel = "MARKETPLACE", channelOrderRef = "AMZ-" + s.Tag, priority = "EXPEDITED",
                customer = new { email = s.Email(), name = "Grace Hopper" },
                shippingAddress = new { name = "Grace Hopper", line1 = "1 Rue de Rivoli", city = "Paris", postalCode = "75001", country = "FR" },
                currency = "EUR", lines = new[] { new { sku, quantity = 1, unitPrice = 14000L } },
                metadata = new Dictionary<string, string> { ["marketplace"] = "amazon" },
            },
        });
        Assert.True(data.GetProperty("placeOrder").GetProperty("created").GetBoolean());
        var viaGraph = data.GetProperty("placeOrder").GetProperty("order");

        var rest = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{viaGraph.GetProperty("id").GetString()}");
        Assert.Equal(viaGraph.GetProperty("number").GetString(), rest.GetProperty("number").GetString());
        Assert.Equal("marketplace", rest.GetProperty("channel").GetString());
        Assert.Equal("expedited", rest.GetProperty("priority").GetString());
        Assert.Equal("AMZ-" + s.Tag, rest.GetProperty("channelOrderRef").GetString());
        Assert.Equal(14000, rest.GetProperty("lines")[0].GetProperty("unitPrice").GetProperty("amount").GetInt64());
        Assert.Equal(1499, rest.GetProperty("shippingTotal").GetProperty("amount").GetInt64()); // expedited
        Assert.Equal(2000, rest.GetProperty("taxRateBasisPoints").GetInt32());                  // FR
        Assert.Equal("amazon", rest.GetProperty("metadata").GetProperty("marketplace").GetString());
        foreach (var money in new[] { "subtotal", "shippingTotal", "taxTotal", "total" })
            Assert.Equal(viaGraph.GetProperty(money).GetProperty("amount").GetInt64(), rest.GetProperty(money).GetProperty("amount").GetInt64());

        var byNumber = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/by-number/{rest.GetProperty("number").GetString()}");
        Assert.Equal(rest.GetProperty("id").GetString(), byNumber.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Same_channel_reference_returns_the_first_order_even_when_racing()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var reference = "EBAY-" + s.Tag;
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            s.Admin.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(sku, channel: "marketplace", channelRef: reference)))));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());

        var list = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}");
        Assert.Equal(1, list.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task Paid_orders_racing_with_one_channel_reference_make_one_order_and_reserve_its_stock_once()
    {
        // A paid placement routes and reserves before its one-statement insert; the losers' inserts fail on the unique
        // channel reference, and everything they reserved must go back with their transactions.
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 5);
        var reference = "SHOP-" + s.Tag;
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
        {
            var body = s.OrderBody(sku, 2, channel: "marketplace", channelRef: reference);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            return s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        }));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.OK, r.StatusCode.ToString()));
        var orders = await Task.WhenAll(responses.Select(async r => await r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Single(orders.Select(o => o.GetProperty("id").GetString()).Distinct());
        Assert.All(orders, o => Assert.Equal("allocated", o.GetProperty("status").GetString()));
        var stock = await s.StockAtAsync(sku, await s.WarehouseAsync());
        Assert.Equal(2, stock.GetProperty("reserved").GetInt32());
        Assert.Single(await s.FulfilmentOrdersAsync(orders[0].GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task Paid_checkouts_racing_for_scarce_stock_confirm_exactly_what_there_is_and_write_nothing_for_the_rest()
    {
        // A paid checkout sends its reservation with its write: a reservation refused because the stock moved since it
        // was read must leave nothing behind, and the checkout then reserves again from what is left.
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 12);
        var responses = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
        {
            var body = s.OrderBody(sku, 1, email: s.Email($"buyer{i}"));
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            return s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        }));

        var bodies = await Task.WhenAll(responses.Select(async r => (r.StatusCode, Body: await r.Content.ReadFromJsonAsync<JsonElement>())));
        Assert.Equal(12, bodies.Count(b => b.StatusCode == HttpStatusCode.Created && b.Body.GetProperty("status").GetString() == "allocated"));
        Assert.Equal(28, bodies.Count(b => b.StatusCode == HttpStatusCode.Conflict && b.Body.GetProperty("code").GetString() == "inventory.insufficient_stock"));
        var stock = await s.StockAtAsync(sku, await s.WarehouseAsync());
        Assert.Equal(12, stock.GetProperty("reserved").GetInt32());
        Assert.Equal(0, stock.GetProperty("available").GetInt32());
        var listed = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?sku={sku}&limit=100");
        Assert.Equal(12, listed.GetProperty("data").GetArrayLength()); // the refused ones left no order behind
    }

    [Fact]
    public async Task Same_reference_on_another_channel_is_another_order()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var a = await s.PlaceAsync(s.OrderBody(sku, channel: "marketplace", channelRef: "R-" + s.Tag));
        var b = await s.PlaceAsync(s.OrderBody(sku, channel: "pos", channelRef: "R-" + s.Tag));
        Assert.NotEqual(a.GetProperty("id").GetString(), b.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Pickup_order_needs_no_shipping_address_costs_no_shipping_and_is_taxed_where_it_is_collected()
    {
        var s = await Scenario.StartAsync();
        var store = await s.NodeAsync("STORE", 52.50, 13.42, "DE", kind: "store", canPickup: true);
        var body = s.OrderBody(await s.ProductAsync(price: 1000));
        body.Remove("shippingAddress");
        body["billingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "Damrak 1", ["city"] = "Amsterdam", ["country"] = "NL" };
        body["delivery"] = new JsonObject { ["type"] = "pickup", ["pickupLocation"] = store };
        var order = await s.PlaceAsync(body);
        Assert.Equal(0, order.GetProperty("shippingTotal").GetProperty("amount").GetInt64());
        Assert.Equal(1900, order.GetProperty("taxRateBasisPoints").GetInt32()); // collected in Berlin: German VAT, not the Dutch billing address's
        Assert.Equal(190, order.GetProperty("taxTotal").GetProperty("amount").GetInt64());
        Assert.Equal("pickup", order.GetProperty("delivery").GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, order.GetProperty("shippingAddress").ValueKind);

        body["delivery"] = new JsonObject { ["type"] = "pickup", ["pickupLocation"] = "NO-SUCH-STORE-" + s.Tag };
        var unknown = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, unknown.StatusCode);
        var problem = await unknown.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("order.unknown_pickup_location", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("delivery.pickupLocation", out _));
    }
}
