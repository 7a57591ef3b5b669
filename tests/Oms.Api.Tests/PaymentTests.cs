using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class PaymentTests
{
    private static async Task<JsonElement> PayAsync(Scenario s, string orderId, object body)
    {
        var response = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments", body);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task A_bank_transfer_stays_pending_until_received_in_parts_and_then_confirms_the_order()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync(await s.ProductAsync(price: 10_000));
        var id = order.GetProperty("id").GetString()!;
        var total = order.GetProperty("total").GetProperty("amount").GetInt64();

        var payment = await PayAsync(s, id, new { method = "bank_transfer", reference = "INV-" + s.Tag });
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.Equal(total, payment.GetProperty("amount").GetProperty("amount").GetInt64());
        var paymentId = payment.GetProperty("id").GetString();

        var part = await s.MarkReceivedAsync(id, paymentId!, new { amount = 5000 });
        Assert.Equal("partially_captured", (await part.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var halfPaid = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal("pending", halfPaid.GetProperty("status").GetString());
        Assert.Equal(5000, halfPaid.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.Equal(total - 5000, halfPaid.GetProperty("amountOutstanding").GetProperty("amount").GetInt64());

        var rest = await s.MarkReceivedAsync(id, paymentId!, new { amount = total - 5000 });
        Assert.Equal("captured", (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var paid = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal("allocated", paid.GetProperty("status").GetString()); // confirmed, routed and reserved
        Assert.Equal(0, paid.GetProperty("amountOutstanding").GetProperty("amount").GetInt64());

        var refund = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments/{paymentId}/refund", new { amount = 1000, reason = "goodwill" });
        var refunded = await refund.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("partially_refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(new[] { "created", "received", "received", "refunded" }, refunded.GetProperty("history").EnumerateArray().Select(h => h.GetProperty("kind").GetString()!).ToArray());
        Assert.Equal(total - 1000, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}")).GetProperty("amountPaid").GetProperty("amount").GetInt64());

        var tooMuch = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments/{paymentId}/refund", new { amount = total });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
    }

    [Fact]
    public async Task Invoices_fall_due_after_their_net_terms_and_payments_need_the_payments_scope()
    {
        var s = await Scenario.StartAsync();
        var id = (await s.PlaceAsync()).GetProperty("id").GetString()!;
        var invoice = await PayAsync(s, id, new { method = "invoice", netTermsDays = 30 });
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow).AddDays(30).ToString("yyyy-MM-dd"), invoice.GetProperty("dueDate").GetString());
        Assert.False(invoice.GetProperty("overdue").GetBoolean());
        var noTerms = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "invoice" });
        Assert.True((await noTerms.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("netTermsDays", out _));

        var reader = s.Factory.Client(await s.Factory.KeyWithScopesAsync("orders-" + s.Tag, "orders:write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "other" })).StatusCode);
    }

    [Fact]
    public async Task A_risky_order_waits_on_hold_with_its_reasons_until_released()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync(price: 80_000)); // a first order far above the threshold
        body["billingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "1 Main St", ["city"] = "Boston", ["country"] = "US" };
        body["clientIp"] = "203.0.113.7";
        var order = await s.PlaceAsync(body);

        Assert.Equal("on_hold", order.GetProperty("status").GetString());
        var risk = order.GetProperty("risk");
        Assert.True(risk.GetProperty("score").GetInt32() >= 50);
        var reasons = risk.GetProperty("reasons").EnumerateArray().Select(r => r.GetString()!).ToList();
        Assert.Contains(reasons, r => r.Contains("first order"));
        Assert.Contains(reasons, r => r.Contains("billing country US differs from shipping country DE"));
        var timeline = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{order.GetProperty("id").GetString()}/timeline");
        Assert.Equal("risk", timeline[1].GetProperty("actor").GetString());

        var released = await s.GraphQLDataAsync("mutation($id: ID!) { releaseOrder(id: $id, reason: \"called the customer\") { status risk { score reasons } } }",
            new { id = order.GetProperty("id").GetString() });
        Assert.Equal("PENDING", released.GetProperty("releaseOrder").GetProperty("status").GetString());

        var ordinary = await s.PlaceAsync(s.OrderBody(await s.ProductAsync(price: 2000), email: s.Email("regular")));
        Assert.Equal("pending", ordinary.GetProperty("status").GetString());
        Assert.Equal(0, ordinary.GetProperty("risk").GetProperty("score").GetInt32());
    }

    [Fact]
    public async Task Many_orders_from_one_IP_in_a_short_time_add_up()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 60_000);
        JsonElement last = default;
        for (var i = 0; i < 6; i++)
        {
            var body = s.OrderBody(sku, email: s.Email($"ip{i}"));
            body["clientIp"] = "198.51.100.23";
            last = await s.PlaceAsync(body);
        }
        Assert.Contains(last.GetProperty("risk").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("from this IP address"));
        Assert.Equal("on_hold", last.GetProperty("status").GetString()); // velocity plus a large first order
    }

    [Fact]
    public async Task Cash_on_delivery_is_collected_when_delivery_is_recorded()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync(await s.ProductAsync(price: 2000));
        var id = order.GetProperty("id").GetString()!;
        var cod = await PayAsync(s, id, new { method = "cash_on_delivery" });
        await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
        await s.ShipAllocationAsync((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/routing")).GetProperty("allocations")[0]);
        Assert.Equal("pending", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/payments"))[0].GetProperty("status").GetString());

        var delivered = await s.Admin.PostAsync($"/api/v1/orders/{id}/deliver", null);
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        var after = await delivered.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", after.GetProperty("status").GetString());
        Assert.Equal(0, after.GetProperty("amountOutstanding").GetProperty("amount").GetInt64());
        var payment = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/payments"))[0];
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal("collected", payment.GetProperty("history").EnumerateArray().Last().GetProperty("kind").GetString());
        Assert.Equal(cod.GetProperty("amount").GetProperty("amount").GetInt64(), payment.GetProperty("captured").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Bank_transfer_flow_works_through_GraphQL()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync(await s.ProductAsync(price: 3000));
        var id = order.GetProperty("id").GetString();
        var total = order.GetProperty("total").GetProperty("amount").GetInt64();

        var created = await s.GraphQLDataAsync("mutation($id: ID!) { createPayment(orderId: $id, input: { method: BANK_TRANSFER }) { id status version amount { amount } } }", new { id });
        var paymentId = created.GetProperty("createPayment").GetProperty("id").GetString();
        var version = created.GetProperty("createPayment").GetProperty("version").GetInt32();
        var received = await s.GraphQLDataAsync("mutation($id: ID!, $p: ID!, $a: Long!, $v: Int) { markPaymentReceived(orderId: $id, paymentId: $p, amount: $a, expectedVersion: $v) { status } }",
            new { id, p = paymentId, a = total, v = version });
        Assert.Equal("CAPTURED", received.GetProperty("markPaymentReceived").GetProperty("status").GetString());

        var read = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { status amountPaid { amount } amountOutstanding { amount } payments { method status captured { amount } } } }", new { id });
        var o = read.GetProperty("order");
        Assert.Equal("ALLOCATED", o.GetProperty("status").GetString());
        Assert.Equal(total, o.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.Equal("BANK_TRANSFER", o.GetProperty("payments")[0].GetProperty("method").GetString());
    }
}

public sealed class PlacementPaymentTests
{
    [Fact]
    public async Task An_order_placed_with_its_money_is_confirmed_routed_and_reserved_in_one_request()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1500, stock: 5);
        var body = s.OrderBody(sku, 2);
        body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["reference"] = "MP-PAYOUT-1" };
        var response = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var order = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        Assert.Equal(0, order.GetProperty("amountOutstanding").GetProperty("amount").GetInt64());
        var payment = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{order.GetProperty("id").GetString()}/payments"))[0];
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal("MP-PAYOUT-1", payment.GetProperty("providerReference").GetString());
        Assert.Equal(2, (await s.StockAtAsync(sku, await s.WarehouseAsync())).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task A_checkout_written_in_one_statement_reads_back_exactly_and_its_rows_work_on()
    {
        // Placement writes its new rows with one hand-written statement (arrays per column, identity keys drawn in it):
        // text PostgreSQL's array syntax would mangle, a text[] column, and the numbered line rows must all come back.
        var s = await Scenario.StartAsync();
        var (a, b) = (await s.ProductAsync(price: 1200, stock: 5), await s.ProductAsync(price: 800, stock: 5));
        const string tricky = "O'Brien \"Bob\" \\ {x,y} NULL ünïcödé 🚚";
        var body = s.OrderBody(a, 2);
        ((JsonArray)body["lines"]!).Add(new JsonObject { ["sku"] = b, ["quantity"] = 1 });
        body["customer"]!["name"] = tricky;
        body["shippingAddress"]!["line2"] = tricky;
        body["billingAddress"] = new JsonObject { ["name"] = tricky, ["line1"] = "1 Rue de Rivoli", ["city"] = "Paris", ["postalCode"] = "75001", ["country"] = "FR" };
        body["notes"] = tricky;
        body["metadata"] = new JsonObject { ["note"] = tricky, ["empty"] = "" };
        body["payment"] = new JsonObject { ["method"] = "bank_transfer", ["reference"] = tricky };
        var placed = await s.PlaceAsync(body);
        var id = placed.GetProperty("id").GetString()!;

        Assert.Equal("allocated", placed.GetProperty("status").GetString());
        Assert.Equal(tricky, placed.GetProperty("customer").GetProperty("name").GetString());
        Assert.Equal(tricky, placed.GetProperty("metadata").GetProperty("note").GetString());
        Assert.Contains(placed.GetProperty("risk").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.StartsWith("billing country FR differs"));
        var reread = await s.Admin.GetStringAsync($"/api/v1/orders/{id}");
        Assert.Equal(placed.ToString(), JsonDocument.Parse(reread).RootElement.ToString()); // every column as written
        Assert.Equal(tricky, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/payments"))[0].GetProperty("providerReference").GetString());

        var work = Assert.Single(await s.FulfilmentOrdersAsync(id));
        Assert.Equal(new[] { (a, 2), (b, 1) }.OrderBy(l => l.Item1),
            work.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("sku").GetString()!, l.GetProperty("quantity").GetInt32())).OrderBy(l => l.Item1));
        Assert.Equal(2, (await s.StockAtAsync(a, await s.WarehouseAsync())).GetProperty("reserved").GetInt32());
        // The line rows the statement numbered are the ones later work finds: ship, deliver.
        var delivered = await s.DeliverAllAsync(id);
        Assert.Equal(0, (await s.StockAtAsync(a, await s.WarehouseAsync())).GetProperty("reserved").GetInt32());
        Assert.Equal(3, (await s.StockAtAsync(a, await s.WarehouseAsync())).GetProperty("onHand").GetInt32());
        Assert.Equal(tricky, delivered.GetProperty("shippingAddress").GetProperty("line2").GetString());
    }

    [Fact]
    public async Task A_paid_order_without_stock_is_refused_whole_and_nothing_is_written()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 1);
        var body = s.OrderBody(sku, 3, channelRef: "paid-" + s.Tag);
        body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "other" };
        var response = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("inventory.insufficient_stock", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var orders = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={Uri.EscapeDataString(s.Email())}");
        Assert.Equal(0, orders.GetProperty("data").GetArrayLength());
        Assert.Equal(0, (await s.StockAtAsync(sku, await s.WarehouseAsync())).GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task Only_money_already_received_comes_with_an_order()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "card" };
        var card = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, card.StatusCode);
        Assert.True((await card.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("payment.method", out _));
        body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["amount"] = 999_999_999 };
        var tooMuch = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        Assert.True((await tooMuch.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("payment.amount", out _));
        body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["amount"] = 100 };
        var part = await (await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("pending", part.GetProperty("status").GetString()); // partly paid: waits for the rest
        Assert.Equal(100, part.GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }
}
