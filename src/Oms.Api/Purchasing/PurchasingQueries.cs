using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Purchasing;

public sealed class PurchasingQueries(OmsDbContext db)
{
    public async Task<IReadOnlyList<SupplierDto>> SuppliersAsync(CancellationToken ct) =>
        (await db.Suppliers.AsNoTracking().OrderBy(s => s.Code).ToListAsync(ct)).Select(SupplierDto.From).ToList();

    public async Task<SupplierDto> SupplierAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return SupplierDto.From(await db.Suppliers.AsNoTracking().SingleOrDefaultAsync(s => s.Code == normalized, ct) ?? throw new NotFoundException("supplier", code));
    }

    public async Task<PurchaseOrderDto> GetAsync(Guid id, CancellationToken ct) =>
        (await ShapeAsync(db.PurchaseOrders.Where(p => p.Id == id), ct)).SingleOrDefault() ?? throw new NotFoundException("purchase order", id);

    /// <summary>Newest first; the cursor is the last number of the page.</summary>
    public async Task<Page<PurchaseOrderDto>> ListAsync(PurchaseOrderStatus? status, string? supplierCode, string? nodeCode, string? sku, int? limit, string? cursor, CancellationToken ct)
    {
        var take = Cursor.Limit(limit);
        var q = db.PurchaseOrders.AsQueryable();
        if (status is { } s) q = q.Where(p => p.Status == s);
        if (supplierCode is { Length: > 0 })
        {
            var code = supplierCode.ToUpperInvariant();
            q = q.Where(p => db.Suppliers.Any(x => x.Id == p.SupplierId && x.Code == code));
        }
        if (nodeCode is { Length: > 0 })
        {
            var code = nodeCode.ToUpperInvariant();
            q = q.Where(p => db.Nodes.Any(n => n.Id == p.NodeId && n.Code == code));
        }
        if (sku is { Length: > 0 }) q = q.Where(p => p.Lines.Any(l => l.Sku == sku));
        if (Cursor.Decode(cursor) is { } position)
        {
            var before = long.TryParse(position, out var n) ? n : throw Platform.Errors.RequestValidationException.For("cursor", "The cursor is not one this API handed out.");
            q = q.Where(p => p.Number < before);
        }
        var rows = await ShapeAsync(q.OrderByDescending(p => p.Number).Take(take + 1), ct);
        var hasMore = rows.Count > take;
        if (hasMore) rows.RemoveAt(take);
        return new Page<PurchaseOrderDto>(rows, hasMore, hasMore ? Cursor.Encode(rows[^1].Number[3..]) : null);
    }

    private async Task<List<PurchaseOrderDto>> ShapeAsync(IQueryable<PurchaseOrder> q, CancellationToken ct)
    {
        var rows = await (from p in q.AsNoTracking()
                          join s in db.Suppliers on p.SupplierId equals s.Id
                          join n in db.Nodes on p.NodeId equals n.Id
                          select new { Po = p, Supplier = s.Code, Node = n.Code }).ToListAsync(ct);
        return rows.OrderByDescending(r => r.Po.Number).Select(r => PurchaseOrderDto.From(r.Po, r.Supplier, r.Node)).ToList();
    }
}
