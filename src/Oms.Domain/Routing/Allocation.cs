using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;

namespace Oms.Domain.Routing;

public enum AllocationStatus { Reserved, Rejected, Released, Shipped }

public sealed class AllocationLine
{
    private AllocationLine() { }

    internal AllocationLine(Guid orderLineId, string sku, int quantity)
    {
        OrderLineId = orderLineId;
        Sku = sku;
        Quantity = quantity;
    }

    public Guid OrderLineId { get; private set; }
    public string Sku { get; private set; } = "";
    public int Quantity { get; private set; }

    internal void Reduce(int by) => Quantity -= by;
}

/// <summary>The part of an order one node ships: its lines' quantities are reserved in that node's stock.</summary>
public sealed class Allocation : AggregateRoot
{
    public static readonly Lifecycle<AllocationStatus> Lifecycle = new("allocation", "allocation", new Dictionary<AllocationStatus, AllocationStatus[]>
    {
        [AllocationStatus.Reserved] = [AllocationStatus.Rejected, AllocationStatus.Released, AllocationStatus.Shipped],
        [AllocationStatus.Rejected] = [],
        [AllocationStatus.Released] = [],
        [AllocationStatus.Shipped] = [],
    });

    private readonly List<AllocationLine> _lines = [];

    private Allocation() { }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    public NodeId NodeId { get; private set; }
    public string NodeCode { get; private set; } = "";
    public Guid DecisionId { get; private set; }
    public AllocationStatus Status { get; private set; }
    public string? RejectReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyList<AllocationLine> Lines => _lines;

    public static Allocation Reserve(OrderId orderId, NodeId nodeId, string nodeCode, Guid decisionId,
        IEnumerable<(Guid LineId, string Sku, int Quantity)> lines, DateTimeOffset now)
    {
        var a = new Allocation
        {
            Id = Uuid.V7(now), OrderId = orderId, NodeId = nodeId, NodeCode = nodeCode, DecisionId = decisionId,
            Status = AllocationStatus.Reserved, CreatedAt = now, UpdatedAt = now,
        };
        a._lines.AddRange(lines.Select(l => new AllocationLine(l.LineId, l.Sku, l.Quantity)));
        if (a._lines.Count == 0 || a._lines.Any(l => l.Quantity < 1))
            throw new DomainException("allocation.empty", "An allocation holds at least one unit of each of its lines.");
        a.Raise(new AllocationEvent("allocation.reserved", a.Id, orderId.Value, nodeCode, null, now));
        return a;
    }

    /// <summary>The node refuses: its reservation is released and the rest of the order is routed elsewhere.</summary>
    public void Reject(string reason, DateTimeOffset now)
    {
        var moved = MoveTo(AllocationStatus.Rejected);
        RejectReason = reason;
        UpdatedAt = now;
        Raise(new AllocationEvent("allocation.rejected", Id, OrderId.Value, NodeCode, reason, now, moved));
    }

    /// <summary>The node sent its part: the reserved stock is consumed.</summary>
    public void Ship(DateTimeOffset now)
    {
        var moved = MoveTo(AllocationStatus.Shipped);
        UpdatedAt = now;
        Raise(new AllocationEvent("allocation.shipped", Id, OrderId.Value, NodeCode, null, now, moved));
    }

    /// <summary>
    /// The picker could not find <paramref name="missing"/> units of a line: they leave the allocation (the caller routes
    /// them elsewhere). An allocation left with nothing is released.
    /// </summary>
    public void ShortPicked(Guid orderLineId, int missing, DateTimeOffset now)
    {
        if (Status != AllocationStatus.Reserved)
            throw new ConflictException(Lifecycle.InvalidTransitionCode, $"Only a reserved allocation can be short-picked; this one is {Status.ToString().ToLowerInvariant()}.");
        var line = _lines.Single(l => l.OrderLineId == orderLineId);
        if (missing < 1 || missing > line.Quantity) throw new ArgumentOutOfRangeException(nameof(missing));
        line.Reduce(missing);
        if (line.Quantity == 0) _lines.Remove(line);
        UpdatedAt = now;
        if (_lines.Count == 0) Release(now);
    }

    /// <summary>The order was cancelled: the reservation goes back to stock.</summary>
    public void Release(DateTimeOffset now)
    {
        var moved = MoveTo(AllocationStatus.Released);
        UpdatedAt = now;
        Raise(new AllocationEvent("allocation.released", Id, OrderId.Value, NodeCode, null, now, moved));
    }

    private Transition MoveTo(AllocationStatus to)
    {
        Lifecycle.EnsureCanMove(Status, to);
        var moved = Transition.Of(Status, to);
        Status = to;
        return moved;
    }
}

public sealed record AllocationEvent(string Type, Guid AggregateId, Guid OrderId, string NodeCode, string? Reason, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}

public enum BackorderStatus { Open, Allocated, Cancelled }

/// <summary>Quantity of an order line that no node could reserve; allocated when stock arrives, expedited first, then oldest.</summary>
public sealed class Backorder
{
    private Backorder() { }

    public Backorder(OrderId orderId, Guid orderLineId, string sku, int quantity, bool expedited, DateTimeOffset orderPlacedAt,
        BackorderPolicy policy, DateOnly? expectedDate, DateTimeOffset now)
    {
        Id = Uuid.V7(now);
        OrderId = orderId;
        OrderLineId = orderLineId;
        Sku = sku;
        Quantity = quantity;
        Expedited = expedited;
        OrderPlacedAt = orderPlacedAt;
        Policy = policy;
        ExpectedDate = expectedDate;
        Status = BackorderStatus.Open;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    public Guid OrderLineId { get; private set; }
    public string Sku { get; private set; } = "";
    /// <summary>Still to allocate.</summary>
    public int Quantity { get; private set; }
    public bool Expedited { get; private set; }
    public DateTimeOffset OrderPlacedAt { get; private set; }
    public BackorderPolicy Policy { get; private set; }
    public DateOnly? ExpectedDate { get; private set; }
    public BackorderStatus Status { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    public void Allocated(int quantity)
    {
        Quantity -= Math.Min(quantity, Quantity);
        if (Quantity == 0) Status = BackorderStatus.Allocated;
    }

    public void Cancel() => Status = BackorderStatus.Cancelled;
}

/// <summary>A backorder was opened (<c>backorder.created</c>) or got stock (<c>backorder.allocated</c>, in part or in full).</summary>
public sealed record BackorderEvent(string Type, Backorder Backorder, DateTimeOffset OccurredAt) : IDomainEvent
{
    public Guid AggregateId => Backorder.Id;
    public Guid OrderingKey => Backorder.OrderId.Value;
}
