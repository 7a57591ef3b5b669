using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;

namespace Oms.Domain.Routing;

/// <summary>How much each factor weighs in a node's cost (lower cost wins), and the simple rules around it.</summary>
public sealed class RoutingSettings
{
    /// <summary>Cost per kilometre between node and destination.</summary>
    public double DistanceWeight { get; set; } = 1.0;
    /// <summary>Cost per step of node priority (priority 0 costs nothing).</summary>
    public double PriorityWeight { get; set; } = 25.0;
    /// <summary>Cost per minor unit of estimated shipping cost.</summary>
    public double ShippingCostWeight { get; set; } = 0.1;
    /// <summary>Cost at full use of the node's daily capacity, scaled by the share already used.</summary>
    public double CapacityWeight { get; set; } = 100.0;
    /// <summary>Cost added for an expedited order at a node past its same-day cut-off.</summary>
    public double PastCutoffPenalty { get; set; } = 1000.0;
    /// <summary>Node codes never used for destinations in a country, e.g. { "CH": ["DE-BER"] }.</summary>
    public Dictionary<string, List<string>> ExcludedNodesByCountry { get; set; } = [];
    /// <summary>Node kinds a channel may use, e.g. { "marketplace": ["warehouse", "third_party_logistics"] }; a channel not listed may use all.</summary>
    public Dictionary<OrderChannel, List<NodeKind>> AllowedKindsByChannel { get; set; } = [];
}

public sealed record RoutingLine(Guid LineId, string Sku, int Quantity, int UnitWeightGrams);

public sealed record RoutingRequest(
    IReadOnlyList<RoutingLine> Lines,
    Address? Destination,
    OrderPriority Priority,
    OrderChannel Channel,
    Delivery Delivery,
    IReadOnlyCollection<NodeId> ExcludedNodes);

/// <summary>A node as the router sees it: its stock for the requested SKUs and the orders it took today.</summary>
public sealed record NodeSnapshot(FulfilmentNode Node, IReadOnlyDictionary<string, int> Available, int OrdersToday);

public sealed record Score(double DistanceKm, double Distance, double Priority, long ShippingCostEstimate, double ShippingCost, double Capacity, double Cutoff, double Total);

/// <summary>One node considered: why it could or could not take the order, and what it would cost.</summary>
public sealed record Candidate(Guid NodeId, string NodeCode, bool Eligible, IReadOnlyList<string> Reasons, Score? Score, int UnitsAvailable, bool CanShipAll, bool Chosen);

public sealed record PlannedLine(Guid LineId, string Sku, int Quantity);

public sealed record PlannedAllocation(NodeId NodeId, string NodeCode, IReadOnlyList<PlannedLine> Lines);

public sealed record RoutingPlan(string Outcome, IReadOnlyList<PlannedAllocation> Allocations, IReadOnlyList<PlannedLine> Short, IReadOnlyList<Candidate> Candidates)
{
    public const string SingleNode = "single_node";
    public const string Split = "split";
    public const string Partial = "partial";
    public const string Unavailable = "unavailable";
}

/// <summary>
/// Decides which node ships what. One node for the whole order when any can (the cheapest by a transparent cost);
/// otherwise as few nodes as possible, greedily taking the node that covers most of what is left (one line's
/// quantity may be split); what nobody has is returned as short. Pure: no I/O, the caller brings the snapshot.
/// </summary>
public sealed class Router(RoutingSettings settings, IGeocoder? geocoder = null)
{
    private readonly IGeocoder _geocoder = geocoder ?? PostalAreaGeocoder.Instance;

    public RoutingPlan Plan(RoutingRequest request, IReadOnlyList<NodeSnapshot> nodes, DateTimeOffset now)
    {
        var destination = request.Destination is { } to ? _geocoder.Locate(to) : null;
        var country = request.Destination?.Country.ToUpperInvariant();
        var weight = request.Lines.Sum(l => l.Quantity * l.UnitWeightGrams);
        var evaluated = nodes.Select(n => Evaluate(n, request, destination, country, weight, now)).ToList();

        var eligible = evaluated.Where(e => e.Candidate.Eligible).OrderBy(e => e.Candidate.Score!.Total).ThenBy(e => e.Candidate.NodeCode, StringComparer.Ordinal).ToList();
        var chosen = new List<PlannedAllocation>();
        var remaining = request.Lines.ToDictionary(l => l.LineId, l => l.Quantity);

        var wholeIndex = eligible.FindIndex(e => e.Candidate.CanShipAll);
        if (wholeIndex >= 0)
        {
            var whole = eligible[wholeIndex];
            chosen.Add(new PlannedAllocation(whole.Snapshot.Node.Id, whole.Snapshot.Node.Code,
                request.Lines.Select(l => new PlannedLine(l.LineId, l.Sku, l.Quantity)).ToList()));
            remaining.Clear();
        }
        else
        {
            var left = eligible.ToList();
            var stock = left.ToDictionary(e => e.Snapshot.Node.Id, e => new Dictionary<string, int>(e.Snapshot.Available));
            while (remaining.Values.Any(q => q > 0) && left.Count > 0)
            {
                var best = left.Select(e => (Entry: e, Covered: request.Lines.Sum(l => Math.Min(remaining[l.LineId], stock[e.Snapshot.Node.Id].GetValueOrDefault(l.Sku)))))
                    .Where(x => x.Covered > 0)
                    .OrderByDescending(x => x.Covered).ThenBy(x => x.Entry.Candidate.Score!.Total)
                    .FirstOrDefault();
                if (best.Covered == 0) break;
                var nodeStock = stock[best.Entry.Snapshot.Node.Id];
                var lines = new List<PlannedLine>();
                foreach (var line in request.Lines)
                {
                    var take = Math.Min(remaining[line.LineId], nodeStock.GetValueOrDefault(line.Sku));
                    if (take <= 0) continue;
                    lines.Add(new PlannedLine(line.LineId, line.Sku, take));
                    remaining[line.LineId] -= take;
                    nodeStock[line.Sku] -= take; // two lines of one SKU share the node's stock
                }
                chosen.Add(new PlannedAllocation(best.Entry.Snapshot.Node.Id, best.Entry.Snapshot.Node.Code, lines));
                left.Remove(best.Entry);
            }
        }

        var shortLines = request.Lines.Where(l => remaining.GetValueOrDefault(l.LineId) > 0)
            .Select(l => new PlannedLine(l.LineId, l.Sku, remaining[l.LineId])).ToList();
        var chosenIds = chosen.Select(c => c.NodeId.Value).ToHashSet();
        var candidates = evaluated.Select(e => e.Candidate with { Chosen = chosenIds.Contains(e.Candidate.NodeId) })
            .OrderByDescending(c => c.Eligible).ThenBy(c => c.Score?.Total ?? double.MaxValue).ThenBy(c => c.NodeCode, StringComparer.Ordinal).ToList();
        var outcome = chosen.Count == 0 ? RoutingPlan.Unavailable
            : shortLines.Count > 0 ? RoutingPlan.Partial
            : chosen.Count == 1 ? RoutingPlan.SingleNode : RoutingPlan.Split;
        return new RoutingPlan(outcome, chosen, shortLines, candidates);
    }

    private (NodeSnapshot Snapshot, Candidate Candidate) Evaluate(NodeSnapshot snapshot, RoutingRequest request, GeoPoint? destination, string? country, int weightGrams, DateTimeOffset now)
    {
        var node = snapshot.Node;
        var reasons = new List<string>();
        if (!node.Active) reasons.Add("inactive");
        if (request.ExcludedNodes.Contains(node.Id)) reasons.Add("rejected this order before");
        if (request.Delivery.Type == DeliveryType.Pickup)
        {
            if (!string.Equals(node.Code, request.Delivery.PickupLocation, StringComparison.OrdinalIgnoreCase)) reasons.Add("not the pickup location");
            else if (!node.CanPickup) reasons.Add("does not offer pickup");
        }
        else
        {
            if (!node.CanShip) reasons.Add("does not ship");
            if (!node.Serves(country)) reasons.Add($"does not serve {country ?? "an unknown country"}");
            if (country is not null && settings.ExcludedNodesByCountry.TryGetValue(country, out var excluded) && excluded.Contains(node.Code, StringComparer.OrdinalIgnoreCase))
                reasons.Add($"excluded for {country} by configuration");
        }
        if (settings.AllowedKindsByChannel.TryGetValue(request.Channel, out var kinds) && !kinds.Contains(node.Kind))
            reasons.Add($"{Names.Of(node.Kind)} nodes are not used for the {Names.Of(request.Channel)} channel");
        if (node.DailyCapacity is { } cap && snapshot.OrdersToday >= cap) reasons.Add($"at its daily capacity of {cap}");

        var units = request.Lines.Sum(l => Math.Min(l.Quantity, snapshot.Available.GetValueOrDefault(l.Sku)));
        var canShipAll = request.Lines.GroupBy(l => l.Sku).All(g => snapshot.Available.GetValueOrDefault(g.Key) >= g.Sum(l => l.Quantity));
        if (units == 0) reasons.Add("holds none of the items");

        var from = _geocoder.Locate(node.Address);
        var km = from is not null && destination is not null ? Geo.DistanceKm(from, destination) : 0;
        var shipping = node.ShippingCost.CostFor(weightGrams, km);
        var capacity = node.DailyCapacity is { } c && c > 0 ? settings.CapacityWeight * Math.Min(1.0, (snapshot.OrdersToday + 1.0) / c) : 0;
        var cutoff = request.Priority == OrderPriority.Expedited && !node.BeforeCutoff(now) ? settings.PastCutoffPenalty : 0;
        var score = new Score(
            Math.Round(km, 1),
            Math.Round(settings.DistanceWeight * km, 2),
            Math.Round(settings.PriorityWeight * node.Priority, 2),
            shipping,
            Math.Round(settings.ShippingCostWeight * shipping, 2),
            Math.Round(capacity, 2),
            cutoff,
            0);
        score = score with { Total = Math.Round(score.Distance + score.Priority + score.ShippingCost + score.Capacity + score.Cutoff, 2) };
        return (snapshot, new Candidate(node.Id.Value, node.Code, reasons.Count == 0, reasons, score, units, canShipAll && reasons.Count == 0, false));
    }
}
