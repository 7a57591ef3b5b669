using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class LifecycleTests
{
    [Fact]
    public async Task An_illegal_move_is_409_order_invalid_transition_in_both_APIs_and_changes_nothing()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "changed mind" }))).StatusCode);

        var confirm = await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
        var problem = await confirm.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("order.invalid_transition", problem.GetProperty("code").GetString());
        Assert.Equal("about:blank", problem.GetProperty("type").GetString());
        Assert.True(problem.TryGetProperty("traceId", out _));

        var (_, graph) = await s.GraphQLAsync("mutation($id: ID!) { completeOrder(id: $id) { status } }", new { id });
        Assert.Equal("order.invalid_transition", Scenario.ErrorCode(graph));

        var now = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal("cancelled", now.GetProperty("status").GetString());
        Assert.Equal(2, now.GetProperty("version").GetInt32());
        Assert.Empty(now.GetProperty("availableActions").EnumerateArray());
    }

    [Fact]
    public async Task Confirmed_at_says_when_the_order_was_confirmed_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var pending = await s.PlaceAsync();
        var id = pending.GetProperty("id").GetString();
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("confirmedAt").ValueKind);
        var confirmed = await (await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null)).Content.ReadFromJsonAsync<JsonElement>();
        var at = confirmed.GetProperty("confirmedAt").GetDateTimeOffset();
        Assert.InRange(at, pending.GetProperty("createdAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddSeconds(5));
        var graph = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { confirmedAt } }", new { id });
        Assert.Equal(at, graph.GetProperty("order").GetProperty("confirmedAt").GetDateTimeOffset());
        // Paid with the order: confirmed in the same request.
        var body = s.OrderBody(await s.ProductAsync());
        body["payment"] = new JsonObject { ["method"] = "bank_transfer" };
        var paid = await s.PlaceAsync(body);
        Assert.Equal(paid.GetProperty("createdAt").GetDateTimeOffset(), paid.GetProperty("confirmedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task Hold_and_release_return_the_order_to_where_it_was()
    {
        var s = await Scenario.StartAsync();
        var id = (await s.PlaceAsync()).GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);

        var held = await (await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "address check" }))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("on_hold", held.GetProperty("status").GetString());
        Assert.Contains("release", held.GetProperty("availableActions").EnumerateArray().Select(a => a.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "again" }))).StatusCode);

        var released = await s.Admin.PostAsync($"/api/v1/orders/{id}/release", null);
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);
        Assert.Equal("allocated", (await released.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.PostAsync($"/api/v1/orders/{id}/release", null)).StatusCode);

        var timeline = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/timeline");
        Assert.Equal(new[] { "pending", "confirmed", "allocated", "on_hold", "allocated" }, timeline.EnumerateArray().Select(e => e.GetProperty("to").GetString()!).ToArray());
    }

    [Fact]
    public async Task Editing_lines_reprices_the_order_and_is_recorded()
    {
        var s = await Scenario.StartAsync();
        var cheap = await s.ProductAsync(price: 1000);
        var dear = await s.ProductAsync(price: 6000);
        var id = (await s.PlaceAsync(cheap)).GetProperty("id").GetString();

        var response = await s.Admin.PatchAsync($"/api/v1/orders/{id}", Scenario.Content(new JsonObject
        {
            ["lines"] = new JsonArray(new JsonObject { ["sku"] = cheap, ["quantity"] = 2 }, new JsonObject { ["sku"] = dear, ["quantity"] = 1 }),
            ["shippingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "Strand 1", ["city"] = "London", ["country"] = "GB" },
        }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var edited = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(8000, edited.GetProperty("subtotal").GetProperty("amount").GetInt64());
        Assert.Equal(499, edited.GetProperty("shippingTotal").GetProperty("amount").GetInt64());
        Assert.Equal(2000, edited.GetProperty("taxRateBasisPoints").GetInt32()); // now shipping to GB
        Assert.Equal(1700, edited.GetProperty("taxTotal").GetProperty("amount").GetInt64());
        Assert.Equal(10199, edited.GetProperty("total").GetProperty("amount").GetInt64());

        var timeline = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/timeline");
        Assert.Equal("edited", timeline[1].GetProperty("event").GetString());
        Assert.Contains("lines", timeline[1].GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_cancelled_order_cannot_be_edited()
    {
        var s = await Scenario.StartAsync();
        var id = (await s.PlaceAsync()).GetProperty("id").GetString();
        await s.Admin.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "x" }));

        var response = await s.Admin.PatchAsync($"/api/v1/orders/{id}", Scenario.Content(new { notes = "too late" }));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("order.not_editable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task Unknown_orders_are_404_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var missing = Guid.NewGuid();
        var rest = await s.Admin.GetAsync($"/api/v1/orders/{missing}");
        Assert.Equal(HttpStatusCode.NotFound, rest.StatusCode);
        Assert.Equal("not_found", (await rest.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.GetAsync("/api/v1/orders/by-number/OMS-1")).StatusCode);
        var data = await s.GraphQLAsync("query($id: ID!) { order(id: $id) { id } }", new { id = missing });
        Assert.Equal("not_found", Scenario.ErrorCode(data.Body));
    }
}
