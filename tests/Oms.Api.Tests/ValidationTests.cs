using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Every rejected request names the wrong field in problem+json, and writes nothing.</summary>
public sealed class ValidationTests
{
    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.True(problem.TryGetProperty("traceId", out _));
        Assert.DoesNotContain("   at ", problem.ToString()); // no stack traces
        return problem;
    }

    private static void AssertField(JsonElement problem, string field) =>
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"expected an error for '{field}' in {problem}");

    [Theory]
    [InlineData("unknownField", "surprise", "unknownField")]
    [InlineData("channel", "carrier-pigeon", "channel")]
    [InlineData("priority", 3, "priority")]
    [InlineData("notes", 42, "notes")]
    [InlineData("currency", null, "currency")]
    public async Task Wrong_shapes_are_400_naming_the_field(string property, object? value, string field)
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body[property] = JsonValue.Create(value);

        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.BadRequest);

        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        AssertField(problem, field);
        await AssertNothingWrittenAsync(s);
    }

    [Fact]
    public async Task Unknown_fields_are_reported_together_with_every_other_invalid_field()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body["surprise"] = 1;
        body["lines"]![0]!["colour"] = "red";
        body["lines"]![0]!["quantity"] = 0;
        body["customer"]!["email"] = "not-an-address";

        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.BadRequest);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        foreach (var field in new[] { "surprise", "lines[0].colour", "lines[0].quantity", "customer.email" }) AssertField(problem, field);
        await AssertNothingWrittenAsync(s);
    }

    [Fact]
    public async Task Nested_wrong_type_and_missing_required_fields_are_named_by_path()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body["lines"]![0]!["quantity"] = "two";
        AssertField(await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.BadRequest), "lines[0].quantity");

        body = s.OrderBody(await s.ProductAsync());
        ((JsonObject)body["customer"]!).Remove("email");
        AssertField(await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.BadRequest), "customer.email");
        await AssertNothingWrittenAsync(s);
    }

    [Fact]
    public async Task Rule_violations_list_every_bad_field_at_once()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body["currency"] = "EURO";
        body["customer"]!["email"] = "not-an-email";
        body["lines"]![0]!["quantity"] = 0;
        body["shippingAddress"]!["country"] = "Germany";

        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.BadRequest);

        foreach (var field in new[] { "currency", "customer.email", "lines[0].quantity", "shippingAddress.country" })
            AssertField(problem, field);
        await AssertNothingWrittenAsync(s);
    }

    [Fact]
    public async Task Unknown_and_inactive_SKUs_are_422_per_line_and_nothing_is_written()
    {
        var s = await Scenario.StartAsync();
        var inactive = await s.ProductAsync(active: false);
        var good = await s.ProductAsync();
        var body = s.OrderBody(good);
        body["lines"] = new JsonArray(
            new JsonObject { ["sku"] = good, ["quantity"] = 1 },
            new JsonObject { ["sku"] = "NOPE-" + s.Tag, ["quantity"] = 1 },
            new JsonObject { ["sku"] = inactive, ["quantity"] = 1 });

        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("order.invalid_lines", problem.GetProperty("code").GetString());
        AssertField(problem, "lines[1].sku");
        AssertField(problem, "lines[2].sku");
        Assert.False(problem.GetProperty("errors").TryGetProperty("lines[0].sku", out _));
        await AssertNothingWrittenAsync(s);
    }

    [Fact]
    public async Task A_catalog_price_in_another_currency_needs_an_explicit_unit_price()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync(currency: "USD"));
        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.UnprocessableEntity);
        AssertField(problem, "lines[0].unitPrice");

        body["lines"]![0]!["unitPrice"] = 2300;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body))).StatusCode);
    }

    [Fact]
    public async Task Malformed_JSON_bodies_and_bad_query_parameters_are_400()
    {
        var s = await Scenario.StartAsync();
        var broken = await s.Admin.PostAsync("/api/v1/orders", new StringContent("{\"channel\": \"web\",", Encoding.UTF8, "application/json"));
        await ProblemAsync(broken, HttpStatusCode.BadRequest);

        AssertField(await ProblemAsync(await s.Admin.GetAsync("/api/v1/orders?limit=1000"), HttpStatusCode.BadRequest), "limit");
        AssertField(await ProblemAsync(await s.Admin.GetAsync("/api/v1/orders?limit=abc"), HttpStatusCode.BadRequest), "limit");
        AssertField(await ProblemAsync(await s.Admin.GetAsync("/api/v1/orders?status=lost"), HttpStatusCode.BadRequest), "status");
        AssertField(await ProblemAsync(await s.Admin.GetAsync("/api/v1/orders?cursor=garbage!"), HttpStatusCode.BadRequest), "cursor");
    }

    [Fact]
    public async Task Oversized_bodies_are_413()
    {
        var s = await Scenario.StartAsync();
        var body = s.OrderBody(await s.ProductAsync());
        body["notes"] = new string('x', 300_000);
        var problem = await ProblemAsync(await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(body)), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("payload_too_large", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task GraphQL_reports_the_same_field_errors_as_REST()
    {
        var s = await Scenario.StartAsync();
        var (_, body) = await s.GraphQLAsync("mutation($input: PlaceOrderInput!) { placeOrder(input: $input) { order { id } } }", new
        {
            input = new
            {
                channel = "WEB", currency = "EUR", customer = new { email = "nope" },
                shippingAddress = new { name = "A", line1 = "B", city = "C", country = "DE" },
                lines = new[] { new { sku = "X", quantity = 0 } },
            },
        });
        var error = body.GetProperty("errors")[0];
        Assert.Equal("validation_failed", error.GetProperty("extensions").GetProperty("code").GetString());
        // Named as the GraphQL request has them: inside the input argument.
        Assert.True(error.GetProperty("extensions").GetProperty("errors").TryGetProperty("input.customer.email", out _), error.ToString());
        Assert.True(error.GetProperty("extensions").GetProperty("errors").TryGetProperty("input.lines[0].quantity", out _), error.ToString());
    }

    private static async Task AssertNothingWrittenAsync(Scenario s)
    {
        var list = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}");
        Assert.Equal(0, list.GetProperty("data").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/v1/orders?stauts=pending", "stauts")]
    [InlineData("/api/v1/products?search=mug&colour=red", "colour")]
    [InlineData("/api/v1/fulfilment-nodes?active=true&region=eu", "region")]
    public async Task A_query_parameter_the_operation_does_not_take_is_refused_by_name(string url, string unknown)
    {
        var s = await Scenario.StartAsync();
        var response = await s.Admin.GetAsync(url);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(unknown, out var message), problem.ToString());
        Assert.StartsWith("Unknown query parameter.", message[0].GetString());
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.GetAsync("/api/v1/orders?status=pending&limit=5")).StatusCode);
    }

    [Fact]
    public async Task Text_the_database_cannot_store_is_refused_by_field_everywhere_and_nothing_is_written()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        async Task Refused(HttpResponseMessage response, string field)
        {
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{response.StatusCode}: {body}");
            var problem = JsonDocument.Parse(body).RootElement;
            Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), body);
        }

        // In a body: a NUL, half a surrogate pair, a NUL in a metadata key; with an inline payment, as the one-statement checkout writes it.
        foreach (var (change, field) in new (Action<System.Text.Json.Nodes.JsonObject>, string)[]
                 {
                     (o => o["customer"]!["name"] = "a\u0000b", "customer.name"),
                     (o => o["shippingAddress"]!["line1"] = "Linden LONE", "shippingAddress.line1"),
                     (o => o["metadata"] = new System.Text.Json.Nodes.JsonObject { ["gift\u0000"] = "yes" }, "metadata"),
                 })
        {
            var body = s.OrderBody(sku);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["amount"] = 1 };
            change(body);
            // Half a surrogate pair cannot be written by a JSON writer; it is sent as the escape a client may send.
            var json = body.ToJsonString().Replace("LONE", "\\ud800");
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
            request.Headers.Add("Idempotency-Key", "nul-" + Guid.NewGuid().ToString("N"));
            await Refused(await s.Admin.SendAsync(request), field);
        }
        // In a query value (a NUL in the path never gets past the server).
        await Refused(await s.Admin.GetAsync($"/api/v1/orders?customerEmail=a%00b"), "customerEmail");
        // In GraphQL variables and literals.
        var (_, graph) = await s.GraphQLAsync("query($e: String) { orders(filter: { customerEmail: $e }) { nodes { id } } }", new { e = "a\u0000b" });
        Assert.Equal("validation_failed", Scenario.ErrorCode(graph));
        Assert.True(graph.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty("variables.e", out _), graph.ToString());
        var (_, literal) = await s.GraphQLAsync("{ orders(filter: { customerEmail: \"a\\u0000b\" }) { nodes { id } } }");
        Assert.Equal("validation_failed", Scenario.ErrorCode(literal));

        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}")).GetProperty("data").GetArrayLength());
        // The connections that served the refusals serve checkouts as before.
        for (var i = 0; i < 20; i++)
        {
            var body = s.OrderBody(sku);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["amount"] = 1 };
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = Scenario.Content(body) };
            request.Headers.Add("Idempotency-Key", "ok-" + Guid.NewGuid().ToString("N"));
            Assert.Equal(HttpStatusCode.Created, (await s.Admin.SendAsync(request)).StatusCode);
        }
        Assert.Equal(20, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}")).GetProperty("data").GetArrayLength());
    }
}

