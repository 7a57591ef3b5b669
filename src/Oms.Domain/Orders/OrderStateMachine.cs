using Oms.Domain.Common;

namespace Oms.Domain.Orders;

/// <summary>
/// Every legal status move of an order, in one table. <see cref="EnsureCanMove"/> is the only gate, and it
/// always throws on an illegal move; <see cref="CanMove"/> answers the same question without throwing.
/// </summary>
public static class OrderStateMachine
{
    public static readonly Lifecycle<OrderStatus> Lifecycle = new("order", "order", new Dictionary<OrderStatus, OrderStatus[]>
    {
        [OrderStatus.Pending] = [OrderStatus.Confirmed, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.Confirmed] = [OrderStatus.Allocated, OrderStatus.OnHold, OrderStatus.Cancelled],
        // Release returns to the status the hold started from; the order decides which one that is.
        [OrderStatus.OnHold] = [OrderStatus.Pending, OrderStatus.Confirmed, OrderStatus.Allocated, OrderStatus.PartiallyShipped, OrderStatus.Cancelled],
        // Back to confirmed when every allocation was rejected and the order waits for a new one.
        [OrderStatus.Allocated] = [OrderStatus.Confirmed, OrderStatus.PartiallyShipped, OrderStatus.Shipped, OrderStatus.ReadyForPickup, OrderStatus.OnHold, OrderStatus.Cancelled],
        [OrderStatus.PartiallyShipped] = [OrderStatus.Shipped, OrderStatus.OnHold],
        [OrderStatus.Shipped] = [OrderStatus.Delivered],
        [OrderStatus.Delivered] = [OrderStatus.Completed],
        // Stock stays reserved at the store until the customer collects, so a pickup can still be cancelled.
        [OrderStatus.ReadyForPickup] = [OrderStatus.PickedUp, OrderStatus.Cancelled],
        [OrderStatus.PickedUp] = [OrderStatus.Completed],
        [OrderStatus.Completed] = [],
        [OrderStatus.Cancelled] = [],
    });

    public static bool CanMove(OrderStatus from, OrderStatus to) => Lifecycle.CanMove(from, to);

    public static IReadOnlyList<OrderStatus> TargetsFrom(OrderStatus from) => Lifecycle.TargetsFrom(from);

    public static void EnsureCanMove(OrderStatus from, OrderStatus to) => Lifecycle.EnsureCanMove(from, to);

    public static ConflictException InvalidMove(OrderStatus from, OrderStatus to) => Lifecycle.InvalidMove(from, to);

    /// <summary>Statuses in which nothing has left a warehouse yet, so lines and addresses may still change.</summary>
    public static bool IsEditable(OrderStatus status, OrderStatus? heldFrom) => status switch
    {
        OrderStatus.Pending or OrderStatus.Confirmed or OrderStatus.Allocated => true,
        OrderStatus.OnHold => heldFrom is not OrderStatus.PartiallyShipped,
        _ => false,
    };

    /// <summary>The snake_case name clients see, for messages.</summary>
    public static string Wire(OrderStatus s) => Lifecycle<OrderStatus>.Wire(s);
}
