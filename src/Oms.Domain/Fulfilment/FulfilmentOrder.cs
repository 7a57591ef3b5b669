using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Domain.Fulfilment;

public enum FulfilmentStatus { Open, Picking, Packed, Shipped, ReadyForPickup, PickedUp, Cancelled, Rejected }

public readonly record struct FulfilmentOrderId(Guid Value) : IComparable<FulfilmentOrderId>
{
    public override string ToString() => Value.ToString();

    /// <summary>Version 7 ids order by creation time: lists page by id (a keyset).</summary>
    public int CompareTo(FulfilmentOrderId other) => Value.CompareTo(other.Value);
}

public sealed class FulfilmentLine
{
    private FulfilmentLine() { }

    internal FulfilmentLine(Guid orderLineId, string sku, string name, int quantity)
    {
        OrderLineId = orderLineId;
        Sku = sku;
        Name = name;
        Quantity = quantity;
    }

    public Guid OrderLineId { get; private set; }
    public string Sku { get; private set; } = "";
    public string Name { get; private set; } = "";
    /// <summary>Units this node ships (after a short pick, what was found).</summary>
    public int Quantity { get; private set; }
    /// <summary>Units the picker could not find; they were routed elsewhere.</summary>
    public int ShortPicked { get; private set; }

    internal void Short(int missing)
    {
        Quantity -= missing;
        ShortPicked += missing;
    }
}

/// <summary>One parcel as packed: its real weight, its size, and what the carrier will bill (the larger of real and dimensional weight).</summary>
public sealed record Package(int WeightGrams, int LengthMm, int WidthMm, int HeightMm, int DimensionalWeightGrams, int BillableWeightGrams)
{
    /// <summary>Dimensional weight in grams for a divisor in cm³ per kg (5000 is the common courier figure): mm³ / divisor.</summary>
    public static Package Measure(int weightGrams, int lengthMm, int widthMm, int heightMm, int divisor)
    {
        if (weightGrams < 1) throw new DomainException("fulfilment.invalid_package", "A package weighs at least 1 g.", "weightGrams");
        if (lengthMm < 1 || widthMm < 1 || heightMm < 1)
            throw new DomainException("fulfilment.invalid_package", "A package's length, width and height are at least 1 mm.", "lengthMm");
        if (divisor < 1) throw new ArgumentOutOfRangeException(nameof(divisor));
        var volume = (long)lengthMm * widthMm * heightMm;
        var dimensional = (int)Math.Min(int.MaxValue, (volume + divisor - 1) / divisor);
        return new Package(weightGrams, lengthMm, widthMm, heightMm, dimensional, Math.Max(weightGrams, dimensional));
    }
}

/// <summary>What one node must pick, pack and ship (or hand over at its counter) for one allocation of an order.</summary>
public sealed class FulfilmentOrder : AggregateRoot
{
    public static readonly Lifecycle<FulfilmentStatus> Lifecycle = new("fulfilment", "fulfilment order", new Dictionary<FulfilmentStatus, FulfilmentStatus[]>
    {
        [FulfilmentStatus.Open] = [FulfilmentStatus.Picking, FulfilmentStatus.Packed, FulfilmentStatus.Cancelled, FulfilmentStatus.Rejected],
        [FulfilmentStatus.Picking] = [FulfilmentStatus.Packed, FulfilmentStatus.Cancelled, FulfilmentStatus.Rejected],
        [FulfilmentStatus.Packed] = [FulfilmentStatus.Shipped, FulfilmentStatus.ReadyForPickup, FulfilmentStatus.Cancelled],
        [FulfilmentStatus.ReadyForPickup] = [FulfilmentStatus.PickedUp, FulfilmentStatus.Cancelled],
        [FulfilmentStatus.Shipped] = [],
        [FulfilmentStatus.PickedUp] = [],
        [FulfilmentStatus.Cancelled] = [],
        [FulfilmentStatus.Rejected] = [],
    });

    private readonly List<FulfilmentLine> _lines = [];
    private readonly List<Package> _packages = [];

    private FulfilmentOrder() { }

    public FulfilmentOrderId Id { get; private set; }
    public Guid AllocationId { get; private set; }
    public OrderId OrderId { get; private set; }
    public string OrderNumber { get; private set; } = "";
    public NodeId NodeId { get; private set; }
    public string NodeCode { get; private set; } = "";
    /// <summary>The customer collects at this node instead of receiving a parcel.</summary>
    public bool Pickup { get; private set; }
    public bool Expedited { get; private set; }
    public DateTimeOffset OrderPlacedAt { get; private set; }
    public FulfilmentStatus Status { get; private set; }
    public string? StatusReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? PickedAt { get; private set; }
    public DateTimeOffset? PackedAt { get; private set; }
    public DateTimeOffset? ShippedAt { get; private set; }
    public IReadOnlyList<FulfilmentLine> Lines => _lines;
    public IReadOnlyList<Package> Packages => _packages;

    public static bool CanMove(FulfilmentStatus from, FulfilmentStatus to) => Lifecycle.CanMove(from, to);

    public static FulfilmentOrder Create(Allocation allocation, Order order, IReadOnlyDictionary<Guid, string> lineNames, DateTimeOffset now)
    {
        var f = new FulfilmentOrder
        {
            Id = new FulfilmentOrderId(Uuid.V7(now)), AllocationId = allocation.Id, OrderId = order.Id, OrderNumber = order.DisplayNumber,
            NodeId = allocation.NodeId, NodeCode = allocation.NodeCode, Pickup = order.Delivery.Type == DeliveryType.Pickup,
            Expedited = order.Priority == OrderPriority.Expedited, OrderPlacedAt = order.CreatedAt, Status = FulfilmentStatus.Open,
            CreatedAt = now, UpdatedAt = now,
        };
        f._lines.AddRange(allocation.Lines.Select(l => new FulfilmentLine(l.OrderLineId, l.Sku, lineNames.GetValueOrDefault(l.OrderLineId, l.Sku), l.Quantity)));
        f.Raise(new FulfilmentEvent("fulfilment.created", f.Id.Value, f.OrderId.Value, now));
        return f;
    }

    public void StartPicking(DateTimeOffset now) => MoveTo(FulfilmentStatus.Picking, null, now);

    /// <summary>
    /// The picker reports what was found, line by line (lines not mentioned were found in full). Returns the units
    /// missing per line; the lines shrink to what was found, and a fulfilment order with nothing left is cancelled.
    /// </summary>
    public IReadOnlyList<(FulfilmentLine Line, int Missing)> RecordPicks(IReadOnlyDictionary<Guid, int> found, DateTimeOffset now)
    {
        if (Status == FulfilmentStatus.Open) MoveTo(FulfilmentStatus.Picking, null, now);
        if (Status != FulfilmentStatus.Picking || PickedAt is not null)
            throw new ConflictException(Lifecycle.InvalidTransitionCode, $"Picks are recorded once, while picking; this fulfilment order is {Wire(Status)}{(PickedAt is null ? "" : " and picked")}.");
        foreach (var id in found.Keys)
            if (_lines.All(l => l.OrderLineId != id))
                throw new DomainException("fulfilment.unknown_line", $"Order line '{id}' is not part of this fulfilment order.", "lines");
        var shorts = new List<(FulfilmentLine, int)>();
        foreach (var line in _lines)
        {
            if (!found.TryGetValue(line.OrderLineId, out var picked)) continue;
            if (picked < 0 || picked > line.Quantity)
                throw new DomainException("fulfilment.invalid_pick", $"Between 0 and {line.Quantity} of '{line.Sku}' can be picked.", "lines");
            if (picked < line.Quantity) shorts.Add((line, line.Quantity - picked));
        }
        foreach (var (line, missing) in shorts) line.Short(missing);
        PickedAt = now;
        UpdatedAt = now;
        if (shorts.Count > 0) Raise(new FulfilmentEvent("fulfilment.short_picked", Id.Value, OrderId.Value, now));
        if (_lines.All(l => l.Quantity == 0)) MoveTo(FulfilmentStatus.Cancelled, "short pick: nothing was found", now);
        return shorts;
    }

    /// <summary>The most one fulfilment order's packages may bill together, in grams (what its totals hold).</summary>
    public const int MaxBillableWeightGrams = 1_000_000_000;

    public void Pack(IReadOnlyList<Package> packages, DateTimeOffset now)
    {
        if (packages.Count == 0) throw new DomainException("fulfilment.no_packages", "Packing takes at least one package.", "packages");
        if (packages.Sum(p => (long)p.BillableWeightGrams) > MaxBillableWeightGrams)
            throw new DomainException("fulfilment.packages_too_heavy",
                $"The packages' billable weight adds up to more than {MaxBillableWeightGrams / 1_000_000} tonnes: ship them as more than one fulfilment order.", "packages");
        MoveTo(FulfilmentStatus.Packed, null, now);
        PickedAt ??= now;
        PackedAt = now;
        _packages.Clear();
        _packages.AddRange(packages);
    }

    /// <summary>Refuses, as <see cref="Ship"/> would, a fulfilment order that cannot ship now (before its label is bought).</summary>
    public void EnsureCanShip()
    {
        if (Pickup) throw new ConflictException("fulfilment.pickup_order", "The customer collects this order at the node: mark it ready for pickup instead of shipping it.");
        Lifecycle.EnsureCanMove(Status, FulfilmentStatus.Shipped);
    }

    public void Ship(DateTimeOffset now)
    {
        EnsureCanShip();
        MoveTo(FulfilmentStatus.Shipped, null, now);
        ShippedAt = now;
    }

    public void ReadyForPickup(DateTimeOffset now)
    {
        if (!Pickup) throw new ConflictException("fulfilment.not_pickup", "This order is shipped to the customer, not collected.");
        MoveTo(FulfilmentStatus.ReadyForPickup, null, now);
    }

    public void PickedUp(DateTimeOffset now)
    {
        MoveTo(FulfilmentStatus.PickedUp, null, now);
        ShippedAt = now;
    }

    /// <summary>The order was cancelled or changed: nothing of this is to be sent. Only while it is still work (<see cref="IsActive"/>).</summary>
    public void Cancel(string reason, DateTimeOffset now) => MoveTo(FulfilmentStatus.Cancelled, reason, now);

    public void Reject(string reason, DateTimeOffset now) => MoveTo(FulfilmentStatus.Rejected, reason, now);

    /// <summary>Still work for the node: not yet sent, handed over, cancelled or rejected.</summary>
    public bool IsActive => Status is FulfilmentStatus.Open or FulfilmentStatus.Picking or FulfilmentStatus.Packed or FulfilmentStatus.ReadyForPickup;

    private void MoveTo(FulfilmentStatus to, string? reason, DateTimeOffset now)
    {
        Lifecycle.EnsureCanMove(Status, to);
        var from = Status;
        Status = to;
        StatusReason = reason;
        UpdatedAt = now;
        Raise(new FulfilmentEvent("fulfilment." + Wire(to), Id.Value, OrderId.Value, now, Transition.Of(from, to)));
    }

    public static string Wire(FulfilmentStatus s) => Lifecycle<FulfilmentStatus>.Wire(s);
}

public sealed record FulfilmentEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}
