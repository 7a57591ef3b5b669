using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Reports;

/// <summary>
/// The stock report: each SKU at each node now (at cost), and over the period from the inventory ledger, which keeps
/// every change with the counts before and after: units shipped, the level at the period's start and end, and the days
/// nothing was available. Definitions: docs/reports.md#stock.
/// </summary>
public sealed class StockQueries(ReportDatabase reports, ReportQueries scopes, TimeProvider clock, IOptions<ReportOptions> options)
{
    public const int MaxLimit = 500;
    private readonly OmsDbContext db = reports.Db;

    public async Task<StockReportDto> StockAsync(ReportQuery query, int? limit, CancellationToken ct)
    {
        var take = limit ?? 50;
        if (take is < 1 or > MaxLimit) throw RequestValidationException.For("limit", $"limit is between 1 and {MaxLimit}.");
        var scope = scopes.Resolve(query);
        var now = clock.GetUtcNow();
        var from = new DateTimeOffset(scope.From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(scope.To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = until < now ? until : now;
        var days = Math.Max(1, (int)Math.Ceiling((end - from).TotalDays));

        var nodes = await db.Nodes.AsNoTracking().Where(n => scope.Node == null || n.Code == scope.Node).Select(n => new { n.Id, n.Code }).ToListAsync(ct);
        if (scope.Node is not null && nodes.Count == 0) throw RequestValidationException.For("node", $"There is no node '{scope.Node}'.");
        var nodeIds = nodes.Select(n => n.Id).ToList();
        var codeOf = nodes.ToDictionary(n => n.Id, n => n.Code);
        var items = await db.Stock.AsNoTracking().Where(s => nodeIds.Contains(s.NodeId))
            .Select(s => new { s.NodeId, s.Sku, s.OnHand, s.Reserved }).ToListAsync(ct);
        var skus = items.Select(i => i.Sku).Distinct().ToList();
        var products = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku))
            .Select(p => new { p.Sku, p.Name, p.CostAmount, p.PriceAmount, p.Currency }).ToDictionaryAsync(p => p.Sku, ct);
        var ledger = (await db.Ledger.AsNoTracking().Where(e => e.At >= from && nodeIds.Contains(e.NodeId))
                .Select(e => new { e.Id, e.NodeId, e.Sku, e.At, e.Reason, e.OnHandBefore, e.OnHandAfter }).ToListAsync(ct))
            .ToLookup(e => (e.NodeId, e.Sku));

        var rows = new List<(StockItemReportDto Dto, long? Cost, string Currency)>();
        foreach (var item in items)
        {
            var product = products.GetValueOrDefault(item.Sku);
            var changes = ledger[(item.NodeId, item.Sku)].OrderBy(e => e.At).ThenBy(e => e.Id).ToList();
            // The level when the period began: before its first change since then, else as it is now.
            // On hand changes only through the ledger, so its level at any moment is exact; reservations are not ledgered.
            var onHand = changes.Count > 0 ? changes[0].OnHandBefore : item.OnHand;
            var startOnHand = onHand;
            var shipped = 0;
            var outDays = 0;
            var next = 0;
            for (var day = 0; day < days; day++)
            {
                var dayEnd = from.AddDays(day + 1);
                var outToday = onHand <= 0;
                for (; next < changes.Count && changes[next].At < dayEnd && changes[next].At < end; next++)
                {
                    var e = changes[next];
                    if (e.Reason == StockChangeReason.Shipped) shipped += Math.Max(0, e.OnHandBefore - e.OnHandAfter);
                    onHand = e.OnHandAfter;
                    outToday |= onHand <= 0;
                }
                outDays += outToday ? 1 : 0;
            }
            var endOnHand = onHand;
            var perDay = (double)shipped / days;
            var available = Math.Max(0, item.OnHand - item.Reserved);
            var average = (startOnHand + endOnHand) / 2.0;
            decimal? cover = perDay > 0 ? Math.Round((decimal)(available / perDay), 1, MidpointRounding.AwayFromZero) : null;
            var inStockDays = days - outDays;
            var lostUnits = outDays > 0 && inStockDays > 0 ? outDays * (double)shipped / inStockDays : 0;
            var currency = product?.Currency ?? "";
            rows.Add((new StockItemReportDto
            {
                Sku = item.Sku, Label = product?.Name, Node = codeOf[item.NodeId], OnHand = item.OnHand, Reserved = item.Reserved,
                Value = product?.CostAmount is { } cost ? new MoneyDto { Amount = cost * item.OnHand, Currency = currency } : null,
                UnitsShipped = shipped,
                Turnover = average > 0 ? Math.Round((decimal)(shipped / average), 2, MidpointRounding.AwayFromZero) : null,
                DaysOfCover = cover,
                StockOutDays = outDays,
                LostRevenue = outDays > 0 && product is not null
                    ? new MoneyDto { Amount = (long)Math.Round(lostUnits * product.PriceAmount, MidpointRounding.AwayFromZero), Currency = currency } : null,
                SlowMover = item.OnHand > 0 && shipped == 0,
                Overstocked = cover > options.Value.OverstockDays,
            }, product?.CostAmount, currency));
        }

        static IReadOnlyList<MoneyDto> Values(IEnumerable<StockItemReportDto> items) =>
            items.Where(i => i.Value is not null).GroupBy(i => i.Value!.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new MoneyDto { Amount = g.Sum(i => i.Value!.Amount), Currency = g.Key }).ToList();
        var all = rows.Select(r => r.Dto).ToList();
        return new StockReportDto
        {
            Scope = await scopes.ScopeDtoAsync(scope, ct),
            Value = Values(all),
            Nodes = all.GroupBy(r => r.Node).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new NodeStockDto
            {
                Node = g.Key, Skus = g.Count(), OnHand = g.Sum(r => r.OnHand), Value = Values(g),
                SkusWithoutCost = g.Count(r => r.OnHand > 0 && r.Value is null), StockOuts = g.Count(r => r.StockOutDays > 0),
                SlowMovers = g.Count(r => r.SlowMover), Overstocked = g.Count(r => r.Overstocked),
            }).ToList(),
            Items = all.OrderByDescending(r => r.Value?.Amount ?? -1).ThenBy(r => r.Sku, StringComparer.Ordinal).ThenBy(r => r.Node, StringComparer.Ordinal).Take(take).ToList(),
        };
    }
}
