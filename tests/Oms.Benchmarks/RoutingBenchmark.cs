using BenchmarkDotNet.Attributes;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Benchmarks;

/// <summary>One routing decision: a 5-line order over 50 nodes across Europe, each holding part of the catalog.</summary>
[MemoryDiagnoser]
public class RoutingBenchmark
{
    private readonly Router _router = new(new RoutingSettings());
    private readonly DateTimeOffset _now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private List<NodeSnapshot> _nodes = [];
    private RoutingRequest _wholeFromOne = null!;
    private RoutingRequest _needsSplit = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        var skus = Enumerable.Range(1, 20).Select(i => $"SKU-{i:D3}").ToArray();
        _nodes = Enumerable.Range(1, 50).Select(i =>
        {
            var node = FulfilmentNode.Create($"N{i:D2}", new NodeDetails(
                i % 5 == 0 ? NodeKind.Store : NodeKind.Warehouse, $"Node {i}",
                new Address($"Node {i}", null, "Street 1", null, "City", null, null, "DE", null, 44 + random.NextDouble() * 10, -2 + random.NextDouble() * 20),
                "Europe/Berlin", true, true, i % 5 == 0, [], i % 4, i % 3 == 0 ? 500 : null, new TimeOnly(15, 0),
                new ShippingCostModel(300, 50, 20, "EUR")), _now);
            var stock = skus.Where(_ => random.NextDouble() < 0.6).ToDictionary(s => s, _ => random.Next(0, 12));
            return new NodeSnapshot(node, stock, random.Next(0, 400));
        }).ToList();
        var destination = new Address("Ada", null, "Jungfernstieg 1", null, "Hamburg", null, "20095", "DE", null, 53.55, 9.99);
        RoutingRequest Request(int quantity) => new(
            skus.Take(5).Select(s => new RoutingLine(Guid.NewGuid(), s, quantity, 450)).ToList(), destination, OrderPriority.Expedited, OrderChannel.Web,
            new Delivery(DeliveryType.Ship, null), []);
        _wholeFromOne = Request(1);
        _needsSplit = Request(9);
    }

    [Benchmark(Baseline = true, Description = "5 lines, 50 nodes, one node can ship all")]
    public RoutingPlan WholeOrderFromOneNode() => _router.Plan(_wholeFromOne, _nodes, _now);

    [Benchmark(Description = "5 lines, 50 nodes, split needed")]
    public RoutingPlan SplitAcrossNodes() => _router.Plan(_needsSplit, _nodes, _now);
}
