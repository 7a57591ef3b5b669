using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>A document is measured before it runs: whatever a key holder sends, the answer is a quick 400 naming the limit.</summary>
public sealed class GraphQLLimitTests
{
    private static string FragmentBomb(int levels)
    {
        var text = new StringBuilder("query { ...F0 }");
        for (var i = 0; i < levels; i++) text.Append($" fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}");
        return text.Append($" fragment F{levels} on Query {{ __typename }}").ToString();
    }

    private static string Repeat(string part, int times) => string.Concat(Enumerable.Repeat(part, times));

    public static TheoryData<string, string> Abuse => new()
    {
        { FragmentBomb(24), "GraphQL:MaxFields" },                                                  // 2^24 fields from 1 KB
        { "{ " + Repeat("__typename ", 5_000) + "}", "GraphQL:MaxDocumentBytes" },                  // 55 KB
        { "{ " + Repeat("__typename ", 2_900) + "}", "GraphQL:MaxFields" },
        { "{ __typename" + Repeat(" @include(if: true)", 1_500) + " }", "GraphQL:MaxNodes" },
        { "# " + new string('x', 100_000) + "\n{ __typename }", "GraphQL:MaxDocumentBytes" },
        { "{ " + string.Concat(Enumerable.Range(0, 31).Select(i => $"a{i}: __typename ")) + "}", "GraphQL:MaxAliases" },
        { "{ " + string.Concat(Enumerable.Range(0, 10).Select(i =>
            $"o{i}: orders(first: 250) {{ nodes {{ id number status channel currency createdAt updatedAt version lines {{ sku quantity name }} customer {{ email name }} }} }} ")) + "}",
          "GraphQL:MaxCost" },
        { "{ " + Repeat("__typename ", 21) + "}", "GraphQL:MaxRootFields" },
        { "{ orders { nodes { lines { sku } } } }", "" },
        { "{ " + Repeat("a { ", 100) + Repeat("} ", 100) + "}", "GraphQL:MaxDepth" },                 // the parser's own limit
        { "{ orders { nodes { " + Repeat("... on Order { ", 14) + "id" + Repeat(" }", 14) + " } } }", "" },
    };

    [Theory]
    [MemberData(nameof(Abuse))]
    public async Task An_abusive_document_is_refused_at_once_naming_the_limit(string query, string limit)
    {
        var s = await Scenario.StartAsync();
        var clock = Stopwatch.StartNew();
        var (response, body) = await s.GraphQLAsync(query);
        clock.Stop();
        if (limit == "")
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode); // within every limit: it runs
            Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
            return;
        }
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("query_too_large", error.GetProperty("extensions").GetProperty("code").GetString());
        Assert.True(error.GetProperty("extensions").GetProperty("errors").TryGetProperty(limit, out _), error.ToString());
        Assert.Contains(limit, error.GetProperty("message").GetString());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"{clock.Elapsed} to refuse");
    }

    [Fact]
    public async Task Deep_selections_are_counted_with_fragments_expanded()
    {
        var s = await Scenario.StartAsync();
        // A real nested read passes; 17 levels through fragments of one level each do not.
        const string query = "query { orders { nodes { ...Deep } } } fragment Deep on Order { timeline { " +
                             "at } lines { sku } payments { history { at } } fulfilmentOrders { lines { sku } packages { weightGrams } } }";
        var (ok, _) = await s.GraphQLAsync(query);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var deep = new StringBuilder("query { ...F0 }");
        for (var i = 0; i < 16; i++) deep.Append($" fragment F{i} on {(i == 0 ? "Query" : "Order")} {{ x {{ ...F{i + 1} }} }}");
        deep.Append(" fragment F16 on Order { id }");
        var (refused, body) = await s.GraphQLAsync(deep.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True(body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty("GraphQL:MaxDepth", out _), body.ToString());
    }

    [Fact]
    public async Task A_body_past_the_request_limit_is_refused_before_it_is_read()
    {
        var s = await Scenario.StartAsync();
        var (response, _) = await s.GraphQLAsync("{ " + Repeat("__typename ", 80_000) + "}"); // 880 KB
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task A_mutation_of_many_changes_is_refused_whole_and_writes_nothing()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var fields = string.Concat(Enumerable.Range(0, 11).Select(i =>
            $"p{i}: placeOrder(input: {{ channel: WEB, currency: \"EUR\", customer: {{ email: \"{s.Email()}\" }}, " +
            $"shippingAddress: {{ name: \"Ada\", line1: \"L 1\", city: \"Berlin\", country: \"DE\" }}, lines: [{{ sku: \"{sku}\", quantity: 1 }}] }}) {{ created }} "));
        var (response, body) = await s.GraphQLAsync("mutation { " + fields + "}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("errors").TryGetProperty("GraphQL:MaxMutationFields", out _), body.ToString());
        var orders = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}");
        Assert.Equal(0, orders.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task A_request_that_runs_too_long_is_stopped_and_answered_as_such()
    {
        var pg = await TestApp.DatabaseAsync();
        await using var app = new ApiFactory(pg.ConnectionString, "oms_test_admin_" + Guid.NewGuid().ToString("N"), ("GraphQL:MaxExecutionTime", "00:00:00.0000001"));
        var s = new Scenario(app);
        var (response, body) = await s.GraphQLAsync("{ orders(first: 250) { nodes { id lines { sku } payments { id } } } }");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("time_limit_exceeded", Scenario.ErrorCode(body));
        Assert.Contains("GraphQL:MaxExecutionTime", body.GetProperty("errors")[0].GetProperty("message").GetString());
    }
}
