using Oms.Domain.Common;

namespace Oms.Domain.Inventory;

/// <summary>Why on-hand stock changed.</summary>
public enum StockChangeReason
{
    Received, Damaged, Lost, CycleCount, Correction,
    TransferOut, TransferIn, Shipped, Restocked,
    /// <summary>The picker could not find units the system counted: on hand drops with the reservation they held.</summary>
    ShortPicked,
}

/// <summary>What happens when an order asks for more than is available.</summary>
public enum BackorderPolicy { Deny, Backorder, Preorder }

/// <summary>
/// One SKU at one node. The counters <see cref="OnHand"/> and <see cref="Reserved"/> are contended: they change only
/// through single conditional SQL statements, never read-modify-write, so this class holds no methods that change them.
/// </summary>
public sealed class StockItem
{
    private StockItem() { }

    public StockItem(NodeId nodeId, string sku, DateTimeOffset now)
    {
        NodeId = nodeId;
        Sku = sku;
        UpdatedAt = now;
    }

    public NodeId NodeId { get; private set; }
    public string Sku { get; private set; } = "";
    public int OnHand { get; private set; }
    public int Reserved { get; private set; }
    public int SafetyStock { get; private set; }
    public int? ReorderPoint { get; private set; }
    public int? ReorderQuantity { get; private set; }
    public Guid? SupplierId { get; private set; }
    /// <summary>Whether the reorder point follows the sales projection: set from the expected sales over the supplier's lead time plus safety stock.</summary>
    public bool ReorderPointFollowsProjection { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    /// <summary>What can still be promised: on hand less reserved less safety stock, never below zero.</summary>
    public int Available => AvailableOf(OnHand, Reserved, SafetyStock);

    public static int AvailableOf(int onHand, int reserved, int safetyStock) => Math.Max(0, onHand - reserved - safetyStock);

    /// <summary>The most units of one SKU one node can hold: far past any store or warehouse, and far enough below what the integer counters and their totals over nodes hold.</summary>
    public const int MaxOnHand = 100_000_000;

    public static DomainException OnHandTooLarge(string field) =>
        new("inventory.on_hand_too_large", $"At most {MaxOnHand} units of one SKU can be on hand at one node.", field);

    public void Configure(int safetyStock, int? reorderPoint, int? reorderQuantity, Guid? supplierId, DateTimeOffset now, bool followsProjection = false)
    {
        if (safetyStock < 0) throw new DomainException("inventory.invalid_safety_stock", "Safety stock cannot be negative.", "safetyStock");
        if (reorderPoint is < 0) throw new DomainException("inventory.invalid_reorder_point", "A reorder point cannot be negative.", "reorderPoint");
        var reorders = reorderPoint is not null || followsProjection;
        if (reorders && reorderQuantity is not > 0)
            throw new DomainException("inventory.invalid_reorder_quantity", "With a reorder point, give a reorder quantity above zero.", "reorderQuantity");
        if (reorders && supplierId is null)
            throw new DomainException("inventory.supplier_required", "With a reorder point, name the supplier to reorder from.", "supplierCode");
        SafetyStock = safetyStock;
        // Following the projection, a given point holds until the projection next sets one; without one, the current stays.
        ReorderPoint = reorderPoint ?? (followsProjection ? ReorderPoint : null);
        ReorderQuantity = reorderQuantity;
        SupplierId = supplierId;
        ReorderPointFollowsProjection = followsProjection;
        UpdatedAt = now;
    }

    /// <summary>The projection's reorder point, for a SKU that opted in; false when nothing changed.</summary>
    public bool FollowProjection(int reorderPoint, DateTimeOffset now)
    {
        if (!ReorderPointFollowsProjection || ReorderPoint == reorderPoint || reorderPoint < 0) return false;
        ReorderPoint = reorderPoint;
        UpdatedAt = now;
        return true;
    }

    /// <summary>Demo and test data only: a fresh row with its first counts, before anyone can contend for it.</summary>
    public static StockItem Seeded(NodeId nodeId, string sku, int onHand, DateTimeOffset now) => new(nodeId, sku, now) { OnHand = onHand };
}

/// <summary>One change of stock, kept for ever: who, why, and the counts before and after.</summary>
public sealed class InventoryLedgerEntry
{
    private InventoryLedgerEntry() { }

    public InventoryLedgerEntry(NodeId nodeId, string sku, StockChangeReason reason, int onHandBefore, int onHandAfter,
        int reservedBefore, int reservedAfter, string actor, string? reference, string? note, DateTimeOffset at)
    {
        NodeId = nodeId;
        Sku = sku;
        Reason = reason;
        OnHandBefore = onHandBefore;
        OnHandAfter = onHandAfter;
        ReservedBefore = reservedBefore;
        ReservedAfter = reservedAfter;
        Actor = actor;
        Reference = reference;
        Note = note;
        At = at;
    }

    /// <summary>Assigned by the database in write order: the ledger's stable sort key.</summary>
    public long Id { get; private set; }
    public NodeId NodeId { get; private set; }
    public string Sku { get; private set; } = "";
    public StockChangeReason Reason { get; private set; }
    public int OnHandBefore { get; private set; }
    public int OnHandAfter { get; private set; }
    public int ReservedBefore { get; private set; }
    public int ReservedAfter { get; private set; }
    public string Actor { get; private set; } = "";
    /// <summary>What caused it: a transfer, purchase order or order id.</summary>
    public string? Reference { get; private set; }
    public string? Note { get; private set; }
    public DateTimeOffset At { get; private set; }
}

/// <summary>Stock events recorded for webhooks.</summary>
public sealed record StockEvent(string Type, Guid AggregateId, string Sku, string NodeCode, int OnHand, int Reserved, int Available, DateTimeOffset OccurredAt) : IDomainEvent;
