using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Common;

namespace Oms.Api.Reports;

public static class ReportEndpoints
{
    public static void MapReportEndpoints(this RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports");
        reports.MapGet("/top/{dimension}", async (string dimension, [AsParameters] ReportQuery query, ReportQueries q, HttpContext http, CancellationToken ct,
                string? rankBy = null, int? limit = null) =>
            {
                var list = await q.TopAsync(Parse<ReportDimension>(dimension, "dimension"), WireEnum.Parse<ReportRank>(rankBy, "rankBy") ?? ReportRank.Revenue, limit, query, ct);
                return Csv.Wanted(http) ? Csv.Of($"top-{dimension}", ReportCsv.Top(list)) : Results.Ok(list);
            })
            .RequireScope(Scopes.ReportsRead).WithName("getTopList")
            .WithSummary("Top products, customers, orders, countries, brands, categories, sellers, channels, nodes, days, weekdays or hours of a period")
            .WithDescription("Ranked by revenue (default), net_revenue, units or orders; per currency, or converted with reportingCurrency. `Accept: text/csv` answers CSV.")
            .Produces<TopListDto>().WithMetadata(new CsvExport()).ProducesProblem(400).ProducesProblem(422);
        reports.MapGet("/kpis", async ([AsParameters] ReportQuery query, ReportQueries q, HttpContext http, CancellationToken ct) =>
            {
                var kpis = await q.KpisAsync(query, ct);
                return Csv.Wanted(http) ? Csv.Of("kpis", ReportCsv.Kpis(kpis)) : Results.Ok(kpis);
            })
            .RequireScope(Scopes.ReportsRead).WithName("getKpis")
            .WithSummary("Orders, revenue gross and net, refunds, cancellations, average order value and return rate of a period")
            .WithDescription("Per currency, or converted with reportingCurrency. `Accept: text/csv` answers CSV.")
            .Produces<KpisDto>().WithMetadata(new CsvExport()).ProducesProblem(400).ProducesProblem(422);
        reports.MapGet("/operations", async ([AsParameters] ReportQuery query, OperationsQueries q, HttpContext http, CancellationToken ct) =>
            {
                var operations = await q.OperationsAsync(query, ct);
                return Csv.Wanted(http) ? Csv.Of("operations", ReportCsv.Operations(operations)) : Results.Ok(operations);
            })
            .RequireScope(Scopes.ReportsRead).WithName("getOperations")
            .WithSummary("How the period's orders were fulfilled: cycle times, on-time shipping and delivery, fill rate, split shipments, short picks, perfect orders, returns, payment mix, risk holds, backorders")
            .WithDescription("Orders placed in the period (channel, country, currency, customer; node narrows to what that node shipped). Definitions: docs/reports.md#operations. " +
                "`Accept: text/csv` answers CSV (one row per figure).")
            .Produces<OperationsDto>().WithMetadata(new CsvExport()).ProducesProblem(400);
        reports.MapGet("/stock", async (StockQueries q, HttpContext http, CancellationToken ct, DateOnly? from = null, DateOnly? to = null, string? node = null, int? limit = null) =>
            {
                var stock = await q.StockAsync(new ReportQuery { From = from, To = to, Node = node }, limit, ct);
                return Csv.Wanted(http) ? Csv.Of("stock", ReportCsv.Stock(stock)) : Results.Ok(stock);
            })
            .RequireScope(Scopes.ReportsRead).WithName("getStockReport")
            .WithSummary("Stock value at cost per node; per SKU and node: turnover, days of cover, stock-out days and the revenue they likely cost, slow movers, overstock")
            .WithDescription("Over the period (default the last 30 days), from the inventory ledger. `Accept: text/csv` answers CSV (one row per SKU and node).")
            .Produces<StockReportDto>().WithMetadata(new CsvExport()).ProducesProblem(400);
        reports.MapGet("/projections", async (ProjectionQueries q, HttpContext http, CancellationToken ct, string? sku = null, string? node = null, int? limit = null) =>
            {
                var projections = await q.ProjectAsync(sku, node, limit, ct);
                return Csv.Wanted(http) ? Csv.Of("projections", ReportCsv.Projections(projections)) : Results.Ok(projections);
            })
            .RequireScope(Scopes.ReportsRead).WithName("getProjections")
            .WithSummary("Expected sales per SKU for the next 7, 30 and 90 days, the projected stock-out day and a suggested reorder")
            .WithDescription("One SKU (`sku`), or the `limit` SKUs that sold most units lately; across nodes, or at one `node`. Learns from the last 26 weeks by " +
                "Holt-Winters with a weekly season (docs/reports.md#projections). `Accept: text/csv` answers CSV (one row per SKU, no daily series).")
            .Produces<ProjectionsDto>().WithMetadata(new CsvExport()).ProducesProblem(400);

        var rates = api.MapGroup("/exchange-rates").WithTags("Reports");
        rates.MapGet("/", async (ExchangeRateQueries q, CancellationToken ct, [FromQuery(Name = "base")] string? baseCurrency = null, string? quote = null,
                int? limit = null, string? cursor = null) => TypedResults.Ok(await q.ListAsync(baseCurrency, quote, PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.ReportsRead).WithName("listExchangeRates").WithSummary("Exchange rates by pair and day").ProducesProblem(400);
        rates.MapPost("/", async (SetExchangeRatesRequest r, ReportService s, CancellationToken ct) => TypedResults.Ok(await s.SetRatesAsync(r, ct)))
            .RequireScope(Scopes.ReportsWrite).WithName("setExchangeRates")
            .WithSummary("Set rates from a day on (a pair's rate of that day is replaced); all or none")
            .ProducesProblem(400).ProducesProblem(422);
        rates.MapDelete("/{base}/{quote}/{date}", async ([FromRoute(Name = "base")] string baseCurrency, string quote, DateOnly date, ReportService s, CancellationToken ct) =>
            {
                await s.DeleteRateAsync(baseCurrency, quote, date, ct);
                return TypedResults.NoContent();
            })
            .RequireScope(Scopes.ReportsWrite).WithName("deleteExchangeRate").WithSummary("Remove a pair's rate of a day").ProducesProblem(404);
    }

    private static TEnum Parse<TEnum>(string value, string field) where TEnum : struct, Enum =>
        WireEnum.TryParse<TEnum>(value, out var parsed) ? parsed : throw RequestValidationException.For(field, WireEnum.Allowed<TEnum>());
}

internal static class ReportCsv
{
    public static (string[], IEnumerable<object?[]>) Top(TopListDto list) =>
        (["currency", "rank", "key", "label", "orders", "units", "returned_units", "cancelled_orders", "gross", "net", "refunded"],
            list.Rankings.SelectMany(r => r.Entries.Select(e => new object?[]
            {
                r.Currency, e.Rank, e.Key, e.Label, e.Orders, e.Units, e.ReturnedUnits, e.CancelledOrders, Csv.AmountOf(e.Gross), Csv.AmountOf(e.Net), Csv.AmountOf(e.Refunded),
            })));

    /// <summary>One row per figure: what, for which key (a node, carrier, SKU…), the count, of how many, the rate or hours.</summary>
    public static (string[], IEnumerable<object?[]>) Operations(OperationsDto o)
    {
        IEnumerable<object?[]> Rows()
        {
            object?[] Cycle(string name, string? key, CycleTimeDto c) => [name, key, c.Count, null, null, c.MedianHours, c.P90Hours, null, null];
            object?[] Rate(string name, string? key, RateDto r) => [name, key, r.Count, r.Of, r.Rate, null, null, null, null];
            yield return Cycle("order_to_ship", null, o.OrderToShip);
            yield return Cycle("order_to_delivery", null, o.OrderToDelivery);
            foreach (var n in o.Nodes) { yield return Cycle("node_order_to_ship", n.Node, n.OrderToShip); yield return Rate("node_on_time_shipping", n.Node, n.OnTimeShipping); }
            foreach (var c in o.Carriers)
            {
                var key = c.Service is null ? c.Carrier : $"{c.Carrier}/{c.Service}";
                yield return Cycle("carrier_order_to_ship", key, c.OrderToShip);
                yield return Cycle("carrier_order_to_delivery", key, c.OrderToDelivery);
            }
            yield return Rate("on_time_shipping", null, o.OnTimeShipping);
            yield return Rate("on_time_delivery", null, o.OnTimeDelivery);
            yield return Rate("fill_rate", null, o.FillRate);
            yield return Rate("split_shipments", null, o.SplitShipments);
            yield return Rate("short_picks", null, o.ShortPicks);
            yield return Rate("perfect_orders", null, o.PerfectOrders.Rate);
            yield return ["perfect_order_failures", "late", o.PerfectOrders.Late, null, null, null, null, null, null];
            yield return ["perfect_order_failures", "incomplete", o.PerfectOrders.Incomplete, null, null, null, null, null, null];
            yield return ["perfect_order_failures", "damaged", o.PerfectOrders.Damaged, null, null, null, null, null, null];
            yield return ["perfect_order_failures", "wrong_item", o.PerfectOrders.WrongItem, null, null, null, null, null, null];
            foreach (var (name, list) in new[] { ("returns_by_sku", o.ReturnsBySku), ("returns_by_category", o.ReturnsByCategory), ("returns_by_reason", o.ReturnsByReason) })
                foreach (var r in list) yield return [name, r.Key, r.ReturnedUnits, r.OrderedUnits, r.Rate, null, null, null, null];
            foreach (var p in o.PaymentMix) yield return ["payment_mix", p.Method, p.Payments, null, p.Share, null, null, p.Currency, Csv.AmountOf(p.Amount)];
            yield return Rate("risk_holds", null, o.RiskHolds.Held);
            yield return ["risk_holds_still_on_hold", null, o.RiskHolds.StillOnHold, null, null, null, null, null, null];
            yield return ["backorders_open", null, o.Backorders.Open, o.Backorders.Units, null, null, null, null, null];
            yield return ["backorder_age_days", null, null, null, null, o.Backorders.AverageAgeDays, o.Backorders.OldestAgeDays, null, null];
        }
        return (["figure", "key", "count", "of", "rate", "median_hours", "p90_hours", "currency", "amount"], Rows());
    }

    public static (string[], IEnumerable<object?[]>) Stock(StockReportDto s) =>
        (["sku", "label", "node", "on_hand", "reserved", "currency", "value", "units_shipped", "turnover", "days_of_cover", "stock_out_days", "lost_revenue",
                "slow_mover", "overstocked"],
            s.Items.Select(i => new object?[]
            {
                i.Sku, i.Label, i.Node, i.OnHand, i.Reserved, i.Value?.Currency ?? i.LostRevenue?.Currency, i.Value is { } v ? Csv.AmountOf(v) : null, i.UnitsShipped,
                i.Turnover, i.DaysOfCover, i.StockOutDays, i.LostRevenue is { } l ? Csv.AmountOf(l) : null, i.SlowMover, i.Overstocked,
            }));

    public static (string[], IEnumerable<object?[]>) Projections(ProjectionsDto p) =>
        (["sku", "label", "node", "method", "next_7_days", "next_30_days", "next_90_days", "on_hand", "reserved", "on_order", "safety_stock", "reorder_point",
                "lead_time_days", "stock_out_date", "days_of_cover", "suggested_reorder_point", "suggested_reorder_quantity"],
            p.Projections.Select(x => new object?[]
            {
                x.Sku, x.Label, x.Node, x.Method, x.Next7Days, x.Next30Days, x.Next90Days, x.OnHand, x.Reserved, x.OnOrder, x.SafetyStock, x.ReorderPoint,
                x.LeadTimeDays, x.StockOutDate?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), x.DaysOfCover, x.SuggestedReorderPoint, x.SuggestedReorderQuantity,
            }));

    public static (string[], IEnumerable<object?[]>) Kpis(KpisDto kpis) =>
        (["currency", "orders", "cancelled_orders", "units", "returned_units", "gross", "net", "refunded", "average_order_value", "cancellation_rate", "return_rate"],
            kpis.Figures.Select(f => new object?[]
            {
                f.Currency, f.Orders, f.CancelledOrders, f.Units, f.ReturnedUnits, Csv.AmountOf(f.Gross), Csv.AmountOf(f.Net), Csv.AmountOf(f.Refunded),
                f.AverageOrderValue is { } aov ? Csv.AmountOf(aov) : null, f.CancellationRate, f.ReturnRate,
            }));
}
