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
    /// <summary>Makes PostgreSQL refuse allocations of one order (an outage of exactly that write) until disposed.</summary>
    private sealed class AllocationsRefused : IAsyncDisposable
    {
        private readonly ApiFactory _factory;
        private readonly string _name;

        private AllocationsRefused(ApiFactory factory, string name) => (_factory, _name) = (factory, name);

        public static async Task<AllocationsRefused> ForOrderAsync(ApiFactory factory, string orderId)
        {
            var name = "refuse_" + Guid.NewGuid().ToString("N")[..12];
            await ExecuteAsync(factory, $"""
                CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN IF NEW.order_id = '{Guid.Parse(orderId)}' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
                CREATE TRIGGER {name} BEFORE INSERT ON allocations FOR EACH ROW EXECUTE FUNCTION {name}();
                """);
            return new AllocationsRefused(factory, name);
        }

        public async ValueTask DisposeAsync() =>
            await ExecuteAsync(_factory, $"DROP TRIGGER {_name} ON allocations; DROP FUNCTION {_name}();");

        private static async Task ExecuteAsync(ApiFactory factory, string sql)
        {
            await using var scope = factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<OmsDbContext>().Database.ExecuteSqlRawAsync(sql);
        }
    }

    [Fact]
    public async Task A_confirmation_that_failed_after_the_event_was_recorded_happens_when_Stripe_retries_the_event()
    {
        var s = await Scenario.StartAsync();
        var card = await CardPaymentTests.PayByCardAsync(s);
        var json = FakeStripe.Event("evt_" + Guid.NewGuid().ToString("N"), "payment_intent.amount_capturable_updated", TestApp.Stripe.Authorize(card.IntentId));

        await using (await AllocationsRefused.ForOrderAsync(s.Factory, card.OrderId))
        {
            var failed = await CardPaymentTests.WebhookAsync(s, json);
            Assert.Equal(HttpStatusCode.InternalServerError, failed.StatusCode); // Stripe retries what it was not answered 2xx
        }
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("pending", order.GetProperty("status").GetString());
        Assert.Equal("authorized", (await CardPaymentTests.PaymentAsync(s, card)).GetProperty("status").GetString());

        var retried = await CardPaymentTests.WebhookAsync(s, json);
        Assert.Equal(HttpStatusCode.OK, retried.StatusCode);
        Assert.True((await retried.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("duplicate").GetBoolean());
        order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{card.OrderId}");
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        var payment = await CardPaymentTests.PaymentAsync(s, card);
        Assert.Single(payment.GetProperty("history").EnumerateArray(), h => h.GetProperty("kind").GetString() == "authorized"); // applied once
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
