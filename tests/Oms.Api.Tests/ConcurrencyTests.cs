using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Get_sends_the_version_as_ETag_and_a_stale_If_Match_is_refused_with_412()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var url = $"/api/v1/orders/{order.GetProperty("id").GetString()}";

        var read = await s.Admin.GetAsync(url);
        var etag = read.Headers.ETag!.Tag;
        Assert.Equal("\"1\"", etag);

        var edit = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Scenario.Content(new JsonObject { ["notes"] = "first" }) };
        edit.Headers.IfMatch.ParseAdd(etag);
        var edited = await s.Admin.SendAsync(edit);
        Assert.Equal(HttpStatusCode.OK, edited.StatusCode);
        Assert.Equal("\"2\"", edited.Headers.ETag!.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Patch, url) { Content = Scenario.Content(new JsonObject { ["notes"] = "second" }) };
        stale.Headers.IfMatch.ParseAdd(etag);
        var refused = await s.Admin.SendAsync(stale);
        Assert.Equal(HttpStatusCode.PreconditionFailed, refused.StatusCode);
        Assert.Equal("concurrency_conflict", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var now = await s.Admin.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal("first", now.GetProperty("notes").GetString());
        Assert.Equal(2, now.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task State_changes_honour_If_Match()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString();

        var stale = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/confirm");
        stale.Headers.IfMatch.ParseAdd("\"7\"");
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await s.Admin.SendAsync(stale)).StatusCode);

        var fresh = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{id}/confirm");
        fresh.Headers.IfMatch.ParseAdd("\"1\"");
        var confirmed = await s.Admin.SendAsync(fresh);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("allocated", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString()); // routed and reserved at once
    }

    [Fact]
    public async Task GraphQL_mutations_with_a_stale_expectedVersion_fail_with_concurrency_conflict()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString();

        var (_, stale) = await s.GraphQLAsync("mutation($id: ID!) { holdOrder(id: $id, reason: \"check\", expectedVersion: 5) { status } }", new { id });
        Assert.Equal("concurrency_conflict", Scenario.ErrorCode(stale));

        var ok = await s.GraphQLDataAsync("mutation($id: ID!) { holdOrder(id: $id, reason: \"check\", expectedVersion: 1) { status version } }", new { id });
        Assert.Equal("ON_HOLD", ok.GetProperty("holdOrder").GetProperty("status").GetString());
        Assert.Equal(2, ok.GetProperty("holdOrder").GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Racing_writers_without_If_Match_never_lose_an_update_silently()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var url = $"/api/v1/orders/{order.GetProperty("id").GetString()}";

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            s.Admin.PatchAsync(url, Scenario.Content(new JsonObject { ["notes"] = $"writer {i}" }))));

        var succeeded = responses.Count(r => r.StatusCode == HttpStatusCode.OK);
        Assert.True(succeeded >= 1, "no writer got through");
        // A writer that lost the race is told so, with the code a client retries on.
        foreach (var r in responses.Where(r => r.StatusCode != HttpStatusCode.OK))
        {
            Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
            Assert.Equal("concurrency_conflict", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        var final = await s.Admin.GetFromJsonAsync<JsonElement>(url);
        Assert.Equal(1 + succeeded, final.GetProperty("version").GetInt32()); // every accepted write is counted once
    }
}
