using Microsoft.EntityFrameworkCore;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Persistence.Configurations;

namespace Oms.Api.Inventory;

/// <summary>A stock row's counts after a change, and what was available before it.</summary>
public sealed record StockCount(NodeId NodeId, string Sku, int OnHand, int Reserved, int SafetyStock, int OnHandBefore, int ReservedBefore,
    int? ReorderPoint = null, int? ReorderQuantity = null, Guid? SupplierId = null)
{
    public int AvailableBefore => StockItem.AvailableOf(OnHandBefore, ReservedBefore, SafetyStock);

    public int Available => StockItem.AvailableOf(OnHand, Reserved, SafetyStock);
}

/// <summary>
/// The only code that moves the contended counters: each change is one conditional UPDATE whose WHERE holds the
/// guard, so two requests racing for the last unit can never both win (PostgreSQL re-checks the WHERE after the
/// row lock). Callers hold the transaction; counts are read back inside it, under the row lock.
/// </summary>
public sealed class StockCounters(OmsDbContext db, TimeProvider clock, IServiceScopeFactory scopes)
{
    /// <summary>
    /// Reserves every (node, SKU, quantity) or none: the counts after it in the order given, or null when any row had
    /// too little available (then nothing stays reserved, and no row stays locked on PostgreSQL). Hand SQL, one round
    /// trip either way: a single row is one guarded UPDATE … RETURNING, which changes and locks nothing when it fails.
    /// Several rows on PostgreSQL are one statement that locks them in (node, SKU) order, so two multi-row reservations
    /// never deadlock, then guards, reserves and reads back, sent together with a savepoint: when a row falls short,
    /// rolling back to it also releases the locks, so a retry at other nodes cannot deadlock with what this attempt
    /// held. On SQLite (one writer at a time) one statement per row, and rows already reserved are given back.
    /// </summary>
    public async Task<List<StockCount>?> TryReserveAllAsync(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, CancellationToken ct)
    {
        var together = db.HasArrayParameters && rows.Count > 1;
        var counts = together ? await ReserveTogetherAsync(rows, ct) : await ReserveOneByOneAsync(rows, ct);
        if (counts.Count == rows.Count)
            return rows.Select(r => counts.Single(c => c.NodeId == r.Node && c.Sku == r.Sku)).ToList();
        if (together)
        {
            await using var undo = db.RawCommand("ROLLBACK TO SAVEPOINT reserve");
            await undo.ExecuteNonQueryAsync(ct);
        }
        else // give back what the earlier rows took; this transaction still holds them
            foreach (var c in counts) await ReleaseAsync(c.NodeId, c.Sku, c.Reserved - c.ReservedBefore, ct);
        return null;
    }

    private async Task<List<StockCount>> ReserveTogetherAsync(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, CancellationToken ct)
    {
        // The savepoint is not released on success: it ends with the transaction, and releasing it would cost a statement.
        await using var command = db.RawCommand(
            "SAVEPOINT reserve; " +
            "WITH wanted AS (SELECT * FROM unnest(@nodes, @skus, @quantities) AS w(node_id, sku, quantity)), " +
            // Each wanted row's stock row is locked through its key, one after the other in (node, SKU) order: as a
            // LATERAL subquery with its own FOR UPDATE it cannot become a hash join over the whole table, which is
            // what a generic plan (WriteTransactionSettings) picks for a small stock table.
            "locked AS (SELECT l.node_id, l.sku FROM (SELECT * FROM wanted ORDER BY node_id, sku) w " +
            "CROSS JOIN LATERAL (SELECT s.node_id, s.sku FROM stock_items s WHERE s.node_id = w.node_id AND s.sku = w.sku FOR UPDATE) l) " +
            "UPDATE stock_items s SET reserved = s.reserved + w.quantity, updated_at = @now FROM wanted w, locked l " +
            "WHERE s.node_id = w.node_id AND s.sku = w.sku AND l.node_id = s.node_id AND l.sku = s.sku " +
            "AND s.available >= w.quantity " +
            "RETURNING s.node_id, s.sku, w.quantity, s.on_hand, s.reserved, s.safety_stock, s.reorder_point, s.reorder_quantity, s.supplier_id",
            ("@nodes", rows.Select(r => r.Node.Value).ToArray()), ("@skus", rows.Select(r => r.Sku).ToArray()),
            ("@quantities", rows.Select(r => r.Quantity).ToArray()), ("@now", db.StoreTime(clock.GetUtcNow())));
        SqlCommandCounter.CountOne(); // two statements in the one round trip
        await using var reader = await command.ExecuteReaderAsync(ct);
        var counts = new List<StockCount>(rows.Count);
        do
        {
            if (reader.FieldCount != 9) continue; // the savepoint's empty result
            while (await reader.ReadAsync(ct))
                counts.Add(Reserved(reader, new NodeId(reader.GetGuid(0)), reader.GetString(1), reader.GetInt32(2), offset: 3));
        } while (await reader.NextResultAsync(ct));
        return counts;
    }

    private async Task<List<StockCount>> ReserveOneByOneAsync(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, CancellationToken ct)
    {
        var counts = new List<StockCount>(rows.Count);
        foreach (var (node, sku, quantity) in rows)
        {
            await using var command = db.RawCommand(
                "UPDATE stock_items SET reserved = reserved + @q, updated_at = @now " +
                "WHERE node_id = @node AND sku = @sku AND available >= @q " +
                "RETURNING on_hand, reserved, safety_stock, reorder_point, reorder_quantity, supplier_id",
                ("@q", quantity), ("@now", db.StoreTime(clock.GetUtcNow())), ("@node", db.StoreId(node.Value)), ("@sku", sku));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct)) break;
            counts.Add(Reserved(reader, node, sku, quantity, offset: 0));
        }
        return counts;
    }

    private static StockCount Reserved(System.Data.Common.DbDataReader reader, NodeId node, string sku, int quantity, int offset)
    {
        var (onHand, reserved) = (reader.GetInt32(offset), reader.GetInt32(offset + 1));
        return new StockCount(node, sku, onHand, reserved, reader.GetInt32(offset + 2), onHand, reserved - quantity,
            reader.IsDBNull(offset + 3) ? null : reader.GetInt32(offset + 3), reader.IsDBNull(offset + 4) ? null : reader.GetInt32(offset + 4),
            reader.IsDBNull(offset + 5) ? null : reader.GetGuid(offset + 5));
    }

    public async Task ReleaseAsync(NodeId node, string sku, int quantity, CancellationToken ct)
    {
        var updated = await db.Stock.Where(s => s.NodeId == node && s.Sku == sku && s.Reserved >= quantity)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.Reserved, s => s.Reserved - quantity).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        if (updated != 1) throw new InvalidOperationException($"Releasing {quantity} of {sku} at {node} found no such reservation.");
    }

    /// <summary>Goods left the node: on hand and reserved both drop by what was reserved for them.</summary>
    public async Task<StockCount> ConsumeAsync(NodeId node, string sku, int quantity, CancellationToken ct)
    {
        var updated = await db.Stock.Where(s => s.NodeId == node && s.Sku == sku && s.Reserved >= quantity && s.OnHand >= quantity)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnHand, s => s.OnHand - quantity).SetProperty(s => s.Reserved, s => s.Reserved - quantity)
                .SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        if (updated != 1) throw new InvalidOperationException($"Shipping {quantity} of {sku} at {node} found no such reservation.");
        return (await ReadAsync(node, sku, -quantity, -quantity, ct))!;
    }

    /// <summary>
    /// Moves on-hand by <paramref name="delta"/> unless it would fall below what is reserved (null) or rise above
    /// <see cref="StockItem.MaxOnHand"/> (refused naming <paramref name="field"/>). The conditions compare the row with
    /// the parameter side, so no sum can overflow the integer column.
    /// </summary>
    public async Task<StockCount?> TryChangeOnHandAsync(NodeId node, string sku, int delta, CancellationToken ct, string field = "quantity")
    {
        int floor = -delta, ceiling = StockItem.MaxOnHand - delta;
        var updated = await db.Stock.Where(s => s.NodeId == node && s.Sku == sku && s.OnHand >= s.Reserved + floor && s.OnHand >= floor && s.OnHand <= ceiling)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnHand, s => s.OnHand + delta).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        if (updated == 1) return await ReadAsync(node, sku, onHandDelta: delta, reservedDelta: 0, ct);
        // Adding cannot fall below what is reserved: a refused addition went past the ceiling (or the row is missing).
        if (delta > 0 && await db.Stock.AnyAsync(s => s.NodeId == node && s.Sku == sku, ct)) throw StockItem.OnHandTooLarge(field);
        return null;
    }

    /// <summary>Takes <paramref name="quantity"/> out of what is available (a transfer out); null when not enough is.</summary>
    public async Task<StockCount?> TryTakeAvailableAsync(NodeId node, string sku, int quantity, CancellationToken ct)
    {
        var updated = await db.Stock.Where(s => s.NodeId == node && s.Sku == sku && EF.Property<int>(s, StockColumns.Available) >= quantity)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnHand, s => s.OnHand - quantity).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        return updated == 1 ? await ReadAsync(node, sku, onHandDelta: -quantity, reservedDelta: 0, ct) : null;
    }

    /// <summary>Sets on-hand to <paramref name="value"/> only if it is still <paramref name="expected"/> (compare-and-swap).</summary>
    public async Task<StockCount?> TrySetOnHandAsync(NodeId node, string sku, int expected, int value, CancellationToken ct)
    {
        var updated = await db.Stock.Where(s => s.NodeId == node && s.Sku == sku && s.OnHand == expected && value >= s.Reserved)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.OnHand, value).SetProperty(s => s.UpdatedAt, clock.GetUtcNow()), ct);
        return updated == 1 ? await ReadAsync(node, sku, onHandDelta: value - expected, reservedDelta: 0, ct) : null;
    }

    /// <summary>A row's counts after a change, with what was available before it (from the deltas just applied).</summary>
    public async Task<StockCount?> ReadAsync(NodeId node, string sku, int onHandDelta, int reservedDelta, CancellationToken ct) =>
        await db.Stock.AsNoTracking().SingleOrDefaultAsync(s => s.NodeId == node && s.Sku == sku, ct) is { } r
            ? new StockCount(node, sku, r.OnHand, r.Reserved, r.SafetyStock, r.OnHand - onHandDelta, r.Reserved - reservedDelta,
                r.ReorderPoint, r.ReorderQuantity, r.SupplierId)
            : null;

    /// <summary>
    /// Creates missing rows (all counts zero) before the caller's transaction starts, on a connection of their own:
    /// an empty row promises nothing, and a concurrent creator winning the race is fine.
    /// </summary>
    public async Task EnsureRowsAsync(IEnumerable<(NodeId Node, string Sku)> pairs, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var own = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        foreach (var (node, sku) in pairs.Distinct())
        {
            if (await own.Stock.AnyAsync(s => s.NodeId == node && s.Sku == sku, ct)) continue;
            var row = new StockItem(node, sku, clock.GetUtcNow());
            own.Stock.Add(row);
            try
            {
                await own.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (own.IsUniqueViolation(e))
            {
                own.Entry(row).State = EntityState.Detached;
            }
        }
    }

    public static DomainException Short(string sku, string nodeCode, string field) =>
        new ConflictException("inventory.insufficient_stock", $"Not enough '{sku}' available at {nodeCode}.") { FieldErrors = new Dictionary<string, string[]> { [field] = [$"Not enough '{sku}' available at {nodeCode}."] } };
}
