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
    public async Task<Page<ProductDto>> ListAsync(ProductFilter filter, int? limit, string? cursor, CancellationToken ct)
    {
        var take = Cursor.Limit(limit);
        var after = Cursor.Decode(cursor);
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
        var rows = await q.OrderBy(p => p.Sku).Take(take + 1).Select(p => ProductDto.From(p)).ToListAsync(ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(take);
        return new Page<ProductDto>(rows, hasMore, hasMore ? Cursor.Encode(rows[^1].Sku) : null);
    }
}
