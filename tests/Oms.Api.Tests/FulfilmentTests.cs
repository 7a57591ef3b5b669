using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Carriers;

namespace Oms.Api.Tests;

public sealed class FulfilmentTests
{
    private sealed record TwoNodeOrder(Scenario S, string OrderId, long Total, int TaxRate, string Mugs, string Lamp, string MugLine, string LampLine,
        string Warehouse, string Munich, CardPaymentTests.Card Card);

    /// <summary>Two mugs only the Berlin warehouse has and a lamp only Munich has: the order splits over two nodes. Paid by card, authorised.</summary>
    private static async Task<TwoNodeOrder> TwoNodeOrderAsync()
    {
        var s = await Scenario.StartAsync();
        var mugs = await s.ProductAsync(price: 1000, stock: 3);
        var lamp = await s.ProductAsync(price: 2000, stock: 0);
        var munich = await s.NodeAsync("MUC", 48.14, 11.58, "DE");
        await s.StockAsync(lamp, munich, 5);
        var body = s.OrderBody(mugs, 2);
        ((JsonArray)body["lines"]!).Add(new JsonObject { ["sku"] = lamp, ["quantity"] = 1 });
        var placed = await s.PlaceAsync(body);
        var orderId = placed.GetProperty("id").GetString()!;
        var line = (string sku) => placed.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == sku).GetProperty("id").GetString()!;
        var payment = await (await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments", new { method = "card" })).Content.ReadFromJsonAsync<JsonElement>();
        var card = new CardPaymentTests.Card(orderId, payment.GetProperty("id").GetString()!, payment.GetProperty("providerReference").GetString()!,
            placed.GetProperty("total").GetProperty("amount").GetInt64());
        await CardPaymentTests.AuthorizeAsync(s, card);
        return new TwoNodeOrder(s, orderId, card.Total, placed.GetProperty("taxRateBasisPoints").GetInt32(), mugs, lamp, line(mugs), line(lamp),
            await s.WarehouseAsync(), munich, card);
    }

    private static async Task<JsonElement> OrderAsync(Scenario s, string id) => await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");

    private static async Task ExpectAsync(TwoNodeOrder o, string status, long paid)
    {
        var order = await OrderAsync(o.S, o.OrderId);
        Assert.Equal(status, order.GetProperty("status").GetString());
        Assert.Equal(paid, order.GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }

    private static (int OnHand, int Reserved) Counts(JsonElement level) => (level.GetProperty("onHand").GetInt32(), level.GetProperty("reserved").GetInt32());

    private static long Share(long total, long part, long whole) => (long)Math.Round((decimal)total * part / whole, MidpointRounding.AwayFromZero);

    private static long WithTax(long amount, int rate) => amount + (long)Math.Round(amount * rate / 10000m, MidpointRounding.AwayFromZero);

    public static async Task<HttpResponseMessage> CarrierWebhookAsync(Scenario s, object body, string? signature = null, long? timestamp = null)
    {
        var json = JsonSerializer.Serialize(body, new JsonSerializerOptions(JsonSerializerDefaults.Web));
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/carriers/manual/tracking-webhook") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Carrier-Signature", signature ?? CarrierSignature.Sign(ApiFactory.CarrierSecret, timestamp ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds(), json));
        return await s.Factory.Client(null).SendAsync(request);
    }

    [Fact]
    public async Task One_order_from_two_nodes_is_picked_packed_shipped_tracked_delivered_returned_restocked_and_refunded_over_REST()
    {
        var o = await TwoNodeOrderAsync();
        var s = o.S;
        await ExpectAsync(o, "allocated", paid: 0);
        Assert.Equal((3, 2), Counts(await s.StockAtAsync(o.Mugs, o.Warehouse)));
        Assert.Equal((5, 1), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));
        var work = await s.FulfilmentOrdersAsync(o.OrderId);
        Assert.Equal(2, work.Count);
        Assert.All(work, f => Assert.Equal("open", f.GetProperty("status").GetString()));
        var berlin = work.Single(f => f.GetProperty("nodeCode").GetString() == o.Warehouse).GetProperty("id").GetString()!;
        var munich = work.Single(f => f.GetProperty("nodeCode").GetString() == o.Munich).GetProperty("id").GetString()!;

        // The Berlin pick list has the two mugs for this order.
        var pickList = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-nodes/{o.Warehouse}/pick-list");
        var mugLine = pickList.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("sku").GetString() == o.Mugs);
        Assert.Equal(2, mugLine.GetProperty("quantity").GetInt32());
        Assert.Equal(berlin, mugLine.GetProperty("orders")[0].GetProperty("fulfilmentOrderId").GetString());

        // Berlin picks everything, packs one light but bulky box, and ships.
        Assert.Equal("picking", (await (await s.Admin.PostAsync($"/api/v1/fulfilment-orders/{berlin}/start-picking", null)).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var picked = await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{berlin}/picks", new { lines = new[] { new { orderLineId = o.MugLine, picked = 2 } } });
        Assert.Equal(0, (await picked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("lines")[0].GetProperty("shortPicked").GetInt32());
        var packed = await (await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{berlin}/pack",
            new { packages = new[] { new { weightGrams = 1000, lengthMm = 400, widthMm = 300, heightMm = 200 } } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("packed", packed.GetProperty("status").GetString());
        Assert.Equal(4800, packed.GetProperty("packages")[0].GetProperty("dimensionalWeightGrams").GetInt32()); // 400×300×200 mm³ / 5000
        Assert.Equal(4800, packed.GetProperty("billableWeightGrams").GetInt32());
        var slip = await s.Admin.GetAsync($"/api/v1/fulfilment-orders/{berlin}/packing-slip");
        Assert.Equal("text/html", slip.Content.Headers.ContentType?.MediaType);
        var html = await slip.Content.ReadAsStringAsync();
        Assert.Contains(o.Mugs, html);
        Assert.Contains((await OrderAsync(s, o.OrderId)).GetProperty("number").GetString()!, html);
        Assert.Contains("Unter den Linden 1", html);

        var tracking1 = "T1-" + s.Tag;
        var shipped = await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{berlin}/ship", new { carrier = "manual", service = "express", trackingNumber = tracking1 });
        Assert.Equal(HttpStatusCode.Created, shipped.StatusCode);
        var first = await shipped.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("label_created", first.GetProperty("status").GetString());
        Assert.Equal($"https://track.example/{tracking1}", first.GetProperty("trackingUrl").GetString());
        var firstShare = Share(o.Total, 2000, 4000);
        await ExpectAsync(o, "partially_shipped", paid: firstShare);
        var payment = await CardPaymentTests.PaymentAsync(s, o.Card);
        Assert.Equal("partially_captured", payment.GetProperty("status").GetString());
        Assert.Equal((1, 0), Counts(await s.StockAtAsync(o.Mugs, o.Warehouse)));
        Assert.Equal((5, 1), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));

        // Munich ships the lamp: the order is shipped and the rest of the money captured.
        var second = await s.ShipFulfilmentAsync(munich, "T2-" + s.Tag);
        await ExpectAsync(o, "shipped", paid: o.Total);
        Assert.Equal("captured", (await CardPaymentTests.PaymentAsync(s, o.Card)).GetProperty("status").GetString());
        Assert.Equal((4, 0), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));

        // Tracking: the first parcel by hand, the second by the carrier's signed webhook.
        var t0 = DateTimeOffset.UtcNow;
        var shipmentUrl = $"/api/v1/shipments/{first.GetProperty("id").GetString()}/tracking-events";
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsJsonAsync(shipmentUrl, new { status = "in_transit", carrierCode = "DEP", description = "Departed hub", occurredAt = t0.AddMinutes(1) })).StatusCode);
        var delivered1 = await (await s.Admin.PostAsJsonAsync(shipmentUrl, new { status = "delivered", description = "Handed to resident", occurredAt = t0.AddMinutes(20) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", delivered1.GetProperty("status").GetString());
        await ExpectAsync(o, "shipped", paid: o.Total); // one parcel is still on its way
        var hook = await CarrierWebhookAsync(s, new
        {
            events = new[]
            {
                new { trackingNumber = "T2-" + s.Tag, eventId = "e-1-" + s.Tag, code = "OFD", description = "Out for delivery", occurredAt = t0.AddMinutes(5) },
                new { trackingNumber = "T2-" + s.Tag, eventId = "e-2-" + s.Tag, code = "DL", description = "Delivered", occurredAt = t0.AddMinutes(6) },
            },
        });
        Assert.Equal(HttpStatusCode.OK, hook.StatusCode);
        Assert.Equal(2, (await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("applied").GetInt32());
        var secondNow = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{second.GetProperty("id").GetString()}");
        Assert.Equal("delivered", secondNow.GetProperty("status").GetString());
        Assert.Equal("DL", secondNow.GetProperty("events").EnumerateArray().Last().GetProperty("carrierCode").GetString());
        await ExpectAsync(o, "delivered", paid: o.Total);

        // The lamp comes back broken: returned to Munich, restocked there, refunded with tax.
        var requested = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{o.OrderId}/returns",
            new { lines = new[] { new { orderLineId = o.LampLine, quantity = 1, reason = "damaged", comment = "cracked shade" } }, comment = "arrived broken" });
        Assert.Equal(HttpStatusCode.Created, requested.StatusCode);
        var rma = await requested.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("requested", rma.GetProperty("status").GetString());
        Assert.EndsWith("-R1", rma.GetProperty("number").GetString());
        var rmaUrl = $"/api/v1/returns/{rma.GetProperty("id").GetString()}";
        async Task<JsonElement> Step(string path, object? body = null)
        {
            var response = await s.Admin.PostAsJsonAsync(rmaUrl + path, body ?? new { });
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            return await response.Content.ReadFromJsonAsync<JsonElement>();
        }
        Assert.Equal("approved", (await Step("/approve")).GetProperty("status").GetString());
        Assert.Equal("in_transit", (await Step("/in-transit", new { carrier = "manual", trackingNumber = "RET-" + s.Tag })).GetProperty("status").GetString());
        Assert.Equal("received", (await Step("/receive", new { nodeCode = o.Munich })).GetProperty("status").GetString());
        Assert.Equal((4, 0), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));
        Assert.Equal("inspected", (await Step("/inspect", new { lines = new[] { new { orderLineId = o.LampLine, disposition = "restock" } } })).GetProperty("status").GetString());
        Assert.Equal((5, 0), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));
        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{o.Lamp}/ledger?nodeCode={o.Munich}");
        Assert.Contains(ledger.GetProperty("data").EnumerateArray(), e => e.GetProperty("reason").GetString() == "restocked" && e.GetProperty("onHandAfter").GetInt32() == 5);

        var refund = WithTax(2000, o.TaxRate);
        var refunded = await Step("/refund");
        Assert.Equal("refunded", refunded.GetProperty("status").GetString());
        Assert.Equal(refund, refunded.GetProperty("refundAmount").GetProperty("amount").GetInt64());
        payment = await CardPaymentTests.PaymentAsync(s, o.Card);
        Assert.Equal("partially_refunded", payment.GetProperty("status").GetString());
        Assert.Equal(refund, payment.GetProperty("refunded").GetProperty("amount").GetInt64());
        Assert.Equal(refund.ToString(), TestApp.Stripe.Requests.Last(r => r.Path == "/v1/refunds" && r.Form["payment_intent"] == o.Card.IntentId).Form["amount"]);
        await ExpectAsync(o, "delivered", paid: o.Total - refund);
    }

    [Fact]
    public async Task One_order_from_two_nodes_goes_the_same_way_through_GraphQL()
    {
        var o = await TwoNodeOrderAsync();
        var s = o.S;
        async Task<JsonElement> Gql(string query, object variables) => await s.GraphQLDataAsync(query, variables);
        var order = (await Gql("query($id: ID!) { order(id: $id) { status fulfilmentOrders { id nodeCode status lines { orderLineId quantity } } } }", new { id = o.OrderId })).GetProperty("order");
        Assert.Equal("ALLOCATED", order.GetProperty("status").GetString());
        var work = order.GetProperty("fulfilmentOrders").EnumerateArray().ToList();
        Assert.Equal(2, work.Count);
        var pickList = (await Gql("query($n: String!) { pickList(nodeCode: $n) { lines { sku quantity } } }", new { n = o.Warehouse })).GetProperty("pickList");
        Assert.Contains(pickList.GetProperty("lines").EnumerateArray(), l => l.GetProperty("sku").GetString() == o.Mugs && l.GetProperty("quantity").GetInt32() == 2);

        var shipments = new List<string>();
        foreach (var f in work)
        {
            var id = f.GetProperty("id").GetString();
            await Gql("mutation($id: ID!) { startPicking(id: $id) { status } }", new { id });
            var lines = f.GetProperty("lines").EnumerateArray().Select(l => new { orderLineId = l.GetProperty("orderLineId").GetString(), picked = l.GetProperty("quantity").GetInt32() }).ToArray();
            await Gql("mutation($id: ID!, $lines: [PickLineInput!]!) { recordPicks(id: $id, lines: $lines) { status } }", new { id, lines });
            var packed = (await Gql("mutation($id: ID!) { packFulfilmentOrder(id: $id, packages: [{ weightGrams: 6000, lengthMm: 300, widthMm: 200, heightMm: 100 }]) { status billableWeightGrams } }",
                new { id })).GetProperty("packFulfilmentOrder");
            Assert.Equal(6000, packed.GetProperty("billableWeightGrams").GetInt32()); // heavier than its 1200 g dimensional weight
            var shipment = (await Gql("mutation($id: ID!, $t: String!) { shipFulfilmentOrder(id: $id, input: { trackingNumber: $t }) { id status trackingNumber } }",
                new { id, t = $"G-{id}" })).GetProperty("shipFulfilmentOrder");
            Assert.Equal("LABEL_CREATED", shipment.GetProperty("status").GetString());
            shipments.Add(shipment.GetProperty("id").GetString()!);
            if (shipments.Count == 1)
            {
                var partial = (await Gql("query($id: ID!) { order(id: $id) { status amountPaid { amount } } }", new { id = o.OrderId })).GetProperty("order");
                Assert.Equal("PARTIALLY_SHIPPED", partial.GetProperty("status").GetString());
                Assert.True(partial.GetProperty("amountPaid").GetProperty("amount").GetInt64() is > 0 and var paid && paid < o.Total);
            }
        }
        Assert.Equal((1, 0), Counts(await s.StockAtAsync(o.Mugs, o.Warehouse)));
        Assert.Equal((4, 0), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));
        foreach (var shipment in shipments)
            await Gql("mutation($id: ID!, $at: DateTimeOffset!) { addTrackingEvent(shipmentId: $id, input: { status: DELIVERED, occurredAt: $at }) { status } }",
                new { id = shipment, at = DateTimeOffset.UtcNow });
        var delivered = (await Gql("query($id: ID!) { order(id: $id) { status amountPaid { amount } shipments { status } } }", new { id = o.OrderId })).GetProperty("order");
        Assert.Equal("DELIVERED", delivered.GetProperty("status").GetString());
        Assert.Equal(o.Total, delivered.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.All(delivered.GetProperty("shipments").EnumerateArray(), x => Assert.Equal("DELIVERED", x.GetProperty("status").GetString()));

        var rma = (await Gql("mutation($o: ID!, $l: ID!) { requestReturn(orderId: $o, input: { lines: [{ orderLineId: $l, quantity: 1, reason: DEFECTIVE }] }) { id status } }",
            new { o = o.OrderId, l = o.LampLine })).GetProperty("requestReturn");
        var rid = rma.GetProperty("id").GetString();
        Assert.Equal("APPROVED", (await Gql("mutation($id: ID!) { approveReturn(id: $id) { status } }", new { id = rid })).GetProperty("approveReturn").GetProperty("status").GetString());
        Assert.Equal("RECEIVED", (await Gql("mutation($id: ID!, $n: String!) { receiveReturn(id: $id, nodeCode: $n) { status } }", new { id = rid, n = o.Munich }))
            .GetProperty("receiveReturn").GetProperty("status").GetString());
        await Gql("mutation($id: ID!, $l: ID!) { inspectReturn(id: $id, lines: [{ orderLineId: $l, disposition: RESTOCK }]) { status } }", new { id = rid, l = o.LampLine });
        Assert.Equal((5, 0), Counts(await s.StockAtAsync(o.Lamp, o.Munich)));
        var refunded = (await Gql("mutation($id: ID!) { refundReturn(id: $id) { status refundAmount { amount } } }", new { id = rid })).GetProperty("refundReturn");
        Assert.Equal("REFUNDED", refunded.GetProperty("status").GetString());
        var refund = WithTax(2000, o.TaxRate);
        Assert.Equal(refund, refunded.GetProperty("refundAmount").GetProperty("amount").GetInt64());
        var after = (await Gql("query($id: ID!) { order(id: $id) { status amountPaid { amount } returns { status } payments { refunded { amount } } } }", new { id = o.OrderId })).GetProperty("order");
        Assert.Equal("DELIVERED", after.GetProperty("status").GetString());
        Assert.Equal(o.Total - refund, after.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.Equal(refund, after.GetProperty("payments")[0].GetProperty("refunded").GetProperty("amount").GetInt64());
        Assert.Equal("REFUNDED", after.GetProperty("returns")[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_short_pick_takes_the_missing_units_out_of_stock_and_routes_them_to_another_node()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 2);
        var spare = await s.NodeAsync("SPARE", 53.55, 9.99, "DE"); // Hamburg: farther from a Berlin customer
        await s.StockAsync(sku, spare, 5);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, 2));
        var orderId = order.GetProperty("id").GetString()!;
        var line = order.GetProperty("lines")[0].GetProperty("id").GetString();
        var berlin = Assert.Single(await s.FulfilmentOrdersAsync(orderId));
        Assert.Equal(await s.WarehouseAsync(), berlin.GetProperty("nodeCode").GetString());

        var picked = await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{berlin.GetProperty("id").GetString()}/picks",
            new { lines = new[] { new { orderLineId = line, picked = 1 } } });
        Assert.Equal(HttpStatusCode.OK, picked.StatusCode);
        var after = await picked.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, after.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(1, after.GetProperty("lines")[0].GetProperty("shortPicked").GetInt32());

        // The missing unit left Berlin's count (with a ledger entry) and was reserved in Hamburg.
        Assert.Equal((1, 1), Counts(await s.StockAtAsync(sku, await s.WarehouseAsync())));
        Assert.Equal((5, 1), Counts(await s.StockAtAsync(sku, spare)));
        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}/ledger?nodeCode={await s.WarehouseAsync()}");
        Assert.Contains(ledger.GetProperty("data").EnumerateArray(), e => e.GetProperty("reason").GetString() == "short_picked");
        // ... and went out as inventory.adjusted, as every change of on-hand stock does.
        await using (var scope = s.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
            var adjusted = await db.OutboxMessages.Where(m => m.Type == "inventory.adjusted" && m.Payload!.Contains(sku)).Select(m => m.Payload!).ToListAsync();
            var warehouse = await s.WarehouseAsync();
            Assert.Contains(adjusted, p => p.Contains($"\"nodeCode\":\"{warehouse}\"") && p.Contains("\"onHand\":1,"));
        }
        var work = await s.FulfilmentOrdersAsync(orderId);
        var hamburg = Assert.Single(work, f => f.GetProperty("nodeCode").GetString() == spare);
        Assert.Equal(1, hamburg.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        // Read back, not the pick's response: the changed lines were written with their fulfilment order and allocation.
        var berlinAgain = Assert.Single(work, f => f.GetProperty("nodeCode").GetString() != spare).GetProperty("lines")[0];
        Assert.Equal((1, 1), (berlinAgain.GetProperty("quantity").GetInt32(), berlinAgain.GetProperty("shortPicked").GetInt32()));
        var routing = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing");
        Assert.Equal(new[] { 1, 1 }, routing.GetProperty("allocations").EnumerateArray().Select(a => a.GetProperty("lines")[0].GetProperty("quantity").GetInt32()).ToArray());
        Assert.Contains(routing.GetProperty("decisions").EnumerateArray(), d => d.GetProperty("trigger").GetString() == "short_pick");
        Assert.Equal("allocated", (await OrderAsync(s, orderId)).GetProperty("status").GetString());

        // Both parts ship: the order is shipped once, with both parcels.
        foreach (var f in work) await s.ShipFulfilmentAsync(f.GetProperty("id").GetString()!);
        Assert.Equal("shipped", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
        Assert.Equal((0, 0), Counts(await s.StockAtAsync(sku, await s.WarehouseAsync())));
        Assert.Equal((4, 0), Counts(await s.StockAtAsync(sku, spare)));
    }

    [Fact]
    public async Task A_short_pick_nobody_can_cover_waits_as_a_backorder()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 1);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, 1));
        var orderId = order.GetProperty("id").GetString()!;
        var f = Assert.Single(await s.FulfilmentOrdersAsync(orderId));
        var picked = await (await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{f.GetProperty("id").GetString()}/picks",
            new { lines = new[] { new { orderLineId = order.GetProperty("lines")[0].GetProperty("id").GetString(), picked = 0 } } })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cancelled", picked.GetProperty("status").GetString());
        Assert.Equal("confirmed", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
        var routing = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing");
        Assert.Equal(1, routing.GetProperty("backorders")[0].GetProperty("quantity").GetInt32());
        Assert.Equal((0, 0), Counts(await s.StockAtAsync(sku, await s.WarehouseAsync())));

        // New stock arrives: the backorder takes it and the order is allocated again, with new work for the node.
        await s.StockAsync(sku, await s.WarehouseAsync(), 3);
        Assert.Equal("allocated", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
        Assert.Contains(await s.FulfilmentOrdersAsync(orderId), x => x.GetProperty("status").GetString() == "open");

        // Both moments went out as events, about this order's backorder.
        var backorder = routing.GetProperty("backorders")[0].GetProperty("id").GetString()!;
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
        var events = await db.OutboxMessages.Where(m => m.AggregateId == Guid.Parse(orderId) && m.Type.StartsWith("backorder."))
            .OrderBy(m => m.Sequence).Select(m => new { m.Type, m.Payload }).ToListAsync();
        Assert.Equal(new[] { "backorder.created", "backorder.allocated" }, events.Select(e => e.Type).ToArray());
        Assert.All(events, e => Assert.Contains(backorder, e.Payload));
        Assert.Contains("\"status\":\"allocated\"", events[1].Payload);
    }

    [Fact]
    public async Task A_ship_retried_after_a_failure_gets_the_label_already_bought_not_a_second_one()
    {
        var s = await Scenario.StartAsync();
        var orderId = (await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()))).GetProperty("id").GetString()!;
        var fulfilmentId = (await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{fulfilmentId}/pack",
            new { packages = new[] { new { weightGrams = 1200, lengthMm = 300, widthMm = 200, heightMm = 100 } } })).StatusCode);

        await using (await RefusedWrites.OfOrderAsync(s.Factory, "shipments", orderId)) // the label is bought, then the save fails
            Assert.Equal(HttpStatusCode.InternalServerError,
                (await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{fulfilmentId}/ship", new { carrier = "parcelpost", service = "standard" })).StatusCode);
        Assert.Equal("packed", (await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("status").GetString()); // nothing half-written

        var shipped = await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{fulfilmentId}/ship", new { carrier = "parcelpost", service = "standard" });
        Assert.Equal(HttpStatusCode.Created, shipped.StatusCode);
        var keys = TestApp.Carrier.Requests.Where(k => k.StartsWith(fulfilmentId, StringComparison.Ordinal)).ToList();
        Assert.Equal(2, keys.Count);            // asked twice
        Assert.Single(keys.Distinct());         // for one parcel: one label sold
        Assert.Equal(TestApp.Carrier.Sold[keys[0]].TrackingNumber, (await shipped.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("trackingNumber").GetString());
    }

    [Fact]
    public async Task The_order_is_delivered_at_the_carriers_scan_time_even_one_timed_before_our_label_record()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var orderId = order.GetProperty("id").GetString()!;
        var shipment = await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!);
        var scanned = new DateTimeOffset(DateTime.UtcNow.AddHours(-2).Ticks / 10 * 10, TimeSpan.Zero); // the label was recorded late

        var tracked = await s.Admin.PostAsJsonAsync($"/api/v1/shipments/{shipment.GetProperty("id").GetString()}/tracking-events",
            new { status = "delivered", eventId = "dl-" + s.Tag, occurredAt = scanned });
        Assert.Equal(HttpStatusCode.OK, tracked.StatusCode);
        Assert.Equal("delivered", (await tracked.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var delivered = await OrderAsync(s, orderId);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(scanned, delivered.GetProperty("deliveredAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Duplicate_and_out_of_order_tracking_events_change_nothing_they_should_not()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var orderId = order.GetProperty("id").GetString()!;
        var tracking = "DUP-" + s.Tag;
        var shipment = await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!, tracking);
        var url = $"/api/v1/shipments/{shipment.GetProperty("id").GetString()}/tracking-events";
        var t0 = DateTimeOffset.UtcNow;

        // Delivered arrives first; the older in-transit scan arrives late and is kept, but the status stays delivered.
        await s.Admin.PostAsJsonAsync(url, new { status = "delivered", eventId = "ev-2", occurredAt = t0.AddMinutes(10) });
        var late = await (await s.Admin.PostAsJsonAsync(url, new { status = "in_transit", eventId = "ev-1", occurredAt = t0.AddMinutes(2) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("delivered", late.GetProperty("status").GetString());
        Assert.Equal(3, late.GetProperty("events").GetArrayLength()); // label, in transit, delivered
        Assert.Equal("in_transit", late.GetProperty("events")[1].GetProperty("status").GetString()); // ordered by event time
        var version = late.GetProperty("version").GetInt32();

        // The same event again, by hand and through the carrier webhook: nothing changes.
        var again = await (await s.Admin.PostAsJsonAsync(url, new { status = "delivered", eventId = "ev-2", occurredAt = t0.AddMinutes(10) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(version, again.GetProperty("version").GetInt32());
        var hook = await CarrierWebhookAsync(s, new { events = new[] { new { trackingNumber = tracking, eventId = "ev-2", code = "DL", occurredAt = t0.AddMinutes(10) } } });
        var result = await hook.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(1, result.GetProperty("duplicates").GetInt32());
        Assert.Equal(0, result.GetProperty("applied").GetInt32());
        // Without a carrier event id, the same status, code and time is the duplicate.
        await s.Admin.PostAsJsonAsync(url, new { status = "out_for_delivery", carrierCode = "OFD", occurredAt = t0.AddMinutes(8) });
        var same = await (await s.Admin.PostAsJsonAsync(url, new { status = "out_for_delivery", carrierCode = "OFD", occurredAt = t0.AddMinutes(8) })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(4, same.GetProperty("events").GetArrayLength());

        var timeline = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/timeline")).EnumerateArray()
            .Count(e => e.TryGetProperty("to", out var to) && to.GetString() == "delivered");
        Assert.Equal(1, timeline);
        Assert.Equal("delivered", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_carrier_webhook_refuses_a_bad_or_stale_signature_and_records_nothing()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var tracking = "SIG-" + s.Tag;
        var shipment = await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(order.GetProperty("id").GetString()!))[0].GetProperty("id").GetString()!, tracking);
        var body = new { events = new[] { new { trackingNumber = tracking, eventId = "x-1", code = "DL", occurredAt = DateTimeOffset.UtcNow } } };

        var forged = await CarrierWebhookAsync(s, body, signature: $"t={DateTimeOffset.UtcNow.ToUnixTimeSeconds()},v1={new string('a', 64)}");
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        Assert.True((await forged.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("Carrier-Signature", out _));
        var stale = await CarrierWebhookAsync(s, body, timestamp: DateTimeOffset.UtcNow.AddMinutes(-10).ToUnixTimeSeconds());
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        // A timestamp chosen to overflow the age computed from it: refused like any other, before the MAC is looked at.
        // now − 2^63, give or take the seconds between the test's clock reading and the API's.
        var crafted = Enumerable.Range(-3, 7).Select(d => unchecked(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + long.MinValue + d));
        foreach (var t in crafted.Append(long.MinValue).Append(long.MaxValue))
        {
            var answer = await CarrierWebhookAsync(s, body, signature: $"t={t},v1={new string('a', 64)}");
            Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        }

        var now = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{shipment.GetProperty("id").GetString()}");
        Assert.Equal("label_created", now.GetProperty("status").GetString());
        Assert.Equal(1, now.GetProperty("events").GetArrayLength());
    }

    [Fact]
    public async Task A_tracking_event_dated_years_ahead_is_refused_and_the_real_scan_still_delivers()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var orderId = order.GetProperty("id").GetString()!;
        var tracking = "FUT-" + s.Tag;
        var shipment = await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!, tracking);
        var url = $"/api/v1/shipments/{shipment.GetProperty("id").GetString()}/tracking-events";
        var typo = DateTimeOffset.UtcNow.AddYears(36); // 2062 for 2026

        var byHand = await s.Admin.PostAsJsonAsync(url, new { status = "in_transit", occurredAt = typo });
        Assert.Equal(HttpStatusCode.BadRequest, byHand.StatusCode);
        Assert.True((await byHand.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("occurredAt", out _));
        var hook = await CarrierWebhookAsync(s, new { events = new[]
        {
            new { trackingNumber = tracking, eventId = "ok-" + s.Tag, code = "DEP", occurredAt = DateTimeOffset.UtcNow },
            new { trackingNumber = tracking, eventId = "fut-" + s.Tag, code = "DEP", occurredAt = typo },
        } });
        Assert.Equal(HttpStatusCode.BadRequest, hook.StatusCode);
        Assert.True((await hook.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("events[1].occurredAt", out _));
        var ancient = await s.Admin.PostAsJsonAsync(url, new { status = "in_transit", occurredAt = new DateTimeOffset(1026, 12, 6, 10, 0, 0, TimeSpan.Zero) });
        Assert.Equal(HttpStatusCode.BadRequest, ancient.StatusCode);
        Assert.Single((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/shipments/{shipment.GetProperty("id").GetString()}")).GetProperty("events").EnumerateArray()); // the label only

        var delivered = await s.Admin.PostAsJsonAsync(url, new { status = "delivered", occurredAt = DateTimeOffset.UtcNow.AddMinutes(1) });
        Assert.Equal(HttpStatusCode.OK, delivered.StatusCode);
        Assert.Equal("delivered", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_carrier_exception_is_flagged_on_the_order_until_the_parcel_is_delivered()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var orderId = order.GetProperty("id").GetString()!;
        var shipment = await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!);
        var url = $"/api/v1/shipments/{shipment.GetProperty("id").GetString()}/tracking-events";
        var t0 = DateTimeOffset.UtcNow;
        await s.Admin.PostAsJsonAsync(url, new { carrierCode = "NOT_HOME", description = "Nobody home", occurredAt = t0.AddMinutes(1) });
        var flagged = await OrderAsync(s, orderId);
        Assert.Equal("shipped", flagged.GetProperty("status").GetString());
        Assert.Contains("delivery_failed", flagged.GetProperty("shipmentIssue").GetString());
        Assert.Contains("Nobody home", flagged.GetProperty("shipmentIssue").GetString());

        await s.Admin.PostAsJsonAsync(url, new { status = "delivered", occurredAt = t0.AddMinutes(30) });
        var delivered = await OrderAsync(s, orderId);
        Assert.Equal("delivered", delivered.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, delivered.GetProperty("shipmentIssue").ValueKind);

        var unknownCode = await s.Admin.PostAsJsonAsync(url, new { carrierCode = "ZZZ", occurredAt = t0 });
        Assert.Equal(HttpStatusCode.BadRequest, unknownCode.StatusCode);
        Assert.True((await unknownCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("status", out _));
    }

    [Fact]
    public async Task Customer_tracking_shows_steps_and_parcels_and_reveals_nothing_for_a_wrong_email()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var orderId = order.GetProperty("id").GetString()!;
        var number = order.GetProperty("number").GetString();
        await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!, "CUS-" + s.Tag);
        var shopper = s.Factory.Client(null);

        var page = await shopper.GetAsync($"/api/v1/tracking/{number}?email={Uri.EscapeDataString(s.Email().ToUpperInvariant())}");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var view = await page.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("shipped", view.GetProperty("status").GetString());
        Assert.Equal(new[] { "pending", "confirmed", "allocated", "shipped" }, view.GetProperty("timeline").EnumerateArray().Select(t => t.GetProperty("status").GetString()).ToArray());
        Assert.Equal("CUS-" + s.Tag, view.GetProperty("shipments")[0].GetProperty("trackingNumber").GetString());
        // Nothing of the seller's: the steps, the parcels, and (once delivered) the link to say how it went.
        Assert.Equal(new[] { "orderNumber", "status", "timeline", "shipments", "feedback" }, view.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("feedback").ValueKind); // not delivered yet

        var wrongEmail = await shopper.GetAsync($"/api/v1/tracking/{number}?email=someone.else@example.com");
        var noSuchOrder = await shopper.GetAsync($"/api/v1/tracking/OMS-9{Random.Shared.Next(10000000, 99999999)}?email={Uri.EscapeDataString(s.Email())}");
        Assert.Equal(HttpStatusCode.NotFound, wrongEmail.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, noSuchOrder.StatusCode);
        var a = await wrongEmail.Content.ReadFromJsonAsync<JsonObject>();
        var b = await noSuchOrder.Content.ReadFromJsonAsync<JsonObject>();
        foreach (var problem in new[] { a!, b! }) { problem.Remove("traceId"); problem.Remove("detail"); }
        Assert.True(JsonNode.DeepEquals(a, b), $"{a} vs {b}");
        Assert.DoesNotContain(s.Email(), await wrongEmail.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await shopper.GetAsync($"/api/v1/tracking/{number}")).StatusCode);

        // Guessing e-mails for one order is cut off by the rate limit.
        HttpResponseMessage last = wrongEmail;
        for (var i = 0; i < 12 && last.StatusCode != HttpStatusCode.TooManyRequests; i++)
            last = await shopper.GetAsync($"/api/v1/tracking/{number}?email=guess{i}@example.com");
        Assert.Equal(HttpStatusCode.TooManyRequests, last.StatusCode);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.True(last.Headers.RetryAfter is not null);
    }

    [Fact]
    public async Task A_pickup_order_goes_ready_for_pickup_then_picked_up()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0);
        var store = await s.NodeAsync("STORE", 52.50, 13.42, "DE", kind: "store", canPickup: true);
        await s.StockAsync(sku, store, 3);
        var body = s.OrderBody(sku, 1);
        body["delivery"] = new JsonObject { ["type"] = "pickup", ["pickupLocation"] = store };
        var order = await s.PaidOrderAsync(body);
        var orderId = order.GetProperty("id").GetString()!;
        var f = Assert.Single(await s.FulfilmentOrdersAsync(orderId));
        Assert.True(f.GetProperty("pickup").GetBoolean());
        var id = f.GetProperty("id").GetString();

        await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{id}/pack", new { packages = new[] { new { weightGrams = 400, lengthMm = 200, widthMm = 100, heightMm = 100 } } });
        var ship = await s.Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{id}/ship", new { trackingNumber = "NOPE" });
        Assert.Equal(HttpStatusCode.Conflict, ship.StatusCode);
        Assert.Equal("fulfilment.pickup_order", (await ship.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/fulfilment-orders/{id}/ready-for-pickup", null)).StatusCode);
        Assert.Equal("ready_for_pickup", (await OrderAsync(s, orderId)).GetProperty("status").GetString());
        Assert.Equal((3, 1), Counts(await s.StockAtAsync(sku, store)));
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/fulfilment-orders/{id}/picked-up", null)).StatusCode);
        var collected = await OrderAsync(s, orderId);
        Assert.Equal("picked_up", collected.GetProperty("status").GetString());
        Assert.NotEqual(JsonValueKind.Null, collected.GetProperty("deliveredAt").ValueKind);
        Assert.Equal((2, 0), Counts(await s.StockAtAsync(sku, store)));
    }

    [Fact]
    public async Task The_pick_list_puts_expedited_orders_first_then_the_oldest()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 10);
        var older = await s.PaidOrderAsync(s.OrderBody(sku, 1));
        var newer = await s.PaidOrderAsync(s.OrderBody(sku, 2));
        var rushBody = s.OrderBody(sku, 3);
        rushBody["priority"] = "expedited";
        var rush = await s.PaidOrderAsync(rushBody);
        var list = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-nodes/{await s.WarehouseAsync()}/pick-list");
        Assert.Equal(new[] { rush, older, newer }.Select(o => o.GetProperty("number").GetString()).ToArray(),
            list.GetProperty("fulfilmentOrders").EnumerateArray().Select(f => f.GetProperty("orderNumber").GetString()).ToArray());
        var line = Assert.Single(list.GetProperty("lines").EnumerateArray());
        Assert.Equal(6, line.GetProperty("quantity").GetInt32());
        Assert.Equal(new[] { 3, 1, 2 }, line.GetProperty("orders").EnumerateArray().Select(e => e.GetProperty("quantity").GetInt32()).ToArray());
    }
}
