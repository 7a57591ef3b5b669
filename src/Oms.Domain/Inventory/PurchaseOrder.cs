using Oms.Domain.Common;

namespace Oms.Domain.Inventory;

public enum PurchaseOrderStatus { Draft, Submitted, PartiallyReceived, Received, Cancelled }

public sealed class PurchaseOrderLine
{
    private PurchaseOrderLine() { }

    internal PurchaseOrderLine(string sku, int quantity)
    {
        Sku = sku;
        Quantity = quantity;
    }

    public string Sku { get; private set; } = "";
    public int Quantity { get; private set; }
    public int Received { get; private set; }

    public int Outstanding => Math.Max(0, Quantity - Received);

    internal void Add(int quantity) => Quantity = checked(Quantity + quantity);
    internal void Receive(int quantity) => Received = checked(Received + quantity);
}

/// <summary>
/// Stock ordered from a supplier for one node: draft → submitted → partially_received → received, or cancelled.
/// Reordering keeps at most one open draft per supplier and node and extends it.
/// </summary>
public sealed class PurchaseOrder : AggregateRoot
{
    public static readonly Lifecycle<PurchaseOrderStatus> Lifecycle = new("purchase_order", "purchase order", new Dictionary<PurchaseOrderStatus, PurchaseOrderStatus[]>
    {
        [PurchaseOrderStatus.Draft] = [PurchaseOrderStatus.Submitted, PurchaseOrderStatus.Cancelled],
        [PurchaseOrderStatus.Submitted] = [PurchaseOrderStatus.PartiallyReceived, PurchaseOrderStatus.Received, PurchaseOrderStatus.Cancelled],
        [PurchaseOrderStatus.PartiallyReceived] = [PurchaseOrderStatus.PartiallyReceived, PurchaseOrderStatus.Received],
        [PurchaseOrderStatus.Received] = [],
        [PurchaseOrderStatus.Cancelled] = [],
    });

    private readonly List<PurchaseOrderLine> _lines = [];

    private PurchaseOrder() { }

    public Guid Id { get; private set; }
    public long Number { get; private set; }
    public string DisplayNumber => $"PO-{Number}";
    public Guid SupplierId { get; private set; }
    public NodeId NodeId { get; private set; }
    public PurchaseOrderStatus Status { get; private set; }
    public bool CreatedByReorder { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyList<PurchaseOrderLine> Lines => _lines;

    public static bool CanMove(PurchaseOrderStatus from, PurchaseOrderStatus to) => Lifecycle.CanMove(from, to);

    public static PurchaseOrder Draft(long number, Guid supplierId, NodeId nodeId, bool byReorder, DateTimeOffset now)
    {
        var po = new PurchaseOrder
        {
            Id = Uuid.V7(now), Number = number, SupplierId = supplierId, NodeId = nodeId,
            Status = PurchaseOrderStatus.Draft, CreatedByReorder = byReorder, CreatedAt = now, UpdatedAt = now,
        };
        po.Raise(new PurchaseOrderEvent("purchase_order.created", po.Id, po.DisplayNumber, now));
        return po;
    }

    /// <summary>Adds a SKU to a draft; a SKU already on it is not ordered twice unless <paramref name="accumulate"/>.</summary>
    public bool AddLine(string sku, int quantity, bool accumulate, DateTimeOffset now)
    {
        if (Status != PurchaseOrderStatus.Draft)
            throw new ConflictException("purchase_order.not_draft", "Only a draft purchase order can be changed.");
        if (quantity < 1) throw new DomainException("purchase_order.invalid_quantity", "A quantity is at least 1.", "quantity");
        var existing = _lines.FirstOrDefault(l => l.Sku == sku);
        if (existing is not null && !accumulate) return false;
        if (existing is null) _lines.Add(new PurchaseOrderLine(sku, quantity));
        else existing.Add(quantity);
        UpdatedAt = now;
        return true;
    }

    public void Submit(DateTimeOffset now)
    {
        if (_lines.Count == 0) throw new ConflictException("purchase_order.empty", "A purchase order needs at least one line.");
        MoveTo(PurchaseOrderStatus.Submitted, now);
        Raise(new PurchaseOrderEvent("purchase_order.submitted", Id, DisplayNumber, now));
    }

    public void Cancel(DateTimeOffset now)
    {
        MoveTo(PurchaseOrderStatus.Cancelled, now);
        Raise(new PurchaseOrderEvent("purchase_order.cancelled", Id, DisplayNumber, now));
    }

    /// <summary>Books a delivery; the caller raises on-hand stock for what this returns.</summary>
    public IReadOnlyList<(string Sku, int Quantity)> Receive(IReadOnlyList<(string Sku, int Quantity)> delivered, DateTimeOffset now)
    {
        if (!CanMove(Status, PurchaseOrderStatus.Received))
            throw new ConflictException(Lifecycle.InvalidTransitionCode, $"A purchase order that is {Lifecycle<PurchaseOrderStatus>.Wire(Status)} cannot receive goods.");
        var booked = new List<(string, int)>();
        for (var i = 0; i < delivered.Count; i++)
        {
            var (sku, quantity) = delivered[i];
            var line = _lines.FirstOrDefault(l => l.Sku == sku)
                ?? throw new DomainException("purchase_order.unknown_sku", $"'{sku}' is not on this purchase order.", $"lines[{i}].sku");
            if (quantity < 1) throw new DomainException("purchase_order.invalid_quantity", "A quantity is at least 1.", $"lines[{i}].quantity");
            line.Receive(quantity);
            booked.Add((sku, quantity));
        }
        MoveTo(_lines.All(l => l.Outstanding == 0) ? PurchaseOrderStatus.Received : PurchaseOrderStatus.PartiallyReceived, now);
        Raise(new PurchaseOrderEvent("purchase_order.received", Id, DisplayNumber, now));
        return booked;
    }

    private void MoveTo(PurchaseOrderStatus to, DateTimeOffset now)
    {
        Lifecycle.EnsureCanMove(Status, to);
        Status = to;
        UpdatedAt = now;
    }
}

public sealed record PurchaseOrderEvent(string Type, Guid AggregateId, string Number, DateTimeOffset OccurredAt) : IDomainEvent;
