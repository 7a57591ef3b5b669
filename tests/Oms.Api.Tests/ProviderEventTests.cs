using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests;

/// <summary>What a provider tells us is never lost: an effect that failed is applied when the provider retries the event.</summary>
public sealed class ProviderEventTests
{
    [Fact]
    public async Task An_authorisation_whose_confirmation_fails_writes_nothing_and_is_applied_whole_when_Stripe_retries_it()
    {
        var s = await Scenario.StartAsync();
        var card = await CardPaymentTests.PayByCardAsync(s);
        var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(card.IntentId));

        // The event, the authorisation and the confirmation are one transaction: a failure in the last writes none of them.
        await using (await RefusedWrites.OfOrderAsync(s.Factory, "allocations", card.OrderId))
        {
            var failed = await CardPaymentTests.WebhookAsync(s, json);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode); // Stripe retries what it was not answered 2xx
        }
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("pending", order.GetProperty("status").GetString());
        Assert.Equal("pending", (await CardPaymentTests.PaymentAsync(s, card)).GetProperty("status").GetString());

        var retried = await CardPaymentTests.WebhookAsync(s, json);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.False((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        var payment = await CardPaymentTests.PaymentAsync(s, card);
        Assert.Single(payment.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "authorized"); // applied once

        // Sent once more, it is a duplicate and changes nothing.
        var again = await CardPaymentTests.WebhookAsync(s, json);
        Assert.True((await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        Assert.Equal(payment.GetProperty("version").GetInt32(), (await CardPaymentTests.PaymentAsync(s, card)).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task A_provider_error_page_is_cut_to_fit_writes_no_payment_and_a_retry_with_the_same_key_makes_exactly_one()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync(s.OrderBody(await s.ProductAsync(price: 4000)));
        var orderId = order.GetProperty("id").GetString()!;
        TestApp.Stripe.Fail(orderId, times: 3); // a proxy's 6 KB HTML page, to the first try and Stripe.net's two retries

        HttpRequestMessage Create()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{orderId}/payments") { Content = Scenario.Content(new { method = "card" }) };
            request.Headers.Add("Idempotency-Key", "pay-" + s.Tag);
            return request;
        }

        var failed = await s.Admin.SendAsync(Create());
        Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        Assert.Equal("application/problem+json", failed.Content.Headers.ContentType?.MediaType);
        var problem = await failed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("payments.provider_error", problem.GetProperty("code").GetString());
        Assert.InRange(problem.GetProperty("detail").GetString()!.Length, 1, 300);
        Assert.Empty((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/payments")).EnumerateArray());

        var retried = await s.Admin.SendAsync(Create());
        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
        var again = await s.Admin.SendAsync(Create());
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        var payment = Assert.Single((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/payments")).EnumerateArray());
        Assert.Equal("pending", payment.GetProperty("status").GetString());
        Assert.StartsWith("pi_", payment.GetProperty("providerReference").GetString());
    }
}

/// <summary>Calls to the payment provider are made after the change that asked for them committed, and retried until they succeed.</summary>
public sealed class ProviderCallTests
{
    private static async Task<CardPaymentTests.Card> AuthorisedAsync(Scenario s, string sku)
    {
        var card = await CardPaymentTests.PayByCardAsync(s, sku);
        await CardPaymentTests.AuthorizeAsync(s, card);
        Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}")).GetProperty("status").GetString());
        return card;
    }

    private static async Task<JsonElement> AllocationAsync(Scenario s, string orderId) =>
        Assert.Single((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing")).GetProperty("allocations").EnumerateArray());

    [Fact]
    public async Task A_slow_capture_holds_no_stock_rows_checkouts_and_shipments_of_the_same_SKU_go_on_meanwhile()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 4000, stock: 10);
        var slow = await AuthorisedAsync(s, sku);
        var paid = s.OrderBody(sku);
        paid["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
        var other = await s.PlaceAsync(paid);
        TestApp.Stripe.Delay(slow.IntentId, TimeSpan.FromSeconds(3));

        var shipping = s.ShipAllocationAsync(await AllocationAsync(s, slow.OrderId));
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!TestApp.Stripe.Requests.Any(r => r.Path == $"/v1/payment_intents/{slow.IntentId}/capture") && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.False(shipping.IsCompleted); // Stripe is answering the capture, slowly

        var placed = await s.PlaceAsync(paid); // reserves the same SKU at the same node
        Assert.Equal("allocated", placed.GetProperty("status").GetString());
        await s.ShipAllocationAsync(await AllocationAsync(s, other.GetProperty("id").GetString()!)); // consumes it
        Assert.False(shipping.IsCompleted, "the checkout and the shipment waited for the slow capture");

        await shipping;
        var payment = await CardPaymentTests.PaymentAsync(s, slow);
        Assert.Equal("captured", payment.GetProperty("status").GetString());
        Assert.Equal(8, (await s.StockAtAsync(sku, await s.WarehouseAsync())).GetProperty("onHand").GetInt32());
    }

    [Fact]
    public async Task A_capture_that_fails_twice_is_captured_on_the_third_try_and_the_shipment_stands()
    {
        var s = await Scenario.StartAsync();
        var card = await AuthorisedAsync(s, await s.ProductAsync(price: 4000));
        TestApp.Stripe.Fail(card.IntentId, times: 2, status: 500, contentType: "application/json",
            body: FakeStripe.ApiError("An error occurred with our connection to Stripe."), shouldRetry: false);

        var shipment = await s.ShipAllocationAsync(await AllocationAsync(s, card.OrderId)); // the parcel has left: shipping does not fail
        Assert.Equal("label_created", shipment.GetProperty("status").GetString());

        JsonElement payment;
        var deadline = DateTime.UtcNow.AddSeconds(20);
        do
        {
            await Task.Delay(50);
            payment = await CardPaymentTests.PaymentAsync(s, card);
        } while (payment.GetProperty("status").GetString() != "captured" && DateTime.UtcNow < deadline);

        Assert.True(payment.GetProperty("status").GetString() == "captured", payment.ToString());
        Assert.Equal(card.Total, payment.GetProperty("captured").GetProperty("amount").GetInt64());
        Assert.Equal(0, payment.GetProperty("capturePending").GetProperty("amount").GetInt64());
        Assert.Equal(JsonValueKind.Null, payment.GetProperty("providerFailure").ValueKind);
        Assert.Equal(2, payment.GetProperty("history").EnumerateArray().Count(h => h.GetProperty("kind").GetString() == "capture_failed"));
        Assert.Equal(card.Total, TestApp.Stripe.Intent(card.IntentId)["amount_received"]!.GetValue<long>());
        var captures = TestApp.Stripe.Requests.Where(r => r.Path == $"/v1/payment_intents/{card.IntentId}/capture").ToList();
        Assert.Equal(3, captures.Count);
        Assert.Single(captures.Select(c => c.IdempotencyKey).Distinct()); // one capture, tried three times
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("shipped", order.GetProperty("status").GetString());
        Assert.Equal(card.Total, order.GetProperty("amountPaid").GetProperty("amount").GetInt64());
    }
}
