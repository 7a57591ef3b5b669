using System.ComponentModel.DataAnnotations;
using Oms.Domain.Inventory;

namespace Oms.Api.Inventory;

/// <summary>One SKU at one node.</summary>
public sealed record StockLevelDto
{
    public required string Sku { get; init; }
    public required string NodeCode { get; init; }
    public required int OnHand { get; init; }
    public required int Reserved { get; init; }
    public required int SafetyStock { get; init; }
    /// <summary>On hand less reserved less safety stock, never below zero.</summary>
    public required int Available { get; init; }
    public required int? ReorderPoint { get; init; }
    public required int? ReorderQuantity { get; init; }
    public required string? SupplierCode { get; init; }
    /// <summary>Whether the reorder point follows the sales projection (GET /api/v1/reports/projections), set again every Reports:ReorderPointInterval.</summary>
    public required bool ReorderPointFollowsProjection { get; init; }
    public required bool BelowReorderPoint { get; init; }
}

/// <summary>A SKU across every node, with the total available to promise.</summary>
public sealed record SkuInventoryDto
{
    public required string Sku { get; init; }
    public required int OnHand { get; init; }
    public required int Reserved { get; init; }
    /// <summary>Available to promise across all nodes.</summary>
    public required int Available { get; init; }
    public required IReadOnlyList<StockLevelDto> Nodes { get; init; }
}

/// <summary>
/// A change of on-hand stock. Give <see cref="Delta"/> to add or remove units, or <see cref="SetOnHand"/> with
/// <see cref="ExpectedOnHand"/> to set an absolute count (refused with 409 when the count is no longer the expected one).
/// </summary>
public sealed record AdjustmentRequest
{
    [Required, StringLength(64)] public required string Sku { get; init; }
    [Required, StringLength(64)] public required string NodeCode { get; init; }
    /// <summary>received, damaged, lost, cycle_count or correction.</summary>
    public required StockChangeReason Reason { get; init; }
    [Range(-1_000_000, 1_000_000)] public int? Delta { get; init; }
    [Range(0, 10_000_000)] public int? SetOnHand { get; init; }
    [Range(0, 10_000_000)] public int? ExpectedOnHand { get; init; }
    [StringLength(500)] public string? Note { get; init; }
}

/// <summary>Moves available units from one node to another.</summary>
public sealed record TransferRequest
{
    [Required, StringLength(64)] public required string Sku { get; init; }
    [Required, StringLength(64)] public required string FromNodeCode { get; init; }
    [Required, StringLength(64)] public required string ToNodeCode { get; init; }
    [Range(1, 1_000_000)] public required int Quantity { get; init; }
    [StringLength(500)] public string? Note { get; init; }
}

/// <summary>How a SKU is managed at a node.</summary>
public sealed record StockSettingsRequest
{
    /// <summary>Units never promised to orders.</summary>
    [Range(0, 1_000_000)] public int SafetyStock { get; init; }
    /// <summary>When available drops below this, a draft purchase order is created or extended.</summary>
    [Range(0, 1_000_000)] public int? ReorderPoint { get; init; }
    [Range(1, 1_000_000)] public int? ReorderQuantity { get; init; }
    [StringLength(64)] public string? SupplierCode { get; init; }
    /// <summary>Let the reorder point follow the sales projection: the expected sales over the supplier's lead time plus safety stock, set again every day. Needs a reorder quantity and supplier.</summary>
    public bool ReorderPointFollowsProjection { get; init; }
}

/// <summary>One ledger entry: a change of stock with who, why, and the counts before and after.</summary>
public sealed record LedgerEntryDto
{
    public required long Id { get; init; }
    public required string Sku { get; init; }
    public required string NodeCode { get; init; }
    public required StockChangeReason Reason { get; init; }
    public required int OnHandBefore { get; init; }
    public required int OnHandAfter { get; init; }
    public required int ReservedBefore { get; init; }
    public required int ReservedAfter { get; init; }
    public required string Actor { get; init; }
    public required string? Reference { get; init; }
    public required string? Note { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>What an adjustment or transfer did.</summary>
public sealed record StockChangeDto
{
    public required IReadOnlyList<StockLevelDto> Levels { get; init; }
    public required IReadOnlyList<LedgerEntryDto> Ledger { get; init; }
}

public sealed record InventoryFilter(string? NodeCode, bool? BelowReorderPoint, bool? OutOfStock, string? Sku);
