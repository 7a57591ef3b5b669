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

public sealed class ScoreType : ObjectGraphType<ScoreDto>
{
    public ScoreType()
    {
        Name = "RoutingScore";
        Description = "A node's cost factor by factor; the lowest total wins.";
        Field(x => x.DistanceKm);
        Field(x => x.Distance);
        Field(x => x.Priority);
        Field(x => x.ShippingCostEstimate, type: typeof(NonNullGraphType<LongGraphType>));
        Field(x => x.ShippingCost);
        Field(x => x.Capacity);
        Field(x => x.Cutoff);
        Field(x => x.Total);
    }
}

public sealed class CandidateType : ObjectGraphType<CandidateDto>
{
    public CandidateType()
    {
        Name = "RoutingCandidate";
        Field(x => x.NodeCode);
        Field(x => x.Eligible);
        Field(x => x.Reasons);
        Field(x => x.Score, type: typeof(ScoreType));
        Field(x => x.UnitsAvailable);
        Field(x => x.CanShipAll);
        Field(x => x.Chosen);
    }
}

public sealed class PlannedLineType : ObjectGraphType<PlannedLineDto>
{
    public PlannedLineType()
    {
        Name = "PlannedLine";
        Field(x => x.OrderLineId, type: typeof(IdGraphType));
        Field(x => x.Sku);
        Field(x => x.Quantity);
    }
}

public sealed class RoutingDecisionType : ObjectGraphType<RoutingDecisionDto>
{
    public RoutingDecisionType()
    {
        Name = "RoutingDecision";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.At);
        Field(x => x.Trigger, type: typeof(NonNullGraphType<EnumerationGraphType<RoutingTrigger>>));
        Field(x => x.Outcome).Description("single_node, split, partial or unavailable.");
        Field(x => x.Candidates, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CandidateType>>>));
        Field(x => x.Short, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlannedLineType>>>));
    }
}

public sealed class AllocationType : ObjectGraphType<AllocationDto>
{
    public AllocationType()
    {
        Name = "Allocation";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.OrderId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.NodeCode);
        Field(x => x.Status, type: typeof(NonNullGraphType<EnumerationGraphType<AllocationStatus>>));
        Field(x => x.RejectReason, nullable: true);
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlannedLineType>>>));
        Field(x => x.CreatedAt);
        Field(x => x.Version);
    }
}

public sealed class BackorderType : ObjectGraphType<BackorderDto>
{
    public BackorderType()
    {
        Name = "Backorder";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.OrderId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.OrderLineId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Sku);
        Field(x => x.Quantity);
        Field(x => x.Policy, type: typeof(NonNullGraphType<EnumerationGraphType<BackorderPolicy>>));
        Field(x => x.ExpectedDate, nullable: true);
        Field(x => x.Status, type: typeof(NonNullGraphType<EnumerationGraphType<BackorderStatus>>));
        Field(x => x.CreatedAt);
    }
}

public sealed class OrderRoutingType : ObjectGraphType<OrderRoutingDto>
{
    public OrderRoutingType()
    {
        Name = "OrderRouting";
        Field(x => x.OrderId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Decisions, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<RoutingDecisionType>>>));
        Field(x => x.Allocations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<AllocationType>>>));
        Field(x => x.Backorders, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<BackorderType>>>));
    }
}

public sealed class PlannedAllocationType : ObjectGraphType<PlannedAllocationDto>
{
    public PlannedAllocationType()
    {
        Name = "PlannedAllocation";
        Field(x => x.NodeCode);
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlannedLineType>>>));
    }
}

public sealed class RoutingSimulationType : ObjectGraphType<RoutingSimulationDto>
{
    public RoutingSimulationType()
    {
        Name = "RoutingSimulation";
        Field(x => x.Outcome);
        Field(x => x.Allocations, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlannedAllocationType>>>));
        Field(x => x.Short, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PlannedLineType>>>));
        Field(x => x.Candidates, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<CandidateType>>>));
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
