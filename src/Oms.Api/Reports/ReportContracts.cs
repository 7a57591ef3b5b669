using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;

namespace Oms.Api.Reports;

/// <summary>Reports: configuration section <c>Reports</c>.</summary>
public sealed class ReportOptions
{
    /// <summary>Whether this process folds changed orders into the rollups (off in a process that only answers requests, when another folds).</summary>
    public bool RollupsEnabled { get; set; } = true;
    /// <summary>Orders folded in one transaction.</summary>
    public int BatchSize { get; set; } = 200;
    /// <summary>How often the worker looks for work when nobody wakes it (the fan-out does, in this process).</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>
    /// Fixed rates for a reporting currency, used on days no rate given through /api/v1/exchange-rates covers:
    /// <c>"GBP/EUR": 1.1687</c> (one GBP is worth 1.1687 EUR).
    /// </summary>
    public Dictionary<string, decimal> ExchangeRates { get; set; } = [];
    /// <summary>The longest period a report covers, in days.</summary>
    public int MaxDays { get; set; } = 1830;
    /// <summary>Days of sales history projections learn from (26 weeks).</summary>
    public int ProjectionHistoryDays { get; set; } = 182;
    /// <summary>Days a suggested reorder covers after the supplier's lead time.</summary>
    public int ReorderCoverDays { get; set; } = 30;
    /// <summary>How often reorder points that follow the projection are set again.</summary>
    public TimeSpan ReorderPointInterval { get; set; } = TimeSpan.FromDays(1);
    /// <summary>Days of cover past which stock counts as overstock.</summary>
    public int OverstockDays { get; set; } = 180;
    /// <summary>
    /// Days in transit per carrier service, for the promised delivery day of orders whose channel gave none:
    /// <c>"dhl/express": 1</c>, <c>"dhl": 2</c> (any service), <c>"*": 3</c> (any carrier; 3 when not set).
    /// </summary>
    public Dictionary<string, int> TransitDays { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public int TransitDaysFor(string? carrier, string? service) =>
        carrier is not null && service is not null && TransitDays.TryGetValue($"{carrier}/{service}", out var both) ? both
        : carrier is not null && TransitDays.TryGetValue(carrier, out var any) ? any
        : TransitDays.TryGetValue("*", out var all) ? all : 3;
}

/// <summary>What a top list ranks.</summary>
public enum ReportDimension { Products, Customers, Orders, Countries, Brands, Categories, Sellers, Channels, Nodes, Days, Weekdays, Hours }

/// <summary>What a top list ranks by: gross revenue, net revenue (after cancellations and refunds), units ordered, or orders.</summary>
public enum ReportRank { Revenue, NetRevenue, Units, Orders }

/// <summary>The period and filters every report takes. Dates are UTC days, both included.</summary>
public sealed record ReportQuery
{
    /// <summary>First day (UTC) of the period; defaults to 29 days before <c>to</c>.</summary>
    public DateOnly? From { get; init; }
    /// <summary>Last day (UTC) of the period, included; defaults to today.</summary>
    public DateOnly? To { get; init; }
    /// <summary>Only orders from this channel (web, marketplace, pos, mobile, phone, api).</summary>
    public string? Channel { get; init; }
    /// <summary>Only orders shipped to (or, without a shipping address, billed to) this ISO 3166-1 country.</summary>
    public string? Country { get; init; }
    /// <summary>Only what this node (its code) ships: lines allocated to it.</summary>
    public string? Node { get; init; }
    /// <summary>Only lines of products of this brand.</summary>
    public string? Brand { get; init; }
    /// <summary>Only lines of products in this category.</summary>
    public string? Category { get; init; }
    /// <summary>Only orders in this ISO 4217 currency.</summary>
    public string? Currency { get; init; }
    /// <summary>Only this customer's orders (their id): a customer's history.</summary>
    public string? Customer { get; init; }
    /// <summary>Convert every amount into this ISO 4217 currency at each day's rate (GET /api/v1/exchange-rates); without it amounts stay per currency.</summary>
    public string? ReportingCurrency { get; init; }
}

/// <summary>A period and filters as a report applied them.</summary>
public sealed record ReportScopeDto
{
    public required DateOnly From { get; init; }
    public required DateOnly To { get; init; }
    public required string? Channel { get; init; }
    public required string? Country { get; init; }
    public required string? Node { get; init; }
    public required string? Brand { get; init; }
    public required string? Category { get; init; }
    public required string? Currency { get; init; }
    public required string? Customer { get; init; }
    /// <summary>The currency every amount was converted to, or null when amounts are per currency (one ranking or row per currency).</summary>
    public required string? ReportingCurrency { get; init; }
    /// <summary>Changes to orders (and to their payments, shipments and returns) not yet counted: the rollups follow within about a second; 0 when the report is current.</summary>
    public required int PendingChanges { get; init; }
}

/// <summary>A top list: per currency, or one converted to the reporting currency.</summary>
public sealed record TopListDto
{
    public required ReportDimension Dimension { get; init; }
    public required ReportRank RankBy { get; init; }
    public required ReportScopeDto Scope { get; init; }
    /// <summary>One ranking per currency, or a single one in the reporting currency when amounts were converted.</summary>
    public required IReadOnlyList<RankingDto> Rankings { get; init; }
}

public sealed record RankingDto
{
    /// <summary>The currency of every amount in this ranking.</summary>
    public required string Currency { get; init; }
    public required IReadOnlyList<TopEntryDto> Entries { get; init; }
}

/// <summary>One ranked key with what its orders add up to.</summary>
public sealed record TopEntryDto
{
    /// <summary>1 for the first.</summary>
    public required int Rank { get; init; }
    /// <summary>
    /// What is ranked: a SKU, customer id, order id, ISO country, brand, category, seller, channel, node code, day
    /// (yyyy-MM-dd), ISO weekday (1 Monday … 7 Sunday) or hour of the day (00-23, UTC).
    /// </summary>
    public required string Key { get; init; }
    /// <summary>A name for people: the product's, customer's (null once erased), node's, the order number, the weekday's.</summary>
    public required string? Label { get; init; }
    /// <summary>Orders counted (for products, brands, categories and nodes: orders with such a line).</summary>
    public required long Orders { get; init; }
    /// <summary>Units ordered.</summary>
    public required long Units { get; init; }
    /// <summary>Units that came back (returns received).</summary>
    public required long ReturnedUnits { get; init; }
    /// <summary>Orders among them that were cancelled.</summary>
    public required long CancelledOrders { get; init; }
    /// <summary>What the orders were for (totals with shipping and tax; a line's share of its order's).</summary>
    public required MoneyDto Gross { get; init; }
    /// <summary>What is left of it: nothing of a cancelled order, the rest less refunds.</summary>
    public required MoneyDto Net { get; init; }
    /// <summary>Refunded on orders that were not cancelled.</summary>
    public required MoneyDto Refunded { get; init; }
}

/// <summary>The headline figures of a period.</summary>
public sealed record KpisDto
{
    public required ReportScopeDto Scope { get; init; }
    /// <summary>One row per currency, or a single one in the reporting currency.</summary>
    public required IReadOnlyList<KpiFiguresDto> Figures { get; init; }
}

public sealed record KpiFiguresDto
{
    public required string Currency { get; init; }
    public required long Orders { get; init; }
    public required long CancelledOrders { get; init; }
    public required long Units { get; init; }
    public required long ReturnedUnits { get; init; }
    public required MoneyDto Gross { get; init; }
    public required MoneyDto Net { get; init; }
    public required MoneyDto Refunded { get; init; }
    /// <summary>Net revenue per order not cancelled (rounded half away from zero); null without such orders.</summary>
    public required MoneyDto? AverageOrderValue { get; init; }
    /// <summary>Cancelled orders per order (0-1, four decimals); null without orders.</summary>
    public required decimal? CancellationRate { get; init; }
    /// <summary>Units returned per unit ordered (0-1, four decimals); null without units.</summary>
    public required decimal? ReturnRate { get; init; }
}

/// <summary>What one unit of <c>base</c> was worth in <c>quote</c> from <c>date</c> until the pair's next rate.</summary>
public sealed record ExchangeRateDto
{
    public required string Base { get; init; }
    public required string Quote { get; init; }
    public required DateOnly Date { get; init; }
    /// <summary>Units of quote per unit of base, up to 10 decimals.</summary>
    public required decimal Rate { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Sets the rate of a pair from a day on (a repeat for the same day replaces it).</summary>
public sealed record SetExchangeRateRequest
{
    /// <summary>ISO 4217 currency converted from.</summary>
    [Required, CurrencyCode]
    public required string Base { get; init; }
    /// <summary>ISO 4217 currency converted to (the reporting currency).</summary>
    [Required, CurrencyCode]
    public required string Quote { get; init; }
    /// <summary>First day (UTC) the rate applies to.</summary>
    [Required]
    public required DateOnly Date { get; init; }
    /// <summary>Units of quote per unit of base: greater than 0, at most 10 decimals.</summary>
    [Range(typeof(decimal), "0.0000000001", "1000000000")]
    public required decimal Rate { get; init; }
}

/// <summary>Rates to set at once (a day's publication for several currencies): all or none.</summary>
public sealed record SetExchangeRatesRequest
{
    [Required, MinLength(1), MaxLength(500)]
    public required IReadOnlyList<SetExchangeRateRequest> Rates { get; init; }
}

/// <summary>Expected sales and what they mean for stock, per SKU (across nodes, or at one node).</summary>
public sealed record ProjectionsDto
{
    /// <summary>First day (UTC) of the sales history the projections learn from.</summary>
    public required DateOnly HistoryFrom { get; init; }
    /// <summary>Last day of the history (yesterday: today is still selling).</summary>
    public required DateOnly HistoryTo { get; init; }
    /// <summary>First projected day (today).</summary>
    public required DateOnly FirstDay { get; init; }
    /// <summary>Days a suggested reorder covers after its lead time (Reports:ReorderCoverDays).</summary>
    public required int CoverDays { get; init; }
    public required IReadOnlyList<ProjectionDto> Projections { get; init; }
}

/// <summary>One SKU's expected sales, projected stock-out and suggested reorder.</summary>
public sealed record ProjectionDto
{
    public required string Sku { get; init; }
    /// <summary>The product's name.</summary>
    public required string? Label { get; init; }
    /// <summary>The node (its code) the projection is for; null for all nodes together.</summary>
    public required string? Node { get; init; }
    /// <summary>holt_winters_weekly (two weeks of history or more), daily_average (less) or none (no sales in the history).</summary>
    public required string Method { get; init; }
    /// <summary>Units expected over the next 7 days (one decimal).</summary>
    public required decimal Next7Days { get; init; }
    /// <summary>Units expected over the next 30 days (one decimal).</summary>
    public required decimal Next30Days { get; init; }
    /// <summary>Units expected over the next 90 days (one decimal).</summary>
    public required decimal Next90Days { get; init; }
    /// <summary>Units ordered each day of the history (from the SKU's first sale in it on).</summary>
    public required IReadOnlyList<DailyUnitsDto> History { get; init; }
    /// <summary>Units expected each of the next 90 days (two decimals).</summary>
    public required IReadOnlyList<DailyUnitsDto> Forecast { get; init; }
    public required int OnHand { get; init; }
    public required int Reserved { get; init; }
    /// <summary>Units on submitted purchase orders not yet received.</summary>
    public required int OnOrder { get; init; }
    public required int SafetyStock { get; init; }
    /// <summary>The reorder point set now (the sum over nodes for all nodes); null when none is set.</summary>
    public required int? ReorderPoint { get; init; }
    /// <summary>The longest lead time of the suppliers the stock reorders from (0 without one).</summary>
    public required int LeadTimeDays { get; init; }
    /// <summary>The first day the units on hand less reserved, plus purchase orders as they arrive, fall short of expected sales; null when they last the 90 days.</summary>
    public required DateOnly? StockOutDate { get; init; }
    /// <summary>On hand less reserved over the expected daily sales (one decimal); null when nothing is expected to sell.</summary>
    public required decimal? DaysOfCover { get; init; }
    /// <summary>Expected sales over the lead time plus safety stock, rounded up.</summary>
    public required int SuggestedReorderPoint { get; init; }
    /// <summary>What to order now to cover the lead time and the cover days above safety stock (0 when the stock and purchase orders do).</summary>
    public required int SuggestedReorderQuantity { get; init; }
}

public sealed record DailyUnitsDto
{
    public required DateOnly Date { get; init; }
    public required decimal Units { get; init; }
}

/// <summary>How orders placed in a period were fulfilled: cycle times, promises kept, completeness, returns, payment mix, risk holds, and the backorders open now.</summary>
public sealed record OperationsDto
{
    public required ReportScopeDto Scope { get; init; }
    /// <summary>Placed to fully shipped (the last part leaving), over orders fully shipped.</summary>
    public required CycleTimeDto OrderToShip { get; init; }
    /// <summary>Placed to delivered (the last part arriving, or picked up), over orders delivered.</summary>
    public required CycleTimeDto OrderToDelivery { get; init; }
    /// <summary>Per node: its parts' placed-to-shipped times, and how many left by their ship-by time.</summary>
    public required IReadOnlyList<NodeOperationsDto> Nodes { get; init; }
    /// <summary>Per carrier and service: their shipments' placed-to-shipped and placed-to-delivered times.</summary>
    public required IReadOnlyList<CarrierOperationsDto> Carriers { get; init; }
    /// <summary>Parts (fulfilment orders) shipped by their ship-by time: the order's shipBy, else the node's cut-off rule.</summary>
    public required RateDto OnTimeShipping { get; init; }
    /// <summary>Orders delivered by their promised day: the order's promisedDeliveryDate, else ship-by day plus the carrier service's transit days.</summary>
    public required RateDto OnTimeDelivery { get; init; }
    /// <summary>Order lines shipped all from the allocation made when the order was confirmed (no re-routing, no short pick), of the lines shipped.</summary>
    public required RateDto FillRate { get; init; }
    /// <summary>Orders that went out in more than one shipment, of the orders shipped.</summary>
    public required RateDto SplitShipments { get; init; }
    /// <summary>Parts picked with units missing, of the parts picked.</summary>
    public required RateDto ShortPicks { get; init; }
    /// <summary>Delivered orders that were on time, complete and undamaged (no return for damage or the wrong item).</summary>
    public required PerfectOrderDto PerfectOrders { get; init; }
    /// <summary>Units returned (returns received) per unit ordered, by SKU (the 20 most returned).</summary>
    public required IReadOnlyList<ReturnRateDto> ReturnsBySku { get; init; }
    /// <summary>Units returned per unit ordered, by category.</summary>
    public required IReadOnlyList<ReturnRateDto> ReturnsByCategory { get; init; }
    /// <summary>Units returned for each reason, per unit ordered.</summary>
    public required IReadOnlyList<ReturnRateDto> ReturnsByReason { get; init; }
    /// <summary>Payments of the period's orders by method and currency (failed and voided ones left out).</summary>
    public required IReadOnlyList<PaymentMixDto> PaymentMix { get; init; }
    /// <summary>Orders the fraud checks held, and how many still wait for review.</summary>
    public required RiskHoldsDto RiskHolds { get; init; }
    /// <summary>Backorders open now (whatever the period), and how old they are.</summary>
    public required BackordersDto Backorders { get; init; }
}

/// <summary>Hours from placement: how many, the median and the 90th percentile (interpolated, two decimals); null without any.</summary>
public sealed record CycleTimeDto
{
    public required int Count { get; init; }
    public required decimal? MedianHours { get; init; }
    public required decimal? P90Hours { get; init; }
}

/// <summary>How many of how many (0-1, four decimals; null of none).</summary>
public sealed record RateDto
{
    public required int Count { get; init; }
    public required int Of { get; init; }
    public required decimal? Rate { get; init; }
}

public sealed record NodeOperationsDto
{
    public required string Node { get; init; }
    public required CycleTimeDto OrderToShip { get; init; }
    public required RateDto OnTimeShipping { get; init; }
}

public sealed record CarrierOperationsDto
{
    public required string Carrier { get; init; }
    /// <summary>The carrier's service; null when the shipments named none.</summary>
    public required string? Service { get; init; }
    public required CycleTimeDto OrderToShip { get; init; }
    public required CycleTimeDto OrderToDelivery { get; init; }
}

public sealed record PerfectOrderDto
{
    /// <summary>Perfect orders of the orders delivered.</summary>
    public required RateDto Rate { get; init; }
    /// <summary>Delivered after the promised day.</summary>
    public required int Late { get; init; }
    /// <summary>Not every unit ordered was shipped, or a part was short-picked.</summary>
    public required int Incomplete { get; init; }
    /// <summary>A return was asked for because goods arrived damaged.</summary>
    public required int Damaged { get; init; }
    /// <summary>A return was asked for because the wrong item came.</summary>
    public required int WrongItem { get; init; }
}

public sealed record ReturnRateDto
{
    /// <summary>A SKU, a category, or a reason (damaged, defective, wrong_item, not_as_described, size_or_fit, no_longer_needed, other).</summary>
    public required string Key { get; init; }
    public required int ReturnedUnits { get; init; }
    /// <summary>Units ordered (of the SKU or category; for a reason, all units ordered).</summary>
    public required int OrderedUnits { get; init; }
    public required decimal? Rate { get; init; }
}

public sealed record PaymentMixDto
{
    /// <summary>card, bank_transfer, cash_on_delivery, invoice or other.</summary>
    public required string Method { get; init; }
    public required string Currency { get; init; }
    public required int Payments { get; init; }
    public required MoneyDto Amount { get; init; }
    /// <summary>Its share of the payments in its currency (0-1, four decimals).</summary>
    public required decimal Share { get; init; }
}

public sealed record RiskHoldsDto
{
    /// <summary>Orders held by the fraud checks, of the orders placed.</summary>
    public required RateDto Held { get; init; }
    /// <summary>Of them, still on hold now.</summary>
    public required int StillOnHold { get; init; }
}

public sealed record BackordersDto
{
    public required int Open { get; init; }
    public required int Units { get; init; }
    /// <summary>Average days since the backorder was made (one decimal); null without any.</summary>
    public required decimal? AverageAgeDays { get; init; }
    public required decimal? OldestAgeDays { get; init; }
}

/// <summary>Stock at cost, how fast it turns, how long it lasts, when it ran out, and what does not move.</summary>
public sealed record StockReportDto
{
    public required ReportScopeDto Scope { get; init; }
    /// <summary>Stock value at cost of all nodes in scope, per currency.</summary>
    public required IReadOnlyList<MoneyDto> Value { get; init; }
    public required IReadOnlyList<NodeStockDto> Nodes { get; init; }
    /// <summary>SKUs at nodes, the most valuable first (limit, default 50).</summary>
    public required IReadOnlyList<StockItemReportDto> Items { get; init; }
}

public sealed record NodeStockDto
{
    public required string Node { get; init; }
    public required int Skus { get; init; }
    public required int OnHand { get; init; }
    /// <summary>On hand at cost, per currency.</summary>
    public required IReadOnlyList<MoneyDto> Value { get; init; }
    /// <summary>SKUs with stock but no cost price (left out of the value).</summary>
    public required int SkusWithoutCost { get; init; }
    /// <summary>SKUs that ran out (none on hand) on some day of the period.</summary>
    public required int StockOuts { get; init; }
    public required int SlowMovers { get; init; }
    public required int Overstocked { get; init; }
}

/// <summary>One SKU at one node over the period.</summary>
public sealed record StockItemReportDto
{
    public required string Sku { get; init; }
    public required string? Label { get; init; }
    public required string Node { get; init; }
    public required int OnHand { get; init; }
    public required int Reserved { get; init; }
    /// <summary>On hand at cost; null without a cost price.</summary>
    public required MoneyDto? Value { get; init; }
    /// <summary>Units shipped from this node in the period.</summary>
    public required int UnitsShipped { get; init; }
    /// <summary>Units shipped over the average of on hand at the period's start and end (two decimals); null when both are 0.</summary>
    public required decimal? Turnover { get; init; }
    /// <summary>Days the units on hand less reserved last at the period's daily shipments (one decimal); null when nothing shipped.</summary>
    public required decimal? DaysOfCover { get; init; }
    /// <summary>Days of the period on which none was on hand at some moment (the ledger's exact on-hand history).</summary>
    public required int StockOutDays { get; init; }
    /// <summary>Those days times the units shipped per day in stock, at list price: what the stock-outs likely cost; null without stock-outs.</summary>
    public required MoneyDto? LostRevenue { get; init; }
    /// <summary>Stock on hand and nothing shipped in the period.</summary>
    public required bool SlowMover { get; init; }
    /// <summary>More days of cover than Reports:OverstockDays (180).</summary>
    public required bool Overstocked { get; init; }
}
