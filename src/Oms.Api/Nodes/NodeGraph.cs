using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;

namespace Oms.Api.Nodes;

/// <summary>GraphQL for fulfilment nodes.</summary>
public static class NodeGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<NodeType, NodeDto>>, Connection<NodeDto>>("fulfilmentNodes")
            .Description("Fulfilment nodes in code order.")
            .Argument<BooleanGraphType>("active")
            .Argument<EnumerationGraphType<NodeKind>>("kind")
            .Paged()
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<bool?>("active"), ctx.GetArgument<NodeKind?>("kind"), page, ctx.CancellationToken),
                NodeQueries.CursorOf));
        query.Field<NodeType, NodeDto>("fulfilmentNode")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GetArgument<string>("code"), ctx.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NodeType>, NodeDto>("createFulfilmentNode")
            .Argument<NonNullGraphType<CreateNodeInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(ctx.GetArgument<CreateNodeRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<NodeType>, NodeDto>("updateFulfilmentNode")
            .Argument<NonNullGraphType<StringGraphType>>("code")
            .Argument<NonNullGraphType<UpdateNodeInputType>>("input")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).UpdateAsync(ctx.GetArgument<string>("code"), ctx.GetArgument<UpdateNodeRequest>("input"),
                ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
    }

    private static NodeQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<NodeQueries>();
    private static NodeService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<NodeService>();
}

public sealed class NodeType : ContractGraphType<NodeDto>
{
    public NodeType()
    {
        Name = "FulfilmentNode";
    }
}

public sealed class ShippingCostType : ObjectGraphType<ShippingCostDto>
{
    public ShippingCostType()
    {
        Name = "ShippingCost";
        Description = "Shipping cost model in minor units: base + per kg + per 100 km.";
        ShippingCostFields.Add(this);
    }
}

public sealed class ShippingCostInputType : InputObjectGraphType<ShippingCostDto>
{
    public ShippingCostInputType()
    {
        Name = "ShippingCostInput";
        ShippingCostFields.Add(this);
    }
}

internal static class ShippingCostFields
{
    public static void Add(ComplexGraphType<ShippingCostDto> t)
    {
        t.Field(x => x.Base, type: typeof(NonNullGraphType<LongGraphType>));
        t.Field(x => x.PerKg, type: typeof(NonNullGraphType<LongGraphType>));
        t.Field(x => x.Per100Km, type: typeof(NonNullGraphType<LongGraphType>));
        t.Field(x => x.Currency);
    }
}

public sealed class CreateNodeInputType : InputObjectGraphType<CreateNodeRequest>
{
    public CreateNodeInputType()
    {
        Name = "CreateFulfilmentNodeInput";
        Field(x => x.Code);
        Field(x => x.Kind, type: typeof(NonNullGraphType<EnumerationGraphType<NodeKind>>));
        Field(x => x.Name);
        Field(x => x.Address, type: typeof(NonNullGraphType<AddressInputType>));
        Field(x => x.TimeZone);
        Field(x => x.Active, nullable: true);
        Field(x => x.CanShip, nullable: true);
        Field(x => x.CanPickup, nullable: true);
        Field(x => x.ServesCountries, nullable: true);
        Field(x => x.Priority, nullable: true);
        Field(x => x.DailyCapacity, nullable: true);
        Field(x => x.SameDayCutoff, nullable: true);
        Field(x => x.ShippingCost, type: typeof(NonNullGraphType<ShippingCostInputType>));
    }
}

public sealed class UpdateNodeInputType : InputObjectGraphType<UpdateNodeRequest>
{
    public UpdateNodeInputType()
    {
        Name = "UpdateFulfilmentNodeInput";
        Field(x => x.Kind, type: typeof(EnumerationGraphType<NodeKind>));
        Field(x => x.Name, nullable: true);
        Field(x => x.Address, type: typeof(AddressInputType));
        Field(x => x.TimeZone, nullable: true);
        Field(x => x.Active, nullable: true);
        Field(x => x.CanShip, nullable: true);
        Field(x => x.CanPickup, nullable: true);
        Field(x => x.ServesCountries, nullable: true);
        Field(x => x.Priority, nullable: true);
        Field(x => x.DailyCapacity, nullable: true).Description("-1 removes the limit.");
        Field(x => x.SameDayCutoff, nullable: true);
        Field(x => x.ShippingCost, type: typeof(ShippingCostInputType));
    }
}
