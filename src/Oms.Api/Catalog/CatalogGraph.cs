using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Catalog;

/// <summary>GraphQL for the catalog: thin adapters over <see cref="CatalogService"/> and <see cref="CatalogQueries"/>.</summary>
public static class CatalogGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<ProductType, ProductDto>("product")
            .Description("A product by SKU.")
            .Argument<NonNullGraphType<StringGraphType>>("sku")
            .RequireScope(Scopes.CatalogRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GetArgument<string>("sku"), ctx.CancellationToken));

        query.Field<NonNullGraphType<ConnectionType<ProductType, ProductDto>>, Connection<ProductDto>>("products")
            .Description("Products in SKU order.")
            .Argument<ProductFilterInputType>("filter")
            .Paged()
            .RequireScope(Scopes.CatalogRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<ProductFilter?>("filter") ?? new ProductFilter(null, null, null, null), page, ctx.CancellationToken),
                CatalogQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<ProductType>, ProductDto>("createProduct")
            .Argument<NonNullGraphType<CreateProductInputType>>("input")
            .RequireScope(Scopes.CatalogWrite)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(ctx.GetArgument<CreateProductRequest>("input"), ctx.CancellationToken));

        mutation.Field<NonNullGraphType<ProductType>, ProductDto>("updateProduct")
            .Description("Change a product; fields left out stay as they are.")
            .Argument<NonNullGraphType<StringGraphType>>("sku")
            .Argument<NonNullGraphType<UpdateProductInputType>>("input")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.CatalogWrite)
            .ResolveAsync(async ctx => await Service(ctx).UpdateAsync(ctx.GetArgument<string>("sku"),
                ctx.GetArgument<UpdateProductRequest>("input"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
    }

    private static CatalogQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<CatalogQueries>();
    private static CatalogService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<CatalogService>();
}

public sealed class ProductType : ContractGraphType<ProductDto>
{
    public ProductType()
    {
        Name = "Product";
    }
}

public sealed class DimensionsType : ContractGraphType<DimensionsDto>
{
    public DimensionsType()
    {
        Name = "Dimensions";
        Description = "Outer dimensions of one unit, in millimetres.";
    }
}

public sealed class DimensionsInputType : InputObjectGraphType<DimensionsDto>
{
    public DimensionsInputType()
    {
        Name = "DimensionsInput";
        Field(x => x.LengthMm);
        Field(x => x.WidthMm);
        Field(x => x.HeightMm);
    }
}

public sealed class ProductFilterInputType : InputObjectGraphType<ProductFilter>
{
    public ProductFilterInputType()
    {
        Name = "ProductFilter";
        Field(x => x.Active, nullable: true);
        Field(x => x.Brand, nullable: true);
        Field(x => x.Category, nullable: true);
        Field(x => x.Search, nullable: true).Description("Part of the name or SKU, case-insensitive.");
    }
}

public sealed class CreateProductInputType : InputObjectGraphType<CreateProductRequest>
{
    public CreateProductInputType()
    {
        Name = "CreateProductInput";
        Field(x => x.Sku);
        Field(x => x.Name);
        Field(x => x.Brand, nullable: true);
        Field(x => x.Category, nullable: true);
        Field(x => x.Price, type: typeof(NonNullGraphType<MoneyInputType>));
        Field(x => x.Cost, type: typeof(MoneyInputType)).Description("What one unit costs you, in the price's currency.");
        Field(x => x.WeightGrams, nullable: true).DefaultValue(0);
        Field(x => x.Dimensions, type: typeof(DimensionsInputType));
        Field(x => x.Barcode, nullable: true);
        Field(x => x.Active, nullable: true).DefaultValue(true);
        Field(x => x.BackorderPolicy, type: typeof(EnumerationGraphType<Oms.Domain.Inventory.BackorderPolicy>));
        Field(x => x.PreorderAvailableOn, nullable: true);
    }
}

public sealed class UpdateProductInputType : InputObjectGraphType<UpdateProductRequest>
{
    public UpdateProductInputType()
    {
        Name = "UpdateProductInput";
        Field(x => x.Name, nullable: true);
        Field(x => x.Brand, nullable: true);
        Field(x => x.Category, nullable: true);
        Field(x => x.Price, type: typeof(MoneyInputType));
        Field(x => x.Cost, type: typeof(MoneyInputType)).Description("What one unit costs you, in the price's currency.");
        Field(x => x.WeightGrams, nullable: true);
        Field(x => x.Dimensions, type: typeof(DimensionsInputType));
        Field(x => x.Barcode, nullable: true);
        Field(x => x.Active, nullable: true);
        Field(x => x.BackorderPolicy, type: typeof(EnumerationGraphType<Oms.Domain.Inventory.BackorderPolicy>));
        Field(x => x.PreorderAvailableOn, nullable: true);
    }
}
