using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class AccessTests
{
    [Fact]
    public async Task Every_endpoint_needs_a_key_unless_it_is_marked_public()
    {
        var s = await Scenario.StartAsync();
        var anonymous = s.Factory.Client(null);
        var endpoints = s.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();
        var checkedCount = 0;
        var publicRoutes = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var pattern = "/" + endpoint.RoutePattern.RawText!.TrimStart('/');
            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            if (endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                publicRoutes.Add(pattern);
                continue;
            }
            var url = System.Text.RegularExpressions.Regex.Replace(pattern, "\\{version[^}]*\\}", "1");
            url = System.Text.RegularExpressions.Regex.Replace(url, "\\{[^}]+\\}", Guid.NewGuid().ToString());
            foreach (var method in methods)
            {
                var response = await anonymous.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = method is "POST" or "PATCH" ? Scenario.Content(new { }) : null });
                Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {url} answered {(int)response.StatusCode} without a key");
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                checkedCount++;
            }
        }
        Assert.True(checkedCount >= 15, $"only {checkedCount} endpoints were walked");
        // The public ones are exactly the documented ones: health, the GraphQL IDE/endpoint (which checks keys itself) and its SDL, the dashboard's page (its data needs a key),
        // the provider webhooks (signed), the shoppers' tracking lookup (e-mail and rate limit) and their feedback (the token, a rate limit).
        Assert.Equal(new[] { "/api/v{version:apiVersion}/carriers/{carrier}/tracking-webhook", "/api/v{version:apiVersion}/feedback/{token}", "/api/v{version:apiVersion}/payments/stripe/webhook", "/api/v{version:apiVersion}/public/documents/{token}",
                "/api/v{version:apiVersion}/tracking/{orderNumber}", "/dashboard", "/graphql", "/graphql/schema.graphql", "/health/live", "/health/ready" },
            publicRoutes.Order(StringComparer.Ordinal).ToArray());
        var gql = await anonymous.PostAsync("/graphql", Scenario.Content(new { query = "{ orders { nodes { id } } }" }));
        Assert.Equal(HttpStatusCode.Unauthorized, gql.StatusCode);
    }

    [Fact]
    public async Task Unknown_key_is_401_and_a_key_without_the_scope_is_403_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var unknown = s.Factory.Client("oms_notAKey" + s.Tag);
        var readOnly = s.Factory.Client(await s.Factory.KeyWithScopesAsync("reader-" + s.Tag, "orders:read"));
        var sku = await s.ProductAsync();

        var r401 = await unknown.GetAsync("/api/v1/orders");
        Assert.Equal(HttpStatusCode.Unauthorized, r401.StatusCode);
        Assert.Equal("unauthenticated", (await r401.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal("Bearer", r401.Headers.WwwAuthenticate.Single().Scheme);

        var (g401, g401Body) = await s.GraphQLAsync("{ orders { nodes { id } } }", client: unknown);
        Assert.Equal(HttpStatusCode.Unauthorized, g401.StatusCode);
        Assert.Equal("unauthenticated", Scenario.ErrorCode(g401Body));

        Assert.Equal(HttpStatusCode.OK, (await readOnly.GetAsync("/api/v1/orders")).StatusCode);
        var r403 = await readOnly.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(sku)));
        Assert.Equal(HttpStatusCode.Forbidden, r403.StatusCode);
        Assert.Equal("forbidden", (await r403.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var (_, g403) = await s.GraphQLAsync("mutation { confirmOrder(id: \"" + Guid.NewGuid() + "\") { id } }", client: readOnly);
        Assert.Equal("forbidden", Scenario.ErrorCode(g403));
        var (_, catalog403) = await s.GraphQLAsync("{ products { nodes { sku } } }", client: readOnly);
        Assert.Equal("forbidden", Scenario.ErrorCode(catalog403));
        Assert.Empty((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={s.Email()}")).GetProperty("data").EnumerateArray());
    }

    [Fact]
    public async Task Write_scope_includes_read_and_admin_includes_everything()
    {
        var s = await Scenario.StartAsync();
        var writer = s.Factory.Client(await s.Factory.KeyWithScopesAsync("writer-" + s.Tag, "catalog:write"));
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/v1/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await writer.GetAsync("/api/v1/api-keys")).StatusCode);
    }

    [Fact]
    public async Task Keys_are_shown_once_stored_hashed_listed_without_secret_and_revocable()
    {
        var s = await Scenario.StartAsync();
        var created = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "shop-" + s.Tag, scopes = new[] { "orders:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        var id = body.GetProperty("key").GetProperty("id").GetString();
        Assert.StartsWith("oms_", secret);

        var listed = await s.Admin.GetStringAsync("/api/v1/api-keys");
        Assert.Contains("shop-" + s.Tag, listed);
        Assert.DoesNotContain(secret, listed);
        await using (var scope = s.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
            Assert.DoesNotContain(db.ApiKeys.AsEnumerable(), k => k.Hash == secret || k.Hint == secret);
        }

        var client = s.Factory.Client(secret);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/orders")).StatusCode);
        var data = await s.GraphQLDataAsync("mutation($id: ID!) { revokeApiKey(id: $id) { revokedAt } }", new { id });
        Assert.NotEqual(JsonValueKind.Null, data.GetProperty("revokeApiKey").GetProperty("revokedAt").ValueKind);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsync($"/api/v1/api-keys/{id}/revoke", null)).StatusCode);
    }

    [Fact]
    public async Task Unknown_scopes_are_refused()
    {
        var s = await Scenario.StartAsync();
        var response = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "x", scopes = new[] { "orders:delete" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("api_key.unknown_scope", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("scopes", out _));
    }

    [Fact]
    public async Task The_timeline_names_the_key_that_made_each_change()
    {
        var s = await Scenario.StartAsync();
        var name = "support-desk-" + s.Tag;
        var desk = s.Factory.Client(await s.Factory.KeyWithScopesAsync(name, "orders:write"));
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString();

        var cancel = await desk.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "duplicate order" }));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);

        var timeline = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/timeline");
        Assert.Equal(2, timeline.GetArrayLength());
        Assert.Equal("placed", timeline[0].GetProperty("event").GetString());
        var last = timeline[1];
        Assert.Equal("pending", last.GetProperty("from").GetString());
        Assert.Equal("cancelled", last.GetProperty("to").GetString());
        Assert.Equal(name, last.GetProperty("actor").GetString());
        Assert.Equal("duplicate order", last.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_key_revoked_on_one_API_process_stops_working_on_another_at_once_and_a_key_records_which_key_made_it()
    {
        var pg = await TestApp.DatabaseAsync();
        var connection = await pg.CreateDatabaseAsync();
        var bootstrap = "oms_test_admin_" + Guid.NewGuid().ToString("N");
        // Two API processes on one database, as two replicas behind a load balancer.
        await using var a = new ApiFactory(connection, bootstrap);
        await using var b = new ApiFactory(connection, bootstrap);
        var adminA = a.Admin();
        Assert.Equal(HttpStatusCode.OK, (await b.Admin().GetAsync("/api/v1/orders")).StatusCode);
        async Task<(string Id, string Secret, JsonElement Key)> CreateAsync(HttpClient by, string name, params string[] scopes)
        {
            var response = await by.PostAsJsonAsync("/api/v1/api-keys", new { name, scopes });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = await response.Content.ReadFromJsonAsync<JsonElement>();
            var key = created.GetProperty("key");
            return (key.GetProperty("id").GetString()!, created.GetProperty("secret").GetString()!, key);
        }
        var reader = await CreateAsync(adminA, "reader", "orders:read");
        var minted = await CreateAsync(adminA, "minted", "admin");
        var child = await CreateAsync(a.Client(minted.Secret), "child", "orders:read");
        Assert.Equal(minted.Id, child.Key.GetProperty("createdBy").GetString());
        Assert.NotEqual(JsonValueKind.Null, reader.Key.GetProperty("createdBy").ValueKind); // the bootstrap key
        var (graphResponse, graph) = await new Scenario(a).GraphQLAsync("{ apiKeys(first: 10) { nodes { name createdBy } } }");
        Assert.Contains(graph.GetProperty("data").GetProperty("apiKeys").GetProperty("nodes").EnumerateArray(),
            n => n.GetProperty("name").GetString() == "child" && n.GetProperty("createdBy").GetString() == minted.Id);

        var readerOnB = b.Client(reader.Secret);
        var mintedOnB = b.Client(minted.Secret);
        await Task.Delay(TimeSpan.FromSeconds(1)); // B listens for revocations from its start; give it time to be listening
        Assert.Equal(HttpStatusCode.OK, (await readerOnB.GetAsync("/api/v1/orders")).StatusCode); // B now keeps the reader's key
        Assert.Equal(HttpStatusCode.OK, (await mintedOnB.GetAsync("/api/v1/api-keys")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/api-keys/{reader.Id}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await adminA.PostAsync($"/api/v1/api-keys/{minted.Id}/revoke", null)).StatusCode);
        // An admin key is never kept: refused on B at the first request, and it mints nothing more.
        Assert.Equal(HttpStatusCode.Unauthorized, (await mintedOnB.PostAsJsonAsync("/api/v1/api-keys", new { name = "late", scopes = new[] { "admin" } })).StatusCode);
        // A kept key is forgotten when B hears of the revocation: well within a second, not the 30 s B would keep it.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((await readerOnB.GetAsync("/api/v1/orders")).StatusCode == HttpStatusCode.OK && clock.Elapsed < TimeSpan.FromSeconds(10))
            await Task.Delay(20);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"the revoked key still worked on the other process for {clock.Elapsed.TotalMilliseconds:0} ms");
    }
}
