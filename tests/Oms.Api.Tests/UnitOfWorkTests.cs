using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>One change is one transaction: a use case that fails writes nothing, and nothing it touched leaks into the next.</summary>
public sealed class UnitOfWorkTests
{
    [Fact]
    public async Task A_failed_GraphQL_mutation_field_writes_nothing_and_the_next_field_still_runs_and_answers()
    {
        var s = await Scenario.StartAsync();
        var scarce = await s.ProductAsync(stock: 1); // deny backorders: two units cannot be reserved
        var warehouse = await s.WarehouseAsync();
        var x = (await s.PlaceAsync(s.OrderBody(scarce, quantity: 2))).GetProperty("id").GetString();
        var y = (await s.PlaceAsync()).GetProperty("id").GetString();

        var (_, body) = await s.GraphQLAsync("""
            mutation($x: ID!, $y: ID!) {
              a: confirmOrder(id: $x) { id status }
              b: holdOrder(id: $y, reason: "address check") { id status }
            }
            """, new { x, y });

        // Partial results: a's error next to b's data.
        var errors = body.GetProperty("errors");
        Assert.Equal(1, errors.GetArrayLength());
        Assert.Equal("a", errors[0].GetProperty("path")[0].GetString());
        Assert.Equal("inventory.insufficient_stock", errors[0].GetProperty("extensions").GetProperty("code").GetString());
        var data = body.GetProperty("data");
        Assert.Equal(JsonValueKind.Null, data.GetProperty("a").ValueKind);
        Assert.Equal("ON_HOLD", data.GetProperty("b").GetProperty("status").GetString());

        // a wrote nothing, not even through b's save.
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{x}");
        Assert.Equal("pending", order.GetProperty("status").GetString());
        Assert.Equal(1, order.GetProperty("version").GetInt32());
        var routing = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{x}/routing");
        Assert.Empty(routing.GetProperty("allocations").EnumerateArray());
        Assert.Equal(0, (await s.StockAtAsync(scarce, warehouse)).GetProperty("reserved").GetInt32());
        Assert.Equal("on_hold", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{y}")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Every_save_that_changes_a_resource_gives_it_a_new_version()
    {
        var s = await Scenario.StartAsync();
        // One save, one version, however many changes it carries: placed and confirmed by money that came with it.
        var paid = s.OrderBody(await s.ProductAsync());
        paid["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
        var order = await s.PlaceAsync(paid);
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        Assert.Equal(1, order.GetProperty("version").GetInt32());
        var id = order.GetProperty("id").GetString();
        var held = await (await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "check" }))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, held.GetProperty("version").GetInt32());
        Assert.Equal("\"2\"", (await s.Admin.GetAsync($"/api/v1/orders/{id}")).Headers.ETag?.Tag);
    }
}
