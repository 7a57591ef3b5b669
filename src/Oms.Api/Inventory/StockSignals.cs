using Microsoft.EntityFrameworkCore;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Inventory;

/// <summary>
/// What a stock change sets off, inside the change's transaction: inventory.low_stock when available crosses below
/// the reorder point (and a draft purchase order for it, one open draft per supplier and node), and
/// inventory.out_of_stock when it reaches zero. Crossings only, so a SKU that stays low does not reorder twice.
/// </summary>
public sealed class StockSignals(OmsDbContext db, TimeProvider clock)
{
    public async Task AfterChangeAsync(IReadOnlyList<StockCount> changes, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var crossings = changes.Where(c =>
            (c.ReorderPoint is { } p && c.AvailableBefore >= p && c.Available < p) || (c.AvailableBefore > 0 && c.Available == 0)).ToList();
        if (crossings.Count == 0) return;
        var nodeIds = crossings.Select(c => c.NodeId).Distinct().ToList();
        var codes = await db.Nodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Code, ct);
        foreach (var c in crossings)
        {
            var code = codes.GetValueOrDefault(c.NodeId, "?");
            if (c.ReorderPoint is { } point && c.AvailableBefore >= point && c.Available < point)
            {
                await EmitAsync("inventory.low_stock", c, code, now, ct);
                if (c.SupplierId is { } supplier && c.ReorderQuantity is { } quantity)
                    await ReorderAsync(supplier, c.NodeId, c.Sku, quantity, now, ct);
            }
            if (c.AvailableBefore > 0 && c.Available == 0) await EmitAsync("inventory.out_of_stock", c, code, now, ct);
        }
    }

    /// <summary>
    /// True when a row left with <paramref name="availableAfter"/> can have crossed nothing above, whatever it had
    /// before: at or above its reorder point and above zero (<c>oms_reserve_stock</c> holds reservations sent with a
    /// checkout's write to the same rule).
    /// </summary>
    public static bool StaysQuiet(int availableAfter, int? reorderPoint) => availableAfter >= Math.Max(reorderPoint ?? 0, 1);

    public Task EmitAsync(string type, StockCount c, string nodeCode, DateTimeOffset now, CancellationToken ct) =>
        db.AddEventAsync(new StockEvent(type, c.NodeId.Value, c.Sku, nodeCode, c.OnHand, c.Reserved, c.Available, now), ct);

    private async Task ReorderAsync(Guid supplierId, NodeId node, string sku, int quantity, DateTimeOffset now, CancellationToken ct)
    {
        var draft = db.PurchaseOrders.Local.FirstOrDefault(p => p.SupplierId == supplierId && p.NodeId == node && p.Status == PurchaseOrderStatus.Draft)
                    ?? await db.PurchaseOrders.Where(p => p.SupplierId == supplierId && p.NodeId == node && p.Status == PurchaseOrderStatus.Draft)
                        .OrderBy(p => p.Number).FirstOrDefaultAsync(ct);
        if (draft is null)
        {
            draft = PurchaseOrder.Draft(await db.NextNumberAsync(Sequences.PurchaseOrderNumbers, ct), supplierId, node, byReorder: true, now);
            db.PurchaseOrders.Add(draft);
        }
        draft.AddLine(sku, quantity, accumulate: false, now);
    }
}
