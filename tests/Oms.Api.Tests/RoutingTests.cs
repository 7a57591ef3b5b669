using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class RoutingTests
{
    private static JsonObject TwoLineOrder(Scenario s, string skuA, int qtyA, string skuB, int qtyB, string country = "DE", string city = "Hamburg",
        double lat = 53.55, double lon = 9.99)
    {
        var body = s.OrderBody(skuA, qtyA);
        body["lines"]!.AsArray().Add(new JsonObject { ["sku"] = skuB, ["quantity"] = qtyB });
        body["shippingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "Street 1", ["city"] = city, ["country"] = country, ["latitude"] = lat, ["longitude"] = lon };
        return body;
    }

    private static async Task<(JsonElement Order, JsonElement Routing)> ConfirmAsync(Scenario s, JsonObject body)
    {
        var id = (await s.PlaceAsync(body)).GetProperty("id").GetString();
        var confirm = await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
        Assert.True(confirm.IsSuccessStatusCode, await confirm.Content.ReadAsStringAsync());
        return (await confirm.Content.ReadFromJsonAsync<JsonElement>(), await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/routing"));
    }

    private static JsonElement Candidate(JsonElement decision, string node) =>
        decision.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("nodeCode").GetString() == node);

    [Fact]
    public async Task The_whole_order_goes_to_one_node_when_one_can_ship_it_even_if_a_nearer_one_has_part()
    {
        var s = await Scenario.StartAsync();
        var near = await s.NodeAsync("NEAR", 53.56, 10.00, "DE");   // Hamburg: has only one line
        var far = await s.NodeAsync("FAR", 48.14, 11.58, "DE");     // Munich: has both
        var skuA = await s.ProductAsync(stock: 0);
        var skuB = await s.ProductAsync(stock: 0);
        await s.StockAsync(skuA, near, 5);
        await s.StockAsync(skuA, far, 5);
        await s.StockAsync(skuB, far, 5);

        var (order, routing) = await ConfirmAsync(s, TwoLineOrder(s, skuA, 1, skuB, 1));

        Assert.Equal("allocated", order.GetProperty("status").GetString());
        var allocation = Assert.Single(routing.GetProperty("allocations").EnumerateArray());
        Assert.Equal(far, allocation.GetProperty("nodeCode").GetString());
        var decision = routing.GetProperty("decisions")[0];
        Assert.Equal("single_node", decision.GetProperty("outcome").GetString());
        Assert.True(Candidate(decision, far).GetProperty("chosen").GetBoolean());
        var passed = Candidate(decision, near);
        Assert.False(passed.GetProperty("chosen").GetBoolean());
        Assert.False(passed.GetProperty("canShipAll").GetBoolean());
        Assert.True(passed.GetProperty("score").GetProperty("distanceKm").GetDouble() < Candidate(decision, far).GetProperty("score").GetProperty("distanceKm").GetDouble());
    }

    [Fact]
    public async Task Among_nodes_that_can_ship_everything_the_cheapest_wins_and_the_explanation_names_both()
    {
        var s = await Scenario.StartAsync();
        var hamburg = await s.NodeAsync("HAM", 53.56, 10.00, "DE");
        var munich = await s.NodeAsync("MUC", 48.14, 11.58, "DE");
        var sku = await s.ProductAsync(stock: 0);
        await s.StockAsync(sku, hamburg, 5);
        await s.StockAsync(sku, munich, 5);

        var (_, routing) = await ConfirmAsync(s, TwoLineOrder(s, sku, 1, sku, 1)); // Hamburg customer

        var decision = routing.GetProperty("decisions")[0];
        var chosen = Candidate(decision, hamburg);
        var other = Candidate(decision, munich);
        Assert.True(chosen.GetProperty("chosen").GetBoolean());
        Assert.False(other.GetProperty("chosen").GetBoolean());
        Assert.True(other.GetProperty("eligible").GetBoolean());
        Assert.True(chosen.GetProperty("score").GetProperty("total").GetDouble() < other.GetProperty("score").GetProperty("total").GetDouble());
        Assert.True(other.GetProperty("score").GetProperty("distanceKm").GetDouble() > 500);
    }

    [Fact]
    public async Task A_split_happens_only_when_needed_and_one_line_may_be_split_across_nodes()
    {
        var s = await Scenario.StartAsync();
        var a = await s.NodeAsync("A", 53.56, 10.00, "DE");
        var b = await s.NodeAsync("B", 52.52, 13.40, "DE");
        var c = await s.NodeAsync("C", 48.14, 11.58, "DE");
        var sku = await s.ProductAsync(stock: 0);
        await s.StockAsync(sku, a, 3);
        await s.StockAsync(sku, b, 4);
        await s.StockAsync(sku, c, 1);

        var (order, routing) = await ConfirmAsync(s, s.OrderBody(sku, 6));

        Assert.Equal("allocated", order.GetProperty("status").GetString());
        var allocations = routing.GetProperty("allocations").EnumerateArray().ToList();
        Assert.Equal(2, allocations.Count); // 4 from B and 2 from A: two shipments, not three
        Assert.Equal(6, allocations.Sum(x => x.GetProperty("lines")[0].GetProperty("quantity").GetInt32()));
        Assert.Equal(new[] { a, b }, allocations.Select(x => x.GetProperty("nodeCode").GetString()!).Order().ToArray());
        Assert.Equal("split", routing.GetProperty("decisions")[0].GetProperty("outcome").GetString());
        var inventory = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
        Assert.Equal(6, inventory.GetProperty("reserved").GetInt32());
    }

    [Fact]
    public async Task A_rejected_allocation_is_rerouted_and_never_back_to_the_node_that_rejected_it()
    {
        var s = await Scenario.StartAsync();
        var first = await s.NodeAsync("FIRST", 53.56, 10.00, "DE");
        var second = await s.NodeAsync("SECOND", 52.52, 13.40, "DE");
        var sku = await s.ProductAsync(stock: 0);
        await s.StockAsync(sku, first, 5);
        await s.StockAsync(sku, second, 5);
        var (_, routing) = await ConfirmAsync(s, TwoLineOrder(s, sku, 2, sku, 1));
        var allocation = Assert.Single(routing.GetProperty("allocations").EnumerateArray());
        Assert.Equal(first, allocation.GetProperty("nodeCode").GetString());

        var reject = await s.Admin.PostAsJsonAsync($"/api/v1/allocations/{allocation.GetProperty("id").GetString()}/reject", new { reason = "shelf damaged" });
        Assert.Equal(HttpStatusCode.OK, reject.StatusCode);
        Assert.Equal("rejected", (await reject.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var orderId = allocation.GetProperty("orderId").GetString();
        var after = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing");
        var live = after.GetProperty("allocations").EnumerateArray().Where(x => x.GetProperty("status").GetString() == "reserved").ToList();
        Assert.Equal(second, Assert.Single(live).GetProperty("nodeCode").GetString());
        var reroute = after.GetProperty("decisions")[1];
        Assert.Equal("rejection", reroute.GetProperty("trigger").GetString());
        Assert.Contains("rejected this order before", Candidate(reroute, first).GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal("allocated", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}")).GetProperty("status").GetString());

        var levels = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("nodes").EnumerateArray().ToDictionary(n => n.GetProperty("nodeCode").GetString()!, n => n.GetProperty("reserved").GetInt32());
        Assert.Equal(0, levels[first]);
        Assert.Equal(3, levels[second]);

        // The second node refuses too: nobody else has it, so the order waits for stock instead of going back.
        var again = await s.Admin.PostAsJsonAsync($"/api/v1/allocations/{live[0].GetProperty("id").GetString()}/reject", new { reason = "closed" });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var order = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal("confirmed", order.GetProperty("status").GetString());
        var final = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing");
        Assert.DoesNotContain(final.GetProperty("allocations").EnumerateArray(), x => x.GetProperty("status").GetString() == "reserved");
        Assert.Equal(3, final.GetProperty("backorders").EnumerateArray().Sum(b => b.GetProperty("quantity").GetInt32()));
    }

    [Fact]
    public async Task Simulation_explains_without_reserving_and_pickup_orders_use_the_chosen_store()
    {
        var s = await Scenario.StartAsync();
        var store = await s.NodeAsync("STORE", 52.52, 13.40, "DE", kind: "store", canPickup: true);
        var sku = await s.ProductAsync(stock: 10);
        await s.StockAsync(sku, store, 2);

        var simulation = await s.Admin.PostAsJsonAsync("/api/v1/routing/simulate", new
        {
            lines = new[] { new { sku, quantity = 2 } },
            delivery = new { type = "pickup", pickupLocation = store },
        });
        Assert.Equal(HttpStatusCode.OK, simulation.StatusCode);
        var plan = await simulation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(store, Assert.Single(plan.GetProperty("allocations").EnumerateArray()).GetProperty("nodeCode").GetString());
        Assert.Contains("not the pickup location", Candidate(plan, await s.WarehouseAsync()).GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal(0, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("reserved").GetInt32());

        var body = s.OrderBody(sku, 2);
        body.Remove("shippingAddress");
        body["billingAddress"] = new JsonObject { ["name"] = "Ada", ["line1"] = "Street 1", ["city"] = "Berlin", ["country"] = "DE" };
        body["delivery"] = new JsonObject { ["type"] = "pickup", ["pickupLocation"] = store };
        var (order, routing) = await ConfirmAsync(s, body);
        Assert.Equal("allocated", order.GetProperty("status").GetString());
        Assert.Equal(store, Assert.Single(routing.GetProperty("allocations").EnumerateArray()).GetProperty("nodeCode").GetString());
    }

    [Theory]
    [InlineData("Lyon", "69002", "FR", "LYON")]           // 0 km; Paris 390
    [InlineData("Marseille", "13001", "FR", "LYON")]      // 280 km; Paris 660
    [InlineData("Strasbourg", "67000", "FR", "VENLO")]    // 330 km; Lyon 380, Paris 400
    [InlineData("Hamburg", "20095", "DE", "WH")]          // Berlin 255 km; Venlo 330
    [InlineData("Rotterdam", "3011 AB", "NL", "VENLO")]   // 130 km; Paris 370
    public async Task An_address_without_coordinates_goes_to_the_nearest_node_by_its_postal_area(string city, string postalCode, string country, string expected)
    {
        var s = await Scenario.StartAsync();
        var nodes = new Dictionary<string, string>
        {
            ["LYON"] = await s.NodeAsync("LYON", 45.76, 4.84, "FR"),
            ["PARIS"] = await s.NodeAsync("PARIS", 48.86, 2.35, "FR"),
            ["VENLO"] = await s.NodeAsync("VENLO", 51.37, 6.17, "NL"),
            ["WH"] = await s.WarehouseAsync(), // Berlin
        };
        var sku = await s.ProductAsync(stock: 0);
        foreach (var node in nodes.Values) await s.StockAsync(sku, node, 5);

        var simulation = await s.Admin.PostAsJsonAsync("/api/v1/routing/simulate", new
        {
            lines = new[] { new { sku, quantity = 1 } },
            shippingAddress = new { name = "Ada", line1 = "Rue 1", city, postalCode, country },
        });
        Assert.Equal(HttpStatusCode.OK, simulation.StatusCode);
        var plan = await simulation.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(nodes[expected], Assert.Single(plan.GetProperty("allocations").EnumerateArray()).GetProperty("nodeCode").GetString());
    }

    [Fact]
    public async Task GraphQL_explains_routing_and_simulates()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 5);
        var (order, _) = await ConfirmAsync(s, s.OrderBody(sku, 2));

        var data = await s.GraphQLDataAsync("""
            query($id: ID!, $sku: String!) {
              orderRouting(orderId: $id) { decisions { outcome candidates { nodeCode chosen eligible reasons score { total distanceKm } } } allocations { nodeCode status lines { sku quantity } } }
              inventory(sku: $sku) { available reserved nodes { nodeCode onHand reserved available } }
              simulateRouting(input: { lines: [{ sku: $sku, quantity: 9 }] }) { outcome short { sku quantity } }
            }
            """, new { id = order.GetProperty("id").GetString(), sku });
        Assert.Equal("SINGLE_NODE".ToLowerInvariant(), data.GetProperty("orderRouting").GetProperty("decisions")[0].GetProperty("outcome").GetString());
        Assert.Equal(2, data.GetProperty("inventory").GetProperty("reserved").GetInt32());
        Assert.Equal(3, data.GetProperty("inventory").GetProperty("available").GetInt32());
        Assert.Equal("partial", data.GetProperty("simulateRouting").GetProperty("outcome").GetString());
        Assert.Equal(6, data.GetProperty("simulateRouting").GetProperty("short")[0].GetProperty("quantity").GetInt32());
    }

    [Fact]
    public async Task Configuration_names_node_kinds_and_channels_as_the_API_does()
    {
        var pg = await TestApp.DatabaseAsync();
        await using var app = new ApiFactory(await pg.CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"),
            ("Routing:AllowedKindsByChannel:marketplace:0", "third_party_logistics"));
        var s = new Scenario(app);
        var warehouse = await s.WarehouseAsync(); // Berlin
        var partner = await s.NodeAsync("TPL", 51.39, 6.15, "NL", kind: "third_party_logistics"); // Venlo
        var sku = await s.ProductAsync(stock: 5);
        await s.StockAsync(sku, partner, 5);

        async Task<JsonElement> Simulate(string channel) => await (await s.Admin.PostAsJsonAsync("/api/v1/routing/simulate", new
        {
            lines = new[] { new { sku, quantity = 1 } }, channel,
            shippingAddress = new { name = "Ada", line1 = "Unter den Linden 1", city = "Berlin", postalCode = "10117", country = "DE" },
        })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(warehouse, (await Simulate("web")).GetProperty("allocations")[0].GetProperty("nodeCode").GetString());
        var marketplace = await Simulate("marketplace");
        Assert.Equal(partner, marketplace.GetProperty("allocations")[0].GetProperty("nodeCode").GetString());
        Assert.Contains("warehouse nodes are not used for the marketplace channel",
            marketplace.GetProperty("candidates").EnumerateArray().Single(c => c.GetProperty("nodeCode").GetString() == warehouse).GetProperty("reasons").EnumerateArray().Select(r => r.GetString()));

        // The node reads back, and filters, with the spelling it was configured with; GraphQL has the same words.
        var listed = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/fulfilment-nodes?kind=third_party_logistics");
        Assert.Equal("third_party_logistics", Assert.Single(listed.GetProperty("data").EnumerateArray()).GetProperty("kind").GetString());
        var graph = await s.GraphQLDataAsync("{ fulfilmentNodes(kind: THIRD_PARTY_LOGISTICS) { nodes { code kind } } }");
        Assert.Equal(partner, Assert.Single(graph.GetProperty("fulfilmentNodes").GetProperty("nodes").EnumerateArray()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("Routing:AllowedKindsByChannel:marketplace:0", "3pl", "third_party_logistics")]
    [InlineData("Routing:AllowedKindsByChannel:teleshopping:0", "warehouse", "teleshopping")]
    public async Task A_misspelt_value_in_configuration_stops_the_start_and_names_its_key(string key, string value, string named)
    {
        await using var app = new ApiFactory((await TestApp.DatabaseAsync()).ConnectionString, "oms_test_admin_" + Guid.NewGuid().ToString("N"), (key, value));
        var failure = Assert.ThrowsAny<Exception>(() => app.Server);
        var messages = string.Join(" | ", Chain(failure).Select(e => e.Message));
        Assert.Contains(named, messages);
        Assert.Contains(key.Split(':')[1], messages);

        static IEnumerable<Exception> Chain(Exception? e) { for (; e is not null; e = e.InnerException) yield return e; }
    }
}
