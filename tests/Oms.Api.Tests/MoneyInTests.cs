using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Money coming in is bounded by the order's total, cannot be counted twice by a retry, and confirms a held order on release.</summary>
public sealed class MoneyInTests
{
    private static async Task<(string OrderId, string PaymentId, long Total)> BankTransferAsync(Scenario s)
    {
        var order = await s.PlaceAsync(await s.ProductAsync(price: 10_000));
        var id = order.GetProperty("id").GetString()!;
        var response = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var payment = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (id, payment.GetProperty("id").GetString()!, order.GetProperty("total").GetProperty("amount").GetInt64());
    }

    private static async Task<JsonElement> OrderAsync(Scenario s, string id) => await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");

    [Fact]
    public async Task Money_beyond_the_total_is_refused_unless_the_request_says_it_is_an_overpayment_and_then_shows_on_the_order()
    {
        var s = await Scenario.StartAsync();
        var (id, paymentId, total) = await BankTransferAsync(s);

        var tooMuch = await s.MarkReceivedAsync(id, paymentId, new { amount = total * 10 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);
        var problem = await tooMuch.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("payment.exceeds_total", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _));
        Assert.Equal(0, (await OrderAsync(s, id)).GetProperty("amountPaid").GetProperty("amount").GetInt64());

        var secondPayment = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer", amount = total + 1 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, secondPayment.StatusCode);

        var accepted = await s.MarkReceivedAsync(id, paymentId, new { amount = total + 500, allowOverpayment = true });
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
        var order = await OrderAsync(s, id);
        Assert.Equal(total + 500, order.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        Assert.Equal(500, order.GetProperty("amountOverpaid").GetProperty("amount").GetInt64());
        Assert.Equal(0, order.GetProperty("amountOutstanding").GetProperty("amount").GetInt64());
        Assert.Equal("allocated", order.GetProperty("status").GetString());

        var graph = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { amountOverpaid { amount currency } } }", new { id });
        Assert.Equal(500, graph.GetProperty("order").GetProperty("amountOverpaid").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Money_received_needs_an_idempotency_key_or_the_payments_version_so_a_retry_cannot_count_it_twice()
    {
        var s = await Scenario.StartAsync();
        var (id, paymentId, _) = await BankTransferAsync(s);

        var bare = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments/{paymentId}/mark-received", new { amount = 1000 });
        Assert.Equal((HttpStatusCode)428, bare.StatusCode);
        Assert.Equal("precondition_required", (await bare.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0, (await OrderAsync(s, id)).GetProperty("amountPaid").GetProperty("amount").GetInt64());

        // The same version twice: the retry is refused, not counted.
        Assert.Equal(HttpStatusCode.OK, (await s.MarkReceivedAsync(id, paymentId, new { amount = 1000 }, ifMatch: 1)).StatusCode);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await s.MarkReceivedAsync(id, paymentId, new { amount = 1000 }, ifMatch: 1)).StatusCode);
        // The same key twice: the retry replays the first answer.
        Assert.Equal(HttpStatusCode.OK, (await s.MarkReceivedAsync(id, paymentId, new { amount = 2000 }, idempotencyKey: "k-" + s.Tag)).StatusCode);
        var replay = await s.MarkReceivedAsync(id, paymentId, new { amount = 2000 }, idempotencyKey: "k-" + s.Tag);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(3000, (await OrderAsync(s, id)).GetProperty("amountPaid").GetProperty("amount").GetInt64());

        var (_, graph) = await s.GraphQLAsync("mutation($o: ID!, $p: ID!) { markPaymentReceived(orderId: $o, paymentId: $p, amount: 100) { status } }", new { o = id, p = paymentId });
        Assert.Equal("precondition_required", Scenario.ErrorCode(graph));
        Assert.Equal(3000, (await OrderAsync(s, id)).GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Money_that_pays_an_order_in_full_confirms_it_in_the_same_answer_and_is_kept_when_stock_is_short()
    {
        var s = await Scenario.StartAsync();
        var (id, paymentId, total) = await BankTransferAsync(s);
        var received = await s.MarkReceivedAsync(id, paymentId, new { amount = total });
        Assert.Equal(HttpStatusCode.OK, received.StatusCode);
        Assert.Equal("captured", (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("allocated", (await OrderAsync(s, id)).GetProperty("status").GetString());

        // Two units wanted, one in stock: the money is recorded, the order waits for stock, and nothing is reserved.
        var sku = await s.ProductAsync(price: 1_000, stock: 1);
        var order = await s.PlaceAsync(sku, quantity: 2);
        var shortId = order.GetProperty("id").GetString()!;
        var payment = await (await s.Admin.PostAsJsonAsync($"/api/v1/orders/{shortId}/payments", new { method = "bank_transfer" })).Content.ReadFromJsonAsync<JsonElement>();
        var paid = await s.MarkReceivedAsync(shortId, payment.GetProperty("id").GetString()!, new { amount = order.GetProperty("total").GetProperty("amount").GetInt64() });
        Assert.Equal(HttpStatusCode.OK, paid.StatusCode);
        Assert.Equal("captured", (await paid.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var waiting = await OrderAsync(s, shortId);
        Assert.Equal("pending", waiting.GetProperty("status").GetString());
        Assert.Equal(order.GetProperty("total").GetProperty("amount").GetInt64(), waiting.GetProperty("amountPaid").GetProperty("amount").GetInt64());
        var stock = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(0, stock.GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task An_order_paid_in_full_while_on_hold_is_confirmed_when_released()
    {
        var s = await Scenario.StartAsync();
        var (id, paymentId, total) = await BankTransferAsync(s);
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "address check" }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.MarkReceivedAsync(id, paymentId, new { amount = total })).StatusCode);
        Assert.Equal("on_hold", (await OrderAsync(s, id)).GetProperty("status").GetString());

        var released = await s.Admin.PostAsync($"/api/v1/orders/{id}/release", null);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("allocated", (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal("allocated", (await OrderAsync(s, id)).GetProperty("status").GetString());
    }

    [Fact]
    public async Task An_order_whose_card_was_authorised_while_on_hold_is_confirmed_when_released()
    {
        var s = await Scenario.StartAsync();
        var card = await CardPaymentTests.PayByCardAsync(s);
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{card.OrderId}/hold", Scenario.Content(new { reason = "address check" }))).StatusCode);
        await CardPaymentTests.AuthorizeAsync(s, card);
        Assert.Equal("on_hold", (await OrderAsync(s, card.OrderId)).GetProperty("status").GetString());

        var (_, released) = await s.GraphQLAsync("mutation($id: ID!) { releaseOrder(id: $id) { status } }", new { id = card.OrderId });
        Assert.Equal("ALLOCATED", released.GetProperty("data").GetProperty("releaseOrder").GetProperty("status").GetString());
    }
}
