using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests;

/// <summary>
/// The committed contracts are what the API serves. After an intended change, regenerate them with
/// <c>UPDATE_CONTRACTS=1 dotnet test --filter ContractTests</c> and commit the files.
/// </summary>
public sealed class ContractTests
{
    private static readonly bool Update = Environment.GetEnvironmentVariable("UPDATE_CONTRACTS") == "1";

    internal static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "HeadlessOms.sln"))) dir = dir.Parent;
        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("HeadlessOms.sln not found above the test binaries"), relative);
    }

    [Fact]
    public void The_document_describes_in_JSON_terms_not_dotnet_names()
    {
        var names = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (key, value) in o)
                    {
                        if (key is "description" or "summary" && value is JsonValue v && v.GetValue<string>() is var text
                            && System.Text.RegularExpressions.Regex.IsMatch(text, @"\bOms\.\w")) names.Add($"{path}/{key}: {text}");
                        Walk(value, $"{path}/{key}");
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++) Walk(a[i], $"{path}/{i}");
                    break;
            }
        }
        Walk(JsonNode.Parse(File.ReadAllText(RepoFile("openapi/v1.json"))), "");
        Assert.Empty(names);
    }

    [Fact]
    public void Every_value_has_one_spelling_in_REST_and_GraphQL()
    {
        // GraphQL writes enum values in capitals (its convention, as Shopify's API does): the words must be REST's.
        var rest = JsonNode.Parse(File.ReadAllText(RepoFile("openapi/v1.json")))!["components"]!["schemas"]!.AsObject()
            .Where(kv => kv.Value?["enum"] is JsonArray)
            .ToDictionary(kv => kv.Key, kv => kv.Value!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ToList());
        var graph = System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(RepoFile("openapi/schema.graphql")), @"enum (\w+) \{([^}]*)\}")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(v => !v.StartsWith('"')).ToList());
        Assert.NotEmpty(rest);
        var shared = rest.Keys.Intersect(graph.Keys).ToList();
        Assert.Contains("NodeKind", shared);
        Assert.Contains("PaymentMethod", shared);
        var differing = shared.Where(name => !rest[name].Select(v => v.ToUpperInvariant()).Order().SequenceEqual(graph[name].Order()))
            .Select(name => $"{name}: REST {string.Join(", ", rest[name])}; GraphQL {string.Join(", ", graph[name])}");
        Assert.Empty(differing);
    }

    [Theory]
    [InlineData("/api/v1/orders", "orders", "filter")]
    [InlineData("/api/v1/products", "products", "filter")]
    [InlineData("/api/v1/inventory", "inventories", null)]
    [InlineData("/api/v1/inventory/{sku}/ledger", "inventoryLedger", null)]
    [InlineData("/api/v1/fulfilment-orders", "fulfilmentOrders", null)]
    [InlineData("/api/v1/allocations", "allocations", null)]
    [InlineData("/api/v1/returns", "returns", null)]
    [InlineData("/api/v1/purchase-orders", "purchaseOrders", null)]
    [InlineData("/api/v1/suppliers", "suppliers", null)]
    [InlineData("/api/v1/fulfilment-nodes", "fulfilmentNodes", null)]
    [InlineData("/api/v1/api-keys", "apiKeys", null)]
    [InlineData("/api/v1/webhook-subscriptions", "webhookSubscriptions", null)]
    [InlineData("/api/v1/webhook-subscriptions/{id}/deliveries", "webhookDeliveries", null)]
    public async Task A_list_filters_by_the_same_names_in_REST_and_GraphQL(string path, string field, string? filterArgument)
    {
        var s = await Scenario.StartAsync();
        var rest = JsonNode.Parse(File.ReadAllText(RepoFile("openapi/v1.json")))!["paths"]![path]!["get"]!["parameters"]!.AsArray()
            .Select(p => p!["name"]!.GetValue<string>())
            .Select(n => n switch { "limit" => "first", "cursor" => "after", "id" => "subscriptionId", _ => n })
            .Order().ToList();
        var query = await s.GraphQLDataAsync("""{ __type(name: "Query") { fields { name args { name type { name ofType { name } } } } } }""");
        var args = query.GetProperty("__type").GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == field)
            .GetProperty("args").EnumerateArray().ToList();
        var names = args.Select(a => a.GetProperty("name").GetString()!).Where(n => n != filterArgument).ToList();
        if (filterArgument is not null)
        {
            var type = args.Single(a => a.GetProperty("name").GetString() == filterArgument).GetProperty("type").GetProperty("name").GetString();
            var input = await s.GraphQLDataAsync("query($t: String!) { __type(name: $t) { inputFields { name } } }", new { t = type });
            names.AddRange(input.GetProperty("__type").GetProperty("inputFields").EnumerateArray().Select(f => f.GetProperty("name").GetString()!));
        }
        Assert.Equal(rest, names.Order().ToList());
    }

    [Fact]
    public async Task Every_time_is_written_in_UTC_with_Z_in_REST_GraphQL_and_webhooks_alike()
    {
        var s = await Scenario.StartAsync();
        var id = (await s.PlaceAsync()).GetProperty("id").GetString();
        var order = JsonNode.Parse(await s.Admin.GetStringAsync($"/api/v1/orders/{id}"))!;
        var timeline = JsonNode.Parse(await s.Admin.GetStringAsync($"/api/v1/orders/{id}/timeline"))!.AsArray();
        var graph = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { createdAt } }", new { id });
        foreach (var (what, time) in new[] { ("REST createdAt", order["createdAt"]!.GetValue<string>()), ("REST updatedAt", order["updatedAt"]!.GetValue<string>()),
                     ("REST timeline", timeline[0]!["at"]!.GetValue<string>()), ("GraphQL createdAt", graph.GetProperty("order").GetProperty("createdAt").GetString()!) })
            Assert.True(System.Text.RegularExpressions.Regex.IsMatch(time, @"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"), $"{what}: {time}");
    }

    [Fact]
    public async Task Every_answer_is_checked_against_the_document_and_a_shape_it_does_not_allow_is_caught()
    {
        var s = await Scenario.StartAsync();
        var order = (await s.PlaceAsync()).GetProperty("id").GetString();
        var request = new HttpRequestMessage(HttpMethod.Get, $"http://localhost/api/v1/orders/{order}");
        var body = JsonNode.Parse(await s.Admin.GetStringAsync($"/api/v1/orders/{order}"))!.AsObject(); // passed the check on the way in
        string? Check(Action<JsonObject> change)
        {
            var changed = body.DeepClone().AsObject();
            change(changed);
            var json = changed.ToJsonString();
            return ContractCheck.Violation(request, new HttpResponseMessage(System.Net.HttpStatusCode.OK)
            { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") }, json);
        }

        Assert.Null(Check(_ => { }));
        Assert.Null(Check(o => o["shippingAddress"] = null));                       // nullable in the document too
        Assert.NotNull(Check(o => o["status"] = "teleported"));                     // not one of the enum's values
        Assert.NotNull(Check(o => o.Remove("total")));                              // required
        Assert.NotNull(Check(o => o["customer"] = null));                           // never null
        Assert.NotNull(Check(o => o["surprise"] = 1));                              // no property the document does not name
        var teapot = new HttpResponseMessage((System.Net.HttpStatusCode)418) { Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json") };
        Assert.NotNull(ContractCheck.Violation(request, teapot, "{}"));             // a status the document does not list
    }

    [Fact]
    public async Task Committed_OpenAPI_document_is_what_the_API_serves()
    {
        var s = await Scenario.StartAsync();
        var served = JsonNode.Parse(await s.Factory.Client(null).GetStringAsync("/openapi/v1.json"))!;
        var path = RepoFile("openapi/v1.json");
        var text = served.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        if (Update) await File.WriteAllTextAsync(path, text);
        Assert.True(File.Exists(path), "openapi/v1.json is missing: run with UPDATE_CONTRACTS=1");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(path))!;
        Assert.True(JsonNode.DeepEquals(committed, served), "openapi/v1.json differs from the served document: run with UPDATE_CONTRACTS=1 and review the diff");
        Assert.Equal("3", served["openapi"]!.GetValue<string>()[..1]);
        Assert.NotNull(served["paths"]!["/api/v1/orders"]);
        Assert.Null(served["paths"]!["/graphql"]); // unversioned endpoints stay out of the versioned document
    }

    [Fact]
    public async Task Committed_GraphQL_schema_is_what_the_API_serves()
    {
        var s = await Scenario.StartAsync();
        var served = await s.Factory.Client(null).GetStringAsync("/graphql/schema.graphql");
        var path = RepoFile("openapi/schema.graphql");
        if (Update) await File.WriteAllTextAsync(path, served);
        Assert.True(File.Exists(path), "openapi/schema.graphql is missing: run with UPDATE_CONTRACTS=1");
        Assert.Equal((await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), served);
    }

    [Fact]
    public async Task Every_model_change_is_covered_by_a_migration_for_both_providers()
    {
        var s = await Scenario.StartAsync();
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var postgres = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        Assert.IsType<PostgresOmsDbContext>(postgres);
        Assert.False(postgres.Database.HasPendingModelChanges(), "The model changed without a PostgreSQL migration");
        Assert.Empty(await postgres.Database.GetPendingMigrationsAsync());

        await using var sqlite = new SqliteDesignTimeFactory().CreateDbContext([]);
        Assert.False(sqlite.Database.HasPendingModelChanges(), "The model changed without a SQLite migration");
        Assert.NotEmpty(sqlite.Database.GetMigrations());
    }
}
