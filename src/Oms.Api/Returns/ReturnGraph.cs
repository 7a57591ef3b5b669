using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Orders;
using Oms.Domain.Returns;

namespace Oms.Api.Returns;

/// <summary>GraphQL for returns: thin adapters over <see cref="ReturnService"/> and <see cref="ReturnQueries"/>.</summary>
public static class ReturnGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ReturnType, ReturnDto>("return")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.ReturnsRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GuidArgument("id", "return"), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<ReturnType, ReturnDto>>, Connection<ReturnDto>>("returns")
            .Description("Returns by status, newest first.")
            .Argument<EnumerationGraphType<ReturnStatus>>("status")
            .Paged()
            .RequireScope(Scopes.ReturnsRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<ReturnStatus?>("status"), page, ctx.CancellationToken),
                ReturnQueries.CursorOf));
        query.Field<NonNullGraphType<ReturnStatsType>, ReturnStatsDto>("returnStats")
            .Description("Returned units per SKU and reason in a period (default: the last 30 days).")
            .Argument<Platform.GraphQL.UtcDateTimeOffsetGraphType>("from")
            .Argument<Platform.GraphQL.UtcDateTimeOffsetGraphType>("to")
            .Argument<StringGraphType>("sku")
            .RequireScope(Scopes.ReturnsRead)
            .ResolveAsync(async ctx => await Queries(ctx).StatsAsync(ctx.GetArgument<DateTimeOffset?>("from"), ctx.GetArgument<DateTimeOffset?>("to"),
                ctx.GetArgument<string?>("sku"), ctx.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ReturnType>, ReturnDto>("requestReturn")
            .Description("Request a return of delivered lines, with reasons, inside the return window.")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<NonNullGraphType<CreateReturnInputType>>("input")
            .RequireScope(Scopes.ReturnsWrite)
            .ResolveAsync(async ctx => await Service(ctx).RequestAsync(new OrderId(ctx.GuidArgument("orderId", "order")),
                ctx.GetArgument<CreateReturnRequest>("input"), ctx.CancellationToken));
        Change(mutation, "approveReturn", "Accept the return: the customer may send the goods.", (s, ctx, id, v) => s.ApproveAsync(id, v, ctx.CancellationToken));
        Change(mutation, "rejectReturn", "Refuse the return, with a reason.",
            (s, ctx, id, v) => s.RejectAsync(id, new RejectReturnRequest { Reason = ctx.GetArgument<string>("reason") }, v, ctx.CancellationToken),
            ("reason", typeof(NonNullGraphType<StringGraphType>)));
        Change(mutation, "markReturnInTransit", "The parcel is on its way back (tracking optional).",
            (s, ctx, id, v) => s.MarkInTransitAsync(id, new ReturnInTransitRequest { Carrier = ctx.GetArgument<string?>("carrier"), TrackingNumber = ctx.GetArgument<string?>("trackingNumber") },
                v, ctx.CancellationToken),
            ("carrier", typeof(StringGraphType)), ("trackingNumber", typeof(StringGraphType)));
        Change(mutation, "receiveReturn", "The parcel arrived at a node.",
            (s, ctx, id, v) => s.ReceiveAsync(id, new ReceiveReturnRequest { NodeCode = ctx.GetArgument<string>("nodeCode") }, v, ctx.CancellationToken),
            ("nodeCode", typeof(NonNullGraphType<StringGraphType>)));
        Change(mutation, "inspectReturn", "A disposition per line: restock (back into the receiving node's stock), write off or refurbish.",
            (s, ctx, id, v) => s.InspectAsync(id, new InspectReturnRequest { Lines = ctx.GetArgument<List<InspectLineRequest>>("lines") }, v, ctx.CancellationToken),
            ("lines", typeof(NonNullGraphType<ListGraphType<NonNullGraphType<InspectLineInputType>>>)));
        Change(mutation, "refundReturn", "Refund the returned lines through the order's payments, less an optional restocking fee.",
            (s, ctx, id, v) => s.RefundAsync(id, new RefundReturnRequest { Amount = ctx.GetArgument<long?>("amount"), RestockingFee = ctx.GetArgument<long?>("restockingFee") },
                v, ctx.CancellationToken),
            ("amount", typeof(LongGraphType)), ("restockingFee", typeof(LongGraphType)));
        Change(mutation, "exchangeReturn", "Send replacements instead: a linked order at no charge, confirmed and routed.",
            (s, ctx, id, v) => s.ExchangeAsync(id, new ExchangeReturnRequest { Lines = ctx.GetArgument<List<ExchangeLineRequest>?>("lines") }, v, ctx.CancellationToken),
            ("lines", typeof(ListGraphType<NonNullGraphType<ExchangeLineInputType>>)));
    }

    private static void Change(ObjectGraphType mutation, string name, string description,
        Func<ReturnService, IResolveFieldContext, Guid, int?, Task<ReturnDto>> change, params (string Name, Type Type)[] arguments)
    {
        var field = mutation.Field<NonNullGraphType<ReturnType>, ReturnDto>(name)
            .Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id");
        foreach (var (argument, type) in arguments) field.Argument(type, argument);
        field.Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.ReturnsWrite)
            .ResolveAsync(async ctx => await change(Service(ctx), ctx, ctx.GuidArgument("id", "return"), ctx.GetArgument<int?>("expectedVersion")));
    }

    private static ReturnQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<ReturnQueries>();
    private static ReturnService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<ReturnService>();
}

public sealed class ReturnLineType : ContractGraphType<ReturnLineDto>
{
    public ReturnLineType()
    {
        Name = "ReturnLine";
    }
}

public sealed class ReturnType : ContractGraphType<ReturnDto>
{
    public ReturnType()
    {
        Name = "Return";
        Description = "A return (RMA): requested, approved or rejected, in transit, received, inspected, refunded or exchanged.";
    }
}

public sealed class ReturnStatsRowType : ContractGraphType<ReturnStatsRowDto>
{
    public ReturnStatsRowType()
    {
        Name = "ReturnStatsRow";
    }
}

public sealed class ReturnStatsType : ContractGraphType<ReturnStatsDto>
{
    public ReturnStatsType()
    {
        Name = "ReturnStats";
    }
}

public sealed class ReturnLineInputType : InputObjectGraphType<ReturnLineRequestDto>
{
    public ReturnLineInputType()
    {
        Name = "ReturnLineInput";
        Field(x => x.OrderLineId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Quantity);
        Field(x => x.Reason, type: typeof(NonNullGraphType<EnumerationGraphType<ReturnReason>>));
        Field(x => x.Comment, nullable: true);
    }
}

public sealed class CreateReturnInputType : InputObjectGraphType<CreateReturnRequest>
{
    public CreateReturnInputType()
    {
        Name = "CreateReturnInput";
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<ReturnLineInputType>>>));
        Field(x => x.Comment, nullable: true);
    }
}

public sealed class InspectLineInputType : InputObjectGraphType<InspectLineRequest>
{
    public InspectLineInputType()
    {
        Name = "InspectLineInput";
        Field(x => x.OrderLineId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Disposition, type: typeof(NonNullGraphType<EnumerationGraphType<Disposition>>));
        Field(x => x.Note, nullable: true);
    }
}

public sealed class ExchangeLineInputType : InputObjectGraphType<ExchangeLineRequest>
{
    public ExchangeLineInputType()
    {
        Name = "ExchangeLineInput";
        Field(x => x.Sku);
        Field(x => x.Quantity);
    }
}
