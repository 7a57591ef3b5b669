using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Catalog;

public sealed class CatalogService(OmsDbContext db, TimeProvider clock)
{
    public async Task<ProductDto> CreateAsync(CreateProductRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        var product = Product.Create(request.Sku, Details(request), clock.GetUtcNow());
        db.Products.Add(product);
        await db.SaveUniqueAsync("catalog.duplicate_sku", $"A product with SKU '{request.Sku}' already exists.", ct);
        return ProductDto.From(product);
    }

    public async Task<ProductDto> UpdateAsync(string sku, UpdateProductRequest request, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        var product = await db.Products.SingleOrDefaultAsync(p => p.Sku == sku, ct) ?? throw new NotFoundException("product", sku);
        product.EnsureVersion(expectedVersion);
        var d = request.Dimensions;
        product.Update(new ProductDetails(
            request.Name ?? product.Name,
            request.Brand ?? product.Brand,
            request.Category ?? product.Category,
            request.Price is { } price ? new Money(price.Amount, price.Currency) : product.Price,
            request.WeightGrams ?? product.WeightGrams,
            d is null ? product.Dimensions : new Dimensions(d.LengthMm, d.WidthMm, d.HeightMm),
            request.Barcode ?? product.Barcode,
            request.Active ?? product.Active,
            request.BackorderPolicy ?? product.BackorderPolicy,
            request.PreorderAvailableOn ?? product.PreorderAvailableOn,
            CostOf(request.Cost, request.Price?.Currency ?? product.Currency) ?? product.CostAmount), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return ProductDto.From(product);
    }

    private static ProductDetails Details(CreateProductRequest r) => new(
        r.Name, r.Brand, r.Category, new Money(r.Price.Amount, r.Price.Currency), r.WeightGrams,
        r.Dimensions is { } d ? new Dimensions(d.LengthMm, d.WidthMm, d.HeightMm) : null, r.Barcode, r.Active,
        r.BackorderPolicy ?? BackorderPolicy.Deny, r.PreorderAvailableOn, CostOf(r.Cost, r.Price.Currency));

    /// <summary>A cost is in the price's currency (stock value adds costs up per currency).</summary>
    private static long? CostOf(MoneyDto? cost, string priceCurrency) =>
        cost is null ? null
        : string.Equals(cost.Currency, priceCurrency, StringComparison.OrdinalIgnoreCase) ? cost.Amount
        : throw new DomainException("catalog.cost_currency", $"A cost is in the price's currency ({priceCurrency.ToUpperInvariant()}).", "cost.currency");
}
