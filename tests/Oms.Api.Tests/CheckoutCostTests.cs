using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>What one checkout costs the database, as docs/performance.md states it ("The checkout's lines").</summary>
public sealed class CheckoutCostTests
{
    /// <summary>An API process of its own: others placing orders in the same process would take its order numbers' blocks.</summary>
    private static async Task<ApiFactory> OwnAppAsync() =>
        new(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"));

    /// <summary>A product in stock and a storefront's key, as a shop would use: an admin key is read from the database on every request.</summary>
    private static async Task<(Scenario S, string Sku, HttpClient Shop)> StorefrontAsync(ApiFactory app, params string[] scopes)
    {
        var s = new Scenario(app);
        var sku = await s.ProductAsync();
        var made = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "storefront " + s.Tag, scopes });
        return (s, sku, s.Factory.Client((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()));
    }

    [Fact]
    public async Task A_checkout_with_its_payment_takes_seven_statements_and_one_more_per_block_of_order_numbers()
    {
        await using var app = await OwnAppAsync();
        var (s, sku, shop) = await StorefrontAsync(app, "orders:write");
        var counts = new List<int>();
        for (var i = 0; i < 41; i++)
        {
            var body = s.OrderBody(sku);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            var response = await shop.PostAsync("/api/v1/orders", Scenario.Content(body));
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            Assert.Equal("allocated", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
            counts.Add(int.Parse(response.Headers.GetValues("Oms-Sql-Commands").Single()));
        }
        // The first one also reads the key and the product's terms into the process's caches.
        var warm = counts.Skip(1).ToList();
        var said = $"statements per checkout: {string.Join(", ", counts)}";
        // Placed, paid, confirmed, routed and reserved in one write: seven, or the fast path fell back to EF (eight every time).
        Assert.True(warm.Count(c => c == 7) >= warm.Count * 4 / 5, said);
        // One more when the process takes its next block of 20 order numbers from the sequence: about twice in 40.
        Assert.True(warm.All(c => c is 7 or 8), said);
        // And it did not hand a single checkout to EF.
        var fallbacks = app.Services.GetRequiredService<Oms.Infrastructure.Persistence.FastPath.FastPathFallbacks>();
        Assert.True(fallbacks.Count == 0, $"{fallbacks.Count} checkouts fell back to EF, the last because {fallbacks.LastReason}");
    }
    [Fact]
    public async Task The_three_request_checkout_takes_twenty_statements_and_confirms_with_the_money()
    {
        await using var app = await OwnAppAsync();
        var (s, sku, shop) = await StorefrontAsync(app, "orders:write", "payments:write");
        static int Sql(HttpResponseMessage r) => int.Parse(r.Headers.GetValues("Oms-Sql-Commands").Single());
        var totals = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var placed = await shop.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(sku)));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            var id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            var created = await shop.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var payment = await created.Content.ReadFromJsonAsync<JsonElement>();
            var received = await shop.SendAsync(new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/payments/{payment.GetProperty("id").GetString()}/mark-received")
            {
                Content = JsonContent.Create(new { amount = payment.GetProperty("amount").GetProperty("amount").GetInt64() }),
                Headers = { IfMatch = { new System.Net.Http.Headers.EntityTagHeaderValue($"\"{payment.GetProperty("version").GetInt32()}\"") } },
            });
            Assert.Equal(HttpStatusCode.OK, received.StatusCode);
            var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
            Assert.Equal("allocated", order.GetProperty("status").GetString());
            totals.Add($"{Sql(placed)}+{Sql(created)}+{Sql(received)}");
        }
        var said = $"statements per checkout (place + create payment + mark received): {string.Join(", ", totals)}";
        var warm = totals.Skip(1).Select(t => t.Split('+').Sum(int.Parse)).ToList();
        // Place 6, create the payment 4, mark it received 10 (the money, the confirmation, routing and reservation in one
        // transaction), and one more when the process takes its next block of order numbers. Issue 35 asks for 12 in all:
        // docs/performance.md ("Checkout flows") says where the other eight go.
        Assert.True(warm.Count(c => c <= 20) >= warm.Count * 4 / 5, said);
        Assert.True(warm.All(c => c <= 21), said);
    }

    [Fact]
    public async Task The_card_checkout_takes_twenty_two_statements_and_Stripes_authorisation_confirms_in_one_transaction()
    {
        await using var app = await OwnAppAsync();
        var (s, sku, shop) = await StorefrontAsync(app, "orders:write", "payments:write");
        static int Sql(HttpResponseMessage r) => int.Parse(r.Headers.GetValues("Oms-Sql-Commands").Single());
        var totals = new List<string>();
        for (var i = 0; i < 21; i++)
        {
            var placed = await shop.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(sku)));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            var id = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            var created = await shop.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "card" });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var intent = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("providerReference").GetString()!;
            var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(intent));
            var authorised = await CardPaymentTests.WebhookAsync(s, json);
            Assert.Equal(HttpStatusCode.OK, authorised.StatusCode);
            Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}")).GetProperty("status").GetString());
            totals.Add($"{Sql(placed)}+{Sql(created)}+{Sql(authorised)}");
        }
        var said = $"statements per card checkout (place + create the PaymentIntent + Stripe's authorisation): {string.Join(", ", totals)}";
        var warm = totals.Skip(1).Select(t => t.Split('+').Sum(int.Parse)).ToList();
        // Place 6, create the payment 4, the authorisation 12 (BEGIN, the event's record, the payment, the order, the
        // confirmation's routing and reservation, EF's batch, the events, COMMIT); 31 when the confirmation was a second
        // transaction after the authorisation's.
        Assert.True(warm.Count(c => c <= 22) >= warm.Count * 4 / 5, said);
        Assert.True(warm.All(c => c <= 23), said);
    }
}
