using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Catalog;

public sealed class CatalogQueries(OmsDbContext db)
{
    public async Task<ProductDto> GetAsync(string sku, CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => ProductDto.From(p)).SingleOrDefaultAsync(ct)
        ?? throw new NotFoundException("product", sku);

    /// <summary>Products by SKU in one query; SKUs that do not exist are absent from the result.</summary>
    public async Task<Dictionary<string, ProductDto>> BySkusAsync(IReadOnlyCollection<string> skus, CancellationToken ct) =>
        await db.Products.AsNoTracking().Where(p => skus.Contains(p.Sku)).Select(p => ProductDto.From(p)).ToDictionaryAsync(p => p.Sku, ct);

    /// <summary>Products in SKU order; the cursor is the last SKU of the previous page.</summary>
    public async Task<Page<ProductDto>> ListAsync(ProductFilter filter, PageRequest page, CancellationToken ct)
    {
        var after = page.AfterPosition;
        var q = db.Products.AsNoTracking();
        if (filter.Active is { } active) q = q.Where(p => p.Active == active);
        if (filter.Brand is { Length: > 0 } brand) q = q.Where(p => p.Brand == brand);
        if (filter.Category is { Length: > 0 } category) q = q.Where(p => p.Category == category);
        if (filter.Search is { Length: > 0 } search)
        {
            var pattern = $"%{search.ToLowerInvariant()}%";
            q = q.Where(p => EF.Functions.Like(p.Name.ToLower(), pattern) || EF.Functions.Like(p.Sku.ToLower(), pattern));
        }
        if (after is not null) q = q.Where(p => string.Compare(p.Sku, after) > 0);
        return page.Page(await q.OrderBy(p => p.Sku).Take(page.Take + 1).Select(p => ProductDto.From(p)).ToListAsync(ct), p => p, CursorOf);
    }

    /// <summary>The cursor that resumes a list right after <paramref name="product"/>.</summary>
    public static string CursorOf(ProductDto product) => Cursor.Encode(product.Sku);
}
