using System.ComponentModel.DataAnnotations;
using Oms.Domain.Inventory;

namespace Oms.Api.Purchasing;

/// <summary>A supplier to reorder from.</summary>
public sealed record CreateSupplierRequest
{
    [Required, StringLength(64), RegularExpression("^[A-Za-z0-9._-]+$")] public required string Code { get; init; }
    [Required, StringLength(200)] public required string Name { get; init; }
    [EmailAddress, StringLength(320)] public string? Email { get; init; }
    [Range(0, 365)] public int LeadTimeDays { get; init; }
}

public sealed record SupplierDto
{
    public required Guid Id { get; init; }
    public required string Code { get; init; }
    public required string Name { get; init; }
    public required string? Email { get; init; }
    public required int LeadTimeDays { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static SupplierDto From(Supplier s) => new() { Id = s.Id, Code = s.Code, Name = s.Name, Email = s.Email, LeadTimeDays = s.LeadTimeDays, CreatedAt = s.CreatedAt };
}

public sealed record PurchaseOrderLineRequest
{
    [Required, StringLength(64)] public required string Sku { get; init; }
    [Range(1, 1_000_000)] public required int Quantity { get; init; }
}

/// <summary>A purchase order written by hand (reordering writes drafts by itself).</summary>
public sealed record CreatePurchaseOrderRequest
{
    [Required, StringLength(64)] public required string SupplierCode { get; init; }
    [Required, StringLength(64)] public required string NodeCode { get; init; }
    [MinLength(1), MaxLength(500)] public required List<PurchaseOrderLineRequest> Lines { get; init; }
}

/// <summary>Goods that arrived at the node.</summary>
public sealed record ReceivePurchaseOrderRequest
{
    [MinLength(1), MaxLength(500)] public required List<PurchaseOrderLineRequest> Lines { get; init; }
}

public sealed record PurchaseOrderLineDto
{
    public required string Sku { get; init; }
    public required int Quantity { get; init; }
    public required int Received { get; init; }
    public required int Outstanding { get; init; }
}

public sealed record PurchaseOrderDto
{
    public required Guid Id { get; init; }
    /// <summary>Human-friendly number, e.g. PO-1001.</summary>
    public required string Number { get; init; }
    public required string SupplierCode { get; init; }
    public required string NodeCode { get; init; }
    public required PurchaseOrderStatus Status { get; init; }
    /// <summary>Written by automatic reordering rather than by hand.</summary>
    public required bool CreatedByReorder { get; init; }
    public required IReadOnlyList<PurchaseOrderLineDto> Lines { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static PurchaseOrderDto From(PurchaseOrder p, string supplierCode, string nodeCode) => new()
    {
        Id = p.Id, Number = p.DisplayNumber, SupplierCode = supplierCode, NodeCode = nodeCode, Status = p.Status, CreatedByReorder = p.CreatedByReorder,
        Lines = p.Lines.Select(l => new PurchaseOrderLineDto { Sku = l.Sku, Quantity = l.Quantity, Received = l.Received, Outstanding = l.Outstanding }).ToList(),
        CreatedAt = p.CreatedAt, UpdatedAt = p.UpdatedAt, Version = p.Version,
    };
}
