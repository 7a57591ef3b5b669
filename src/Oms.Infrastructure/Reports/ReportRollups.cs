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
/// <remarks>
/// Lean on purpose: it runs for every checkout (decision 0012). On PostgreSQL a batch is two round trips however many
/// orders it holds: the locks and every read in one, the writes (array statements) in the other; an order whose facts
/// did not change writes nothing. SQLite reads with EF's column projections.
/// </remarks>
public static class ReportRollups
{
    private static readonly ReturnStatus[] Received = [ReturnStatus.Received, ReturnStatus.Inspected, ReturnStatus.Refunded, ReturnStatus.Exchanged];
    private static readonly AllocationStatus[] Holding = [AllocationStatus.Reserved, AllocationStatus.Shipped];

    /// <summary>Folds <paramref name="orderIds"/>; returns how many rollup rows moved.</summary>
    public static async Task<int> FoldAsync(OmsDbContext db, IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Distinct().Order().ToArray();
        if (ids.Length == 0) return 0;
        var (before, after) = db.HasArrayParameters ? await ReadInOneRoundTripAsync(db, ids, ct) : (await StoredAsync(db, ids, ct), await CurrentAsync(db, ids, ct));
        var delta = new Dictionary<RollupCell, RollupMeasures>();
        var changed = new List<Guid>();
        foreach (var id in ids)
        {
            var old = before.GetValueOrDefault(id);
            var now = after.GetValueOrDefault(id);
            if (old is null && now is null || old is not null && now is not null && old.Same(now)) continue;
            changed.Add(id);
            ReportFacts.Delta(old is { } o ? (o.Order, o.Lines) : null, now is { } n ? (n.Order, n.Lines) : null, delta);
        }
        if (changed.Count == 0) return 0;
        await WriteAsync(db, changed.Where(before.ContainsKey).ToArray(), changed.Where(after.ContainsKey).Select(i => after[i]).ToList(), delta, ct);
        return delta.Count;
    }

    /// <summary>
    /// What the orders added last time and what they add now, as the plain path (<see cref="StoredAsync"/> and
    /// <see cref="CurrentAsync"/>, EF) or the one-round-trip path of PostgreSQL reads them; the tests hold them equal.
    /// </summary>
    internal static async Task<(Dictionary<Guid, Facts> Before, Dictionary<Guid, Facts> After)> ReadAsync(OmsDbContext db, IReadOnlyCollection<Guid> orderIds, bool plain, CancellationToken ct)
    {
        var ids = orderIds.Distinct().Order().ToArray();
        return plain || !db.HasArrayParameters ? (await StoredAsync(db, ids, ct), await CurrentAsync(db, ids, ct)) : await ReadInOneRoundTripAsync(db, ids, ct);
    }

    /// <summary>
    /// PostgreSQL: the orders locked for the fold (advisory locks, in order), their stored facts and what they add now,
    /// in one round trip of prepared statements. A fold runs with every checkout's events: the batch's fixed cost is what
    /// a fan-out pass of a few orders pays per order (decision 0012).
    /// </summary>
    private static async Task<(Dictionary<Guid, Facts>, Dictionary<Guid, Facts>)> ReadInOneRoundTripAsync(OmsDbContext db, Guid[] ids, CancellationToken ct)
    {
        await using var read = db.RawBatch([.. ReadSql.Select(sql => new Persistence.FastPath.Statement(sql, [ids]))]);
        await using var r = await read.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) { } // the locks
        await r.NextResultAsync(ct);
        var orders = new Dictionary<Guid, (long Number, DateTimeOffset At, string Currency, string Channel, string? Country, string? Seller, Guid? Customer, long Total, bool Cancelled)>();
        var lines = new List<(Guid Order, LineInput Line)>();
        var products = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        while (await r.ReadAsync(ct))
        {
            var id = r.GetGuid(0);
            if (!orders.ContainsKey(id))
                orders[id] = (r.GetInt64(1), r.GetFieldValue<DateTimeOffset>(2), r.GetString(3), Wire(Enum.Parse<OrderChannel>(r.GetString(4))), r.IsDBNull(5) ? null : r.GetString(5),
                    r.IsDBNull(6) ? null : r.GetString(6), r.IsDBNull(7) ? null : r.GetGuid(7), r.GetInt64(8), r.GetBoolean(9));
            var sku = r.GetString(11);
            lines.Add((id, new LineInput(r.GetGuid(10), sku, r.GetInt32(12), r.GetInt64(13), [], 0)));
            products[sku] = (r.IsDBNull(14) ? null : r.GetString(14), r.IsDBNull(15) ? null : r.GetString(15));
        }
        await r.NextResultAsync(ct);
        var refunded = new Dictionary<Guid, long>();
        while (await r.ReadAsync(ct)) refunded[r.GetGuid(0)] = r.GetInt64(1);
        await r.NextResultAsync(ct);
        var allocated = new List<(Guid Line, string Node, int Quantity, DateTimeOffset At)>();
        while (await r.ReadAsync(ct)) allocated.Add((r.GetGuid(2), r.GetString(1), r.GetInt32(3), r.GetFieldValue<DateTimeOffset>(0)));
        await r.NextResultAsync(ct);
        var returned = new Dictionary<Guid, int>();
        while (await r.ReadAsync(ct)) returned[r.GetGuid(0)] = (int)r.GetInt64(1);
        await r.NextResultAsync(ct);
        var stored = new List<ReportOrderRow>();
        while (await r.ReadAsync(ct))
            stored.Add(new ReportOrderRow
            {
                OrderId = r.GetGuid(0), Number = r.GetInt64(1), PlacedAt = r.GetFieldValue<DateTimeOffset>(2), Currency = r.GetString(3), Channel = r.GetString(4),
                Country = r.IsDBNull(5) ? null : r.GetString(5), Seller = r.IsDBNull(6) ? null : r.GetString(6), CustomerId = r.IsDBNull(7) ? null : r.GetGuid(7),
                Gross = r.GetInt64(8), Refunded = r.GetInt64(9), Cancelled = r.GetBoolean(10), Units = r.GetInt32(11), ReturnedUnits = r.GetInt32(12),
            });
        await r.NextResultAsync(ct);
        var storedLines = new List<ReportLineRow>();
        while (await r.ReadAsync(ct))
            storedLines.Add(new ReportLineRow
            {
                OrderId = r.GetGuid(0), Part = r.GetInt32(1), Sku = r.GetString(2), Brand = r.IsDBNull(3) ? null : r.GetString(3), Category = r.IsDBNull(4) ? null : r.GetString(4),
                Node = r.IsDBNull(5) ? null : r.GetString(5), Units = r.GetInt32(6), ReturnedUnits = r.GetInt32(7), Gross = r.GetInt64(8), Net = r.GetInt64(9), Refunded = r.GetInt64(10),
            });
        read.Completed();

        var nodes = Nodes(allocated.Select(a => (a.Line, a.Node, a.Quantity, a.At)));
        var current = orders.ToDictionary(o => o.Key, o =>
        {
            var (number, at, currency, channel, country, seller, customer, total, cancelled) = o.Value;
            var mine = Ordered(lines.Where(l => l.Order == o.Key).Select(l => l.Line with { Nodes = nodes.GetValueOrDefault(l.Line.LineId, []), ReturnedUnits = returned.GetValueOrDefault(l.Line.LineId) }));
            return Of(o.Key, number, at, currency, channel, country, seller, customer, total, refunded.GetValueOrDefault(o.Key), cancelled, mine, sku => products.GetValueOrDefault(sku));
        });
        return (Stored(stored, storedLines), current);
    }

    /// <summary>Each line's node parts: the allocations that hold it, oldest first.</summary>
    private static Dictionary<Guid, List<(string Node, int Units)>> Nodes(IEnumerable<(Guid Line, string Node, int Quantity, DateTimeOffset At)> allocated) =>
        allocated.GroupBy(a => a.Line).ToDictionary(g => g.Key, g => g.OrderBy(a => a.At).ThenBy(a => a.Node, StringComparer.Ordinal).Select(a => (a.Node, a.Quantity)).ToList());

    /// <summary>An order's lines in one order whichever path read them (their ids as text: how PostgreSQL orders uuids), for the shares' tie-breaks.</summary>
    private static List<LineInput> Ordered(IEnumerable<LineInput> lines) => lines.OrderBy(l => l.LineId.ToString("D"), StringComparer.Ordinal).ToList();

    private static Facts Of(Guid id, long number, DateTimeOffset at, string currency, string channel, string? country, string? seller, Guid? customer, long total,
        long refunded, bool cancelled, List<LineInput> lines, Func<string, (string?, string?)> product)
    {
        var (order, facts) = ReportFacts.Of(id, number, at, currency, channel, country, seller, customer, total, refunded, cancelled, lines, product);
        return new Facts(order, facts);
    }

    private static Dictionary<Guid, Facts> Stored(List<ReportOrderRow> orders, List<ReportLineRow> lines)
    {
        var byOrder = lines.GroupBy(l => l.OrderId).ToDictionary(g => g.Key, g => g.OrderBy(l => l.Part).ToList());
        return orders.ToDictionary(o => o.OrderId, o => new Facts(
            new OrderFact(o.OrderId, o.Number, o.PlacedAt, o.Currency, o.Channel, o.Country, o.Seller, o.CustomerId, o.Gross, o.Refunded, o.Cancelled, o.Units, o.ReturnedUnits),
            byOrder.GetValueOrDefault(o.OrderId, []).Select(l => new LineFact(l.Sku, l.Brand, l.Category, l.Node, l.Units, l.ReturnedUnits, l.Gross, l.Net, l.Refunded)).ToList()));
    }

    private static readonly string[] ReadSql =
    [
        "SELECT pg_advisory_xact_lock(hashtextextended(o::text, 38)) FROM unnest($1::uuid[]) AS u(o) ORDER BY o",
        "SELECT o.id, o.number, o.created_at, o.currency, o.channel, coalesce(o.shipping_address_country, o.billing_address_country), o.seller, o.customer_id, " +
        "o.total, o.status = 'Cancelled', l.id, l.sku, l.quantity, l.total, p.brand, p.category " +
        "FROM orders o JOIN order_lines l ON l.order_id = o.id LEFT JOIN products p ON p.sku = l.sku " +
        "WHERE o.id = ANY ($1) AND o.replacement_for_return_id IS NULL",
        "SELECT order_id, sum(refunded)::bigint FROM payments WHERE order_id = ANY ($1) AND refunded > 0 GROUP BY order_id",
        "SELECT a.created_at, a.node_code, x.\"orderLineId\", x.quantity FROM allocations a " +
        "CROSS JOIN LATERAL jsonb_to_recordset(a.lines::jsonb) AS x(\"orderLineId\" uuid, quantity int) WHERE a.order_id = ANY ($1) AND a.status IN ('Reserved', 'Shipped')",
        "SELECT rl.order_line_id, sum(rl.quantity)::bigint FROM returns r JOIN return_lines rl ON rl.return_id = r.id " +
        "WHERE r.order_id = ANY ($1) AND r.status IN ('Received', 'Inspected', 'Refunded', 'Exchanged') GROUP BY rl.order_line_id",
        "SELECT order_id, number, placed_at, currency, channel, country, seller, customer_id, gross, refunded, cancelled, units, returned_units FROM report_orders WHERE order_id = ANY ($1)",
        "SELECT order_id, part, sku, brand, category, node, units, returned_units, gross, net, refunded FROM report_lines WHERE order_id = ANY ($1)",
    ];

    internal sealed record Facts(OrderFact Order, IReadOnlyList<LineFact> Lines)
    {
        public bool Same(Facts other) => Order == other.Order && Lines.SequenceEqual(other.Lines);
    }

    private static async Task<Dictionary<Guid, Facts>> StoredAsync(OmsDbContext db, Guid[] ids, CancellationToken ct)
    {
        var orders = await db.ReportOrders.AsNoTracking().Where(r => ids.Contains(r.OrderId)).ToListAsync(ct);
        if (orders.Count == 0) return []; // new orders (a checkout's): nothing to take out
        var folded = orders.Select(o => o.OrderId).ToArray();
        return Stored(orders, await db.ReportLines.AsNoTracking().Where(r => folded.Contains(r.OrderId)).ToListAsync(ct));
    }

    /// <summary>The facts of the orders as they stand. Replacement orders for a return are not sales and add nothing.</summary>
    private static async Task<Dictionary<Guid, Facts>> CurrentAsync(OmsDbContext db, Guid[] ids, CancellationToken ct)
    {
        var orderIds = ids.Select(i => new OrderId(i)).ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id) && o.ReplacementForReturnId == null)
            .Select(o => new
            {
                o.Id, o.Number, o.CreatedAt, o.Currency, o.Channel, Country = o.ShippingAddress != null ? o.ShippingAddress.Country : o.BillingAddress != null ? o.BillingAddress.Country : null,
                o.Seller, o.CustomerId, o.Total, o.Status,
            }).ToListAsync(ct);
        if (orders.Count == 0) return [];
        // Collections projected per order, not flattened: SQLite cannot run the lateral join a flattened owned collection needs.
        var lines = (await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id) && o.ReplacementForReturnId == null)
                .Select(o => new { o.Id, Lines = o.Lines.Select(l => new { LineId = l.Id, l.Sku, l.Quantity, l.Total }).ToList() }).ToListAsync(ct))
            .ToDictionary(o => o.Id, o => o.Lines);
        var refunded = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId) && p.Refunded > 0)
            .GroupBy(p => p.OrderId).Select(g => new { g.Key, Refunded = g.Sum(p => p.Refunded) }).ToDictionaryAsync(g => g.Key.Value, g => g.Refunded, ct);
        var nodes = Nodes((await db.Allocations.AsNoTracking().Where(a => orderIds.Contains(a.OrderId) && Holding.Contains(a.Status))
                .Select(a => new { a.NodeCode, a.CreatedAt, a.Lines }).ToListAsync(ct))
            .SelectMany(a => a.Lines.Select(l => (l.OrderLineId, a.NodeCode, l.Quantity, a.CreatedAt))));
        var returned = (await db.Returns.AsNoTracking().Where(r => orderIds.Contains(r.OrderId) && Received.Contains(r.Status))
                .Select(r => r.Lines.Select(l => new { l.OrderLineId, l.Quantity }).ToList()).ToListAsync(ct))
            .SelectMany(r => r).GroupBy(l => l.OrderLineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var skus = lines.Values.SelectMany(l => l.Select(x => x.Sku)).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku))
            .Select(p => new { p.Sku, p.Brand, p.Category }).ToDictionaryAsync(p => p.Sku, p => (p.Brand, p.Category), ct);
        return orders.ToDictionary(o => o.Id.Value, o => Of(o.Id.Value, o.Number, o.CreatedAt, o.Currency, Wire(o.Channel), o.Country, o.Seller, o.CustomerId?.Value, o.Total,
            refunded.GetValueOrDefault(o.Id.Value), o.Status == OrderStatus.Cancelled,
            Ordered(lines.GetValueOrDefault(o.Id, []).Select(l => new LineInput(l.LineId, l.Sku, l.Quantity, l.Total, nodes.GetValueOrDefault(l.LineId, []), returned.GetValueOrDefault(l.LineId)))),
            sku => products.TryGetValue(sku, out var p) ? p : (null, null)));
    }

    /// <summary>A channel as clients spell it (snake_case), which is also how reports name it.</summary>
    public static string Wire(OrderChannel channel) => System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(channel.ToString());

    private static async Task WriteAsync(OmsDbContext db, Guid[] replaced, List<Facts> facts, Dictionary<RollupCell, RollupMeasures> delta, CancellationToken ct)
    {
        var orderRows = facts.Select(f => Row(f.Order)).ToList();
        var lineRows = facts.SelectMany(f => f.Lines.Select((l, i) => Row(f.Order, l, i))).ToList();
        // In key order, so two processes folding at once lock rows in the same order and never deadlock.
        var cells = delta.OrderBy(d => d.Key.Dimension, StringComparer.Ordinal).ThenBy(d => d.Key.Grain).ThenBy(d => d.Key.Period)
            .ThenBy(d => d.Key.Key, StringComparer.Ordinal).ThenBy(d => d.Key.Channel, StringComparer.Ordinal).ThenBy(d => d.Key.Country, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Currency, StringComparer.Ordinal).ToList();
        if (db.HasArrayParameters)
        {
            var statements = new List<Persistence.FastPath.Statement>();
            if (replaced.Length > 0)
            {
                statements.Add(new("DELETE FROM report_lines WHERE order_id = ANY ($1)", [replaced]));
                statements.Add(new("DELETE FROM report_orders WHERE order_id = ANY ($1)", [replaced]));
            }
            if (orderRows.Count > 0)
                statements.Add(new(InsertOrdersSql,
                [
                    orderRows.Select(r => r.OrderId).ToArray(), orderRows.Select(r => r.Number).ToArray(), orderRows.Select(r => r.PlacedAt).ToArray(),
                    orderRows.Select(r => r.Day).ToArray(), orderRows.Select(r => r.Currency).ToArray(), orderRows.Select(r => r.Channel).ToArray(),
                    orderRows.Select(r => r.Country).ToArray(), orderRows.Select(r => r.Seller).ToArray(), orderRows.Select(r => r.CustomerId).ToArray(),
                    orderRows.Select(r => r.Gross).ToArray(), orderRows.Select(r => r.Net).ToArray(), orderRows.Select(r => r.Refunded).ToArray(),
                    orderRows.Select(r => r.Cancelled).ToArray(), orderRows.Select(r => r.Units).ToArray(), orderRows.Select(r => r.ReturnedUnits).ToArray(),
                ]));
            if (lineRows.Count > 0)
                statements.Add(new(InsertLinesSql,
                [
                    lineRows.Select(r => r.OrderId).ToArray(), lineRows.Select(r => r.Part).ToArray(), lineRows.Select(r => r.Day).ToArray(),
                    lineRows.Select(r => r.Hour).ToArray(), lineRows.Select(r => r.Currency).ToArray(), lineRows.Select(r => r.Channel).ToArray(),
                    lineRows.Select(r => r.Country).ToArray(), lineRows.Select(r => r.Seller).ToArray(), lineRows.Select(r => r.CustomerId).ToArray(),
                    lineRows.Select(r => r.Cancelled).ToArray(), lineRows.Select(r => r.Sku).ToArray(), lineRows.Select(r => r.Brand).ToArray(),
                    lineRows.Select(r => r.Category).ToArray(), lineRows.Select(r => r.Node).ToArray(), lineRows.Select(r => r.Units).ToArray(),
                    lineRows.Select(r => r.ReturnedUnits).ToArray(), lineRows.Select(r => r.Gross).ToArray(), lineRows.Select(r => r.Net).ToArray(),
                    lineRows.Select(r => r.Refunded).ToArray(),
                ]));
            if (cells.Count > 0)
                statements.Add(new(UpsertSql,
                [
                    cells.Select(c => c.Key.Dimension).ToArray(), cells.Select(c => (short)c.Key.Grain).ToArray(), cells.Select(c => c.Key.Period).ToArray(),
                    cells.Select(c => c.Key.Key).ToArray(), cells.Select(c => c.Key.Channel).ToArray(), cells.Select(c => c.Key.Country).ToArray(),
                    cells.Select(c => c.Key.Currency).ToArray(), cells.Select(c => c.Value.Orders).ToArray(), cells.Select(c => c.Value.Units).ToArray(),
                    cells.Select(c => c.Value.ReturnedUnits).ToArray(), cells.Select(c => c.Value.Gross).ToArray(), cells.Select(c => c.Value.Net).ToArray(),
                    cells.Select(c => c.Value.Refunded).ToArray(), cells.Select(c => c.Value.Cancelled).ToArray(),
                ]));
            await using var write = db.RawBatch([.. statements]);
            await write.ExecuteNonQueryAsync(ct);
            return;
        }
        // SQLite (one process, demo data): EF for the facts, a statement per rollup cell.
        if (replaced.Length > 0)
        {
            await db.ReportLines.Where(r => replaced.Contains(r.OrderId)).ExecuteDeleteAsync(ct);
            await db.ReportOrders.Where(r => replaced.Contains(r.OrderId)).ExecuteDeleteAsync(ct);
        }
        db.ReportOrders.AddRange(orderRows);
        db.ReportLines.AddRange(lineRows);
        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        foreach (var (c, m) in cells)
            await db.Database.ExecuteSqlRawAsync(UpsertOneSql,
            [
                c.Dimension, (short)c.Grain, c.Period.ToString("yyyy-MM-dd"), c.Key, c.Channel, c.Country, c.Currency,
                m.Orders, m.Units, m.ReturnedUnits, m.Gross, m.Net, m.Refunded, m.Cancelled,
            ], ct);
    }

    private static ReportOrderRow Row(OrderFact o) => new()
    {
        OrderId = o.OrderId, Number = o.Number, PlacedAt = o.PlacedAt, Day = o.Day, Currency = o.Currency, Channel = o.Channel, Country = o.Country,
        Seller = o.Seller, CustomerId = o.CustomerId, Gross = o.Gross, Net = o.Net, Refunded = o.Cancelled ? 0 : Math.Min(o.Refunded, o.Gross),
        Cancelled = o.Cancelled, Units = o.Units, ReturnedUnits = o.ReturnedUnits,
    };

    private static ReportLineRow Row(OrderFact o, LineFact l, int part) => new()
    {
        OrderId = o.OrderId, Part = part, Day = o.Day, Hour = o.PlacedAt.UtcDateTime.Hour, Currency = o.Currency, Channel = o.Channel, Country = o.Country,
        Seller = o.Seller, CustomerId = o.CustomerId, Cancelled = o.Cancelled, Sku = l.Sku, Brand = l.Brand, Category = l.Category, Node = l.Node,
        Units = l.Units, ReturnedUnits = l.ReturnedUnits, Gross = l.Gross, Net = l.Net, Refunded = l.Refunded,
    };

    private const string InsertOrdersSql =
        "INSERT INTO report_orders (order_id, number, placed_at, day, currency, channel, country, seller, customer_id, gross, net, refunded, cancelled, units, returned_units) " +
        "SELECT * FROM unnest($1::uuid[], $2::bigint[], $3::timestamptz[], $4::date[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], " +
        "$10::bigint[], $11::bigint[], $12::bigint[], $13::boolean[], $14::int[], $15::int[])";

    private const string InsertLinesSql =
        "INSERT INTO report_lines (order_id, part, day, hour, currency, channel, country, seller, customer_id, cancelled, sku, brand, category, node, units, returned_units, gross, net, refunded) " +
        "SELECT * FROM unnest($1::uuid[], $2::int[], $3::date[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::uuid[], $10::boolean[], " +
        "$11::text[], $12::text[], $13::text[], $14::text[], $15::int[], $16::int[], $17::bigint[], $18::bigint[], $19::bigint[])";

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
