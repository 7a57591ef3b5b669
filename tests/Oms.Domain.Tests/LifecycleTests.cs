using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Routing;

namespace Oms.Domain.Tests;

/// <summary>
/// Every (from, to) pair of each aggregate's lifecycle, tried through the aggregate's own methods: a legal move lands
/// where the table says, an illegal one throws <c>{area}.invalid_transition</c> and is never silently ignored.
/// </summary>
public sealed class LifecycleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Address Berlin = new("Ada", null, "Unter den Linden 1", null, "Berlin", null, "10117", "DE", null, null, null);

    /// <param name="make">An aggregate in <c>from</c>, fit for trying the move to <c>to</c>; null where no such aggregate can exist.</param>
    private static void EveryPair<TAggregate, TStatus>(Lifecycle<TStatus> lifecycle, Func<TStatus, TStatus, TAggregate?> make,
        IReadOnlyDictionary<TStatus, Action<TAggregate>> moves, Func<TAggregate, TStatus> status)
        where TStatus : struct, Enum where TAggregate : class
    {
        var tried = 0;
        foreach (var from in Enum.GetValues<TStatus>())
            foreach (var (to, move) in moves)
            {
                var aggregate = make(from, to);
                if (aggregate is null)
                {
                    Assert.False(lifecycle.CanMove(from, to), $"{from} -> {to} is legal but was not tried");
                    continue;
                }
                Assert.Equal(from, status(aggregate));
                tried++;
                if (lifecycle.CanMove(from, to))
                {
                    move(aggregate);
                    Assert.True(to.Equals(status(aggregate)), $"{from} -> {to} landed in {status(aggregate)}");
                }
                else
                {
                    var e = Assert.Throws<ConflictException>(() => move(aggregate));
                    Assert.True(e.Code == lifecycle.InvalidTransitionCode, $"{from} -> {to}: {e.Code}");
                    Assert.Equal(from, status(aggregate));
                }
            }
        Assert.True(tried > Enum.GetValues<TStatus>().Length, "too few pairs tried");
    }

    private static Payment PaymentIn(PaymentStatus status)
    {
        var p = Payment.Create(new OrderId(Guid.NewGuid()), PaymentMethod.BankTransfer, new Money(1000, "EUR"), null, Now);
        switch (status)
        {
            case PaymentStatus.RequiresAction: p.RequiresAction(Now); break;
            case PaymentStatus.Authorized: p.Authorize(1000, Now); break;
            case PaymentStatus.PartiallyCaptured: p.Capture(400, Now); break;
            case PaymentStatus.Captured: p.Capture(1000, Now); break;
            case PaymentStatus.PartiallyRefunded: p.Capture(400, Now); p.Refund(100, null, Now); break;
            case PaymentStatus.Refunded: p.Capture(400, Now); p.Refund(400, null, Now); break;
            case PaymentStatus.Voided: p.Void(null, Now); break;
            case PaymentStatus.Failed: p.Fail("declined", Now); break;
        }
        return p;
    }

    [Fact]
    public void Payment_every_pair()
    {
        EveryPair(Payment.Lifecycle,
            // Capturing a little more of a payment captured in full keeps it captured: not a move to partially captured.
            (from, to) => (from, to) is (PaymentStatus.Captured, PaymentStatus.PartiallyCaptured) ? null : PaymentIn(from),
            new Dictionary<PaymentStatus, Action<Payment>>
            {
                [PaymentStatus.RequiresAction] = p => p.RequiresAction(Now),
                [PaymentStatus.Authorized] = p => p.Authorize(1000, Now),
                [PaymentStatus.PartiallyCaptured] = p => p.Capture(1, Now),
                [PaymentStatus.Captured] = p => p.Capture(Math.Max(1, p.Amount - p.Captured), Now),
                [PaymentStatus.PartiallyRefunded] = p => p.Refund(1, null, Now),
                [PaymentStatus.Refunded] = p => p.Refund(Math.Max(1, p.Captured - p.Refunded), null, Now),
                [PaymentStatus.Voided] = p => p.Void(null, Now),
                [PaymentStatus.Failed] = p => p.Fail("declined", Now),
            },
            p => p.Status);
    }

    private static Order NewOrder(DeliveryType delivery = DeliveryType.Ship) => Order.Place(
        new OrderDraft(OrderChannel.Web, null, new CustomerInfo("ada@example.com", "Ada", null), Berlin, null,
            new Delivery(delivery, delivery == DeliveryType.Pickup ? "STORE" : null), OrderPriority.Standard, "EUR", [new LineItem("SKU-1", "Mug", 3, 1000)], null,
            new Dictionary<string, string>()),
        100001, new Charges(0, 1900), "tester", Now);

    private static Allocation AllocationFor(Order order) =>
        Allocation.Reserve(order.Id, new NodeId(Guid.NewGuid()), "WH", Guid.NewGuid(), [(order.Lines[0].Id, "SKU-1", 3)], Now);

    [Fact]
    public void Allocation_every_pair()
    {
        EveryPair(Allocation.Lifecycle,
            (from, _) =>
            {
                var a = AllocationFor(NewOrder());
                switch (from)
                {
                    case AllocationStatus.Rejected: a.Reject("no stock", Now); break;
                    case AllocationStatus.Released: a.Release(Now); break;
                    case AllocationStatus.Shipped: a.Ship(Now); break;
                }
                return a;
            },
            new Dictionary<AllocationStatus, Action<Allocation>>
            {
                [AllocationStatus.Rejected] = a => a.Reject("no stock", Now),
                [AllocationStatus.Released] = a => a.Release(Now),
                [AllocationStatus.Shipped] = a => a.Ship(Now),
            },
            a => a.Status);
    }

    private static FulfilmentOrder FulfilmentIn(FulfilmentStatus status, bool pickup)
    {
        var order = NewOrder(pickup ? DeliveryType.Pickup : DeliveryType.Ship);
        var f = FulfilmentOrder.Create(AllocationFor(order), order, new Dictionary<Guid, string>(), Now);
        var box = Package.Measure(500, 100, 100, 100, 5000);
        switch (status)
        {
            case FulfilmentStatus.Picking: f.StartPicking(Now); break;
            case FulfilmentStatus.Packed: f.Pack([box], Now); break;
            case FulfilmentStatus.Shipped: f.Pack([box], Now); f.Ship(Now); break;
            case FulfilmentStatus.ReadyForPickup: f.Pack([box], Now); f.ReadyForPickup(Now); break;
            case FulfilmentStatus.PickedUp: f.Pack([box], Now); f.ReadyForPickup(Now); f.PickedUp(Now); break;
            case FulfilmentStatus.Cancelled: f.Cancel("order cancelled", Now); break;
            case FulfilmentStatus.Rejected: f.Reject("no stock", Now); break;
        }
        return f;
    }

    [Fact]
    public void Fulfilment_order_every_pair()
    {
        var box = Package.Measure(500, 100, 100, 100, 5000);
        EveryPair(FulfilmentOrder.Lifecycle,
            (from, to) =>
            {
                // Collection at the counter and shipping are two kinds of fulfilment order: try each move on its kind.
                var pickup = to is FulfilmentStatus.ReadyForPickup or FulfilmentStatus.PickedUp || from is FulfilmentStatus.ReadyForPickup or FulfilmentStatus.PickedUp;
                var shipping = to is FulfilmentStatus.Shipped || from is FulfilmentStatus.Shipped;
                return pickup && shipping ? null : FulfilmentIn(from, pickup);
            },
            new Dictionary<FulfilmentStatus, Action<FulfilmentOrder>>
            {
                [FulfilmentStatus.Picking] = f => f.StartPicking(Now),
                [FulfilmentStatus.Packed] = f => f.Pack([box], Now),
                [FulfilmentStatus.Shipped] = f => f.Ship(Now),
                [FulfilmentStatus.ReadyForPickup] = f => f.ReadyForPickup(Now),
                [FulfilmentStatus.PickedUp] = f => f.PickedUp(Now),
                [FulfilmentStatus.Cancelled] = f => f.Cancel("order cancelled", Now),
                [FulfilmentStatus.Rejected] = f => f.Reject("no stock", Now),
            },
            f => f.Status);
    }

    private static PurchaseOrder PurchaseOrderIn(PurchaseOrderStatus status)
    {
        var po = PurchaseOrder.Draft(1, Guid.NewGuid(), new NodeId(Guid.NewGuid()), false, Now);
        po.AddLine("SKU-1", 10, false, Now);
        switch (status)
        {
            case PurchaseOrderStatus.Submitted: po.Submit(Now); break;
            case PurchaseOrderStatus.PartiallyReceived: po.Submit(Now); po.Receive([("SKU-1", 4)], Now); break;
            case PurchaseOrderStatus.Received: po.Submit(Now); po.Receive([("SKU-1", 10)], Now); break;
            case PurchaseOrderStatus.Cancelled: po.Cancel(Now); break;
        }
        return po;
    }

    [Fact]
    public void Purchase_order_every_pair()
    {
        EveryPair(PurchaseOrder.Lifecycle,
            // Receiving a little of a fully received order would be a move to received, not to partially received.
            (from, to) => (from, to) is (PurchaseOrderStatus.Received, PurchaseOrderStatus.PartiallyReceived) ? null : PurchaseOrderIn(from),
            new Dictionary<PurchaseOrderStatus, Action<PurchaseOrder>>
            {
                [PurchaseOrderStatus.Submitted] = po => po.Submit(Now),
                [PurchaseOrderStatus.PartiallyReceived] = po => po.Receive([("SKU-1", 1)], Now),
                [PurchaseOrderStatus.Received] = po => po.Receive([("SKU-1", Math.Max(1, po.Lines[0].Outstanding))], Now),
                [PurchaseOrderStatus.Cancelled] = po => po.Cancel(Now),
            },
            po => po.Status);
    }

    [Fact]
    public void A_second_partial_shipment_is_tolerated_only_by_the_method_that_says_so()
    {
        var order = NewOrder();
        order.Confirm("t", Now);
        order.MarkAllocated("t", Now);
        order.ShipmentLeft(everything: false, "t", Now);
        order.ShipmentLeft(everything: false, "t", Now);
        Assert.Equal(OrderStatus.PartiallyShipped, order.Status);
        Assert.Equal("order.invalid_transition", Assert.Throws<ConflictException>(() => order.MarkShipped(everything: false, "t", Now)).Code);
        order.ShipmentLeft(everything: true, "t", Now);
        Assert.Equal(OrderStatus.Shipped, order.Status);
        Assert.Equal("order.invalid_transition", Assert.Throws<ConflictException>(() => order.ShipmentLeft(everything: true, "t", Now)).Code);
    }
}
