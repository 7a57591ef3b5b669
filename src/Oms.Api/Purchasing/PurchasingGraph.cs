using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;

namespace Oms.Api.Purchasing;

/// <summary>GraphQL for suppliers and purchase orders.</summary>
public static class PurchasingGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<SupplierType, SupplierDto>>, Connection<SupplierDto>>("suppliers")
            .Description("Suppliers in code order.")
            .Paged()
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).SuppliersAsync(page, ctx.CancellationToken),
                PurchasingQueries.CursorOf));
        query.Field<PurchaseOrderType, PurchaseOrderDto>("purchaseOrder")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GuidArgument("id", "purchase order"), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<PurchaseOrderType, PurchaseOrderDto>>, Connection<PurchaseOrderDto>>("purchaseOrders")
            .Description("Purchase orders, newest first.")
            .Argument<EnumerationGraphType<PurchaseOrderStatus>>("status")
            .Argument<StringGraphType>("supplierCode")
            .Argument<StringGraphType>("nodeCode")
            .Argument<StringGraphType>("sku")
            .Paged()
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<PurchaseOrderStatus?>("status"), ctx.GetArgument<string?>("supplierCode"),
                    ctx.GetArgument<string?>("nodeCode"), ctx.GetArgument<string?>("sku"), page, ctx.CancellationToken),
                PurchasingQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<SupplierType>, SupplierDto>("createSupplier")
            .Argument<NonNullGraphType<CreateSupplierInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).CreateSupplierAsync(ctx.GetArgument<CreateSupplierRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PurchaseOrderType>, PurchaseOrderDto>("createPurchaseOrder")
            .Argument<NonNullGraphType<CreatePurchaseOrderInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(ctx.GetArgument<CreatePurchaseOrderRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PurchaseOrderType>, PurchaseOrderDto>("submitPurchaseOrder")
            .Argument<NonNullGraphType<IdGraphType>>("id").Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).SubmitAsync(ctx.GuidArgument("id", "purchase order"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PurchaseOrderType>, PurchaseOrderDto>("cancelPurchaseOrder")
            .Argument<NonNullGraphType<IdGraphType>>("id").Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).CancelAsync(ctx.GuidArgument("id", "purchase order"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PurchaseOrderType>, PurchaseOrderDto>("receivePurchaseOrder")
            .Argument<NonNullGraphType<IdGraphType>>("id").Argument<IntGraphType>("expectedVersion")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PurchaseOrderLineInputType>>>>("lines")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).ReceiveAsync(ctx.GuidArgument("id", "purchase order"),
                new ReceivePurchaseOrderRequest { Lines = ctx.GetArgument<List<PurchaseOrderLineRequest>>("lines") }, ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
    }

    private static PurchasingQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<PurchasingQueries>();
    private static PurchasingService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<PurchasingService>();
}

public sealed class SupplierType : ContractGraphType<SupplierDto>
{
    public SupplierType()
    {
        Name = "Supplier";
    }
}

public sealed class PurchaseOrderType : ContractGraphType<PurchaseOrderDto>
{
    public PurchaseOrderType()
    {
        Name = "PurchaseOrder";
    }
}

public sealed class PurchaseOrderLineType : ContractGraphType<PurchaseOrderLineDto>
{
    public PurchaseOrderLineType()
    {
        Name = "PurchaseOrderLine";
    }
}

public sealed class CreateSupplierInputType : InputObjectGraphType<CreateSupplierRequest>
{
    public CreateSupplierInputType()
    {
        Name = "CreateSupplierInput";
        Field(x => x.Code);
        Field(x => x.Name);
        Field(x => x.Email, nullable: true);
        Field(x => x.LeadTimeDays, nullable: true).DefaultValue(0);
    }
}

public sealed class PurchaseOrderLineInputType : InputObjectGraphType<PurchaseOrderLineRequest>
{
    public PurchaseOrderLineInputType()
    {
        Name = "PurchaseOrderLineInput";
        Field(x => x.Sku);
        Field(x => x.Quantity);
    }
}

public sealed class CreatePurchaseOrderInputType : InputObjectGraphType<CreatePurchaseOrderRequest>
{
    public CreatePurchaseOrderInputType()
    {
        Name = "CreatePurchaseOrderInput";
        Field(x => x.SupplierCode);
        Field(x => x.NodeCode);
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<PurchaseOrderLineInputType>>>));
    }
}
