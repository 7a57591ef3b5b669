using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class RoleTests
{
    [Fact]
    public async Task A_key_with_a_built_in_role_may_do_what_the_role_allows_and_shows_its_effective_scopes()
    {
        var s = await Scenario.StartAsync();
        var made = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "picker-" + s.Tag, roles = new[] { "warehouse" }, scopes = new[] { "reports:read" } });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        var body = await made.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key");
        Assert.Equal(["warehouse"], key.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["reports:read"], key.GetProperty("scopes").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(["catalog:read", "documents:read", "fulfilment:write", "inventory:write", "reports:read", "returns:write"],
            key.GetProperty("effectiveScopes").EnumerateArray().Select(r => r.GetString()));

        var picker = s.Factory.Client(body.GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await picker.GetAsync("/api/v1/fulfilment-orders")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await picker.GetAsync("/api/v1/reports/kpis")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await picker.GetAsync("/api/v1/orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await picker.GetAsync("/api/v1/roles")).StatusCode);

        var listed = await s.GraphQLDataAsync("{ apiKeys(first: 250) { nodes { name roles effectiveScopes } } }");
        var mine = listed.GetProperty("apiKeys").GetProperty("nodes").EnumerateArray().Single(k => k.GetProperty("name").GetString() == "picker-" + s.Tag);
        Assert.Contains("fulfilment:write", mine.GetProperty("effectiveScopes").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_custom_role_reaches_its_keys_as_it_changes_and_cannot_be_deleted_while_held()
    {
        var s = await Scenario.StartAsync();
        var name = "night_" + s.Tag.ToLowerInvariant();
        var created = await s.Admin.PostAsJsonAsync("/api/v1/roles", new { name, description = "Packs at night", scopes = new[] { "catalog:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/v1/roles/{name}", created.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", created.Headers.ETag!.Tag);
        var key = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "night-" + s.Tag, roles = new[] { name } });
        var holder = s.Factory.Client((await key.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync("/api/v1/products")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await holder.GetAsync("/api/v1/fulfilment-orders")).StatusCode);

        // Changed: the key may do the new scopes at once (it was kept after its first use), and no longer the old ones.
        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/roles/{name}") { Content = Scenario.Content(new { scopes = new[] { "fulfilment:read" } }) };
        stale.Headers.IfMatch.ParseAdd("\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await s.Admin.SendAsync(stale)).StatusCode);
        var (_, changed) = await s.GraphQLAsync("mutation($name: String!) { updateRole(name: $name, input: { scopes: [\"fulfilment:read\"] }, expectedVersion: 1) { scopes description version } }",
            new { name });
        var role = changed.GetProperty("data").GetProperty("updateRole");
        Assert.Equal(["fulfilment:read"], role.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Packs at night", role.GetProperty("description").GetString());
        Assert.Equal(2, role.GetProperty("version").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await holder.GetAsync("/api/v1/fulfilment-orders")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await holder.GetAsync("/api/v1/products")).StatusCode);

        var held = await s.Admin.DeleteAsync($"/api/v1/roles/{name}");
        Assert.Equal(HttpStatusCode.Conflict, held.StatusCode);
        Assert.Equal("role.in_use", (await held.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var keyId = (await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/api-keys?limit=250")).GetProperty("data").EnumerateArray()
            .Single(k => k.GetProperty("name").GetString() == "night-" + s.Tag).GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/api-keys/{keyId}/revoke", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.DeleteAsync($"/api/v1/roles/{name}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.GetAsync($"/api/v1/roles/{name}")).StatusCode);
    }

    [Fact]
    public async Task Built_in_roles_are_listed_and_unchangeable_and_bad_roles_are_refused_with_the_field()
    {
        var s = await Scenario.StartAsync();
        var first = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/roles?limit=3");
        Assert.Equal(["analyst", "customer_service", "finance"], first.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("name").GetString()));
        Assert.True(first.GetProperty("hasMore").GetBoolean());
        var next = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/roles?limit=250&cursor={first.GetProperty("next").GetString()}");
        var names = next.GetProperty("data").EnumerateArray().Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Equal(["integration", "owner", "warehouse"], names.Where(n => n is "integration" or "owner" or "warehouse"));
        Assert.DoesNotContain("finance", names);
        var owner = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/roles/owner");
        Assert.True(owner.GetProperty("builtIn").GetBoolean());
        Assert.Equal(JsonValueKind.Null, owner.GetProperty("createdAt").ValueKind);
        Assert.Equal(["admin"], owner.GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));

        await Refused(await s.Admin.PatchAsJsonAsync("/api/v1/roles/warehouse", new { scopes = new[] { "admin" } }), HttpStatusCode.Conflict, "role.built_in", null);
        await Refused(await s.Admin.DeleteAsync("/api/v1/roles/owner"), HttpStatusCode.Conflict, "role.built_in", null);
        await Refused(await s.Admin.PostAsJsonAsync("/api/v1/roles", new { name = "finance", scopes = new[] { "orders:read" } }), HttpStatusCode.Conflict, "role.built_in", null);
        await Refused(await s.Admin.PostAsJsonAsync("/api/v1/roles", new { name = "Has Spaces", scopes = new[] { "orders:read" } }), HttpStatusCode.UnprocessableEntity, "role.invalid_name", "name");
        await Refused(await s.Admin.PostAsJsonAsync("/api/v1/roles", new { name = "r" + s.Tag.ToLowerInvariant(), scopes = new[] { "orders:delete" } }),
            HttpStatusCode.UnprocessableEntity, "access.unknown_scope", "scopes");
        await Refused(await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "k", roles = new[] { "warehouse", "no_such_role" } }),
            HttpStatusCode.UnprocessableEntity, "api_key.unknown_role", "roles[1]");
        await Refused(await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "k" }), HttpStatusCode.UnprocessableEntity, "api_key.no_scopes", "scopes");
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.PatchAsJsonAsync("/api/v1/roles/no_such_role", new { description = "x" })).StatusCode);
        // Nothing half-written: the refused role does not exist.
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.GetAsync("/api/v1/roles/r" + s.Tag.ToLowerInvariant())).StatusCode);

        var (_, graph) = await s.GraphQLAsync("{ role(name: \"analyst\") { name builtIn scopes } }");
        Assert.Contains("reports:read", graph.GetProperty("data").GetProperty("role").GetProperty("scopes").EnumerateArray().Select(e => e.GetString()));
    }

    private static async Task Refused(HttpResponseMessage response, HttpStatusCode status, string code, string? field)
    {
        Assert.Equal(status, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        if (field is not null) Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
    }
}
