namespace Oms.Domain.Reports;

/// <summary>
/// What one order adds to the reports, worked out from the order as it stands (placed, edited, cancelled, refunded,
/// allocated, returned). The rollups hold the sum of every order's facts; a change to an order takes its old facts out
/// and puts its new ones in, so replaying an order any number of times leaves the rollups as they were.
/// </summary>
/// <remarks>
/// Definitions (docs/reports.md): gross is what the order was for (its total: lines, shipping and tax); net is what is
/// left of it (nothing for a cancelled order, else the total less what was refunded); a line's gross, net and
/// refunded are its share of the order's in proportion to the line's value (largest remainder, so the lines add up to
/// the order exactly). Everything counts on the day the order was placed (UTC).
/// </remarks>
public sealed record OrderFact(
    Guid OrderId, long Number, DateTimeOffset PlacedAt, string Currency, string Channel, string? Country, string? Seller, Guid? CustomerId,
    long Gross, long Refunded, bool Cancelled, int Units, int ReturnedUnits)
{
    public long Net => Cancelled ? 0 : Math.Max(0, Gross - Refunded);
    public DateOnly Day => DateOnly.FromDateTime(PlacedAt.UtcDateTime);
}

/// <summary>A line, or the part of one that a node ships (a line split between nodes is a part per node; units not yet allocated have no node).</summary>
public sealed record LineFact(string Sku, string? Brand, string? Category, string? Node, int Units, int ReturnedUnits, long Gross, long Net, long Refunded);

/// <summary>An order line as the facts need it: its value, the units each node took, the units that came back.</summary>
public sealed record LineInput(Guid LineId, string Sku, int Quantity, long Value, IReadOnlyList<(string Node, int Units)> Nodes, int ReturnedUnits);

public static class ReportFacts
{
    /// <summary>The facts of an order: the order's own and one per line part.</summary>
    public static (OrderFact Order, IReadOnlyList<LineFact> Lines) Of(
        Guid orderId, long number, DateTimeOffset placedAt, string currency, string channel, string? country, string? seller, Guid? customerId,
        long total, long refunded, bool cancelled, IReadOnlyList<LineInput> lines, Func<string, (string? Brand, string? Category)> product)
    {
        var order = new OrderFact(orderId, number, placedAt.ToUniversalTime(), currency, channel, country, seller, customerId, total, refunded, cancelled,
            lines.Sum(l => l.Quantity), lines.Sum(l => Math.Min(l.ReturnedUnits, l.Quantity)));
        // Parts: each line split by the nodes that took its units, the rest unallocated; returned units fill the parts in order.
        var parts = new List<(LineInput Line, string? Node, int Units, long Value, int Returned)>();
        foreach (var line in lines)
        {
            var left = line.Quantity;
            var returned = Math.Min(line.ReturnedUnits, line.Quantity);
            var valueLeft = line.Value;
            foreach (var (node, units) in line.Nodes.Where(n => n.Units > 0).GroupBy(n => n.Node, StringComparer.Ordinal).Select(g => (g.Key, g.Sum(n => n.Units))))
            {
                var take = Math.Min(units, left);
                if (take <= 0) break;
                var value = take == left ? valueLeft : line.Quantity == 0 ? 0 : line.Value * take / line.Quantity;
                var back = Math.Min(returned, take);
                parts.Add((line, node, take, value, back));
                left -= take;
                valueLeft -= value;
                returned -= back;
            }
            if (left > 0 || parts.Count == 0 || parts[^1].Line != line) parts.Add((line, null, left, valueLeft, returned));
        }
        var weights = parts.Select(p => p.Value).ToArray();
        var gross = Shares(order.Gross, weights);
        var net = Shares(order.Net, weights);
        var refunds = Shares(order.Cancelled ? 0 : Math.Min(order.Refunded, order.Gross), weights);
        var facts = new LineFact[parts.Count];
        for (var i = 0; i < parts.Count; i++)
        {
            var (brand, category) = product(parts[i].Line.Sku);
            facts[i] = new LineFact(parts[i].Line.Sku, brand, category, parts[i].Node, parts[i].Units, parts[i].Returned, gross[i], net[i], refunds[i]);
        }
        return (order, facts);
    }

    /// <summary>
    /// <paramref name="amount"/> split in proportion to <paramref name="weights"/> by largest remainder: the shares add
    /// up to the amount exactly, and equal weights differ by at most one minor unit (earlier ones first). All-zero
    /// weights split it evenly.
    /// </summary>
    public static long[] Shares(long amount, IReadOnlyList<long> weights)
    {
        var shares = new long[weights.Count];
        if (weights.Count == 0) return shares;
        var w = weights.Sum() == 0 ? weights.Select(_ => 1L).ToArray() : weights.Select(x => Math.Max(0, x)).ToArray();
        var sum = (decimal)w.Sum();
        var remainders = new decimal[w.Length];
        long given = 0;
        for (var i = 0; i < w.Length; i++)
        {
            var exact = amount * (decimal)w[i] / sum;
            shares[i] = (long)Math.Floor(exact);
            remainders[i] = exact - shares[i];
            given += shares[i];
        }
        foreach (var i in Enumerable.Range(0, w.Length).OrderByDescending(i => remainders[i]).ThenBy(i => i).Take((int)(amount - given)))
            shares[i]++;
        return shares;
    }

    /// <summary>
    /// The rollup cells an order adds to: one per dimension and key it belongs to (the whole, its channel, country,
    /// seller, customer and hour; each SKU, brand, category and node its lines name), at month grain and, for the
    /// dimensions with few keys, at day grain too (<see cref="Dimensions.DailyRollup"/>). An order counts once in each
    /// cell; a cell's amounts are the order's (or its lines' in that cell).
    /// </summary>
    public static IEnumerable<(RollupCell Cell, RollupMeasures Measures)> Cells(OrderFact order, IReadOnlyList<LineFact> lines)
    {
        var whole = new RollupMeasures(1, order.Units, order.ReturnedUnits, order.Gross, order.Net, order.Cancelled ? 0 : Math.Min(order.Refunded, order.Gross), order.Cancelled ? 1 : 0);
        var cells = new List<(string Dimension, string Key, RollupMeasures Measures)>
        {
            (Dimensions.Total, "", whole), (Dimensions.Channel, order.Channel, whole),
            (Dimensions.Hour, order.PlacedAt.UtcDateTime.Hour.ToString("00", System.Globalization.CultureInfo.InvariantCulture), whole),
        };
        if (order.Country is { } country) cells.Add((Dimensions.Country, country, whole));
        if (order.Seller is { } seller) cells.Add((Dimensions.Seller, seller, whole));
        if (order.CustomerId is { } customer) cells.Add((Dimensions.Customer, customer.ToString(), whole));
        foreach (var (dimension, key) in new (string, Func<LineFact, string?>)[]
                 {
                     (Dimensions.Sku, l => l.Sku), (Dimensions.Brand, l => l.Brand), (Dimensions.Category, l => l.Category), (Dimensions.Node, l => l.Node),
                 })
        {
            foreach (var group in lines.Where(l => key(l) is not null).GroupBy(l => key(l)!, StringComparer.Ordinal))
                cells.Add((dimension, group.Key, new RollupMeasures(1, group.Sum(l => l.Units), group.Sum(l => l.ReturnedUnits), group.Sum(l => l.Gross),
                    group.Sum(l => l.Net), group.Sum(l => l.Refunded), order.Cancelled ? 1 : 0)));
        }
        var day = order.Day;
        var month = new DateOnly(day.Year, day.Month, 1);
        foreach (var (dimension, key, measures) in cells)
        {
            // Keys by the thousand (customers, SKUs) are not split by channel and country: that would multiply their rows.
            var (cellChannel, cellCountry) = Dimensions.ManyKeys.Contains(dimension) ? ("", "") : (order.Channel, order.Country ?? "");
            if (Dimensions.DailyRollup.Contains(dimension))
                yield return (new RollupCell(dimension, RollupGrain.Day, day, key, cellChannel, cellCountry, order.Currency), measures);
            yield return (new RollupCell(dimension, RollupGrain.Month, month, key, cellChannel, cellCountry, order.Currency), measures);
        }
    }

    /// <summary>What moves in the rollups when an order's facts change from <paramref name="before"/> to <paramref name="after"/> (either may be none).</summary>
    public static Dictionary<RollupCell, RollupMeasures> Delta(
        (OrderFact Order, IReadOnlyList<LineFact> Lines)? before, (OrderFact Order, IReadOnlyList<LineFact> Lines)? after,
        Dictionary<RollupCell, RollupMeasures>? into = null)
    {
        var delta = into ?? [];
        if (before is { } b)
            foreach (var (cell, m) in Cells(b.Order, b.Lines)) delta[cell] = delta.GetValueOrDefault(cell) - m;
        if (after is { } a)
            foreach (var (cell, m) in Cells(a.Order, a.Lines)) delta[cell] = delta.GetValueOrDefault(cell) + m;
        foreach (var cell in delta.Where(kv => kv.Value.IsZero).Select(kv => kv.Key).ToList()) delta.Remove(cell);
        return delta;
    }
}

/// <summary>What the reports can rank and group by.</summary>
public static class Dimensions
{
    public const string Total = "total", Channel = "channel", Country = "country", Seller = "seller", Customer = "customer",
        Hour = "hour", Sku = "sku", Brand = "brand", Category = "category", Node = "node";

    /// <summary>
    /// Dimensions rolled up by day as well as by month: all but customers, whose day has about as many rows as orders
    /// (their days are read from the order facts instead, and an order writes no day row for them).
    /// </summary>
    public static readonly IReadOnlySet<string> DailyRollup = new HashSet<string> { Total, Channel, Country, Seller, Hour, Sku, Brand, Category, Node };

    /// <summary>
    /// Dimensions with keys by the thousand: their rows are per key and currency only, not split by channel and
    /// country as the others' are (a filter on those reads the facts).
    /// </summary>
    public static readonly IReadOnlySet<string> ManyKeys = new HashSet<string> { Customer, Sku };
}

public enum RollupGrain { Day = 1, Month = 2 }

/// <summary>One rollup row's key: a dimension's key in a period, for one channel, country and currency (so those filter without scanning orders).</summary>
public readonly record struct RollupCell(string Dimension, RollupGrain Grain, DateOnly Period, string Key, string Channel, string Country, string Currency);

/// <summary>The sums a rollup row holds: orders, units ordered and returned, money gross, net and refunded, orders cancelled.</summary>
public readonly record struct RollupMeasures(int Orders, int Units, int ReturnedUnits, long Gross, long Net, long Refunded, int Cancelled)
{
    public bool IsZero => this == default;

    public static RollupMeasures operator +(RollupMeasures a, RollupMeasures b) =>
        new(a.Orders + b.Orders, a.Units + b.Units, a.ReturnedUnits + b.ReturnedUnits, a.Gross + b.Gross, a.Net + b.Net, a.Refunded + b.Refunded, a.Cancelled + b.Cancelled);

    public static RollupMeasures operator -(RollupMeasures a, RollupMeasures b) =>
        new(a.Orders - b.Orders, a.Units - b.Units, a.ReturnedUnits - b.ReturnedUnits, a.Gross - b.Gross, a.Net - b.Net, a.Refunded - b.Refunded, a.Cancelled - b.Cancelled);
}
