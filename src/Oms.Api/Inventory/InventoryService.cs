using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Inventory;

public sealed class InventoryService(OmsDbContext db, StockCounters counters, StockSignals signals, IStockArrivals arrivals, InventoryQueries queries, TimeProvider clock, Actor actor, Visibility seen)
{
    private static readonly StockChangeReason[] AdjustmentReasons =
        [StockChangeReason.Received, StockChangeReason.Damaged, StockChangeReason.Lost, StockChangeReason.CycleCount, StockChangeReason.Correction];

    public async Task<StockChangeDto> AdjustAsync(AdjustmentRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        if (!AdjustmentReasons.Contains(r.Reason))
            throw Validation("reason", "Adjustments are received, damaged, lost, cycle_count or correction.");
        if ((r.Delta is null) == (r.SetOnHand is null))
            throw Validation("delta", "Give either delta, or setOnHand with expectedOnHand.");
        if (r.SetOnHand is not null && r.ExpectedOnHand is null)
            throw Validation("expectedOnHand", "An absolute count needs the count it replaces (compare-and-swap).");
        if (r.Delta == 0) throw Validation("delta", "A delta of zero changes nothing.");
        await EnsureSkuAsync(r.Sku, ct);
        var node = await NodeAsync(r.NodeCode, "nodeCode", ct);
        await counters.EnsureRowsAsync([(node.Id, r.Sku)], ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        StockCount? after;
        if (r.Delta is { } delta)
        {
            after = await counters.TryChangeOnHandAsync(node.Id, r.Sku, delta, ct, "delta")
                    ?? throw new ConflictException("inventory.below_reserved", $"Removing {-delta} would leave less on hand than is reserved for orders.");
        }
        else
        {
            after = await counters.TrySetOnHandAsync(node.Id, r.Sku, r.ExpectedOnHand!.Value, r.SetOnHand!.Value, ct);
            if (after is null)
            {
                var current = await counters.ReadAsync(node.Id, r.Sku, 0, 0, ct);
                throw current is not null && current.OnHand != r.ExpectedOnHand
                    ? new ConflictException("inventory.count_changed", $"On hand is {current.OnHand}, not the expected {r.ExpectedOnHand}: read it again.")
                    : new ConflictException("inventory.below_reserved", "The new count would be less than is reserved for orders.");
            }
        }
        var entry = Ledger(after, r.Reason, node.Code, reference: null, r.Note);
        await signals.EmitAsync("inventory.adjusted", after, node.Code, clock.GetUtcNow(), ct);
        await signals.AfterChangeAsync([after], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        if (after.Available > after.AvailableBefore) await arrivals.ArrivedAsync(r.Sku, ct);
        return new StockChangeDto { Levels = [await queries.LevelAsync(r.Sku, node.Id, ct)], Ledger = [await queries.EntryAsync(entry.Id, ct)] };
    }

    public async Task<StockChangeDto> TransferAsync(TransferRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await EnsureSkuAsync(r.Sku, ct);
        var from = await NodeAsync(r.FromNodeCode, "fromNodeCode", ct);
        var to = await NodeAsync(r.ToNodeCode, "toNodeCode", ct);
        if (from.Id == to.Id) throw Validation("toNodeCode", "A transfer goes to another node.");
        await counters.EnsureRowsAsync([(to.Id, r.Sku)], ct);

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var reference = "transfer:" + Uuid.V7(clock.GetUtcNow());
        var outgoing = await counters.TryTakeAvailableAsync(from.Id, r.Sku, r.Quantity, ct)
                       ?? throw StockCounters.Short(r.Sku, from.Code, "quantity");
        var incoming = await counters.TryChangeOnHandAsync(to.Id, r.Sku, r.Quantity, ct)
                       ?? throw new InvalidOperationException("Adding stock cannot fall below reserved.");
        var outEntry = Ledger(outgoing, StockChangeReason.TransferOut, from.Code, reference, r.Note);
        var inEntry = Ledger(incoming, StockChangeReason.TransferIn, to.Code, reference, r.Note);
        await signals.EmitAsync("inventory.adjusted", outgoing, from.Code, clock.GetUtcNow(), ct);
        await signals.EmitAsync("inventory.adjusted", incoming, to.Code, clock.GetUtcNow(), ct);
        await signals.AfterChangeAsync([outgoing, incoming], ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);

        await arrivals.ArrivedAsync(r.Sku, ct);
        return new StockChangeDto
        {
            Levels = [await queries.LevelAsync(r.Sku, from.Id, ct), await queries.LevelAsync(r.Sku, to.Id, ct)],
            Ledger = [await queries.EntryAsync(outEntry.Id, ct), await queries.EntryAsync(inEntry.Id, ct)],
        };
    }

    public async Task<StockLevelDto> ConfigureAsync(string sku, string nodeCode, StockSettingsRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await EnsureSkuAsync(sku, ct);
        var node = await NodeAsync(nodeCode, "nodeCode", ct);
        Guid? supplierId = null;
        if (r.SupplierCode is { Length: > 0 } code)
        {
            var normalized = code.ToUpperInvariant();
            supplierId = await db.Suppliers.Where(s => s.Code == normalized).Select(s => (Guid?)s.Id).SingleOrDefaultAsync(ct)
                         ?? throw new DomainException("inventory.unknown_supplier", $"No supplier has code '{code}'.", "supplierCode");
        }
        await counters.EnsureRowsAsync([(node.Id, sku)], ct);
        var row = await db.Stock.SingleAsync(s => s.NodeId == node.Id && s.Sku == sku, ct);
        row.Configure(r.SafetyStock, r.ReorderPoint, r.ReorderQuantity, supplierId, clock.GetUtcNow(), r.ReorderPointFollowsProjection);
        await db.SaveChangesAsync(ct);
        return await queries.LevelAsync(sku, node.Id, ct);
    }

    /// <summary>Goods arrived for a purchase order: on hand rises with a ledger entry each. The caller holds the transaction.</summary>
    public async Task<IReadOnlyList<StockCount>> ReceiveAsync(NodeId node, string nodeCode, IReadOnlyList<(string Sku, int Quantity)> goods, string reference, CancellationToken ct)
    {
        var counts = new List<StockCount>();
        foreach (var (sku, quantity) in goods.OrderBy(g => g.Sku, StringComparer.Ordinal))
        {
            var after = await counters.TryChangeOnHandAsync(node, sku, quantity, ct) ?? throw new InvalidOperationException("Adding stock cannot fall below reserved.");
            Ledger(after, StockChangeReason.Received, nodeCode, reference, null);
            await signals.EmitAsync("inventory.adjusted", after, nodeCode, clock.GetUtcNow(), ct);
            counts.Add(after);
        }
        return counts;
    }

    private InventoryLedgerEntry Ledger(StockCount after, StockChangeReason reason, string nodeCode, string? reference, string? note)
    {
        var entry = new InventoryLedgerEntry(after.NodeId, after.Sku, reason, after.OnHandBefore, after.OnHand, after.ReservedBefore, after.Reserved,
            actor.Name, reference, note, clock.GetUtcNow());
        db.Ledger.Add(entry);
        return entry;
    }

    private async Task EnsureSkuAsync(string sku, CancellationToken ct)
    {
        if (!await db.Products.AnyAsync(p => p.Sku == sku, ct))
            throw new DomainException("inventory.unknown_sku", $"No product has SKU '{sku}'.", "sku");
    }

    private async Task<FulfilmentNode> NodeAsync(string code, string field, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return await seen.Nodes.SingleOrDefaultAsync(n => n.Code == normalized, ct)
               ?? throw new DomainException("inventory.unknown_node", $"No fulfilment node has code '{code}'.", field);
    }

    private static Platform.Errors.RequestValidationException Validation(string field, string message) =>
        Platform.Errors.RequestValidationException.For(field, message);
}
