using Microsoft.EntityFrameworkCore;
using Oms.Api.Inventory;
using Oms.Api.Platform.Auth;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Routing;

/// <summary>
/// Routes orders to nodes and reserves their stock: at confirmation, again for what a node rejected or could not find
/// (a short pick), and for backorders when stock arrives; and gives reservations back. Shipping is Fulfilment's,
/// payments are Payments', cancelling is Orders' (docs/architecture.md). Every method runs inside the caller's
/// transaction (or opens one), plans from a fresh snapshot, and reserves with guarded single-statement updates; when a
/// racing request took the stock between snapshot and reservation, the attempt is planned again.
/// </summary>
public sealed class AllocationService(OmsDbContext db, Router router, StockCounters counters, StockSignals signals, StockMovements stock, TimeProvider clock, Actor actor,
    Nodes.NodeDirectory directory) : IStockArrivals
{
    private const int MaxAttempts = 10;

    public sealed record Outcome(RoutingDecision Decision, IReadOnlyList<Allocation> Allocations, IReadOnlyList<PlannedLine> Short);

    /// <summary>Routes the whole order at confirmation: short lines follow each SKU's backorder policy.</summary>
    /// <param name="read">The order's products, and their stock rows, when the caller read them already (a checkout
    /// prices the lines with them: <see cref="ICheckoutWriter.ReadAsync"/>).</param>
    /// <param name="checkout">A checkout's writer: the new routing decision, allocations and fulfilment orders go to it.</param>
    /// <param name="reserveWithSave">When the rows read show enough stock, the reservation rides with the checkout's
    /// save (<see cref="ICheckoutWriter.ReserveWithSave"/>), and a save refused for it
    /// (<see cref="ICheckoutWriter.IsRefusal"/>) means: roll back, and run again without.</param>
    public async Task AllocateOnConfirmAsync(Order order, CancellationToken ct, CheckoutRead? read = null, ICheckoutWriter? checkout = null, bool reserveWithSave = false)
    {
        var products = read?.Products ?? await ProductsAsync(order.Lines.Select(l => l.Sku), ct);
        var lines = order.Lines.Select(l => new RoutingLine(l.Id, l.Sku, l.Quantity, products.GetValueOrDefault(l.Sku)?.WeightGrams ?? 0)).ToList();
        var outcome = await RouteAndReserveAsync(order, lines, RoutingTrigger.Confirmation, [], ct, read?.Stock, checkout, reserveWithSave && checkout?.ReservesWithSave == true);
        var denied = outcome.Short.Where(s => products.GetValueOrDefault(s.Sku)?.BackorderPolicy is null or BackorderPolicy.Deny).ToList();
        if (denied.Count > 0)
        {
            var errors = denied.ToDictionary(
                s => $"lines[{order.Lines.ToList().FindIndex(l => l.Id == s.LineId)}].quantity",
                s => new[] { $"{s.Quantity} of '{s.Sku}' cannot be reserved anywhere." });
            throw new ConflictException("inventory.insufficient_stock",
                "Not enough stock to confirm: " + string.Join(" ", errors.Values.SelectMany(v => v))) { FieldErrors = errors };
        }
        await AddBackordersAsync(order, outcome.Short, products, ct: ct);
        order.AllocationChanged(fullyAllocated: outcome.Short.Count == 0, actor.Name, null, clock.GetUtcNow());
    }

    /// <summary>A node refuses its allocation: release it and route the same lines to other nodes (never back to one that refused).</summary>
    public async Task<Allocation> RejectAsync(Guid allocationId, string reason, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var allocation = await db.Allocations.SingleOrDefaultAsync(a => a.Id == allocationId, ct) ?? throw new NotFoundException("allocation", allocationId);
        var now = clock.GetUtcNow();
        // Once picked and packed the node has the goods in hand: it ships them, it does not refuse them.
        (await db.FulfilmentOrders.SingleOrDefaultAsync(f => f.AllocationId == allocationId, ct))?.Reject(reason, now);
        allocation.Reject(reason, now);
        foreach (var line in allocation.Lines) await counters.ReleaseAsync(allocation.NodeId, line.Sku, line.Quantity, ct);
        var order = await db.OrderAsync(allocation.OrderId, ct);
        await RerouteAsync(order, allocation.NodeId, allocation.Lines.Select(l => (l.OrderLineId, l.Sku, l.Quantity)).ToList(), RoutingTrigger.Rejection,
            $"allocation at {allocation.NodeCode} rejected: {reason}", ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return allocation;
    }

    /// <summary>
    /// The picker could not find some units: the node's count was wrong, so on hand drops with the reservation
    /// (a ledger entry each), and the missing units are routed to other nodes, or wait as backorders.
    /// Runs inside the caller's transaction.
    /// </summary>
    public async Task ShortPickAsync(Allocation allocation, IReadOnlyList<(Guid LineId, string Sku, int Missing)> shorts, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var order = await db.OrderAsync(allocation.OrderId, ct);
        foreach (var (lineId, _, missing) in shorts) allocation.ShortPicked(lineId, missing, now);
        await stock.ConsumeReservedAsync(allocation.NodeId, allocation.NodeCode, shorts.Select(x => (x.Sku, x.Missing)), StockChangeReason.ShortPicked, order.DisplayNumber, "short pick", now, ct);
        await RerouteAsync(order, allocation.NodeId, shorts.Select(x => (x.LineId, x.Sku, x.Missing)).ToList(), RoutingTrigger.ShortPick,
            $"short pick at {allocation.NodeCode}", ct);
    }

    /// <summary>Routes lines a node gave up to other nodes (never one that gave up lines of this order); the rest waits as backorders.</summary>
    private async Task RerouteAsync(Order order, NodeId from, IReadOnlyList<(Guid LineId, string Sku, int Quantity)> lines, RoutingTrigger trigger, string reason, CancellationToken ct)
    {
        var refused = await db.Allocations.Where(a => a.OrderId == order.Id && a.Status == AllocationStatus.Rejected).Select(a => a.NodeId).ToListAsync(ct);
        refused.Add(from);
        var products = await ProductsAsync(lines.Select(l => l.Sku), ct);
        var routing = lines.Select(l => new RoutingLine(l.LineId, l.Sku, l.Quantity, products.GetValueOrDefault(l.Sku)?.WeightGrams ?? 0)).ToList();
        var outcome = await RouteAndReserveAsync(order, routing, trigger, refused.Distinct().ToList(), ct);
        // The order was accepted already: whatever no other node has waits for stock, whatever the SKU's policy.
        await AddBackordersAsync(order, outcome.Short, products, forceBackorder: true, ct);
        var open = await db.Backorders.AnyAsync(b => b.OrderId == order.Id && b.Status == BackorderStatus.Open, ct);
        order.AllocationChanged(!open && outcome.Short.Count == 0, actor.Name, reason, clock.GetUtcNow());
    }

    /// <summary>Gives back every reservation of an order (it was cancelled) and drops its backorders.</summary>
    public async Task ReleaseAllAsync(OrderId orderId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var allocations = await db.Allocations.Where(a => a.OrderId == orderId && a.Status == AllocationStatus.Reserved).ToListAsync(ct);
        foreach (var allocation in allocations.OrderBy(a => a.NodeId.Value))
        {
            foreach (var line in allocation.Lines.OrderBy(l => l.Sku, StringComparer.Ordinal))
                await counters.ReleaseAsync(allocation.NodeId, line.Sku, line.Quantity, ct);
            allocation.Release(now);
        }
        foreach (var fulfilment in (await db.FulfilmentOrders.Where(f => f.OrderId == orderId).ToListAsync(ct)).Where(f => f.IsActive))
            fulfilment.Cancel("order cancelled or changed", now);
        foreach (var backorder in await db.Backorders.Where(b => b.OrderId == orderId && b.Status == BackorderStatus.Open).ToListAsync(ct))
            backorder.Cancel();
    }

    /// <summary>Stock of <paramref name="sku"/> arrived: allocate its open backorders, expedited orders first, then oldest.</summary>
    Task IStockArrivals.ArrivedAsync(string sku, CancellationToken ct) => FillBackordersAsync(sku, ct);

    public async Task FillBackordersAsync(string sku, CancellationToken ct)
    {
        if (!await db.Backorders.AnyAsync(b => b.Sku == sku && b.Status == BackorderStatus.Open, ct)) return;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var waiting = await db.Backorders.Where(b => b.Sku == sku && b.Status == BackorderStatus.Open)
            .OrderByDescending(b => b.Expedited).ThenBy(b => b.OrderPlacedAt).ThenBy(b => b.CreatedAt).ToListAsync(ct);
        var weight = (await ProductsAsync([sku], ct)).GetValueOrDefault(sku)?.WeightGrams ?? 0;
        foreach (var backorder in waiting)
        {
            var order = await db.Orders.SingleAsync(o => o.Id == backorder.OrderId, ct);
            if (!order.HoldsReservations) { backorder.Cancel(); continue; }
            var refused = await db.Allocations.Where(a => a.OrderId == order.Id && a.Status == AllocationStatus.Rejected).Select(a => a.NodeId).ToListAsync(ct);
            var outcome = await RouteAndReserveAsync(order, [new RoutingLine(backorder.OrderLineId, sku, backorder.Quantity, weight)], RoutingTrigger.Backorder, refused, ct);
            var allocated = outcome.Allocations.Sum(a => a.Lines.Sum(l => l.Quantity));
            backorder.Allocated(allocated);
            if (allocated > 0) await db.AddEventAsync(new BackorderEvent("backorder.allocated", backorder, clock.GetUtcNow()), ct);
            var othersOpen = await db.Backorders.AnyAsync(b => b.OrderId == order.Id && b.Status == BackorderStatus.Open && b.Id != backorder.Id, ct);
            order.AllocationChanged(backorder.Status == BackorderStatus.Allocated && !othersOpen, actor.Name, "backorder allocated", clock.GetUtcNow());
            if (backorder.Status == BackorderStatus.Open) break; // nothing left for the next one in line
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    /// <param name="stock">Stock rows of the lines' SKUs read moments ago, for the first plan (a later attempt reads again).</param>
    /// <param name="reserveWithSave">See <see cref="AllocateOnConfirmAsync"/>: used for the first attempt when <paramref name="stock"/> shows it cannot cross a signal.</param>
    private async Task<Outcome> RouteAndReserveAsync(Order order, IReadOnlyList<RoutingLine> lines, RoutingTrigger trigger, IReadOnlyCollection<NodeId> excluded,
        CancellationToken ct, IReadOnlyList<StockRow>? stock = null, ICheckoutWriter? checkout = null, bool reserveWithSave = false)
    {
        if (db.Database.CurrentTransaction is null) throw new InvalidOperationException("Reservations must run inside a transaction.");
        var request = new RoutingRequest(lines, order.ShippingAddress ?? order.BillingAddress, order.Priority, order.Channel, order.Delivery, excluded);
        var skus = lines.Select(l => l.Sku).Distinct().ToList();
        for (var attempt = 1; ; attempt++)
        {
            var now = clock.GetUtcNow();
            // A snapshot only guides the plan: the guarded reservation below decides, so rows read just before the
            // transaction serve the first attempt as well as rows read inside it.
            var plan = router.Plan(request, await SnapshotAsync(skus, now, ct, attempt == 1 ? stock : null), now);
            var reservations = plan.Allocations
                .SelectMany(a => a.Lines.Select(l => (a.NodeId, l.Sku, l.Quantity)))
                .GroupBy(x => (x.NodeId, x.Sku))
                .Select(g => (Node: g.Key.NodeId, g.Key.Sku, Quantity: g.Sum(x => x.Quantity)))
                .OrderBy(x => x.Node.Value).ThenBy(x => x.Sku, StringComparer.Ordinal) // one lock order for everyone: no deadlocks
                .ToList();
            IReadOnlyList<StockCount> counts;
            if (attempt == 1 && reserveWithSave && stock is not null && reservations.Count > 0 && reservations.All(r =>
                    stock.FirstOrDefault(s => s.NodeId == r.Node && s.Sku == r.Sku) is { } row
                    && StockSignals.StaysQuiet(StockItem.AvailableOf(row.OnHand, row.Reserved, row.SafetyStock) - r.Quantity, row.ReorderPoint)))
            {
                // Nothing to signal if the rows still hold what was read; the save fails (nothing written) if they do not.
                checkout!.ReserveWithSave(reservations, now);
                counts = [];
            }
            else if (await counters.TryReserveAllAsync(reservations, ct) is { } reserved) counts = reserved;
            else
            {
                // Someone took the stock after our snapshot: nothing stayed reserved; plan again from what is left.
                if (attempt == MaxAttempts)
                    throw new ConcurrencyException("Stock is changing too fast to reserve; retry the request.", preconditionFailed: false);
                continue;
            }

            var decision = new RoutingDecision(order.Id, trigger, plan, now);
            Action<object> add = checkout is null ? entity => db.Add(entity) : checkout.Add;
            add(decision);
            var allocations = plan.Allocations
                .Select(a => Allocation.Reserve(order.Id, a.NodeId, a.NodeCode, decision.Id, a.Lines.Select(l => (l.LineId, l.Sku, l.Quantity)), now))
                .ToList();
            var names = order.Lines.ToDictionary(l => l.Id, l => l.Name);
            foreach (var allocation in allocations)
            {
                add(allocation);
                add(FulfilmentOrder.Create(allocation, order, names, now));
            }
            await signals.AfterChangeAsync(counts, ct);
            return new Outcome(decision, allocations, plan.Short);
        }
    }

    /// <summary>Runs the router on a hypothetical order: nothing is reserved or stored. <paramref name="onlyNodes"/>: among these nodes only (a caller limited to them).</summary>
    public async Task<RoutingPlan> SimulateAsync(RoutingRequest request, CancellationToken ct, IReadOnlyCollection<Guid>? onlyNodes = null)
    {
        var now = clock.GetUtcNow();
        var nodes = await SnapshotAsync(request.Lines.Select(l => l.Sku).Distinct().ToList(), now, ct);
        if (onlyNodes is not null) nodes = nodes.Where(n => onlyNodes.Contains(n.Node.Id.Value)).ToList();
        return router.Plan(request, nodes, now);
    }

    public Task<Dictionary<string, ProductTerms>> ProductsAsync(IEnumerable<string> skus, CancellationToken ct) => ProductTerms.ReadAsync(db, skus, ct);

    /// <summary>
    /// Every node, its available stock of the requested SKUs, and, for nodes with a daily capacity, the allocations
    /// they took since their local midnight (counted exactly: capacity is a hard limit).
    /// </summary>
    private async Task<List<NodeSnapshot>> SnapshotAsync(IReadOnlyList<string> skus, DateTimeOffset now, CancellationToken ct, IReadOnlyList<StockRow>? read = null)
    {
        var stock = read ?? await StockRow.ReadAsync(db, skus, ct);
        var nodes = await directory.AllAsync(db, stock.Select(s => s.NodeId), ct);
        var capped = nodes.Where(n => n.DailyCapacity is not null).ToList();
        var recent = new Dictionary<NodeId, int>();
        if (capped.Count > 0)
        {
            var since = capped.Min(n => n.StartOfLocalDay(now));
            var ids = capped.Select(n => n.Id).ToList();
            recent = await db.Allocations.AsNoTracking()
                .Where(a => a.CreatedAt >= since && a.Status == AllocationStatus.Reserved && ids.Contains(a.NodeId))
                .GroupBy(a => a.NodeId).Select(g => new { Node = g.Key, Count = g.Count() }).ToDictionaryAsync(r => r.Node, r => r.Count, ct);
        }
        var byNode = stock.ToLookup(s => s.NodeId);
        return nodes.Select(n => new NodeSnapshot(
            n,
            byNode[n.Id].ToDictionary(s => s.Sku, s => StockItem.AvailableOf(s.OnHand, s.Reserved, s.SafetyStock)),
            recent.GetValueOrDefault(n.Id))).ToList();
    }

    private async Task AddBackordersAsync(Order order, IReadOnlyList<PlannedLine> shortLines, IReadOnlyDictionary<string, ProductTerms> products,
        bool forceBackorder = false, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        foreach (var line in shortLines)
        {
            var product = products.GetValueOrDefault(line.Sku);
            var policy = product?.BackorderPolicy is BackorderPolicy.Preorder ? BackorderPolicy.Preorder : BackorderPolicy.Backorder;
            if (!forceBackorder && product?.BackorderPolicy is null or BackorderPolicy.Deny) continue;
            var backorder = new Backorder(order.Id, line.LineId, line.Sku, line.Quantity, order.Priority == OrderPriority.Expedited,
                order.CreatedAt, policy, product?.PreorderAvailableOn, now);
            db.Backorders.Add(backorder);
            await db.AddEventAsync(new BackorderEvent("backorder.created", backorder, now), ct);
        }
    }
}
