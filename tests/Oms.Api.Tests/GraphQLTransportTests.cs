using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>GraphQL over HTTP as the spec has it: media types, GET for queries only, status codes.</summary>
public sealed class GraphQLTransportTests
{
    [Fact]
    public async Task GET_runs_queries_and_refuses_mutations_with_405()
    {
        var s = await Scenario.StartAsync();
        var query = Uri.EscapeDataString("query($first: Int) { orders(first: $first) { pageInfo { hasNextPage } } }");
        var variables = Uri.EscapeDataString("{\"first\": 1}");
        var get = await s.Admin.GetAsync($"/graphql?query={query}&variables={variables}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        Assert.False((await get.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("errors", out _));

        var mutation = await s.Admin.GetAsync($"/graphql?query={Uri.EscapeDataString("mutation { confirmOrder(id: \"x\") { id } }")}");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, mutation.StatusCode);
        Assert.Equal("POST", mutation.Content.Headers.Allow.Single());
    }

    [Fact]
    public async Task Media_types_follow_the_Accept_header()
    {
        var s = await Scenario.StartAsync();
        async Task<HttpResponseMessage> Post(string? accept, string query)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Scenario.Content(new { query }) };
            if (accept is not null) request.Headers.Accept.ParseAdd(accept);
            return await s.Admin.SendAsync(request);
        }

        var modern = await Post("application/graphql-response+json", "{ orders(first: 1) { pageInfo { hasNextPage } } }");
        Assert.Equal("application/graphql-response+json", modern.Content.Headers.ContentType?.MediaType);
        var legacy = await Post(null, "{ orders(first: 1) { pageInfo { hasNextPage } } }");
        Assert.Equal("application/json", legacy.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotAcceptable, (await Post("text/csv", "{ __typename }")).StatusCode);

        // A document that cannot execute: 400 with graphql-response+json, 200 with legacy application/json.
        var invalidModern = await Post("application/graphql-response+json", "{ noSuchField }");
        Assert.Equal(HttpStatusCode.BadRequest, invalidModern.StatusCode);
        var invalidLegacy = await Post("application/json", "{ noSuchField }");
        Assert.Equal(HttpStatusCode.OK, invalidLegacy.StatusCode);
        Assert.True((await invalidLegacy.Content.ReadFromJsonAsync<JsonElement>()).TryGetProperty("errors", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await Post("application/graphql-response+json", "{ orders(")).StatusCode);
    }

    [Fact]
    public async Task Non_JSON_posts_are_refused()
    {
        var s = await Scenario.StartAsync();
        var form = await s.Admin.PostAsync("/graphql", new StringContent("query={__typename}", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.StatusCode);
        var broken = await s.Admin.PostAsync("/graphql", new StringContent("{\"query\": ", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
    }

    [Fact]
    public async Task Browsers_get_the_GraphiQL_IDE_with_local_assets()
    {
        var s = await Scenario.StartAsync();
        var anonymous = s.Factory.Client(null);
        var request = new HttpRequestMessage(HttpMethod.Get, "/graphql");
        request.Headers.Accept.ParseAdd("text/html");
        var page = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("GraphiQL", html);
        Assert.DoesNotContain("https://", html); // nothing from a CDN: it works offline
        foreach (var asset in new[] { "/graphiql/graphiql.min.js", "/graphiql/graphiql.css", "/graphiql/react.production.min.js", "/graphiql/react-dom.production.min.js" })
        {
            Assert.Contains(asset, html);
            var file = await anonymous.GetAsync(asset);
            Assert.True(file.IsSuccessStatusCode, $"{asset}: {(int)file.StatusCode} (run the build with npm available)");
        }
    }

    [Fact]
    public async Task GraphQL_has_what_REST_has_the_client_ip_at_placement_the_event_catalog_and_the_packing_slip()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var placed = await s.GraphQLDataAsync("""
            mutation($sku: String!, $email: String!) {
              placeOrder(input: { channel: WEB, currency: "EUR", customer: { email: $email }, clientIp: "203.0.113.9",
                shippingAddress: { name: "Ada", line1: "Unter den Linden 1", city: "Berlin", country: "DE" },
                lines: [{ sku: $sku, quantity: 1 }], payment: { method: BANK_TRANSFER } }) { order { id status } }
            }
            """, new { sku, email = s.Email() });
        var id = placed.GetProperty("placeOrder").GetProperty("order").GetProperty("id").GetString();
        var (_, bad) = await s.GraphQLAsync("mutation($sku: String!) { placeOrder(input: { channel: WEB, currency: \"EUR\", customer: { email: \"x@example.com\" }, clientIp: \"not an ip\", shippingAddress: { name: \"Ada\", line1: \"L\", city: \"Berlin\", country: \"DE\" }, lines: [{ sku: $sku, quantity: 1 }] }) { created } }", new { sku });
        Assert.Equal("validation_failed", Scenario.ErrorCode(bad));

        var types = await s.GraphQLDataAsync("{ webhookEventTypes { type dataSchema example } }");
        var confirmed = types.GetProperty("webhookEventTypes").EnumerateArray().Single(t => t.GetProperty("type").GetString() == "order.confirmed");
        Assert.Equal("OrderDto", confirmed.GetProperty("dataSchema").GetString());
        Assert.Equal("confirmed", JsonDocument.Parse(confirmed.GetProperty("example").GetString()!).RootElement.GetProperty("transition").GetProperty("to").GetString());

        var fulfilment = (await s.FulfilmentOrdersAsync(id!))[0].GetProperty("id").GetString();
        var slip = await s.GraphQLDataAsync("query($f: ID!) { packingSlip(fulfilmentOrderId: $f) }", new { f = fulfilment });
        Assert.Equal(await s.Admin.GetStringAsync($"/api/v1/fulfilment-orders/{fulfilment}/packing-slip"), slip.GetProperty("packingSlip").GetString());
    }

    [Fact]
    public async Task A_shopper_tracks_an_order_through_GraphQL_without_a_key_and_learns_nothing_more()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync()));
        var id = order.GetProperty("id").GetString()!;
        var number = order.GetProperty("number").GetString()!;
        await s.ShipFulfilmentAsync((await s.FulfilmentOrdersAsync(id))[0].GetProperty("id").GetString()!, "GQL-" + s.Tag);
        var shopper = s.Factory.Client(null);
        const string query = """
            query($n: String!, $e: String!) { ...Track }
            fragment Track on Query { tracking(orderNumber: $n, email: $e) { orderNumber status timeline { status at } shipments { trackingNumber status events { status } } } }
            """;

        var (response, body) = await s.GraphQLAsync(query, new { n = number, e = s.Email() }, shopper);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var tracking = body.GetProperty("data").GetProperty("tracking");
        var rest = await shopper.GetFromJsonAsync<JsonElement>($"/api/v1/tracking/{number}?email={Uri.EscapeDataString(s.Email())}");
        Assert.Equal(rest.GetProperty("status").GetString()!.ToUpperInvariant(), tracking.GetProperty("status").GetString());
        Assert.Equal(rest.GetProperty("timeline").EnumerateArray().Select(t => (t.GetProperty("status").GetString()!.ToUpperInvariant(), t.GetProperty("at").GetString())),
            tracking.GetProperty("timeline").EnumerateArray().Select(t => (t.GetProperty("status").GetString()!, t.GetProperty("at").GetString())));
        Assert.Equal("GQL-" + s.Tag, tracking.GetProperty("shipments")[0].GetProperty("trackingNumber").GetString());

        // A wrong e-mail is an unknown order, as in REST.
        var (_, wrong) = await s.GraphQLAsync(query, new { n = number, e = "someone.else@example.com" }, shopper);
        Assert.Equal(JsonValueKind.Null, wrong.GetProperty("data").GetProperty("tracking").ValueKind);
        Assert.Equal("not_found", Scenario.ErrorCode(wrong));

        // Anything else still needs a key, even next to the public field.
        foreach (var other in new[]
                 {
                     "query($n: String!, $e: String!) { tracking(orderNumber: $n, email: $e) { status } orders(first: 1) { nodes { id } } }",
                     "query($n: String!, $e: String!) { tracking(orderNumber: $n, email: $e) { status } ... on Query { order(id: \"00000000-0000-0000-0000-000000000000\") { id } } }",
                     "mutation($n: String!, $e: String!) { holdOrder(id: $n, reason: $e) { id } }",
                     "query($n: String!, $e: String!) { __schema { queryType { name } } }",
                     "query($n: String!, $e: String!) { tracking(orderNumber: $n, email: $e) { status",
                 })
        {
            var (denied, deniedBody) = await s.GraphQLAsync(other, new { n = number, e = s.Email() }, shopper);
            Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
            Assert.Equal("unauthenticated", Scenario.ErrorCode(deniedBody));
        }
    }

    [Fact]
    public async Task Introspection_with_deprecated_input_values_answers_as_graphql_js_asks()
    {
        var s = await Scenario.StartAsync();
        // graphql-js's getIntrospectionQuery({ inputValueDeprecation: true }) asks this of every input type and argument.
        var data = await s.GraphQLDataAsync("""
            { __type(name: "PlaceOrderInput") { inputFields(includeDeprecated: true) { name isDeprecated deprecationReason } }
              __schema { mutationType { fields { name args(includeDeprecated: true) { name isDeprecated } } } } }
            """);
        Assert.Contains(data.GetProperty("__type").GetProperty("inputFields").EnumerateArray(), f => f.GetProperty("name").GetString() == "clientIp");
        var place = data.GetProperty("__schema").GetProperty("mutationType").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "placeOrder");
        Assert.Equal("input", place.GetProperty("args")[0].GetProperty("name").GetString());
    }
}
