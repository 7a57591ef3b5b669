using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Fulfilment;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Reports;
using Oms.Domain.Returns;
using Oms.Domain.Routing;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Reports;

/// <summary>
/// The operational KPIs of the orders placed in a period (<see cref="OperationsDto"/>): read from the orders, their
/// fulfilment orders, shipments, allocations, returns and payments (not from rollups), on the report database.
/// Definitions: docs/reports.md#operations.
/// </summary>
public sealed class OperationsQueries(ReportDatabase reports, ReportQueries scopes, TimeProvider clock, IOptions<ReportOptions> options)
{
    private readonly OmsDbContext db = reports.Db;

    public async Task<OperationsDto> OperationsAsync(ReportQuery query, CancellationToken ct)
    {
        var scope = scopes.Resolve(query);
        var from = new DateTimeOffset(scope.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(scope.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var orderQuery = db.Orders.AsNoTracking().Where(o => o.CreatedAt >= from && o.CreatedAt < until && o.ReplacementForReturnId == null);
        if (scope.Channel is { } c && WireEnum.TryParse<OrderChannel>(c, out var channel)) orderQuery = orderQuery.Where(o => o.Channel == channel);
        if (scope.Currency is { } currency) orderQuery = orderQuery.Where(o => o.Currency == currency);
        if (scope.Country is { } country)
            orderQuery = orderQuery.Where(o => o.ShippingAddress != null ? o.ShippingAddress.Country == country : o.BillingAddress != null && o.BillingAddress.Country == country);
        if (scope.Customer is { } customer) orderQuery = orderQuery.Where(o => o.CustomerId == new Oms.Domain.Customers.CustomerId(customer));
        var orders = await orderQuery.Select(o => new
        {
            Id = o.Id.Value, o.CreatedAt, o.Status, o.ShipBy, o.PromisedDeliveryDate, o.DeliveredAt,
            Lines = o.Lines.Select(l => new { l.Id, l.Sku, l.Quantity }).ToList(),
            RiskHeld = o.Timeline.Any(t => t.To == OrderStatus.OnHold && t.Reason != null && t.Reason.StartsWith("risk score")),
        }).ToListAsync(ct);
        var ids = orders.Select(o => new OrderId(o.Id)).ToList();

        // A fulfilment order's lines are one JSON column: read whole, then shaped here.
        var parts = (await db.FulfilmentOrders.AsNoTracking().Where(f => ids.Contains(f.OrderId))
            .Select(f => new { OrderId = f.OrderId.Value, f.NodeCode, f.AllocationId, f.OrderPlacedAt, f.ShippedAt, f.PickedAt, f.Status, f.CreatedAt, f.Lines })
            .ToListAsync(ct))
            .Select(f => new
            {
                f.OrderId, f.NodeCode, f.AllocationId, f.OrderPlacedAt, f.ShippedAt, f.PickedAt, f.Status, f.CreatedAt,
                Lines = f.Lines.Select(l => new { l.OrderLineId, l.Quantity, l.ShortPicked }).ToList(),
            }).ToList();
        if (scope.Node is { } node) parts = parts.Where(p => p.NodeCode == node).ToList();
        var shipments = await db.Shipments.AsNoTracking().Where(s => ids.Contains(s.OrderId))
            .Select(s => new { OrderId = s.OrderId.Value, s.NodeCode, s.Carrier, s.Service, s.CreatedAt, s.DeliveredAt }).ToListAsync(ct);
        if (scope.Node is { } shippedFrom) shipments = shipments.Where(s => s.NodeCode == shippedFrom).ToList();
        var allocationIds = parts.Select(p => p.AllocationId).Distinct().ToList();
        var firstTime = await (from a in db.Allocations.AsNoTracking()
                               join d in db.RoutingDecisions.AsNoTracking() on a.DecisionId equals d.Id
                               where allocationIds.Contains(a.Id)
                               select new { a.Id, d.Trigger }).ToDictionaryAsync(x => x.Id, x => x.Trigger == RoutingTrigger.Confirmation, ct);
        var nodeCodes = parts.Select(p => p.NodeCode).Distinct().ToList();
        var nodes = await db.Nodes.AsNoTracking().Where(n => nodeCodes.Contains(n.Code)).ToDictionaryAsync(n => n.Code, n => (n.SameDayCutoff, n.TimeZone), ct);
        var returned = await db.Returns.AsNoTracking().Where(r => ids.Contains(r.OrderId))
            .Select(r => new { OrderId = r.OrderId.Value, r.Status, r.ReceivedAt, Lines = r.Lines.Select(l => new { l.Sku, l.Quantity, l.Reason }).ToList() })
            .ToListAsync(ct);
        var payments = await db.Payments.AsNoTracking().Where(p => ids.Contains(p.OrderId) && p.Status != PaymentStatus.Failed && p.Status != PaymentStatus.Voided)
            .Select(p => new { p.Method, p.Currency, p.Amount }).ToListAsync(ct);
        var skus = orders.SelectMany(o => o.Lines.Select(l => l.Sku)).Distinct().ToList();
        var categories = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).Select(p => new { p.Sku, p.Category }).ToDictionaryAsync(p => p.Sku, p => p.Category, ct);
        var now = clock.GetUtcNow();
        var backorders = await db.Backorders.AsNoTracking().Where(b => b.Status == BackorderStatus.Open).Select(b => new { b.Quantity, b.CreatedAt }).ToListAsync(ct);

        var live = orders.Where(o => o.Status != OrderStatus.Cancelled).ToList();
        var byId = orders.ToDictionary(o => o.Id);
        var partsOf = parts.ToLookup(p => p.OrderId);
        var shipmentsOf = shipments.ToLookup(s => s.OrderId);
        DateTimeOffset ShipByOf(Guid orderId, string nodeCode, DateTimeOffset placed) =>
            byId[orderId].ShipBy
            ?? (nodes.TryGetValue(nodeCode, out var n) ? Operations.ShipBy(placed, n.SameDayCutoff, n.TimeZone) : Operations.ShipBy(placed, null, "UTC"));

        // Cycle times.
        var fullyShipped = live.Where(o => o.Status is OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.Completed or OrderStatus.PickedUp)
            .Select(o => (Order: o, Shipped: partsOf[o.Id].Where(p => p.ShippedAt != null).Select(p => p.ShippedAt!.Value).DefaultIfEmpty().Max()))
            .Where(x => x.Shipped != default).ToList();
        var delivered = live.Where(o => o.DeliveredAt != null && (scope.Node is null || partsOf[o.Id].Any())).ToList();
        var shippedParts = parts.Where(p => p.ShippedAt != null).ToList();

        // Promises: parts by their ship-by time; orders by their promised day.
        var onTimeParts = shippedParts.Select(p => (p.NodeCode, OnTime: p.ShippedAt!.Value <= ShipByOf(p.OrderId, p.NodeCode, p.OrderPlacedAt))).ToList();
        bool? OnTimeDelivery(Guid orderId)
        {
            var o = byId[orderId];
            if (o.DeliveredAt is not { } at) return null;
            var first = partsOf[orderId].OrderBy(p => p.CreatedAt).FirstOrDefault();
            var promised = o.PromisedDeliveryDate;
            if (promised is null && first is not null)
            {
                var last = shipmentsOf[orderId].OrderByDescending(s => s.DeliveredAt ?? s.CreatedAt).FirstOrDefault();
                promised = Operations.PromisedDelivery(ShipByOf(orderId, first.NodeCode, o.CreatedAt), first.Status is FulfilmentStatus.PickedUp or FulfilmentStatus.ReadyForPickup
                    ? 0 : options.Value.TransitDaysFor(last?.Carrier, last?.Service));
            }
            return promised is null ? null : DateOnly.FromDateTime(at.UtcDateTime) <= promised;
        }
        var onTimeOf = delivered.ToDictionary(o => o.Id, o => OnTimeDelivery(o.Id));
        var deliveredOnTime = onTimeOf.Where(x => x.Value is not null).Select(x => (x.Key, OnTime: x.Value)).ToList();

        // Completeness: lines shipped from the first allocation; orders in several shipments; short picks.
        var shippedLines = shippedParts.SelectMany(p => p.Lines.Select(l => (p.OrderId, l.OrderLineId, FirstTime: firstTime.GetValueOrDefault(p.AllocationId) && l.ShortPicked == 0)))
            .GroupBy(l => (l.OrderId, l.OrderLineId)).Select(g => g.All(l => l.FirstTime)).ToList();
        var shippedOrders = shipments.GroupBy(s => s.OrderId).Select(g => g.Count()).ToList();
        var picked = parts.Where(p => p.PickedAt != null).ToList();

        // Returns (received), by SKU, category and reason; the claims behind a return (any not rejected) for perfect orders.
        var unitsOrdered = live.SelectMany(o => o.Lines).GroupBy(l => l.Sku).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var totalUnits = unitsOrdered.Values.Sum();
        var received = returned.Where(r => r.ReceivedAt != null).SelectMany(r => r.Lines).ToList();
        var claims = returned.Where(r => r.Status != ReturnStatus.Rejected).SelectMany(r => r.Lines.Select(l => (r.OrderId, l.Reason))).ToLookup(x => x.OrderId, x => x.Reason);

        // Perfect orders: delivered, on time, complete, undamaged.
        int late = 0, incomplete = 0, damaged = 0, wrong = 0, perfect = 0;
        foreach (var o in delivered)
        {
            var ordered = o.Lines.Sum(l => l.Quantity);
            // An order delivered without fulfilment records (history imported as delivered) cannot be judged incomplete.
            var shippedUnits = partsOf[o.Id].Any()
                ? partsOf[o.Id].Where(p => p.ShippedAt != null || p.Status == FulfilmentStatus.PickedUp).SelectMany(p => p.Lines).Sum(l => l.Quantity - l.ShortPicked)
                : ordered;
            var failed = Operations.Failures(onTimeOf[o.Id] == false, ordered, shippedUnits, partsOf[o.Id].Any(p => p.Lines.Any(l => l.ShortPicked > 0)), claims[o.Id]);
            late += failed.Late ? 1 : 0;
            incomplete += failed.Incomplete ? 1 : 0;
            damaged += failed.Damaged ? 1 : 0;
            wrong += failed.WrongItem ? 1 : 0;
            perfect += failed.Perfect ? 1 : 0;
        }

        return new OperationsDto
        {
            Scope = await scopes.ScopeDtoAsync(scope, ct),
            OrderToShip = Cycle(fullyShipped.Select(x => (x.Shipped - x.Order.CreatedAt).TotalHours)),
            OrderToDelivery = Cycle(delivered.Select(o => (o.DeliveredAt!.Value - o.CreatedAt).TotalHours)),
            Nodes = shippedParts.GroupBy(p => p.NodeCode).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new NodeOperationsDto
            {
                Node = g.Key,
                OrderToShip = Cycle(g.Select(p => (p.ShippedAt!.Value - p.OrderPlacedAt).TotalHours)),
                OnTimeShipping = Rate(onTimeParts.Count(x => x.NodeCode == g.Key && x.OnTime), onTimeParts.Count(x => x.NodeCode == g.Key)),
            }).ToList(),
            Carriers = shipments.GroupBy(s => (s.Carrier, s.Service)).OrderBy(g => g.Key.Carrier, StringComparer.Ordinal).ThenBy(g => g.Key.Service, StringComparer.Ordinal)
                .Select(g => new CarrierOperationsDto
                {
                    Carrier = g.Key.Carrier, Service = g.Key.Service,
                    OrderToShip = Cycle(g.Select(s => (s.CreatedAt - byId[s.OrderId].CreatedAt).TotalHours)),
                    OrderToDelivery = Cycle(g.Where(s => s.DeliveredAt != null).Select(s => (s.DeliveredAt!.Value - byId[s.OrderId].CreatedAt).TotalHours)),
                }).ToList(),
            OnTimeShipping = Rate(onTimeParts.Count(x => x.OnTime), onTimeParts.Count),
            OnTimeDelivery = Rate(deliveredOnTime.Count(x => x.OnTime == true), deliveredOnTime.Count),
            FillRate = Rate(shippedLines.Count(x => x), shippedLines.Count),
            SplitShipments = Rate(shippedOrders.Count(n => n > 1), shippedOrders.Count),
            ShortPicks = Rate(picked.Count(p => p.Lines.Any(l => l.ShortPicked > 0)), picked.Count),
            PerfectOrders = new PerfectOrderDto { Rate = Rate(perfect, delivered.Count), Late = late, Incomplete = incomplete, Damaged = damaged, WrongItem = wrong },
            ReturnsBySku = received.GroupBy(l => l.Sku).Select(g => Returns(g.Key, g.Sum(l => l.Quantity), unitsOrdered.GetValueOrDefault(g.Key)))
                .OrderByDescending(r => r.ReturnedUnits).ThenBy(r => r.Key, StringComparer.Ordinal).Take(20).ToList(),
            ReturnsByCategory = received.GroupBy(l => categories.GetValueOrDefault(l.Sku) ?? "")
                .Select(g => Returns(g.Key, g.Sum(l => l.Quantity), unitsOrdered.Where(u => (categories.GetValueOrDefault(u.Key) ?? "") == g.Key).Sum(u => u.Value)))
                .OrderByDescending(r => r.ReturnedUnits).ThenBy(r => r.Key, StringComparer.Ordinal).ToList(),
            ReturnsByReason = received.GroupBy(l => l.Reason).Select(g => Returns(WireEnum.Name(g.Key), g.Sum(l => l.Quantity), totalUnits))
                .OrderByDescending(r => r.ReturnedUnits).ThenBy(r => r.Key, StringComparer.Ordinal).ToList(),
            PaymentMix = payments.GroupBy(p => (p.Method, p.Currency)).Select(g => new PaymentMixDto
                {
                    Method = WireEnum.Name(g.Key.Method), Currency = g.Key.Currency, Payments = g.Count(),
                    Amount = new MoneyDto { Amount = g.Sum(p => p.Amount), Currency = g.Key.Currency },
                    Share = Math.Round((decimal)g.Count() / payments.Count(p => p.Currency == g.Key.Currency), 4, MidpointRounding.AwayFromZero),
                })
                .OrderBy(p => p.Currency, StringComparer.Ordinal).ThenByDescending(p => p.Payments).ThenBy(p => p.Method, StringComparer.Ordinal).ToList(),
            RiskHolds = new RiskHoldsDto
            {
                Held = Rate(orders.Count(o => o.RiskHeld), orders.Count),
                StillOnHold = orders.Count(o => o.RiskHeld && o.Status == OrderStatus.OnHold),
            },
            Backorders = new BackordersDto
            {
                Open = backorders.Count, Units = backorders.Sum(b => b.Quantity),
                AverageAgeDays = backorders.Count == 0 ? null : Math.Round((decimal)backorders.Average(b => (now - b.CreatedAt).TotalDays), 1, MidpointRounding.AwayFromZero),
                OldestAgeDays = backorders.Count == 0 ? null : Math.Round((decimal)backorders.Max(b => (now - b.CreatedAt).TotalDays), 1, MidpointRounding.AwayFromZero),
            },
        };
    }

    private static CycleTimeDto Cycle(IEnumerable<double> hours)
    {
        var list = hours.ToList();
        return new CycleTimeDto
        {
            Count = list.Count,
            MedianHours = Round(Operations.Percentile(list, 0.5)),
            P90Hours = Round(Operations.Percentile(list, 0.9)),
        };
    }

    private static decimal? Round(double? value) => value is { } v ? Math.Round((decimal)v, 2, MidpointRounding.AwayFromZero) : null;

    private static RateDto Rate(int count, int of) =>
        new() { Count = count, Of = of, Rate = of == 0 ? null : Math.Round((decimal)count / of, 4, MidpointRounding.AwayFromZero) };

    private static ReturnRateDto Returns(string key, int returned, int ordered) => new()
    {
        Key = key, ReturnedUnits = returned, OrderedUnits = ordered,
        Rate = ordered == 0 ? null : Math.Round((decimal)returned / ordered, 4, MidpointRounding.AwayFromZero),
    };
}
