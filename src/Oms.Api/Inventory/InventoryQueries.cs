using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Persistence.Configurations;

namespace Oms.Api.Inventory;

public sealed class InventoryQueries(OmsDbContext db, Visibility seen)
{
    /// <summary>A SKU at every node that stocks it, with the total available to promise.</summary>
    public async Task<SkuInventoryDto> GetAsync(string sku, CancellationToken ct)
    {
        if (!await db.Products.AnyAsync(p => p.Sku == sku, ct)) throw new NotFoundException("product", sku);
        return Group(sku, await LevelsAsync(seen.Stock.Where(s => s.Sku == sku), ct));
    }

    /// <summary>SKUs in order, each with its node levels; filters apply to the levels, the cursor is the last SKU.</summary>
    public async Task<Page<SkuInventoryDto>> ListAsync(InventoryFilter filter, PageRequest page, CancellationToken ct)
    {
        var after = page.AfterPosition;
        var rows = seen.Stock;
        if (filter.NodeCode is { Length: > 0 } code)
        {
            var normalized = code.ToUpperInvariant();
            var nodeId = await seen.Nodes.Where(n => n.Code == normalized).Select(n => (NodeId?)n.Id).SingleOrDefaultAsync(ct)
                         ?? throw Platform.Errors.RequestValidationException.For("nodeCode", $"No fulfilment node has code '{code}'.");
            rows = rows.Where(s => s.NodeId == nodeId);
        }
        if (filter.Sku is { Length: > 0 } sku) rows = rows.Where(s => s.Sku == sku);
        if (filter.BelowReorderPoint == true) rows = rows.Where(s => s.ReorderPoint != null && EF.Property<int>(s, StockColumns.Available) < s.ReorderPoint);
        if (filter.OutOfStock == true) rows = rows.Where(s => EF.Property<int>(s, StockColumns.Available) <= 0);
        var keys = rows.Select(s => s.Sku).Distinct();
        if (after is not null) keys = keys.Where(s => string.Compare(s, after) > 0);
        var skus = await keys.OrderBy(s => s).Take(page.Take + 1).ToListAsync(ct);
        var onPage = skus.Take(page.Take).ToList();
        var levels = (await LevelsAsync(rows.Where(s => onPage.Contains(s.Sku)), ct)).ToLookup(l => l.Sku);
        return page.Page(skus, s => Group(s, levels[s].ToList()), CursorOf);
    }

    public static string CursorOf(SkuInventoryDto inventory) => Cursor.Encode(inventory.Sku);

    public static string CursorOf(LedgerEntryDto entry) => Cursor.Of(entry.Id);

    public async Task<StockLevelDto> LevelAsync(string sku, NodeId node, CancellationToken ct) =>
        (await LevelsAsync(seen.Stock.Where(s => s.Sku == sku && s.NodeId == node), ct)).Single();

    /// <summary>A SKU's ledger, newest first; optionally at one node.</summary>
    public async Task<Page<LedgerEntryDto>> LedgerAsync(string sku, string? nodeCode, PageRequest page, CancellationToken ct)
    {
        var q = seen.Ledger.Where(e => e.Sku == sku);
        if (nodeCode is { Length: > 0 })
        {
            var normalized = nodeCode.ToUpperInvariant();
            q = q.Where(e => db.Nodes.Any(n => n.Id == e.NodeId && n.Code == normalized));
        }
        if (page.AfterNumber is { } before) q = q.Where(e => e.Id < before);
        return page.Page(await Project(q.OrderByDescending(e => e.Id).Take(page.Take + 1)).ToListAsync(ct), e => e, CursorOf);
    }

    public async Task<LedgerEntryDto> EntryAsync(long id, CancellationToken ct) =>
        await Project(seen.Ledger.Where(e => e.Id == id)).SingleAsync(ct);

    /// <summary>Ledger entries as the caller may see them: one limited to channels sees no references (they name any channel's orders).</summary>
    private IQueryable<LedgerEntryDto> Project(IQueryable<InventoryLedgerEntry> q)
    {
        var references = !seen.Limits.OnChannels;
        return from e in q
        join n in db.Nodes on e.NodeId equals n.Id
        select new LedgerEntryDto
        {
            Id = e.Id, Sku = e.Sku, NodeCode = n.Code, Reason = e.Reason, OnHandBefore = e.OnHandBefore, OnHandAfter = e.OnHandAfter,
            ReservedBefore = e.ReservedBefore, ReservedAfter = e.ReservedAfter, Actor = e.Actor, Reference = references ? e.Reference : null, Note = e.Note, At = e.At,
        };
    }

    private async Task<List<StockLevelDto>> LevelsAsync(IQueryable<StockItem> rows, CancellationToken ct)
    {
        var raw = await (from s in rows.AsNoTracking()
                         join n in db.Nodes on s.NodeId equals n.Id
                         join sup in db.Suppliers on s.SupplierId equals sup.Id into sups
                         from sup in sups.DefaultIfEmpty()
                         orderby s.Sku, n.Code
                         select new { s.Sku, n.Code, s.OnHand, s.Reserved, s.SafetyStock, s.ReorderPoint, s.ReorderQuantity, s.ReorderPointFollowsProjection, Supplier = sup == null ? null : sup.Code })
            .ToListAsync(ct);
        return raw.Select(r =>
        {
            var available = StockItem.AvailableOf(r.OnHand, r.Reserved, r.SafetyStock);
            return new StockLevelDto
            {
                Sku = r.Sku, NodeCode = r.Code, OnHand = r.OnHand, Reserved = r.Reserved, SafetyStock = r.SafetyStock, Available = available,
                ReorderPoint = r.ReorderPoint, ReorderQuantity = r.ReorderQuantity, SupplierCode = r.Supplier, ReorderPointFollowsProjection = r.ReorderPointFollowsProjection,
                BelowReorderPoint = r.ReorderPoint is { } p && available < p,
            };
        }).ToList();
    }

    private static SkuInventoryDto Group(string sku, IReadOnlyList<StockLevelDto> levels) => new()
    {
        Sku = sku, OnHand = levels.Sum(l => l.OnHand), Reserved = levels.Sum(l => l.Reserved), Available = levels.Sum(l => l.Available), Nodes = levels,
    };
}
