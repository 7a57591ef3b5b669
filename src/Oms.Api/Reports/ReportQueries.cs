using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Reports;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Reports;

namespace Oms.Api.Reports;

/// <summary>
/// Reads the report rollups (never the orders): a period is its whole months at month grain and the days around them
/// at day grain, so two years cost about as many rows as two months. A filter on a line's node, brand or category reads
/// the line facts of the period instead (the rollups key on an order's own channel, country and currency only).
/// Amounts are per currency, or converted into a reporting currency at each day's rate: summed exactly (PostgreSQL
/// numeric) and rounded once, half away from zero.
/// </summary>
public sealed class ReportQueries(ReportDatabase reports, TimeProvider clock, IOptions<ReportOptions> options)
{
    private readonly OmsDbContext db = reports.Db;

    public const int MaxLimit = 100;

    /// <summary>A top list: the <paramref name="limit"/> first keys of <paramref name="dimension"/> by <paramref name="rankBy"/>.</summary>
    public async Task<TopListDto> TopAsync(ReportDimension dimension, ReportRank rankBy, int? limit, ReportQuery query, CancellationToken ct)
    {
        var take = limit ?? 10;
        if (take is < 1 or > MaxLimit) throw RequestValidationException.For("limit", $"limit is between 1 and {MaxLimit}.");
        var scope = Resolve(query);
        var rows = await RowsAsync(scope, dimension, rankBy, take, ct);
        var labels = await LabelsAsync(dimension, rows.Select(r => r.K).Distinct().ToList(), ct);
        var currencies = scope.ReportingCurrency is { } reporting ? [reporting] : rows.Select(r => r.Cur).Distinct().Order(StringComparer.Ordinal).ToList();
        return new TopListDto
        {
            Dimension = dimension, RankBy = rankBy, Scope = await ScopeDtoAsync(scope, ct),
            Rankings = currencies.Select(c => new RankingDto
            {
                Currency = c,
                Entries = rows.Where(r => r.Cur == c).Select((r, i) => new TopEntryDto
                {
                    Rank = i + 1, Key = r.K, Label = labels.GetValueOrDefault(r.K), Orders = r.Orders, Units = r.Units, ReturnedUnits = r.Returned,
                    CancelledOrders = r.Cancelled, Gross = Money(r.Gross, c), Net = Money(r.Net, c), Refunded = Money(r.Refunded, c),
                }).ToList(),
            }).ToList(),
        };
    }

    /// <summary>The headline figures of the period: one row per currency, or one converted.</summary>
    public async Task<KpisDto> KpisAsync(ReportQuery query, CancellationToken ct)
    {
        var scope = Resolve(query);
        var rows = await RowsAsync(scope, null, ReportRank.Revenue, int.MaxValue, ct);
        return new KpisDto
        {
            Scope = await ScopeDtoAsync(scope, ct),
            Figures = rows.OrderBy(r => r.Cur, StringComparer.Ordinal).Select(r =>
            {
                var kept = r.Orders - r.Cancelled;
                return new KpiFiguresDto
                {
                    Currency = r.Cur, Orders = r.Orders, CancelledOrders = r.Cancelled, Units = r.Units, ReturnedUnits = r.Returned,
                    Gross = Money(r.Gross, r.Cur), Net = Money(r.Net, r.Cur), Refunded = Money(r.Refunded, r.Cur),
                    AverageOrderValue = kept > 0 ? Money(r.Net / kept, r.Cur) : null,
                    CancellationRate = r.Orders > 0 ? Math.Round((decimal)r.Cancelled / r.Orders, 4, MidpointRounding.AwayFromZero) : null,
                    ReturnRate = r.Units > 0 ? Math.Round((decimal)r.Returned / r.Units, 4, MidpointRounding.AwayFromZero) : null,
                };
            }).ToList(),
        };
    }

    private static MoneyDto Money(decimal amount, string currency) =>
        new() { Amount = (long)Math.Round(amount, 0, MidpointRounding.AwayFromZero), Currency = currency };

    // ---- the period and filters ----

    internal sealed record Scope(DateOnly From, DateOnly To, string? Channel, string? Country, string? Node, string? Brand, string? Category,
        string? Currency, string? ReportingCurrency, Guid? Customer = null)
    {
        public bool FiltersLines => Node is not null || Brand is not null || Category is not null;
    }

    internal Scope Resolve(ReportQuery q)
    {
        var to = q.To ?? DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var from = q.From ?? to.AddDays(-29);
        if (from > to) throw RequestValidationException.For("from", "from is on or before to.");
        if (to.DayNumber - from.DayNumber + 1 > options.Value.MaxDays)
            throw RequestValidationException.For("from", $"A report covers at most {options.Value.MaxDays} days.");
        string? channel = null;
        if (q.Channel is { Length: > 0 } c)
            channel = WireEnum.TryParse<OrderChannel>(c, out var parsed) ? ReportRollups.Wire(parsed) : throw RequestValidationException.For("channel", WireEnum.Allowed<OrderChannel>());
        var country = q.Country is { Length: > 0 } k
            ? k.Length == 2 && k.All(char.IsAsciiLetter) ? k.ToUpperInvariant() : throw RequestValidationException.For("country", "country is an ISO 3166-1 alpha-2 code such as NL.")
            : null;
        Guid? customer = string.IsNullOrWhiteSpace(q.Customer) ? null
            : Guid.TryParse(q.Customer.Trim(), out var id) ? id : throw RequestValidationException.For("customer", "customer is a customer's id (a UUID).");
        return new Scope(from, to, channel, country, Blank(q.Node), Blank(q.Brand), Blank(q.Category), CurrencyOf(q.Currency, "currency"),
            CurrencyOf(q.ReportingCurrency, "reportingCurrency"), customer);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static string? CurrencyOf(string? value, string field) =>
        string.IsNullOrEmpty(value) ? null
        : Currencies.IsValid(value) ? Currencies.Normalize(value)
        : throw RequestValidationException.For(field, $"{field} is an ISO 4217 currency code such as EUR.");

    internal async Task<ReportScopeDto> ScopeDtoAsync(Scope s, CancellationToken ct) => new()
    {
        From = s.From, To = s.To, Channel = s.Channel, Country = s.Country, Node = s.Node, Brand = s.Brand, Category = s.Category, Currency = s.Currency,
        ReportingCurrency = s.ReportingCurrency, Customer = s.Customer?.ToString(),
        PendingChanges = await db.ReportRequests.CountAsync(ct) + await db.OutboxPending.CountAsync(ct),
    };

    // ---- the rows ----

    internal sealed class Row
    {
        public string K { get; set; } = "";
        public string Cur { get; set; } = "";
        public long Orders { get; set; }
        public long Units { get; set; }
        public long Returned { get; set; }
        public long Cancelled { get; set; }
        public decimal Gross { get; set; }
        public decimal Net { get; set; }
        public decimal Refunded { get; set; }
    }

    /// <summary>
    /// The ranked rows of <paramref name="dimension"/> (null: the whole period as one key), the first
    /// <paramref name="take"/> per currency. Where they come from:
    /// <list type="bullet">
    /// <item>dimensions with few keys (channels, countries, sellers, hours, brands, categories, nodes, days, weekdays,
    /// the whole): the rollups, whole months at month grain and the other days at day grain;</item>
    /// <item>customers and products: the rollups' month rows for whole months, and the order or line facts for the other
    /// days (a day of them has about as many rows as orders, so the rollups keep none);</item>
    /// <item>orders: the order facts; and any list filtered on a line's node, brand or category (other than its own
    /// dimension): the line facts of the period.</item>
    /// </list>
    /// </summary>
    private async Task<List<Row>> RowsAsync(Scope s, ReportDimension? dimension, ReportRank rankBy, int take, CancellationToken ct)
    {
        var rates = s.ReportingCurrency is { } reporting ? await RatesAsync(reporting, ct) : null;
        // A line filter on its own dimension is a key (top nodes of one node); any other reads the lines.
        var keyFilter = (dimension, s) switch
        {
            (ReportDimension.Nodes, { Node: { } n, Brand: null, Category: null }) => n,
            (ReportDimension.Brands, { Brand: { } b, Node: null, Category: null }) => b,
            (ReportDimension.Categories, { Category: { } c, Node: null, Brand: null }) => c,
            _ => null,
        };
        var sql = new Sql(db is PostgresOmsDbContext);
        var currencies = rates is null ? [] : await CurrenciesAsync(s, ct);
        var parts = new List<string>();
        if (s.FiltersLines && keyFilter is null)
            parts.Add(await FactsAsync(sql, s, dimension, lines: true, Days(s.From, s.To).ToList(), rates, currencies, ct));
        else if (s.Customer is not null && dimension != ReportDimension.Orders)
            // One customer's history: their order (or line) facts, found through the orders' customer index.
            parts.Add(await FactsAsync(sql, s, dimension, lines: dimension is ReportDimension.Products or ReportDimension.Brands or ReportDimension.Categories or ReportDimension.Nodes,
                Days(s.From, s.To).ToList(), rates, currencies, ct));
        else if (dimension == ReportDimension.Orders)
        {
            // The first orders of each currency by the ranking's measure, straight from the facts (the largest first by index).
            // Converted, by the converted amounts (the output's names); else by the stored column, which the index orders.
            var by = rates is null ? RankColumn(rankBy) : RankColumn(rankBy)[2..];
            foreach (var currency in rates is null ? (await CurrenciesAsync(s, ct)).Select(c => (string?)c).ToList() : [null])
                parts.Add($"SELECT * FROM ({await FactsAsync(sql, s, dimension, lines: false, Days(s.From, s.To).ToList(), rates, currencies, ct, only: currency)} " +
                          $"ORDER BY {by} DESC, {(rates is null ? "r.gross" : "gross")} DESC, {sql.Ordinal(sql.IdText("r.order_id"))} LIMIT {sql.Add(take == int.MaxValue ? 1_000_000 : take)}) o{parts.Count}");
        }
        else if (dimension is ReportDimension.Products or ReportDimension.Customers && (s.Channel is not null || s.Country is not null))
            // Customers' and SKUs' rollups are not split by channel and country: filtered on those, the facts of the period.
            parts.Add(await FactsAsync(sql, s, dimension, lines: dimension == ReportDimension.Products, Days(s.From, s.To).ToList(), rates, currencies, ct));
        else
        {
            var rollupDimension = dimension is { } d ? RollupDimension(d) : Dimensions.Total;
            var byDay = dimension is ReportDimension.Days or ReportDimension.Weekdays;
            var plan = byDay ? [(RollupGrain.Day, s.From, s.To)] : Plan(s.From, s.To);
            var daily = Dimensions.DailyRollup.Contains(rollupDimension);
            // Months at month grain (those whose rate holds all month, converted); the rest are days.
            var months = plan.Where(p => p.Grain == RollupGrain.Month).SelectMany(p => Months(p.First, p.Last)).ToList();
            var days = plan.Where(p => p.Grain == RollupGrain.Day).SelectMany(p => Days(p.First, p.Last)).ToList();
            var monthSlices = new List<(DateOnly Month, string? Currency, decimal Rate)>();
            var daySlices = new List<(DateOnly Day, string? Currency, decimal Rate)>();
            if (rates is null)
            {
                monthSlices.AddRange(months.Select(m => (m, (string?)null, 1m)));
                daySlices.AddRange(days.Select(x => (x, (string?)null, 1m)));
            }
            else
            {
                var missing = new List<(string Currency, DateOnly Day)>();
                foreach (var currency in currencies)
                {
                    var dayList = days.ToList();
                    foreach (var m in months)
                        if (rates.Constant(currency, m, m.AddMonths(1).AddDays(-1)) is { } rate) monthSlices.Add((m, currency, rate));
                        else dayList.AddRange(Days(m, m.AddMonths(1).AddDays(-1)));
                    foreach (var x in dayList)
                        if (rates.On(currency, x) is { } rate) daySlices.Add((x, currency, rate));
                        else missing.Add((currency, x));
                }
                await EnsureNoOrdersAsync(rates, missing, ct);
            }
            if (monthSlices.Count > 0) parts.Add(Rollups(sql, s, rollupDimension, keyFilter, RollupGrain.Month, monthSlices, rates?.Quote, dimension));
            if (daySlices.Count > 0)
                parts.Add(daily
                    ? Rollups(sql, s, rollupDimension, keyFilter, RollupGrain.Day, daySlices, rates?.Quote, dimension)
                    : await FactsAsync(sql, s, dimension, lines: dimension == ReportDimension.Products, daySlices.Select(x => x.Day).Distinct().ToList(), rates, currencies, ct, daySlices));
        }
        if (parts.Count == 0) return [];

        var grouped = $"SELECT u.k, u.cur, CAST(SUM(u.orders) AS bigint) AS orders, CAST(SUM(u.units) AS bigint) AS units, CAST(SUM(u.returned) AS bigint) AS returned, " +
                      $"CAST(SUM(u.cancelled) AS bigint) AS cancelled, SUM(u.gross) AS gross, SUM(u.net) AS net, SUM(u.refunded) AS refunded " +
                      $"FROM ({string.Join(" UNION ALL ", parts)}) u GROUP BY u.k, u.cur HAVING SUM(u.orders) <> 0";
        if (take == int.MaxValue) return await db.Database.SqlQueryRaw<Row>(grouped, [.. sql.Parameters]).ToListAsync(ct);
        var rank = rankBy switch { ReportRank.Revenue => "gross", ReportRank.NetRevenue => "net", ReportRank.Units => "units", _ => "orders" };
        var ranked = $"SELECT t.k, t.cur, t.orders, t.units, t.returned, t.cancelled, t.gross, t.net, t.refunded FROM (SELECT a.*, " +
                     $"ROW_NUMBER() OVER (PARTITION BY a.cur ORDER BY a.{rank} DESC, a.gross DESC, {sql.Ordinal("a.k")}) AS rn FROM ({grouped}) a) t " +
                     $"WHERE t.rn <= {sql.Add(take)} ORDER BY t.cur, t.rn";
        return await db.Database.SqlQueryRaw<Row>(ranked, [.. sql.Parameters]).ToListAsync(ct);
    }

    /// <summary>The order facts' column a ranking sorts by (orders: each order is one, so by gross).</summary>
    private static string RankColumn(ReportRank rankBy) => rankBy switch
    {
        ReportRank.NetRevenue => "r.net", ReportRank.Units => "r.units", _ => "r.gross",
    };

    private static IEnumerable<DateOnly> Days(DateOnly first, DateOnly last)
    {
        for (var d = first; d <= last; d = d.AddDays(1)) yield return d;
    }

    private static IEnumerable<DateOnly> Months(DateOnly first, DateOnly last)
    {
        for (var m = first; m <= last; m = m.AddMonths(1)) yield return m;
    }

    private static string RollupDimension(ReportDimension d) => d switch
    {
        ReportDimension.Products => Dimensions.Sku, ReportDimension.Customers => Dimensions.Customer, ReportDimension.Countries => Dimensions.Country,
        ReportDimension.Brands => Dimensions.Brand, ReportDimension.Categories => Dimensions.Category, ReportDimension.Sellers => Dimensions.Seller,
        ReportDimension.Channels => Dimensions.Channel, ReportDimension.Nodes => Dimensions.Node, ReportDimension.Hours => Dimensions.Hour,
        _ => Dimensions.Total, // days, weekdays and the KPIs read the whole
    };

    /// <summary>
    /// Rollup rows of one grain as a part of the union: one row per rollup row, its amounts at its slice's rate. The
    /// slices (periods, with a currency and rate when converted) are a contiguous run or an inline table.
    /// </summary>
    private static string Rollups(Sql sql, Scope s, string dimension, string? keyFilter, RollupGrain grain,
        IReadOnlyList<(DateOnly Period, string? Currency, decimal Rate)> slices, string? quote, ReportDimension? listed)
    {
        var converted = quote is not null;
        var key = listed switch
        {
            ReportDimension.Days => sql.DayText("r.period"),
            ReportDimension.Weekdays => sql.WeekdayText("r.period"),
            _ => "r.key",
        };
        var rate = converted ? " * s.rate" : "";
        var b = new StringBuilder();
        b.Append($"SELECT {key} AS k, {(converted ? sql.Add(quote!) : "r.currency")} AS cur, r.orders, r.units, r.returned_units AS returned, r.cancelled, ")
            .Append($"r.gross{rate} AS gross, r.net{rate} AS net, r.refunded{rate} AS refunded FROM report_rollups r ");
        if (converted)
            b.Append("JOIN ").Append(sql.Values(slices.Select(x => new object[] { x.Period, x.Currency!, x.Rate }).ToList(), "period", "currency", "rate"))
                .Append(" ON r.period = s.period AND r.currency = s.currency ");
        b.Append($"WHERE r.dimension = {sql.Add(dimension)} AND r.grain = {sql.Add((short)grain)}");
        if (!converted) b.Append(" AND (").Append(string.Join(" OR ", Runs(slices.Select(x => x.Period).ToList(), grain)
            .Select(run => $"(r.period >= {sql.Add(run.First)} AND r.period <= {sql.Add(run.Last)})"))).Append(')');
        if (keyFilter is not null) b.Append($" AND r.key = {sql.Add(keyFilter)}");
        AppendOrderFilters(sql, b, s);
        return b.ToString();
    }

    /// <summary>Consecutive periods as runs (first, last): a few range conditions instead of a list of every day.</summary>
    private static IEnumerable<(DateOnly First, DateOnly Last)> Runs(List<DateOnly> periods, RollupGrain grain)
    {
        periods.Sort();
        for (var i = 0; i < periods.Count;)
        {
            var j = i;
            while (j + 1 < periods.Count && periods[j + 1] == (grain == RollupGrain.Month ? periods[j].AddMonths(1) : periods[j].AddDays(1))) j++;
            yield return (periods[i], periods[j]);
            i = j + 1;
        }
    }

    /// <summary>The period as whole months (month grain) and the days before and after them (day grain).</summary>
    internal static List<(RollupGrain Grain, DateOnly First, DateOnly Last)> Plan(DateOnly from, DateOnly to)
    {
        var firstMonth = from.Day == 1 ? from : new DateOnly(from.Year, from.Month, 1).AddMonths(1);
        var afterLast = new DateOnly(to.Year, to.Month, 1);
        if (to == afterLast.AddMonths(1).AddDays(-1)) afterLast = afterLast.AddMonths(1);
        if (firstMonth >= afterLast) return [(RollupGrain.Day, from, to)];
        var plan = new List<(RollupGrain, DateOnly, DateOnly)>();
        if (from < firstMonth) plan.Add((RollupGrain.Day, from, firstMonth.AddDays(-1)));
        plan.Add((RollupGrain.Month, firstMonth, afterLast.AddMonths(-1)));
        if (afterLast <= to) plan.Add((RollupGrain.Day, afterLast, to));
        return plan;
    }

    /// <summary>
    /// Order facts (<paramref name="lines"/> false: customers, orders and order-level keys) or line facts of some days
    /// as a part of the union: one row per order and key, so an order counts once per key however many of its lines
    /// (or node parts) fall in it.
    /// </summary>
    private async Task<string> FactsAsync(Sql sql, Scope s, ReportDimension? dimension, bool lines, List<DateOnly> days, Rates? rates, List<string> currencies,
        CancellationToken ct, List<(DateOnly Day, string? Currency, decimal Rate)>? slices = null, string? only = null)
    {
        lines |= s.FiltersLines;
        var key = dimension switch
        {
            null => "''",
            ReportDimension.Products => "r.sku", ReportDimension.Brands => "r.brand", ReportDimension.Categories => "r.category", ReportDimension.Nodes => "r.node",
            ReportDimension.Channels => "r.channel", ReportDimension.Countries => "r.country", ReportDimension.Sellers => "r.seller",
            ReportDimension.Customers => sql.IdText("r.customer_id"), ReportDimension.Orders => sql.IdText("r.order_id"),
            ReportDimension.Hours => lines ? sql.HourText("r.hour") : sql.HourOf("r.placed_at"), ReportDimension.Weekdays => sql.WeekdayText("r.day"), _ => sql.DayText("r.day"),
        };
        if (!lines && dimension is ReportDimension.Products or ReportDimension.Brands or ReportDimension.Categories or ReportDimension.Nodes)
            throw new InvalidOperationException("Line dimensions are read from the lines.");
        var converted = rates is not null;
        var rate = converted ? " * s.rate" : "";
        var cancelled = "CASE WHEN r.cancelled THEN 1 ELSE 0 END";
        var b = new StringBuilder();
        if (lines)
            b.Append($"SELECT {key} AS k, {(converted ? sql.Add(rates!.Quote) : "r.currency")} AS cur, 1 AS orders, SUM(r.units) AS units, SUM(r.returned_units) AS returned, ")
                .Append($"MAX({cancelled}) AS cancelled, SUM(r.gross{rate}) AS gross, SUM(r.net{rate}) AS net, SUM(r.refunded{rate}) AS refunded FROM report_lines r ");
        else
            b.Append($"SELECT {key} AS k, {(converted ? sql.Add(rates!.Quote) : "r.currency")} AS cur, 1 AS orders, r.units, r.returned_units AS returned, ")
                .Append($"{cancelled} AS cancelled, r.gross{rate} AS gross, r.net{rate} AS net, r.refunded{rate} AS refunded FROM report_orders r ");
        if (converted)
        {
            if (slices is null)
            {
                slices = [];
                var missing = new List<(string Currency, DateOnly Day)>();
                foreach (var currency in currencies)
                    foreach (var day in days)
                        if (rates!.On(currency, day) is { } r) slices.Add((day, currency, r));
                        else missing.Add((currency, day));
                await EnsureNoOrdersAsync(rates!, missing, ct);
            }
            if (slices.Count == 0) slices.Add((days.Count > 0 ? days[0] : s.From, rates!.Quote, 1m));
            b.Append("JOIN ").Append(sql.Values(slices.Select(x => new object[] { x.Day, x.Currency!, x.Rate }).ToList(), "period", "currency", "rate"))
                .Append(" ON r.day = s.period AND r.currency = s.currency ");
        }
        b.Append("WHERE (").Append(string.Join(" OR ", Runs(days.ToList(), RollupGrain.Day).Select(run => $"(r.day >= {sql.Add(run.First)} AND r.day <= {sql.Add(run.Last)})"))).Append(')');
        if (dimension is not (null or ReportDimension.Days or ReportDimension.Weekdays or ReportDimension.Hours or ReportDimension.Channels or ReportDimension.Orders))
            b.Append($" AND {key} IS NOT NULL");
        if (s.Node is not null) b.Append($" AND r.node = {sql.Add(s.Node)}");
        if (s.Brand is not null) b.Append($" AND r.brand = {sql.Add(s.Brand)}");
        if (s.Category is not null) b.Append($" AND r.category = {sql.Add(s.Category)}");
        if (s.Customer is { } customer)
        {
            var id = sql.Id(customer);
            // By the orders' customer index: the facts have none of their own (every index there is written again as orders change).
            b.Append($" AND r.order_id IN (SELECT c.id FROM orders c WHERE c.customer_id = {id})");
        }
        AppendOrderFilters(sql, b, s);
        if (only is not null) b.Append($" AND r.currency = {sql.Add(only)}");
        if (lines) b.Append($" GROUP BY r.order_id, {key}, r.currency").Append(converted ? ", s.rate" : "");
        return b.ToString();
    }

    private static void AppendOrderFilters(Sql sql, StringBuilder b, Scope s)
    {
        if (s.Channel is not null) b.Append($" AND r.channel = {sql.Add(s.Channel)}");
        if (s.Country is not null) b.Append($" AND r.country = {sql.Add(s.Country)}");
        if (s.Currency is not null) b.Append($" AND r.currency = {sql.Add(s.Currency)}");
    }

    /// <summary>Days without a rate are fine as long as no order was placed on them in that currency; else the report cannot be converted.</summary>
    private async Task EnsureNoOrdersAsync(Rates rates, List<(string Currency, DateOnly Day)> missing, CancellationToken ct)
    {
        foreach (var group in missing.GroupBy(m => m.Currency))
        {
            var currency = group.Key;
            var first = group.Min(m => m.Day);
            var last = group.Max(m => m.Day);
            var days = group.Select(m => m.Day).ToHashSet();
            var withOrders = await db.ReportRollups.AsNoTracking()
                .Where(r => r.Dimension == Dimensions.Total && r.Grain == (short)RollupGrain.Day && r.Currency == currency && r.Period >= first && r.Period <= last && r.Orders != 0)
                .Select(r => r.Period).Distinct().ToListAsync(ct);
            if (withOrders.Where(days.Contains).Order().FirstOrDefault() is var day && day != default) throw Rates.Missing(currency, rates.Quote, day);
        }
    }

    /// <summary>The currencies orders of the period were in (the whole's month rows: a few dozen).</summary>
    private async Task<List<string>> CurrenciesAsync(Scope s, CancellationToken ct)
    {
        if (s.Currency is not null) return [s.Currency];
        var firstMonth = new DateOnly(s.From.Year, s.From.Month, 1);
        return await db.ReportRollups.AsNoTracking()
            .Where(r => r.Dimension == Dimensions.Total && r.Grain == (short)RollupGrain.Month && r.Period >= firstMonth && r.Period <= s.To)
            .Select(r => r.Currency).Distinct().ToListAsync(ct);
    }

    // ---- labels ----

    private async Task<Dictionary<string, string?>> LabelsAsync(ReportDimension dimension, List<string> keys, CancellationToken ct)
    {
        switch (dimension)
        {
            case ReportDimension.Products:
                return await db.Products.AsNoTracking().Where(p => keys.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => (string?)p.Name, ct);
            case ReportDimension.Nodes:
                return await db.Nodes.AsNoTracking().Where(n => keys.Contains(n.Code)).ToDictionaryAsync(n => n.Code, n => (string?)n.Name, ct);
            case ReportDimension.Customers:
            {
                var ids = keys.Select(k => Guid.TryParse(k, out var g) ? new Oms.Domain.Customers.CustomerId(g) : default).ToList();
                // A customer is named by their name or e-mail: personal data, masked for callers without customers:pii.
                var masked = Platform.Auth.PersonalDataMask.Masked;
                return (await db.Customers.AsNoTracking().Where(c => ids.Contains(c.Id)).Select(c => new { c.Id, c.Name, c.Email, c.ErasedAt }).ToListAsync(ct))
                    .ToDictionary(c => c.Id.Value.ToString(), c => c.ErasedAt is not null ? null
                        : !masked ? c.Name ?? c.Email
                        : c.Name is { } name ? PersonalData.Mask(PersonalField.Name, name) : PersonalData.Mask(PersonalField.Email, c.Email));
            }
            case ReportDimension.Orders:
            {
                var ids = keys.Select(k => Guid.TryParse(k, out var g) ? g : default).ToList();
                return (await db.ReportOrders.AsNoTracking().Where(o => ids.Contains(o.OrderId)).Select(o => new { o.OrderId, o.Number }).ToListAsync(ct))
                    .ToDictionary(o => o.OrderId.ToString(), o => (string?)Order.FormatNumber(o.Number));
            }
            case ReportDimension.Weekdays:
                return keys.ToDictionary(k => k, k => (string?)(int.TryParse(k, out var d) ? ((DayOfWeek)(d % 7)).ToString() : null));
            case ReportDimension.Hours:
                return keys.ToDictionary(k => k, k => (string?)$"{k}:00-{k}:59 UTC");
            default:
                return [];
        }
    }

    // ---- exchange rates ----

    private async Task<Rates> RatesAsync(string quote, CancellationToken ct)
    {
        var given = await db.ExchangeRates.AsNoTracking().Where(r => r.Quote == quote).Select(r => new { r.Base, r.Date, r.Rate }).ToListAsync(ct);
        var fixedRates = options.Value.ExchangeRates
            .Select(kv => (Pair: kv.Key.Split('/'), kv.Value))
            .Where(x => x.Pair.Length == 2 && string.Equals(x.Pair[1].Trim(), quote, StringComparison.OrdinalIgnoreCase))
            .ToDictionary(x => x.Pair[0].Trim().ToUpperInvariant(), x => x.Value);
        return new Rates(quote, given.GroupBy(r => r.Base).ToDictionary(g => g.Key, g => g.OrderBy(r => r.Date).Select(r => (r.Date, r.Rate)).ToList()), fixedRates);
    }

    /// <summary>The rates into one reporting currency: a pair's rate on a day is its latest given on or before it, else the configured one.</summary>
    internal sealed class Rates(string quote, Dictionary<string, List<(DateOnly Date, decimal Rate)>> given, Dictionary<string, decimal> fixedRates)
    {
        public string Quote => quote;

        public decimal? On(string currency, DateOnly day)
        {
            if (currency == quote) return 1m;
            if (given.TryGetValue(currency, out var list))
            {
                var i = list.FindLastIndex(r => r.Date <= day);
                if (i >= 0) return list[i].Rate;
            }
            return fixedRates.TryGetValue(currency, out var rate) ? rate : null;
        }

        /// <summary>The rate when one holds for every day from <paramref name="first"/> to <paramref name="last"/>, else null.</summary>
        public decimal? Constant(string currency, DateOnly first, DateOnly last)
        {
            if (currency == quote) return 1m;
            if (On(currency, first) is not { } rate) return null;
            if (given.TryGetValue(currency, out var list) && list.Any(r => r.Date > first && r.Date <= last && r.Rate != rate)) return null;
            return rate;
        }

        public static DomainException Missing(string currency, string quote, DateOnly day) => new("reports.missing_exchange_rate",
            $"No rate converts {currency} into {quote} on {day:yyyy-MM-dd}, a day with orders in {currency}: set one with POST /api/v1/exchange-rates or in Reports:ExchangeRates.",
            "reportingCurrency");
    }

    /// <summary>A statement being written: its parameters in order, as EF's raw SQL takes them ({0}, {1}, …).</summary>
    private sealed class Sql(bool postgres)
    {
        public List<object> Parameters { get; } = [];

        public string Add(object value)
        {
            Parameters.Add(value);
            return "{" + (Parameters.Count - 1).ToString(CultureInfo.InvariantCulture) + "}";
        }

        public string DayText(string column) => postgres ? $"to_char({column}, 'YYYY-MM-DD')" : $"CAST({column} AS text)";

        /// <summary>Ties ranked by key in ordinal order, whatever the database's collation.</summary>
        public string Ordinal(string column) => postgres ? $"{column} COLLATE \"C\"" : column;

        /// <summary>A Guid as the API spells it (lower case; SQLite stores EF's upper case).</summary>
        /// <summary>A uuid parameter as the column holds it (PostgreSQL uuid; SQLite upper-case text, as EF Core writes it).</summary>
        public string Id(Guid id) => Add(postgres ? id : id.ToString().ToUpperInvariant());

        public string IdText(string column) => postgres ? $"CAST({column} AS text)" : $"lower({column})";

        public string HourText(string column) => postgres ? $"lpad(CAST({column} AS text), 2, '0')" : $"printf('%02d', {column})";

        /// <summary>The UTC hour of a stored time, 00-23 (SQLite stores EF's times as ticks).</summary>
        public string HourOf(string column) => postgres
            ? $"to_char({column} AT TIME ZONE 'UTC', 'HH24')"
            : $"printf('%02d', ({column} / 36000000000) % 24)";

        /// <summary>ISO weekday, 1 Monday … 7 Sunday.</summary>
        public string WeekdayText(string column) => postgres
            ? $"CAST(CAST(EXTRACT(ISODOW FROM {column}) AS int) AS text)"
            : $"(CASE strftime('%w', {column}) WHEN '0' THEN '7' ELSE strftime('%w', {column}) END)";

        /// <summary>An inline table <c>s</c> of the rows (PostgreSQL names VALUES' columns; SQLite calls them column1, column2, …).</summary>
        public string Values(IReadOnlyList<object[]> rows, params string[] columns)
        {
            var values = string.Join(", ", rows.Select(r => "(" + string.Join(", ", r.Select(v => Add(v))) + ")"));
            return postgres
                ? $"(VALUES {values}) AS s({string.Join(", ", columns)})"
                : $"(SELECT {string.Join(", ", columns.Select((c, i) => $"column{i + 1} AS {c}"))} FROM (VALUES {values})) s";
        }
    }
}
