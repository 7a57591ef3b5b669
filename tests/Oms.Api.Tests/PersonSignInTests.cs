using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>People sign in through the company's identity provider (a loopback one serving discovery and JWKS) with access tokens.</summary>
public sealed class PersonSignInTests
{
    private static HttpClient As(Scenario s, string token)
    {
        var client = s.Factory.Client(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    [Fact]
    public async Task A_person_acts_with_the_roles_of_their_token_and_is_the_actor_of_what_they_do()
    {
        var s = await Scenario.StartAsync();
        var email = $"ana.{s.Tag}@shop.example";
        var desk = As(s, TestApp.Identity.Mint("user-" + s.Tag, email, ["customer_service"]));
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.OK, (await desk.GetAsync($"/api/v1/orders/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync("/api/v1/api-keys")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await desk.GetAsync("/api/v1/reports/kpis")).StatusCode);
        var cancel = await desk.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "customer called" }));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        var timeline = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/timeline");
        Assert.Contains(timeline.EnumerateArray(), e => e.GetProperty("to").GetString() == "cancelled" && e.GetProperty("actor").GetString() == email);

        // GraphQL takes the same token.
        var (_, graph) = await s.GraphQLAsync("query($id: ID!) { order(id: $id) { status } }", new { id }, desk);
        Assert.Equal("CANCELLED", graph.GetProperty("data").GetProperty("order").GetProperty("status").GetString());
        var (_, refused) = await s.GraphQLAsync("{ apiKeys { nodes { id } } }", client: desk);
        Assert.Equal("forbidden", Scenario.ErrorCode(refused));
    }

    [Fact]
    public async Task A_group_claim_maps_to_a_role_and_the_ledger_names_the_person()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0);
        var node = await s.WarehouseAsync();
        var email = $"max.{s.Tag}@shop.example";
        var picker = As(s, TestApp.Identity.Mint("picker-" + s.Tag, email, ["grp-warehouse-berlin", "some-other-group"]));
        var received = await picker.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, delta = 12, reason = "received" });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
        var ledger = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}/ledger?nodeCode={node}");
        Assert.Equal(email, ledger.GetProperty("data").EnumerateArray().Single().GetProperty("actor").GetString());
        Assert.Equal(HttpStatusCode.OK, (await picker.GetAsync("/api/v1/fulfilment-orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await picker.GetAsync("/api/v1/orders")).StatusCode);

        // No role the API knows: signed in, allowed nothing.
        var nobody = As(s, TestApp.Identity.Mint("nobody-" + s.Tag, null, ["grp-unknown"]));
        Assert.Equal(HttpStatusCode.Forbidden, (await nobody.GetAsync("/api/v1/products")).StatusCode);
    }

    [Fact]
    public async Task Expired_foreign_audience_wrongly_signed_and_foreign_issuer_tokens_are_401_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var idp = TestApp.Identity;
        var bad = new (string Why, string Token, string Says)[]
        {
            ("expired", idp.Mint("u-" + s.Tag, null, ["owner"], expires: DateTimeOffset.UtcNow.AddMinutes(-5)), "expired"),
            ("wrong audience", idp.Mint("u-" + s.Tag, null, ["owner"], audience: "some-other-api"), "audience"),
            ("signed with another key", idp.Mint("u-" + s.Tag, null, ["owner"], foreignKey: true), "signature"),
            ("another issuer", idp.Mint("u-" + s.Tag, null, ["owner"], issuer: "https://login.elsewhere.example"), "issued"),
            ("not a token", "abc.def.ghi", ""),
        };
        foreach (var (why, token, says) in bad)
        {
            var client = As(s, token);
            var rest = await client.GetAsync("/api/v1/products");
            Assert.True(rest.StatusCode == HttpStatusCode.Unauthorized, $"{why}: {(int)rest.StatusCode}");
            Assert.Equal("application/problem+json", rest.Content.Headers.ContentType?.MediaType);
            var problem = await rest.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("unauthenticated", problem.GetProperty("code").GetString());
            Assert.Contains(says, problem.GetProperty("detail").GetString());
            Assert.Equal("Bearer error=\"invalid_token\"", rest.Headers.WwwAuthenticate.ToString());
            var (graph, body) = await s.GraphQLAsync("{ products { nodes { sku } } }", client: client);
            Assert.True(graph.StatusCode == HttpStatusCode.Unauthorized, $"{why} (GraphQL): {(int)graph.StatusCode}");
        }
        // The same person with a good token is the owner.
        Assert.Equal(HttpStatusCode.OK, (await As(s, idp.Mint("u-" + s.Tag, null, ["owner"])).GetAsync("/api/v1/api-keys")).StatusCode);
    }
}
