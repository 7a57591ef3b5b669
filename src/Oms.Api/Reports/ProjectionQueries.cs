using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Domain.Inventory;
using Oms.Domain.Reports;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Reports;

/// <summary>
/// Projections: each SKU's daily units ordered over the history (the SKU day rollups, or a node's line facts), projected
/// by <see cref="SalesForecast"/>, set against its stock, reservations and open purchase orders.
/// </summary>
public sealed class ProjectionQueries(ReportDatabase reports, TimeProvider clock, IOptions<ReportOptions> options)
{
    private readonly OmsDbContext db = reports.Db;

    public const int Horizon = 90, MaxLimit = 50;

    public async Task<ProjectionsDto> ProjectAsync(string? sku, string? node, int? limit, CancellationToken ct)
    {
        var take = limit ?? 10;
        if (take is < 1 or > MaxLimit) throw RequestValidationException.For("limit", $"limit is between 1 and {MaxLimit}.");
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var historyTo = today.AddDays(-1);
        var historyFrom = today.AddDays(-options.Value.ProjectionHistoryDays);
        NodeId? nodeId = null;
        string? nodeCode = null;
        if (!string.IsNullOrWhiteSpace(node))
        {
            var code = node.Trim();
            var found = await db.Nodes.AsNoTracking().Where(n => n.Code == code).Select(n => new { n.Id, n.Code }).FirstOrDefaultAsync(ct)
                ?? throw RequestValidationException.For("node", $"There is no node '{code}'.");
            (nodeId, nodeCode) = (found.Id, found.Code);
        }

        List<string> skus;
        if (!string.IsNullOrWhiteSpace(sku))
        {
            var wanted = sku.Trim();
            if (!await db.Products.AnyAsync(p => p.Sku == wanted, ct)) throw RequestValidationException.For("sku", $"There is no product '{wanted}'.");
            skus = [wanted];
        }
        else
        {
            // The SKUs that sold most units over the months the history touches (all nodes): a short list to look at first.
            var firstMonth = new DateOnly(historyFrom.Year, historyFrom.Month, 1);
            skus = await db.ReportRollups.AsNoTracking()
                .Where(r => r.Dimension == Dimensions.Sku && r.Grain == (short)RollupGrain.Month && r.Period >= firstMonth && r.Period <= historyTo)
                .GroupBy(r => r.Key).Select(g => new { Sku = g.Key, Units = g.Sum(r => r.Units) })
                .OrderByDescending(x => x.Units).ThenBy(x => x.Sku).Take(take).Select(x => x.Sku).ToListAsync(ct);
        }

        var days = Enumerable.Range(0, historyTo.DayNumber - historyFrom.DayNumber + 1).Select(historyFrom.AddDays).ToList();
        // All nodes: units ordered per day (the SKU day rollups); one node: units it shipped per day.
        var sold = nodeCode is null
            ? (await db.ReportRollups.AsNoTracking()
                .Where(r => r.Dimension == Dimensions.Sku && r.Grain == (short)RollupGrain.Day && days.Contains(r.Period) && skus.Contains(r.Key))
                .GroupBy(r => new { r.Key, r.Period }).Select(g => new { Sku = g.Key.Key, Day = g.Key.Period, Units = g.Sum(r => r.Units) }).ToListAsync(ct))
                .Select(x => (x.Sku, x.Day, x.Units)).ToList()
            : await ShippedAsync(skus, nodeId!.Value, historyFrom, historyTo, ct);
        var unitsOn = sold.ToDictionary(s => (s.Sku, s.Day), s => s.Units);

        var stock = await db.Stock.AsNoTracking().Where(s => skus.Contains(s.Sku) && (nodeId == null || s.NodeId == nodeId))
            .Select(s => new { s.Sku, s.OnHand, s.Reserved, s.SafetyStock, s.ReorderPoint, s.SupplierId }).ToListAsync(ct);
        var supplierIds = stock.Where(s => s.SupplierId != null).Select(s => s.SupplierId!.Value).Distinct().ToList();
        var open = new[] { PurchaseOrderStatus.Submitted, PurchaseOrderStatus.PartiallyReceived };
        var orders = await db.PurchaseOrders.AsNoTracking()
            .Where(p => open.Contains(p.Status) && (nodeId == null || p.NodeId == nodeId) && p.Lines.Any(l => skus.Contains(l.Sku))).ToListAsync(ct);
        supplierIds.AddRange(orders.Select(p => p.SupplierId).Distinct());
        var leadTimes = await db.Suppliers.AsNoTracking().Where(s => supplierIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.LeadTimeDays, ct);
        var labels = await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).ToDictionaryAsync(p => p.Sku, p => p.Name, ct);

        var projections = new List<ProjectionDto>();
        foreach (var s in skus)
        {
            var series = days.Select(d => (Day: d, Units: unitsOn.GetValueOrDefault((s, d)))).SkipWhile(x => x.Units == 0).ToList();
            var (daily, method) = SalesForecast.Project(series.Select(x => (double)x.Units).ToList(), Horizon);
            var items = stock.Where(x => x.Sku == s).ToList();
            var arrivals = orders.SelectMany(p => p.Lines.Where(l => l.Sku == s && l.Outstanding > 0).Select(l =>
            {
                var due = DateOnly.FromDateTime(p.CreatedAt.UtcDateTime).AddDays(leadTimes.GetValueOrDefault(p.SupplierId));
                return (Day: due < today ? today : due, Units: l.Outstanding);
            })).ToList();
            var onHand = items.Sum(x => x.OnHand);
            var reserved = items.Sum(x => x.Reserved);
            var safety = items.Sum(x => x.SafetyStock);
            var onOrder = arrivals.Sum(a => a.Units);
            var leadTime = items.Where(x => x.SupplierId != null).Select(x => leadTimes.GetValueOrDefault(x.SupplierId!.Value)).DefaultIfEmpty(0).Max();
            var (point, quantity) = SalesForecast.Reorder(daily, leadTime, options.Value.ReorderCoverDays, safety, onHand - reserved + onOrder);
            var perDay = daily.Average();
            projections.Add(new ProjectionDto
            {
                Sku = s, Label = labels.GetValueOrDefault(s), Node = nodeCode, Method = method,
                Next7Days = Round(daily.Take(7).Sum(), 1), Next30Days = Round(daily.Take(30).Sum(), 1), Next90Days = Round(daily.Sum(), 1),
                History = series.Select(x => new DailyUnitsDto { Date = x.Day, Units = x.Units }).ToList(),
                Forecast = daily.Select((u, i) => new DailyUnitsDto { Date = today.AddDays(i), Units = Round(u, 2) }).ToList(),
                OnHand = onHand, Reserved = reserved, OnOrder = onOrder, SafetyStock = safety,
                ReorderPoint = items.Any(x => x.ReorderPoint != null) ? items.Sum(x => x.ReorderPoint ?? 0) : null, LeadTimeDays = leadTime,
                StockOutDate = SalesForecast.StockOutDate(today, onHand - reserved, daily, arrivals),
                DaysOfCover = perDay > 0 ? Round(Math.Max(0, onHand - reserved) / perDay, 1) : null,
                SuggestedReorderPoint = point, SuggestedReorderQuantity = quantity,
            });
        }
        return new ProjectionsDto { HistoryFrom = historyFrom, HistoryTo = historyTo, FirstDay = today, CoverDays = options.Value.ReorderCoverDays, Projections = projections };
    }

    /// <summary>A node's history is what it shipped each day (the inventory ledger, by its SKU and node index): the demand routed to it.</summary>
    private async Task<List<(string Sku, DateOnly Day, int Units)>> ShippedAsync(List<string> skus, NodeId node, DateOnly first, DateOnly last, CancellationToken ct)
    {
        var from = new DateTimeOffset(first.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var until = new DateTimeOffset(last.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var entries = await db.Ledger.AsNoTracking()
            .Where(e => skus.Contains(e.Sku) && e.NodeId == node && e.Reason == StockChangeReason.Shipped && e.At >= from && e.At < until)
            .Select(e => new { e.Sku, e.At, Units = e.OnHandBefore - e.OnHandAfter }).ToListAsync(ct);
        return entries.GroupBy(e => (e.Sku, Day: DateOnly.FromDateTime(e.At.UtcDateTime))).Select(g => (g.Key.Sku, g.Key.Day, g.Sum(e => e.Units))).ToList();
    }

    private static decimal Round(double value, int decimals) => Math.Round((decimal)value, decimals, MidpointRounding.AwayFromZero);
}
