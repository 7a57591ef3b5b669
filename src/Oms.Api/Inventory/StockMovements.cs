using Oms.Api.Platform.Auth;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Inventory;

/// <summary>Stock movements that several workflows share, each with its ledger entries and signals, inside the caller's transaction.</summary>
public sealed class StockMovements(OmsDbContext db, StockCounters counters, StockSignals signals, Actor actor)
{
    /// <summary>Reserved units left the node (shipped, or never there): on hand and reserved drop, one ledger entry per SKU.</summary>
    /// <remarks>Every on-hand change is news for whoever mirrors stock: each SKU's new level goes out as <c>inventory.adjusted</c>.</remarks>
    public async Task ConsumeReservedAsync(NodeId node, string nodeCode, IEnumerable<(string Sku, int Quantity)> lines, StockChangeReason reason, string reference,
        string? note, DateTimeOffset now, CancellationToken ct)
    {
        var counts = new List<StockCount>();
        foreach (var (sku, quantity) in lines.OrderBy(l => l.Sku, StringComparer.Ordinal)) // one lock order for everyone
        {
            var after = await counters.ConsumeAsync(node, sku, quantity, ct);
            db.Ledger.Add(new InventoryLedgerEntry(node, sku, reason, after.OnHandBefore, after.OnHand, after.ReservedBefore, after.Reserved,
                actor.Name, reference, note, now));
            await signals.EmitAsync("inventory.adjusted", after, nodeCode, now, ct);
            counts.Add(after);
        }
        await signals.AfterChangeAsync(counts, ct);
    }
}
