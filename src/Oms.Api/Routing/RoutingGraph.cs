using GraphQL;
using GraphQL.Types;
using Oms.Api.Orders;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Api.Routing;

/// <summary>GraphQL for routing: explanations, simulation, allocations.</summary>
public static class RoutingGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<OrderRoutingType, OrderRoutingDto>("orderRouting")
            .Description("Why each line of an order went to its node.")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .RequireScope(Scopes.RoutingRead)
            .ResolveAsync(async ctx => await Queries(ctx).ForOrderAsync(new OrderId(ctx.GuidArgument("orderId", "order")), ctx.CancellationToken));
        query.Field<NonNullGraphType<RoutingSimulationType>, RoutingSimulationDto>("simulateRouting")
            .Description("Route a hypothetical order now; nothing is reserved.")
            .Argument<NonNullGraphType<SimulateRoutingInputType>>("input")
            .RequireScope(Scopes.RoutingRead)
            .ResolveAsync(async ctx => RoutingQueries.Simulation(await Service(ctx).SimulateAsync(ctx.GetArgument<SimulateRoutingRequest>("input"), ctx.CancellationToken)));
        query.Field<NonNullGraphType<ConnectionType<AllocationType, AllocationDto>>, Connection<AllocationDto>>("allocations")
            .Description("Allocations, newest first, by node and status.")
            .Argument<StringGraphType>("nodeCode")
            .Argument<EnumerationGraphType<AllocationStatus>>("status")
            .Paged()
            .RequireScope(Scopes.RoutingRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).AllocationsAsync(ctx.GetArgument<string?>("nodeCode"), ctx.GetArgument<AllocationStatus?>("status"), page, ctx.CancellationToken),
                RoutingQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<AllocationType>, AllocationDto>("rejectAllocation")
            .Description("A node refuses its allocation: the lines are routed to other nodes, never back to it.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).RejectAsync(ctx.GuidArgument("id", "allocation"),
                new RejectAllocationRequest { Reason = ctx.GetArgument<string>("reason") }, ctx.CancellationToken));
    }

    private static RoutingQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<RoutingQueries>();
    private static RoutingService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<RoutingService>();
}

public sealed class ScoreType : ContractGraphType<ScoreDto>
{
    public ScoreType()
    {
        Name = "RoutingScore";
        Description = "A node's cost factor by factor; the lowest total wins.";
    }
}

public sealed class CandidateType : ContractGraphType<CandidateDto>
{
    public CandidateType()
    {
        Name = "RoutingCandidate";
    }
}

public sealed class PlannedLineType : ContractGraphType<PlannedLineDto>
{
    public PlannedLineType()
    {
        Name = "PlannedLine";
    }
}

public sealed class RoutingDecisionType : ContractGraphType<RoutingDecisionDto>
{
    public RoutingDecisionType()
    {
        Name = "RoutingDecision";
    }
}

public sealed class AllocationType : ContractGraphType<AllocationDto>
{
    public AllocationType()
    {
        Name = "Allocation";
    }
}

public sealed class BackorderType : ContractGraphType<BackorderDto>
{
    public BackorderType()
    {
        Name = "Backorder";
    }
}

public sealed class OrderRoutingType : ContractGraphType<OrderRoutingDto>
{
    public OrderRoutingType()
    {
        Name = "OrderRouting";
    }
}

public sealed class PlannedAllocationType : ContractGraphType<PlannedAllocationDto>
{
    public PlannedAllocationType()
    {
        Name = "PlannedAllocation";
    }
}

public sealed class RoutingSimulationType : ContractGraphType<RoutingSimulationDto>
{
    public RoutingSimulationType()
    {
        Name = "RoutingSimulation";
    }
}

public sealed class SimulateRoutingInputType : InputObjectGraphType<SimulateRoutingRequest>
{
    public SimulateRoutingInputType()
    {
        Name = "SimulateRoutingInput";
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<OrderLineInputType>>>));
        Field(x => x.ShippingAddress, type: typeof(AddressInputType));
        Field(x => x.Delivery, type: typeof(DeliveryInputType));
        Field(x => x.Priority, type: typeof(EnumerationGraphType<OrderPriority>));
        Field(x => x.Channel, type: typeof(EnumerationGraphType<OrderChannel>));
    }
}
