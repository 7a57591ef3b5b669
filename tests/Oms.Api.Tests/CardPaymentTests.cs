using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Card payments through our real Stripe.net code against a fake Stripe at the HTTP boundary.</summary>
public sealed class CardPaymentTests
{
    internal sealed record Card(string OrderId, string PaymentId, string IntentId, long Total);

    internal static async Task<Card> PayByCardAsync(Scenario s, string? sku = null, int quantity = 1)
    {
        var order = await s.PlaceAsync(s.OrderBody(sku ?? await s.ProductAsync(price: 4000), quantity));
        var orderId = order.GetProperty("id").GetString()!;
        var response = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments", new { method = "card" });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var payment = await response.Content.ReadFromJsonAsync<JsonElement>();
        var intentId = payment.GetProperty("providerReference").GetString()!;
        Assert.StartsWith("pi_", intentId);
        Assert.StartsWith(intentId + "_secret_", payment.GetProperty("clientSecret").GetString());
        return new Card(orderId, payment.GetProperty("id").GetString()!, intentId, order.GetProperty("total").GetProperty("amount").GetInt64());
    }

    internal static async Task<HttpResponseMessage> WebhookAsync(Scenario s, string json, string? signature = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/payments/stripe/webhook") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("Stripe-Signature", signature ?? FakeStripe.Sign(json));
        return await s.Factory.Client(null).SendAsync(request);
    }

    internal static async Task AuthorizeAsync(Scenario s, Card card, string? riskLevel = null)
    {
        var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(card.IntentId, riskLevel));
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(s, json)).StatusCode);
    }

    internal static async Task<JsonElement> PaymentAsync(Scenario s, Card card) =>
        (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}/payments")).EnumerateArray().Single(p => p.GetProperty("id").GetString() == card.PaymentId);

    private static async Task<List<JsonElement>> AllocationsAsync(Scenario s, Card card) =>
        (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}/routing")).GetProperty("allocations").EnumerateArray().ToList();

    [Fact]
    public async Task A_signed_body_that_is_not_a_Stripe_event_is_refused_with_400_and_records_nothing()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        var id = "evt_" + Guid.NewGuid().ToString("N");
        var good = FakeStripe.Event(id, "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(card.IntentId));
        foreach (var (json, field) in new[]
                 {
                     ("\"x\"", "body"), ("[1]", "body"), ("{}", "body"),
                     ($"{{\"id\":\"{id}\",\"object\":\"event\",\"type\":\"payment_intent.succeeded\"}}", "body"), // no data
                     (good.Replace(id, "evt_" + new string('e', 100)), "id"),
                     (good.Replace(id, id + "\\u0000"), "id"),
                     (good.Replace($"\"{card.IntentId}\"", $"\"{card.IntentId}\\u0000\""), "data.object.id"),
                 })
        {
            var refused = await WebhookAsync(s, json);
            Assert.True(refused.StatusCode == HttpStatusCode.BadRequest, $"{json}: {(int)refused.StatusCode} {await refused.Content.ReadAsStringAsync()}");
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), json);
        }
        Assert.Equal("pending", (await PaymentAsync(s, card)).GetProperty("status").GetString());

        // Nothing was recorded under the event's id: the real event is applied, not taken for a duplicate.
        var applied = await WebhookAsync(s, good);
        Assert.Equal(HttpStatusCode.OK, applied.StatusCode);
        Assert.False((await applied.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal("authorized", (await PaymentAsync(s, card)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Authorise_then_ship_then_capture_with_what_Stripe_expects()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        var create = TestApp.Stripe.Requests.Single(r => r.Path == "/v1/payment_intents" && r.Form["metadata[order_id]"] == card.OrderId);
        Assert.Equal(card.Total.ToString(), create.Form["amount"]);
        Assert.Equal("eur", create.Form["currency"]);
        Assert.Equal("manual", create.Form["capture_method"]);
        Assert.StartsWith("OMS-", create.Form["metadata[order_number]"]);
        Assert.Equal($"{card.PaymentId}-create", create.IdempotencyKey);
        Assert.Equal("pending", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());

        await AuthorizeAsync(s, card);
        var payment = await PaymentAsync(s, card);
        Assert.Equal("authorized", payment.GetProperty("status").GetString());
        Assert.Equal(card.Total, payment.GetProperty("authorized").GetProperty("amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("clientSecret").ValueKind); // only in the creating response
        Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());

        var allocation = Assert.Single(await AllocationsAsync(s, card));
        await s.ShipAllocationAsync(allocation);

        Assert.Equal("captured", (await PaymentAsync(s, card)).GetProperty("status").GetString());
        Assert.Equal(card.Total, TestApp.Stripe.Intent(card.IntentId)["amount_received"]!.GetValue<long>());
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("shipped", order.GetProperty("status").GetString());
        Assert.Equal(card.Total, order.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{allocation.GetProperty("lines")[0].GetProperty("sku").GetString()}")).GetProperty("reserved").GetInt32());

        // Stripe's own succeeded event arrives later and changes nothing.
        var succeeded = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.succeeded", TestApp.Stripe.Intent(card.IntentId));
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(s, succeeded)).StatusCode);
        Assert.Equal(card.Total, (await PaymentAsync(s, card)).GetProperty("captured").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Stripes_idempotency_key_is_derived_from_ours()
    {
        var s = await Scenario.StartAsync();
        var orderId = (await s.PlaceAsync()).GetProperty("id").GetString();
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{orderId}/payments") { Content = Scenario.Content(new { method = "card" }) };
        request.Headers.Add("Idempotency-Key", "checkout-" + s.Tag);
        var payment = await (await s.Admin.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        var create = TestApp.Stripe.Requests.Single(r => r.Path == "/v1/payment_intents" && r.Form["metadata[order_id]"] == orderId);
        Assert.Matches("^oms-[0-9a-f]{40}-create$", create.IdempotencyKey);
        Assert.DoesNotContain(payment.GetProperty("id").GetString()!, create.IdempotencyKey);
    }

    [Fact]
    public async Task A_partial_shipment_captures_the_shipped_part_and_the_last_one_the_rest()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1000, stock: 4);
        await s.StockAsync(sku, await s.NodeAsync("SECOND", 48.14, 11.58, "DE"), 2);
        var card = await PayByCardAsync(s, sku, quantity: 6);
        await AuthorizeAsync(s, card);
        var allocations = await AllocationsAsync(s, card);
        Assert.Equal(2, allocations.Count);

        var first = allocations.OrderByDescending(a => a.GetProperty("lines")[0].GetProperty("quantity").GetInt32()).First(); // 4 of 6 units
        await s.ShipAllocationAsync(first);
        var part = await PaymentAsync(s, card);
        Assert.Equal("partially_captured", part.GetProperty("status").GetString());
        var expected = (long)Math.Round(card.Total * 4000m / 6000m, MidpointRounding.AwayFromZero);
        Assert.Equal(expected, part.GetProperty("captured").GetProperty("amount").GetInt64());
        var capture = TestApp.Stripe.Requests.Last(r => r.Path == $"/v1/payment_intents/{card.IntentId}/capture");
        Assert.Equal(expected.ToString(), capture.Form["amount_to_capture"]);
        Assert.Equal("false", capture.Form["final_capture"]);
        Assert.Equal("partially_shipped", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());

        var second = allocations.Single(a => a.GetProperty("id").GetString() != first.GetProperty("id").GetString());
        await s.ShipAllocationAsync(second);
        var all = await PaymentAsync(s, card);
        Assert.Equal("captured", all.GetProperty("status").GetString());
        Assert.Equal(card.Total, all.GetProperty("captured").GetProperty("amount").GetInt64());
        Assert.Equal("true", TestApp.Stripe.Requests.Last(r => r.Path == $"/v1/payment_intents/{card.IntentId}/capture").Form["final_capture"]);
        Assert.Equal("shipped", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Without_multicapture_a_split_order_is_captured_once_when_its_last_part_ships()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1000, stock: 4);
        await s.StockAsync(sku, await s.NodeAsync("SECOND", 48.14, 11.58, "DE"), 2);
        var card = await PayByCardAsync(s, sku, quantity: 6);
        TestApp.Stripe.WithoutMulticapture(card.IntentId); // the account's plan has no multicapture
        await AuthorizeAsync(s, card);
        var allocations = await AllocationsAsync(s, card);
        Assert.Equal(2, allocations.Count);

        await s.ShipAllocationAsync(allocations[0]);
        var afterFirst = await PaymentAsync(s, card);
        Assert.Equal("authorized", afterFirst.GetProperty("status").GetString()); // nothing captured yet: it could not be split
        Assert.DoesNotContain(TestApp.Stripe.Requests, r => r.Path == $"/v1/payment_intents/{card.IntentId}/capture");
        Assert.Equal("partially_shipped", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());

        await s.ShipAllocationAsync(allocations[1]);
        var all = await PaymentAsync(s, card);
        Assert.Equal("captured", all.GetProperty("status").GetString());
        var capture = Assert.Single(TestApp.Stripe.Requests, r => r.Path == $"/v1/payment_intents/{card.IntentId}/capture");
        Assert.Equal(card.Total.ToString(), capture.Form["amount_to_capture"]);
        Assert.Equal("true", capture.Form["final_capture"]);
    }

    [Fact]
    public async Task Cancelling_before_capture_cancels_the_PaymentIntent()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        await AuthorizeAsync(s, card);
        var cancel = await s.Admin.PostAsync($"/api/v1/orders/{card.OrderId}/cancel", Scenario.Content(new { reason = "customer changed mind" }));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        Assert.Equal("canceled", TestApp.Stripe.Intent(card.IntentId)["status"]!.GetValue<string>());
        Assert.Equal("voided", (await PaymentAsync(s, card)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Partial_and_full_refunds_go_through_Stripe()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        await AuthorizeAsync(s, card);
        var allocation = Assert.Single(await AllocationsAsync(s, card));
        await s.ShipAllocationAsync(allocation);

        var partial = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{card.OrderId}/payments/{card.PaymentId}/refund", new { amount = 1000, reason = "scratched" });
        Assert.Equal("partially_refunded", (await partial.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var rest = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{card.OrderId}/payments/{card.PaymentId}/refund", new { });
        Assert.Equal("refunded", (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var refunds = TestApp.Stripe.Requests.Where(r => r.Path == "/v1/refunds" && r.Form["payment_intent"] == card.IntentId).ToList();
        Assert.Equal(new[] { "1000", (card.Total - 1000).ToString() }, refunds.Select(r => r.Form["amount"]).ToArray());
        Assert.Equal(card.Total, TestApp.Stripe.Intent(card.IntentId)["amount_refunded"]!.GetValue<long>());
        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task A_bad_signature_is_400_and_changes_nothing_and_a_replayed_event_is_applied_once()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(card.IntentId));

        var forged = await WebhookAsync(s, json, FakeStripe.Sign(json, "whsec_not_ours"));
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal("application/problem+json", forged.Content.Headers.ContentType?.MediaType);
        var stale = await WebhookAsync(s, json, Stripe.EventUtility.GenerateSignatureHeader(json, FakeStripe.WebhookSecret, DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds()));
        Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
        Assert.Equal("pending", (await PaymentAsync(s, card)).GetProperty("status").GetString());

        var first = await WebhookAsync(s, json);
        var second = await WebhookAsync(s, json);
        Assert.False((await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.True((await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        var payment = await PaymentAsync(s, card);
        Assert.Single(payment.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "authorized");
    }

    [Fact]
    public async Task A_dispute_puts_the_order_on_hold_and_Stripes_high_risk_verdict_holds_it_before_confirming()
    {
        var s = await Scenario.StartAsync();
        var card = await PayByCardAsync(s);
        await AuthorizeAsync(s, card, riskLevel: "highest");
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("on_hold", order.GetProperty("status").GetString());
        Assert.Contains(order.GetProperty("risk").GetProperty("reasons").EnumerateArray(), r => r.GetString()!.Contains("Stripe risk level highest"));

        var other = await PayByCardAsync(s);
        await AuthorizeAsync(s, other);
        var dispute = new System.Text.Json.Nodes.JsonObject
        {
            ["id"] = "dp_" + Guid.NewGuid().ToString("N")[..20], ["object"] = "dispute", ["amount"] = other.Total, ["currency"] = "eur",
            ["payment_intent"] = other.IntentId, ["reason"] = "fraudulent", ["status"] = "needs_response", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        };
        Assert.Equal(HttpStatusCode.OK, (await WebhookAsync(s, FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "charge.dispute.created", dispute))).StatusCode);
        var held = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{other.OrderId}");
        Assert.Equal("on_hold", held.GetProperty("status").GetString());
    }

    [Fact]
    public async Task The_card_flow_works_through_GraphQL()
    {
        var s = await Scenario.StartAsync();
        var orderId = (await s.PlaceAsync(await s.ProductAsync(price: 2500))).GetProperty("id").GetString();
        var created = await s.GraphQLDataAsync("mutation($id: ID!) { createPayment(orderId: $id, input: { method: CARD }) { id status providerReference clientSecret } }", new { id = orderId });
        var payment = created.GetProperty("createPayment");
        var card = new Card(orderId!, payment.GetProperty("id").GetString()!, payment.GetProperty("providerReference").GetString()!, 0);
        Assert.False(string.IsNullOrEmpty(payment.GetProperty("clientSecret").GetString()));
        await AuthorizeAsync(s, card);

        var work = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { fulfilmentOrders { id } } }", new { id = orderId });
        var fulfilmentId = work.GetProperty("order").GetProperty("fulfilmentOrders")[0].GetProperty("id").GetString();
        await s.GraphQLDataAsync("mutation($f: ID!) { packFulfilmentOrder(id: $f, packages: [{ weightGrams: 500, lengthMm: 200, widthMm: 150, heightMm: 100 }]) { status } }",
            new { f = fulfilmentId });
        var shipped = await s.GraphQLDataAsync("mutation($f: ID!) { shipFulfilmentOrder(id: $f, input: { trackingNumber: \"GQL-1\" }) { status trackingNumber } }", new { f = fulfilmentId });
        Assert.Equal("LABEL_CREATED", shipped.GetProperty("shipFulfilmentOrder").GetProperty("status").GetString());
        var refunded = await s.GraphQLDataAsync("mutation($o: ID!, $p: ID!) { refundPayment(orderId: $o, paymentId: $p, amount: 500) { status refunded { amount } } }",
            new { o = orderId, p = card.PaymentId });
        Assert.Equal("PARTIALLY_REFUNDED", refunded.GetProperty("refundPayment").GetProperty("status").GetString());
        var order = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { status payments { status captured { amount } refunded { amount } } } }", new { id = orderId });
        Assert.Equal("SHIPPED", order.GetProperty("order").GetProperty("status").GetString());
        Assert.Equal(500, order.GetProperty("order").GetProperty("payments")[0].GetProperty("refunded").GetProperty("amount").GetInt64());
    }
}
