using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class IdempotencyTests
{
    private static HttpRequestMessage Post(string url, JsonNode body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = Scenario.Content(body) };
        request.Headers.Add("Idempotency-Key", key);
        return request;
    }

    private static async Task<int> CountOrdersAsync(Scenario s, string email) =>
        (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={email}")).GetProperty("data").GetArrayLength();

    [Fact]
    public async Task Replay_with_same_key_and_body_returns_the_stored_response_without_a_second_order()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        var key = "place-" + s.Tag;

        var first = await s.Admin.SendAsync(Post("/api/v1/orders", body, key));
        var second = await s.Admin.SendAsync(Post("/api/v1/orders", body, key));

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1, await CountOrdersAsync(s, s.Email()));
    }

    [Fact]
    public async Task Same_key_with_a_different_body_is_refused_with_422()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var key = "place-" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.SendAsync(Post("/api/v1/orders", s.OrderBody(sku, 1), key))).StatusCode);

        var reused = await s.Admin.SendAsync(Post("/api/v1/orders", s.OrderBody(sku, 2), key));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, reused.StatusCode);
        Assert.Equal("application/problem+json", reused.Content.Headers.ContentType?.MediaType);
        var problem = await reused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("idempotency.key_reused", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("Idempotency-Key", out _));
        Assert.Equal(1, await CountOrdersAsync(s, s.Email()));
    }

    [Fact]
    public async Task Twenty_concurrent_requests_with_one_key_create_exactly_one_order()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        var key = "burst-" + s.Tag;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => s.Admin.SendAsync(Post("/api/v1/orders", body, key))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var ids = await Task.WhenAll(responses.Select(async r => (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()));
        Assert.Single(ids.Distinct());
        Assert.Equal(19, responses.Count(r => r.Headers.Contains("Idempotent-Replayed")));
        Assert.Equal(1, await CountOrdersAsync(s, s.Email()));
    }

    [Fact]
    public async Task Keys_belong_to_one_API_key()
    {
        var s = await Scenario.StartAsync();
        var other = s.Factory.Client(await s.Factory.KeyWithScopesAsync("other-" + s.Tag, "orders:write"));
        var body = s.OrderBody(await s.ProductAsync());
        var key = "shared-" + s.Tag;

        var mine = await s.Admin.SendAsync(Post("/api/v1/orders", body, key));
        var theirs = await other.SendAsync(Post("/api/v1/orders", body, key));

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.False(theirs.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(2, await CountOrdersAsync(s, s.Email()));
    }

    [Fact]
    public async Task A_failed_request_does_not_burn_the_key()
    {
        var s = await Scenario.StartAsync();
        var sku = $"LATE-{s.Tag}";
        var body = s.OrderBody(sku);
        var key = "retry-" + s.Tag;

        var failed = await s.Admin.SendAsync(Post("/api/v1/orders", body, key));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, failed.StatusCode); // the SKU does not exist yet
        await s.ProductAsync(sku: sku);
        var retried = await s.Admin.SendAsync(Post("/api/v1/orders", body, key));

        Assert.Equal(HttpStatusCode.Created, retried.StatusCode);
    }

    [Fact]
    public async Task State_changes_replay_too_so_a_retried_cancel_does_not_fail()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var url = $"/api/v1/orders/{order.GetProperty("id").GetString()}/cancel";
        var body = new JsonObject { ["reason"] = "customer asked" };

        var first = await s.Admin.SendAsync(Post(url, body, "cancel-" + s.Tag));
        var retry = await s.Admin.SendAsync(Post(url, body, "cancel-" + s.Tag));
        var withoutKey = await s.Admin.PostAsync(url, Scenario.Content(body));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, withoutKey.StatusCode); // a new cancel of a cancelled order is illegal
    }

    [Fact]
    public async Task GraphQL_mutations_honour_the_key()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var payload = Scenario.Content(new
        {
            query = "mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }",
            variables = new
            {
                input = new
                {
                    channel = "API", currency = "EUR", customer = new { email = s.Email() },
                    shippingAddress = new { name = "A", line1 = "B", city = "C", country = "DE" },
                    lines = new[] { new { sku, quantity = 1 } },
                },
            },
        });
        var json = await payload.ReadAsStringAsync();
        HttpRequestMessage Request()
        {
            var r = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };
            r.Headers.Add("Idempotency-Key", "gql-" + s.Tag);
            return r;
        }

        var first = await (await s.Admin.SendAsync(Request())).Content.ReadAsStringAsync();
        var second = await s.Admin.SendAsync(Request());

        Assert.Equal(first, await second.Content.ReadAsStringAsync());
        Assert.True(second.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal(1, await CountOrdersAsync(s, s.Email()));
    }
}
