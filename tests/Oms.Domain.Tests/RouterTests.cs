using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Domain.Tests;

public sealed class RouterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 9, 0, 0, TimeSpan.Zero);
    private static readonly Address Hamburg = new("Ada", null, "Jungfernstieg 1", null, "Hamburg", null, "20095", "DE", null, 53.55, 9.99);

    private static FulfilmentNode Node(string code, double lat, double lon, int priority = 0, int? capacity = null, string[]? serves = null,
        NodeKind kind = NodeKind.Warehouse, TimeOnly? cutoff = null, bool active = true) =>
        FulfilmentNode.Create(code, new NodeDetails(kind, code, new Address(code, null, "x", null, code, null, null, "DE", null, lat, lon),
            "Europe/Berlin", active, CanShip: true, CanPickup: kind == NodeKind.Store, serves ?? [], priority, capacity, cutoff,
            new ShippingCostModel(300, 50, 20, "EUR")), Now);

    private static RoutingRequest Request(params (string Sku, int Qty)[] lines) => new(
        lines.Select((l, i) => new RoutingLine(Guid.NewGuid(), l.Sku, l.Qty, 500)).ToList(), Hamburg, OrderPriority.Standard, OrderChannel.Web,
        new Delivery(DeliveryType.Ship, null), []);

    private static NodeSnapshot Snap(FulfilmentNode n, params (string Sku, int Qty)[] stock) => new(n, stock.ToDictionary(s => s.Sku, s => s.Qty), 0);

    private readonly Router _router = new(new RoutingSettings());

    [Fact]
    public void One_node_that_has_everything_beats_a_nearer_one_that_has_part()
    {
        var near = Node("NEAR", 53.56, 10.0);
        var far = Node("FAR", 48.14, 11.58);
        var plan = _router.Plan(Request(("A", 1), ("B", 1)), [Snap(near, ("A", 5)), Snap(far, ("A", 5), ("B", 5))], Now);
        Assert.Equal(RoutingPlan.SingleNode, plan.Outcome);
        Assert.Equal("FAR", Assert.Single(plan.Allocations).NodeCode);
    }

    [Fact]
    public void Splits_use_as_few_nodes_as_possible_and_split_a_line_when_needed()
    {
        var plan = _router.Plan(Request(("A", 6)), [Snap(Node("X", 53.5, 10), ("A", 3)), Snap(Node("Y", 52.5, 13.4), ("A", 4)), Snap(Node("Z", 48, 11), ("A", 1))], Now);
        Assert.Equal(RoutingPlan.Split, plan.Outcome);
        Assert.Equal(2, plan.Allocations.Count);
        Assert.Equal(6, plan.Allocations.Sum(a => a.Lines.Sum(l => l.Quantity)));
        Assert.Empty(plan.Short);
    }

    [Fact]
    public void What_nobody_has_is_short()
    {
        var plan = _router.Plan(Request(("A", 5), ("B", 1)), [Snap(Node("X", 53.5, 10), ("A", 2))], Now);
        Assert.Equal(RoutingPlan.Partial, plan.Outcome);
        Assert.Equal(3, plan.Short.Single(s => s.Sku == "A").Quantity);
        Assert.Equal(1, plan.Short.Single(s => s.Sku == "B").Quantity);
    }

    [Fact]
    public void Ineligible_nodes_say_why()
    {
        var inactive = Node("OFF", 53.5, 10, active: false);
        var full = Node("FULL", 53.5, 10, capacity: 1);
        var foreign = Node("FR", 48.85, 2.35, serves: ["FR"]);
        var plan = _router.Plan(Request(("A", 1)), [Snap(inactive, ("A", 5)), new NodeSnapshot(full, new Dictionary<string, int> { ["A"] = 5 }, 1), Snap(foreign, ("A", 5))], Now);
        Assert.Equal(RoutingPlan.Unavailable, plan.Outcome);
        Assert.Contains("inactive", plan.Candidates.Single(c => c.NodeCode == "OFF").Reasons);
        Assert.Contains("at its daily capacity of 1", plan.Candidates.Single(c => c.NodeCode == "FULL").Reasons);
        Assert.Contains("does not serve DE", plan.Candidates.Single(c => c.NodeCode == "FR").Reasons);
    }

    [Fact]
    public void Priority_and_cutoff_weigh_in_and_rules_exclude()
    {
        var settings = new RoutingSettings { ExcludedNodesByCountry = new() { ["DE"] = ["BANNED"] } };
        var router = new Router(settings);
        var preferred = Node("PREF", 52.5, 13.4, priority: 0);
        var demoted = Node("DEMO", 52.5, 13.4, priority: 10);
        var banned = Node("BANNED", 53.55, 9.99);
        var plan = router.Plan(Request(("A", 1)), [Snap(preferred, ("A", 1)), Snap(demoted, ("A", 1)), Snap(banned, ("A", 1))], Now);
        Assert.Equal("PREF", Assert.Single(plan.Allocations).NodeCode);
        Assert.Contains("excluded for DE by configuration", plan.Candidates.Single(c => c.NodeCode == "BANNED").Reasons);

        var late = Node("LATE", 53.55, 9.99, cutoff: new TimeOnly(8, 0)); // 10:00 Berlin is past 08:00
        var early = Node("EARLY", 52.5, 13.4, cutoff: new TimeOnly(18, 0));
        var expedited = Request(("A", 1)) with { Priority = OrderPriority.Expedited };
        var fast = _router.Plan(expedited, [Snap(late, ("A", 1)), Snap(early, ("A", 1))], Now);
        Assert.Equal("EARLY", Assert.Single(fast.Allocations).NodeCode);
        Assert.True(fast.Candidates.Single(c => c.NodeCode == "LATE").Score!.Cutoff > 0);
    }

    [Fact]
    public void Excluded_nodes_are_never_used_again()
    {
        var a = Node("A", 53.55, 9.99);
        var b = Node("B", 48, 11);
        var plan = _router.Plan(Request(("X", 1)) with { ExcludedNodes = [a.Id] }, [Snap(a, ("X", 9)), Snap(b, ("X", 9))], Now);
        Assert.Equal("B", Assert.Single(plan.Allocations).NodeCode);
    }

    [Fact]
    public void Distances_are_great_circle_kilometres_and_addresses_without_coordinates_use_centroids()
    {
        Assert.InRange(Geo.DistanceKm(new GeoPoint(52.52, 13.405), new GeoPoint(48.137, 11.575)), 500, 510);
        var munich = PostalAreaGeocoder.Instance.Locate(new Address("x", null, "x", null, "München", null, "80331", "DE", null, null, null))!;
        Assert.InRange(munich.Latitude, 47.5, 48.8);
        Assert.NotNull(PostalAreaGeocoder.Instance.Locate(new Address("x", null, "x", null, "Lyon", null, null, "FR", null, null, null)));
    }

    [Theory]
    [InlineData("FR", "69002", 45.76, 4.84)]  // Lyon
    [InlineData("FR", "67000", 48.57, 7.75)]  // Strasbourg
    [InlineData("FR", "13001", 43.30, 5.37)]  // Marseille
    [InlineData("DE", "20095", 53.55, 10.00)] // Hamburg
    [InlineData("NL", "3011 AB", 51.92, 4.48)] // Rotterdam
    [InlineData("BE", "9000", 51.05, 3.72)]   // Gent
    [InlineData("AT", "5020", 47.80, 13.04)]  // Salzburg
    public void A_postal_code_places_the_address_within_its_area(string country, string postal, double latitude, double longitude)
    {
        var at = PostalAreaGeocoder.Instance.Locate(new Address("x", null, "x", null, "x", null, postal, country, null, null, null))!;
        Assert.InRange(Geo.DistanceKm(at, new GeoPoint(latitude, longitude)), 0, 40);
    }

    [Fact]
    public void A_geocoder_of_the_users_choice_decides_where_addresses_are()
    {
        var lyon = Node("LYON", 45.76, 4.84);
        var venlo = Node("VENLO", 51.37, 6.17);
        var everywhereIsVenlo = new Router(new RoutingSettings(), new FixedGeocoder(new GeoPoint(51.37, 6.17)));
        var plan = everywhereIsVenlo.Plan(Request(("A", 1)) with { Destination = new Address("x", null, "x", null, "Lyon", null, "69002", "FR", null, null, null) },
            [Snap(lyon, ("A", 5)), Snap(venlo, ("A", 5))], Now);
        Assert.Equal("VENLO", plan.Candidates.Single(c => c.Chosen).NodeCode);
    }

    private sealed class FixedGeocoder(GeoPoint point) : IGeocoder
    {
        public GeoPoint? Locate(Address address) => address.Location ?? point;
    }
}
