using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;

namespace Oms.Api.Inventory;

/// <summary>GraphQL for stock: thin adapters over <see cref="InventoryService"/> and <see cref="InventoryQueries"/>.</summary>
public static class InventoryGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<SkuInventoryType, SkuInventoryDto>("inventory")
            .Description("A SKU at every node and its total available to promise.")
            .Argument<NonNullGraphType<StringGraphType>>("sku")
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GetArgument<string>("sku"), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<SkuInventoryType, SkuInventoryDto>>, Connection<SkuInventoryDto>>("inventories")
            .Argument<StringGraphType>("nodeCode")
            .Argument<BooleanGraphType>("belowReorderPoint")
            .Argument<BooleanGraphType>("outOfStock")
            .Argument<StringGraphType>("sku")
            .Paged()
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(new InventoryFilter(ctx.GetArgument<string?>("nodeCode"), ctx.GetArgument<bool?>("belowReorderPoint"),
                    ctx.GetArgument<bool?>("outOfStock"), ctx.GetArgument<string?>("sku")), page, ctx.CancellationToken),
                InventoryQueries.CursorOf));
        query.Field<NonNullGraphType<ConnectionType<LedgerEntryType, LedgerEntryDto>>, Connection<LedgerEntryDto>>("inventoryLedger")
            .Description("A SKU's stock changes, newest first.")
            .Argument<NonNullGraphType<StringGraphType>>("sku")
            .Argument<StringGraphType>("nodeCode")
            .Paged()
            .RequireScope(Scopes.InventoryRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).LedgerAsync(ctx.GetArgument<string>("sku"), ctx.GetArgument<string?>("nodeCode"), page, ctx.CancellationToken),
                InventoryQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<StockChangeType>, StockChangeDto>("adjustInventory")
            .Argument<NonNullGraphType<AdjustmentInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).AdjustAsync(ctx.GetArgument<AdjustmentRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<StockChangeType>, StockChangeDto>("transferInventory")
            .Argument<NonNullGraphType<TransferInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).TransferAsync(ctx.GetArgument<TransferRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<StockLevelType>, StockLevelDto>("configureStock")
            .Argument<NonNullGraphType<StringGraphType>>("sku")
            .Argument<NonNullGraphType<StringGraphType>>("nodeCode")
            .Argument<NonNullGraphType<StockSettingsInputType>>("input")
            .RequireScope(Scopes.InventoryWrite)
            .ResolveAsync(async ctx => await Service(ctx).ConfigureAsync(ctx.GetArgument<string>("sku"), ctx.GetArgument<string>("nodeCode"),
                ctx.GetArgument<StockSettingsRequest>("input"), ctx.CancellationToken));
    }

    private static InventoryQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<InventoryQueries>();
    private static InventoryService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<InventoryService>();
}

public sealed class StockLevelType : ContractGraphType<StockLevelDto>
{
    public StockLevelType()
    {
        Name = "StockLevel";
    }
}

public sealed class SkuInventoryType : ContractGraphType<SkuInventoryDto>
{
    public SkuInventoryType()
    {
        Name = "SkuInventory";
    }
}

public sealed class LedgerEntryType : ContractGraphType<LedgerEntryDto>
{
    public LedgerEntryType()
    {
        Name = "LedgerEntry";
    }
}

public sealed class StockChangeType : ContractGraphType<StockChangeDto>
{
    public StockChangeType()
    {
        Name = "StockChange";
    }
}

public sealed class AdjustmentInputType : InputObjectGraphType<AdjustmentRequest>
{
    public AdjustmentInputType()
    {
        Name = "AdjustmentInput";
        Field(x => x.Sku);
        Field(x => x.NodeCode);
        Field(x => x.Reason, type: typeof(NonNullGraphType<EnumerationGraphType<StockChangeReason>>)).Description("RECEIVED, DAMAGED, LOST, CYCLE_COUNT or CORRECTION.");
        Field(x => x.Delta, nullable: true);
        Field(x => x.SetOnHand, nullable: true);
        Field(x => x.ExpectedOnHand, nullable: true);
        Field(x => x.Note, nullable: true);
    }
}

public sealed class TransferInputType : InputObjectGraphType<TransferRequest>
{
    public TransferInputType()
    {
        Name = "TransferInput";
        Field(x => x.Sku);
        Field(x => x.FromNodeCode);
        Field(x => x.ToNodeCode);
        Field(x => x.Quantity);
        Field(x => x.Note, nullable: true);
    }
}

public sealed class StockSettingsInputType : InputObjectGraphType<StockSettingsRequest>
{
    public StockSettingsInputType()
    {
        Name = "StockSettingsInput";
        Field(x => x.SafetyStock, nullable: true).DefaultValue(0);
        Field(x => x.ReorderPoint, nullable: true);
        Field(x => x.ReorderQuantity, nullable: true);
        Field(x => x.SupplierCode, nullable: true);
        Field(x => x.ReorderPointFollowsProjection, nullable: true).DefaultValue(false)
            .Description("Let the reorder point follow the sales projection (needs a reorder quantity and supplier).");
    }
}
