using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Purchasing;

public sealed class PurchasingQueries(OmsDbContext db, Visibility seen)
{
    /// <summary>Suppliers in code order; the cursor is the last code of the page.</summary>
    public async Task<Page<SupplierDto>> SuppliersAsync(PageRequest page, CancellationToken ct)
    {
        var q = db.Suppliers.AsNoTracking();
        if (page.AfterPosition is { } after) q = q.Where(s => string.Compare(s.Code, after) > 0);
        return page.Page(await q.OrderBy(s => s.Code).Take(page.Take + 1).ToListAsync(ct), SupplierDto.From, CursorOf);
    }

    public static string CursorOf(SupplierDto supplier) => Cursor.Encode(supplier.Code);

    public static string CursorOf(PurchaseOrderDto order) => Cursor.Encode(order.Number[3..]);

    public async Task<SupplierDto> SupplierAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return SupplierDto.From(await db.Suppliers.AsNoTracking().SingleOrDefaultAsync(s => s.Code == normalized, ct) ?? throw new NotFoundException("supplier", code));
    }

    public async Task<PurchaseOrderDto> GetAsync(Guid id, CancellationToken ct) =>
        (await ShapeAsync(seen.PurchaseOrders.Where(p => p.Id == id), ct)).SingleOrDefault() ?? throw new NotFoundException("purchase order", id);

    /// <summary>Newest first; the cursor is the last number of the page.</summary>
    public async Task<Page<PurchaseOrderDto>> ListAsync(PurchaseOrderStatus? status, string? supplierCode, string? nodeCode, string? sku, PageRequest page, CancellationToken ct)
    {
        var q = seen.PurchaseOrders;
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
        if (page.AfterNumber is { } before) q = q.Where(p => p.Number < before);
        return page.Page(await ShapeAsync(q.OrderByDescending(p => p.Number).Take(page.Take + 1), ct), p => p, CursorOf);
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
