using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Api.Inventory;
using Oms.Api.Platform.Validation;
using Oms.Api.Routing;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Purchasing;

public sealed class PurchasingService(OmsDbContext db, UnitOfWork work, InventoryService inventory, StockCounters counters, StockSignals signals,
    AllocationService allocations, PurchasingQueries queries, TimeProvider clock, Visibility seen)
{
    public async Task<SupplierDto> CreateSupplierAsync(CreateSupplierRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var supplier = Supplier.Create(r.Code, r.Name, r.Email, r.LeadTimeDays, clock.GetUtcNow());
        db.Suppliers.Add(supplier);
        await db.SaveUniqueAsync("supplier.duplicate_code", $"A supplier with code '{supplier.Code}' already exists.", ct);
        return SupplierDto.From(supplier);
    }

    public async Task<PurchaseOrderDto> CreateAsync(CreatePurchaseOrderRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var supplier = await SupplierAsync(r.SupplierCode, ct);
        var node = await NodeAsync(r.NodeCode, ct);
        var skus = r.Lines.Select(l => l.Sku).Distinct().ToList();
        var known = await db.Products.Where(p => skus.Contains(p.Sku)).Select(p => p.Sku).ToListAsync(ct);
        if (skus.Except(known).FirstOrDefault() is { } unknown)
            throw new DomainException("purchase_order.unknown_sku", $"No product has SKU '{unknown}'.", $"lines[{r.Lines.FindIndex(l => l.Sku == unknown)}].sku");
        var now = clock.GetUtcNow();
        var po = PurchaseOrder.Draft(await db.NextNumberAsync(Sequences.PurchaseOrderNumbers, ct), supplier.Id, node.Id, byReorder: false, now);
        foreach (var line in r.Lines) po.AddLine(line.Sku, line.Quantity, accumulate: true, now);
        db.PurchaseOrders.Add(po);
        await db.SaveChangesAsync(ct);
        return await queries.GetAsync(po.Id, ct);
    }

    public Task<PurchaseOrderDto> SubmitAsync(Guid id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, po => po.Submit(clock.GetUtcNow()), ct);

    public Task<PurchaseOrderDto> CancelAsync(Guid id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, po => po.Cancel(clock.GetUtcNow()), ct);

    /// <summary>Books goods in: on hand rises at the node (with ledger entries), then waiting backorders are allocated.</summary>
    public async Task<PurchaseOrderDto> ReceiveAsync(Guid id, ReceivePurchaseOrderRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var po = await LoadAsync(id, expectedVersion, ct);
        var node = await db.Nodes.AsNoTracking().SingleAsync(n => n.Id == po.NodeId, ct);
        // The order decides first (a draft, or a SKU not on it, is refused here): only then are stock rows made, and
        // only for SKUs it holds. A refused receipt writes nothing.
        var booked = po.Receive(r.Lines.Select(l => (l.Sku, l.Quantity)).ToList(), clock.GetUtcNow());
        await counters.EnsureRowsAsync(booked.Select(b => (po.NodeId, b.Sku)), ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var counts = await inventory.ReceiveAsync(po.NodeId, node.Code, booked, po.DisplayNumber, ct);
        await signals.AfterChangeAsync(counts, ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        foreach (var sku in booked.Select(b => b.Sku).Distinct()) await allocations.FillBackordersAsync(sku, ct);
        return await queries.GetAsync(po.Id, ct);
    }

    private async Task<PurchaseOrderDto> ChangeAsync(Guid id, int? expectedVersion, Action<PurchaseOrder> change, CancellationToken ct)
    {
        var po = await work.ChangeAsync(async () =>
        {
            var po = await LoadAsync(id, expectedVersion, ct);
            change(po);
            return po;
        }, ct);
        return await queries.GetAsync(po.Id, ct);
    }

    private async Task<PurchaseOrder> LoadAsync(Guid id, int? expectedVersion, CancellationToken ct)
    {
        await seen.EnsurePurchaseOrderAsync(id, ct);
        var po = await db.PurchaseOrders.SingleOrDefaultAsync(p => p.Id == id, ct) ?? throw new NotFoundException("purchase order", id);
        po.EnsureVersion(expectedVersion);
        return po;
    }

    private async Task<Supplier> SupplierAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return await db.Suppliers.SingleOrDefaultAsync(s => s.Code == normalized, ct)
               ?? throw new DomainException("purchase_order.unknown_supplier", $"No supplier has code '{code}'.", "supplierCode");
    }

    private async Task<FulfilmentNode> NodeAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return await seen.Nodes.SingleOrDefaultAsync(n => n.Code == normalized, ct)
               ?? throw new DomainException("purchase_order.unknown_node", $"No fulfilment node has code '{code}'.", "nodeCode");
    }
}
