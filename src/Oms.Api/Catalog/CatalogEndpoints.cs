using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Catalog;

public static class CatalogEndpoints
{
    public static void MapCatalogEndpoints(this RouteGroupBuilder api)
    {
        var products = api.MapGroup("/products").WithTags("Catalog");

        products.MapGet("/", ListAsync).RequireScope(Scopes.CatalogRead).WithName("listProducts")
            .WithSummary("List products in SKU order").ProducesProblem(400);
        products.MapGet("/{sku}", GetAsync).RequireScope(Scopes.CatalogRead).WithName("getProduct")
            .WithSummary("Get a product by SKU").ProducesProblem(404);
        products.MapPost("/", CreateAsync).RequireScope(Scopes.CatalogWrite).WithName("createProduct")
            .WithSummary("Create a product").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        products.MapPatch("/{sku}", UpdateAsync).RequireScope(Scopes.CatalogWrite).WithName("updateProduct")
            .WithSummary("Change a product; fields left out stay as they are").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422);
    }

    /// <param name="queries">The catalog's reads.</param>
    /// <param name="ct">Cancelled when the client goes away.</param>
    /// <param name="active">Only active (true) or inactive (false) products.</param>
    /// <param name="brand">Exact brand.</param>
    /// <param name="category">Exact category.</param>
    /// <param name="search">Part of the name or SKU, case-insensitive (GraphQL: <c>filter.search</c>).</param>
    /// <param name="limit">Page size, 1-250 (default 50).</param>
    /// <param name="cursor">The <c>next</c> of the previous page; omit for the first page.</param>
    private static async Task<Ok<Page<ProductDto>>> ListAsync(
        CatalogQueries queries, CancellationToken ct,
        bool? active = null, string? brand = null, string? category = null,
        string? search = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await queries.ListAsync(new ProductFilter(active, brand, category, search), PageRequest.Rest(limit, cursor), ct));

    private static async Task<Ok<ProductDto>> GetAsync(string sku, CatalogQueries queries, HttpResponse response, CancellationToken ct)
    {
        var product = await queries.GetAsync(sku, ct);
        Preconditions.SetETag(response, product.Version);
        return TypedResults.Ok(product);
    }

    private static async Task<Created<ProductDto>> CreateAsync(CreateProductRequest request, CatalogService service, HttpResponse response, CancellationToken ct)
    {
        var product = await service.CreateAsync(request, ct);
        Preconditions.SetETag(response, product.Version);
        return TypedResults.Created($"/api/v1/products/{Uri.EscapeDataString(product.Sku)}", product);
    }

    private static async Task<Ok<ProductDto>> UpdateAsync(string sku, UpdateProductRequest request, CatalogService service, HttpContext http, CancellationToken ct)
    {
        var product = await service.UpdateAsync(sku, request, Preconditions.ExpectedVersion(http.Request), ct);
        Preconditions.SetETag(http.Response, product.Version);
        return TypedResults.Ok(product);
    }
}
