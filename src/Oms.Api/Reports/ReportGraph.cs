using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Domain.Access;

namespace Oms.Api.Reports;

/// <summary>GraphQL for reports: <c>reports { top kpis }</c> and the exchange rates, thin adapters over <see cref="ReportQueries"/> and <see cref="ReportService"/>.</summary>
public static class ReportGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ReportsType>>("reports")
            .Description("Top lists and KPIs over a period, from the report rollups (needs reports:read).")
            .RequireScope(Scopes.ReportsRead)
            .Resolve(_ => new object());
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExchangeRateType>>>, IReadOnlyList<ExchangeRateDto>>("exchangeRates")
            .Description("Exchange rates by pair and day, up to 250 (REST pages through all).")
            .Argument<StringGraphType>("base")
            .Argument<StringGraphType>("quote")
            .RequireScope(Scopes.ReportsRead)
            .ResolveAsync(async ctx => (await ctx.RequestServices!.GetRequiredService<ExchangeRateQueries>().ListAsync(ctx.GetArgument<string?>("base"),
                ctx.GetArgument<string?>("quote"), Platform.Http.PageRequest.First(Platform.Http.Cursor.MaxLimit), ctx.CancellationToken)).Data);
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ListGraphType<NonNullGraphType<ExchangeRateType>>>, IReadOnlyList<ExchangeRateDto>>("setExchangeRates")
            .Description("Set rates from a day on (a pair's rate of that day is replaced); all or none.")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<ExchangeRateInputType>>>>("rates")
            .RequireScope(Scopes.ReportsWrite)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<ReportService>().SetRatesAsync(
                new SetExchangeRatesRequest { Rates = ctx.GetArgument<List<SetExchangeRateRequest>>("rates") }, ctx.CancellationToken));
    }

    /// <summary>The period and filter arguments every report takes (REST's query parameters).</summary>
    internal static FieldBuilder<object, TReturn> Period<TReturn>(this FieldBuilder<object, TReturn> field) => field
        .Argument<DateOnlyGraphType>("from", "First day (UTC); defaults to 29 days before to.")
        .Argument<DateOnlyGraphType>("to", "Last day (UTC), included; defaults to today.")
        .Argument<StringGraphType>("channel").Argument<StringGraphType>("country").Argument<StringGraphType>("node")
        .Argument<StringGraphType>("brand").Argument<StringGraphType>("category").Argument<StringGraphType>("currency")
        .Argument<StringGraphType>("customer", "Only this customer's orders (their id).")
        .Argument<StringGraphType>("reportingCurrency", "Convert every amount into this currency at each day's rate.");

    internal static ReportQuery QueryOf(IResolveFieldContext ctx) => new()
    {
        From = ctx.GetArgument<DateOnly?>("from"), To = ctx.GetArgument<DateOnly?>("to"), Channel = ctx.GetArgument<string?>("channel"),
        Country = ctx.GetArgument<string?>("country"), Node = ctx.GetArgument<string?>("node"), Brand = ctx.GetArgument<string?>("brand"),
        Category = ctx.GetArgument<string?>("category"), Currency = ctx.GetArgument<string?>("currency"), ReportingCurrency = ctx.GetArgument<string?>("reportingCurrency"),
        Customer = ctx.GetArgument<string?>("customer"),
    };

    internal static ReportQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<ReportQueries>();
}

/// <summary>The reports (REST: /api/v1/reports/...).</summary>
public sealed class ReportsType : ObjectGraphType<object>
{
    public ReportsType()
    {
        Name = "Reports";
        Field<NonNullGraphType<TopListType>, TopListDto>("top")
            .Description("A top list (REST: GET /reports/top/{dimension}).")
            .Argument<NonNullGraphType<EnumerationGraphType<ReportDimension>>>("dimension")
            .Argument<EnumerationGraphType<ReportRank>>("rankBy", "Defaults to REVENUE.")
            .Argument<IntGraphType>("limit", $"1-{ReportQueries.MaxLimit}, default 10.")
            .Period()
            .ResolveAsync(async ctx => await ReportGraph.Queries(ctx).TopAsync(ctx.GetArgument<ReportDimension>("dimension"), ctx.GetArgument<ReportRank?>("rankBy") ?? ReportRank.Revenue,
                ctx.GetArgument<int?>("limit"), ReportGraph.QueryOf(ctx), ctx.CancellationToken));
        Field<NonNullGraphType<KpisType>, KpisDto>("kpis")
            .Description("The headline figures of a period (REST: GET /reports/kpis).")
            .Period()
            .ResolveAsync(async ctx => await ReportGraph.Queries(ctx).KpisAsync(ReportGraph.QueryOf(ctx), ctx.CancellationToken));
        Field<NonNullGraphType<OperationsType>, OperationsDto>("operations")
            .Description("How the period's orders were fulfilled (REST: GET /reports/operations).")
            .Period()
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<OperationsQueries>().OperationsAsync(ReportGraph.QueryOf(ctx), ctx.CancellationToken));
        Field<NonNullGraphType<StockReportType>, StockReportDto>("stock")
            .Description("Stock at cost, turnover, cover, stock-outs, slow movers and overstock (REST: GET /reports/stock).")
            .Argument<DateOnlyGraphType>("from", "First day (UTC); defaults to 29 days before to.")
            .Argument<DateOnlyGraphType>("to", "Last day (UTC), included; defaults to today.")
            .Argument<StringGraphType>("node", "A node's code.")
            .Argument<IntGraphType>("limit", $"SKUs at nodes listed, 1-{StockQueries.MaxLimit}, default 50.")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<StockQueries>().StockAsync(new ReportQuery
            {
                From = ctx.GetArgument<DateOnly?>("from"), To = ctx.GetArgument<DateOnly?>("to"), Node = ctx.GetArgument<string?>("node"),
            }, ctx.GetArgument<int?>("limit"), ctx.CancellationToken));
        Field<NonNullGraphType<ProjectionsType>, ProjectionsDto>("projections")
            .Description("Expected sales per SKU for the next 7, 30 and 90 days, projected stock-out and suggested reorder (REST: GET /reports/projections).")
            .Argument<StringGraphType>("sku", "One SKU; without it the SKUs that sold most units lately.")
            .Argument<StringGraphType>("node", "A node's code: that node's sales and stock; without it all nodes together.")
            .Argument<IntGraphType>("limit", $"1-{ProjectionQueries.MaxLimit}, default 10 (without sku).")
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<ProjectionQueries>().ProjectAsync(ctx.GetArgument<string?>("sku"),
                ctx.GetArgument<string?>("node"), ctx.GetArgument<int?>("limit"), ctx.CancellationToken));
    }
}

public sealed class TopListType : ContractGraphType<TopListDto>
{
    public TopListType() => Name = "TopList";
}

public sealed class RankingType : ContractGraphType<RankingDto>
{
    public RankingType() => Name = "Ranking";
}

public sealed class TopEntryType : ContractGraphType<TopEntryDto>
{
    public TopEntryType() => Name = "TopEntry";
}

public sealed class ReportScopeType : ContractGraphType<ReportScopeDto>
{
    public ReportScopeType() => Name = "ReportScope";
}

public sealed class KpisType : ContractGraphType<KpisDto>
{
    public KpisType() => Name = "Kpis";
}

public sealed class KpiFiguresType : ContractGraphType<KpiFiguresDto>
{
    public KpiFiguresType() => Name = "KpiFigures";
}

public sealed class OperationsType : ContractGraphType<OperationsDto>
{
    public OperationsType() => Name = "Operations";
}

public sealed class CycleTimeType : ContractGraphType<CycleTimeDto>
{
    public CycleTimeType() => Name = "CycleTime";
}

public sealed class RateType : ContractGraphType<RateDto>
{
    public RateType() => Name = "Rate";
}

public sealed class NodeOperationsType : ContractGraphType<NodeOperationsDto>
{
    public NodeOperationsType() => Name = "NodeOperations";
}

public sealed class CarrierOperationsType : ContractGraphType<CarrierOperationsDto>
{
    public CarrierOperationsType() => Name = "CarrierOperations";
}

public sealed class PerfectOrderType : ContractGraphType<PerfectOrderDto>
{
    public PerfectOrderType() => Name = "PerfectOrder";
}

public sealed class ReturnRateType : ContractGraphType<ReturnRateDto>
{
    public ReturnRateType() => Name = "ReturnRate";
}

public sealed class PaymentMixType : ContractGraphType<PaymentMixDto>
{
    public PaymentMixType() => Name = "PaymentMix";
}

public sealed class RiskHoldsType : ContractGraphType<RiskHoldsDto>
{
    public RiskHoldsType() => Name = "RiskHolds";
}

public sealed class BackordersType : ContractGraphType<BackordersDto>
{
    public BackordersType() => Name = "Backorders";
}

public sealed class StockReportType : ContractGraphType<StockReportDto>
{
    public StockReportType() => Name = "StockReport";
}

public sealed class NodeStockType : ContractGraphType<NodeStockDto>
{
    public NodeStockType() => Name = "NodeStock";
}

public sealed class StockItemReportType : ContractGraphType<StockItemReportDto>
{
    public StockItemReportType() => Name = "StockItemReport";
}

public sealed class ProjectionsType : ContractGraphType<ProjectionsDto>
{
    public ProjectionsType() => Name = "Projections";
}

public sealed class ProjectionType : ContractGraphType<ProjectionDto>
{
    public ProjectionType() => Name = "Projection";
}

public sealed class DailyUnitsType : ContractGraphType<DailyUnitsDto>
{
    public DailyUnitsType() => Name = "DailyUnits";
}

public sealed class ExchangeRateType : ContractGraphType<ExchangeRateDto>
{
    public ExchangeRateType() => Name = "ExchangeRate";
}

public sealed class ExchangeRateInputType : InputObjectGraphType<SetExchangeRateRequest>
{
    public ExchangeRateInputType()
    {
        Name = "ExchangeRateInput";
        Field(x => x.Base);
        Field(x => x.Quote);
        Field(x => x.Date, type: typeof(NonNullGraphType<DateOnlyGraphType>));
        Field(x => x.Rate, type: typeof(NonNullGraphType<DecimalGraphType>));
    }
}
