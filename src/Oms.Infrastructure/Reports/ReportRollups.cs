using Microsoft.EntityFrameworkCore;
using Oms.Domain.Orders;
using Oms.Domain.Reports;
using Oms.Domain.Returns;
using Oms.Domain.Routing;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Reports;

/// <summary>
/// Folds orders into the report rollups: for each order, what it adds now (<see cref="ReportFacts.Of"/>, from the
/// order, its payments, allocations and returns as they stand) replaces what it added last time (kept in
/// <c>report_orders</c> and <c>report_lines</c>), and the rollup rows move by the difference. Runs in the caller's
/// transaction; orders are locked for the fold (PostgreSQL advisory locks, in order), so two processes folding one
/// order take turns and never count it twice.
/// </summary>
public static class ReportRollups
{
    private static readonly ReturnStatus[] Received = [ReturnStatus.Received, ReturnStatus.Inspected, ReturnStatus.Refunded, ReturnStatus.Exchanged];
    private static readonly AllocationStatus[] Holding = [AllocationStatus.Reserved, AllocationStatus.Shipped];

    /// <summary>Folds <paramref name="orderIds"/>; returns how many rollup rows moved.</summary>
    public static async Task<int> FoldAsync(OmsDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Distinct().Order().ToArray();
        if (ids.Length == 0) return 0;
        if (db.HasArrayParameters)
        {
            await using var lockOrders = db.RawBatch(new Persistence.FastPath.Statement(
                "SELECT pg_advisory_xact_lock(hashtextextended(o::text, 38)) FROM unnest($1::uuid[]) AS u(o) ORDER BY o", [ids]));
            await lockOrders.ExecuteNonQueryAsync(ct);
        }
        var before = await StoredAsync(db, ids, ct);
        var after = await CurrentAsync(db, ids, ct);
        var delta = new Dictionary<RollupCell, RollupMeasures>();
        foreach (var id in ids)
        {
            var old = before.GetValueOrDefault(id);
            var now = after.GetValueOrDefault(id);
            if (old is null && now is null) continue;
            ReportFacts.Delta(old is { } o ? (o.Order, o.Lines) : null, now is { } n ? (n.Order, n.Lines) : null, delta);
        }
        await ReplaceFactsAsync(db, ids, after, ct);
        await ApplyAsync(db, delta, ct);
        return delta.Count;
    }

    private sealed record Facts(OrderFact Order, IReadOnlyList<LineFact> Lines);

    private static async Task<Dictionary<Guid, Facts>> StoredAsync(OmsDbContext db, Guid[] ids, CancellationToken ct)
    {
        var orders = await db.ReportOrders.AsNoTracking().Where(r => ids.Contains(r.OrderId)).ToListAsync(ct);
        var lines = (await db.ReportLines.AsNoTracking().Where(r => ids.Contains(r.OrderId)).ToListAsync(ct))
            .GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Part).ToList());
        return orders.ToDictionary(o => o.OrderId, o => new Facts(
            new OrderFact(o.OrderId, o.Number, o.PlacedAt, o.Currency, o.Channel, o.Country, o.Seller, o.CustomerId, o.Gross, o.Refunded, o.Cancelled, o.Units, o.ReturnedUnits),
            lines.GetValueOrDefault(o.OrderId, []).Select(l => new LineFact(l.Sku, l.Brand, l.Category, l.Node, l.Units, l.ReturnedUnits, l.Gross, l.Net, l.Refunded)).ToList()));
    }

    /// <summary>The facts of the orders as they stand (four queries for the batch). Replacement orders for a return are not sales and add nothing.</summary>
    private static async Task<Dictionary<Guid, Facts>> CurrentAsync(OmsDbContext db, Guid[] ids, CancellationToken ct)
    {
        var orderIds = ids.Select(i => new OrderId(i)).ToList();
        var orders = await db.Orders.AsNoTracking().Include(o => o.Lines).Where(o => orderIds.Contains(o.Id) && o.ReplacementForReturnId == null).ToListAsync(ct);
        if (orders.Count == 0) return [];
        var refunded = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId) && p.Refunded > 0)
            .GroupBy(p => p.OrderId).Select(g => new { g.Key, Refunded = g.Sum(p => p.Refunded) }).ToDictionaryAsync(g => g.Key.Value, g => g.Refunded, ct);
        var allocated = (await db.Allocations.AsNoTracking().Where(a => orderIds.Contains(a.OrderId) && Holding.Contains(a.Status)).ToListAsync(ct))
            .SelectMany(a => a.Lines.Select(l => new { l.OrderLineId, a.NodeCode, l.Quantity, a.CreatedAt }))
            .GroupBy(a => a.OrderLineId).ToDictionary(g => g.Key, g => g.OrderBy(a => a.CreatedAt).ThenBy(a => a.NodeCode, StringComparer.Ordinal)
                .Select(a => (a.NodeCode, a.Quantity)).ToList());
        var returned = (await db.Returns.AsNoTracking().Where(r => orderIds.Contains(r.OrderId) && Received.Contains(r.Status)).ToListAsync(ct))
            .SelectMany(r => r.Lines.Select(l => new { l.OrderLineId, l.Quantity }))
            .GroupBy(r => r.OrderLineId).ToDictionary(g => g.Key, g => g.Sum(r => r.Quantity));
        var skus = orders.SelectMany(o => o.Lines.Select(l => l.Sku)).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku))
            .Select(p => new { p.Sku, p.Brand, p.Category }).ToDictionaryAsync(p => p.Sku, p => (p.Brand, p.Category), ct);
        return orders.ToDictionary(o => o.Id.Value, o =>
        {
            var (order, lines) = ReportFacts.Of(o.Id.Value, o.Number, o.CreatedAt, o.Currency, Wire(o.Channel), o.ShippingAddress?.Country ?? o.BillingAddress?.Country,
                o.Seller, o.CustomerId?.Value, o.Total, refunded.GetValueOrDefault(o.Id.Value), o.Status == OrderStatus.Cancelled,
                o.Lines.Select(l => new LineInput(l.Id, l.Sku, l.Quantity, l.Total, allocated.GetValueOrDefault(l.Id, []), returned.GetValueOrDefault(l.Id))).ToList(),
                sku => products.TryGetValue(sku, out var p) ? p : (null, null));
            return new Facts(order, lines);
        });
    }

    /// <summary>A channel as clients spell it (snake_case), which is also how reports name it.</summary>
    public static string Wire(OrderChannel channel) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(channel.ToString());

    private static async Task ReplaceFactsAsync(OmsDbContext db, Guid[] ids, Dictionary<Guid, Facts> after, CancellationToken ct)
    {
        await db.ReportLines.Where(r => ids.Contains(r.OrderId)).ExecuteDeleteAsync(ct);
        await db.ReportOrders.Where(r => ids.Contains(r.OrderId)).ExecuteDeleteAsync(ct);
        foreach (var (id, facts) in after)
        {
            var o = facts.Order;
            db.ReportOrders.Add(new ReportOrderRow
            {
                OrderId = id, Number = o.Number, PlacedAt = o.PlacedAt, Day = o.Day, Currency = o.Currency, Channel = o.Channel, Country = o.Country,
                Seller = o.Seller, CustomerId = o.CustomerId, Gross = o.Gross, Net = o.Net, Refunded = o.Cancelled ? 0 : Math.Min(o.Refunded, o.Gross),
                Cancelled = o.Cancelled, Units = o.Units, ReturnedUnits = o.ReturnedUnits,
            });
            var part = 0;
            foreach (var l in facts.Lines)
                db.ReportLines.Add(new ReportLineRow
                {
                    OrderId = id, Part = part++, Day = o.Day, Hour = o.PlacedAt.UtcDateTime.Hour, Currency = o.Currency, Channel = o.Channel, Country = o.Country,
                    Seller = o.Seller, CustomerId = o.CustomerId, Cancelled = o.Cancelled, Sku = l.Sku, Brand = l.Brand, Category = l.Category, Node = l.Node,
                    Units = l.Units, ReturnedUnits = l.ReturnedUnits, Gross = l.Gross, Net = l.Net, Refunded = l.Refunded,
                });
        }
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    private static async Task ApplyAsync(OmsDbContext db, Dictionary<RollupCell, RollupMeasures> delta, CancellationToken ct)
    {
        if (delta.Count == 0) return;
        // In key order, so two processes folding at once lock rows in the same order and never deadlock.
        var cells = delta.OrderBy(d => d.Key.Dimension, StringComparer.Ordinal).ThenBy(d => d.Key.Grain).ThenBy(d => d.Key.Period)
            .ThenBy(d => d.Key.Key, StringComparer.Ordinal).ThenBy(d => d.Key.Channel, StringComparer.Ordinal).ThenBy(d => d.Key.Country, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Currency, StringComparer.Ordinal).ToList();
        if (db.HasArrayParameters)
        {
            await using var upsert = db.RawBatch(new Persistence.FastPath.Statement(UpsertSql,
            [
                cells.Select(c => c.Key.Dimension).ToArray(), cells.Select(c => (short)c.Key.Grain).ToArray(), cells.Select(c => c.Key.Period).ToArray(),
                cells.Select(c => c.Key.Key).ToArray(), cells.Select(c => c.Key.Channel).ToArray(), cells.Select(c => c.Key.Country).ToArray(),
                cells.Select(c => c.Key.Currency).ToArray(), cells.Select(c => c.Value.Orders).ToArray(), cells.Select(c => c.Value.Units).ToArray(),
                cells.Select(c => c.Value.ReturnedUnits).ToArray(), cells.Select(c => c.Value.Gross).ToArray(), cells.Select(c => c.Value.Net).ToArray(),
                cells.Select(c => c.Value.Refunded).ToArray(), cells.Select(c => c.Value.Cancelled).ToArray(),
            ]));
            await upsert.ExecuteNonQueryAsync(ct);
            return;
        }
        // SQLite (one process, demo data): a statement per cell.
        foreach (var (c, m) in cells)
            await db.Database.ExecuteSqlRawAsync(UpsertOneSql,
            [
                c.Dimension, (short)c.Grain, c.Period.ToString("yyyy-MM-dd"), c.Key, c.Channel, c.Country, c.Currency,
                m.Orders, m.Units, m.ReturnedUnits, m.Gross, m.Net, m.Refunded, m.Cancelled,
            ], ct);
    }

    private const string Columns = "dimension, grain, period, key, channel, country, currency, orders, units, returned_units, gross, net, refunded, cancelled";
    private const string OnConflict =
        " ON CONFLICT (dimension, grain, period, key, channel, country, currency) DO UPDATE SET orders = report_rollups.orders + excluded.orders, " +
        "units = report_rollups.units + excluded.units, returned_units = report_rollups.returned_units + excluded.returned_units, " +
        "gross = report_rollups.gross + excluded.gross, net = report_rollups.net + excluded.net, refunded = report_rollups.refunded + excluded.refunded, " +
        "cancelled = report_rollups.cancelled + excluded.cancelled";

    private const string UpsertSql =
        "INSERT INTO report_rollups (" + Columns + ") SELECT * FROM unnest($1::text[], $2::smallint[], $3::date[], $4::text[], $5::text[], $6::text[], $7::text[], " +
        "$8::int[], $9::int[], $10::int[], $11::bigint[], $12::bigint[], $13::bigint[], $14::int[])" + OnConflict;

    private const string UpsertOneSql =
        "INSERT INTO report_rollups (" + Columns + ") VALUES ({0}, {1}, {2}, {3}, {4}, {5}, {6}, {7}, {8}, {9}, {10}, {11}, {12}, {13})" + OnConflict;
}
