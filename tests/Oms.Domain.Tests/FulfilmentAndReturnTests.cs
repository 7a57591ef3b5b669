using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Returns;
using Oms.Domain.Routing;

namespace Oms.Domain.Tests;

public sealed class FulfilmentAndReturnTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Address Berlin = new("Ada", null, "Unter den Linden 1", null, "Berlin", null, "10117", "DE", null, null, null);

    private static Order NewOrder(int quantity = 3) => Order.Place(
        new OrderDraft(OrderChannel.Web, null, new CustomerInfo("ada@example.com", "Ada", null), Berlin, null,
            new Delivery(DeliveryType.Ship, null), OrderPriority.Standard, "EUR", [new LineItem("SKU-1", "Mug", quantity, 1000)], null, new Dictionary<string, string>()),
        100001, new Charges(0, 1900), "tester", Now);

    private static (Order Order, Allocation Allocation, FulfilmentOrder Fulfilment) Work(int quantity = 3)
    {
        var order = NewOrder(quantity);
        var allocation = Allocation.Reserve(order.Id, new NodeId(Guid.NewGuid()), "WH", Guid.NewGuid(), [(order.Lines[0].Id, "SKU-1", quantity)], Now);
        return (order, allocation, FulfilmentOrder.Create(allocation, order, new Dictionary<Guid, string> { [order.Lines[0].Id] = "Mug" }, Now));
    }

    private static Order Delivered(int quantity = 3)
    {
        var order = NewOrder(quantity);
        order.Confirm("t", Now);
        order.MarkAllocated("t", Now);
        order.MarkShipped(true, "t", Now);
        order.MarkDelivered("t", Now, (id, expires) => $"{id:N}.{expires.ToUnixTimeSeconds()}");
        return order;
    }

    [Theory]
    [InlineData(400, 300, 200, 1000, 5000, 4800, 4800)]   // light but bulky: billed by volume
    [InlineData(300, 200, 100, 6000, 5000, 1200, 6000)]   // heavy and small: billed by weight
    [InlineData(101, 101, 100, 1, 5000, 205, 205)]        // 204.02 g rounded up to the next gram
    [InlineData(400, 300, 200, 1000, 4000, 6000, 6000)]   // a stricter divisor
    public void Dimensional_weight_is_volume_over_the_divisor_and_billable_the_larger(int l, int w, int h, int grams, int divisor, int dimensional, int billable)
    {
        var p = Package.Measure(grams, l, w, h, divisor);
        Assert.Equal(dimensional, p.DimensionalWeightGrams);
        Assert.Equal(billable, p.BillableWeightGrams);
    }

    [Fact]
    public void A_package_without_size_or_weight_is_rejected() =>
        Assert.Equal("fulfilment.invalid_package", Assert.Throws<DomainException>(() => Package.Measure(0, 10, 10, 10, 5000)).Code);

    [Fact]
    public void Fulfilment_moves_only_along_its_table()
    {
        var legal = new HashSet<(FulfilmentStatus, FulfilmentStatus)>
        {
            (FulfilmentStatus.Open, FulfilmentStatus.Picking), (FulfilmentStatus.Open, FulfilmentStatus.Packed), (FulfilmentStatus.Open, FulfilmentStatus.Cancelled),
            (FulfilmentStatus.Open, FulfilmentStatus.Rejected), (FulfilmentStatus.Picking, FulfilmentStatus.Packed), (FulfilmentStatus.Picking, FulfilmentStatus.Cancelled),
            (FulfilmentStatus.Picking, FulfilmentStatus.Rejected), (FulfilmentStatus.Packed, FulfilmentStatus.Shipped), (FulfilmentStatus.Packed, FulfilmentStatus.ReadyForPickup),
            (FulfilmentStatus.Packed, FulfilmentStatus.Cancelled), (FulfilmentStatus.ReadyForPickup, FulfilmentStatus.PickedUp), (FulfilmentStatus.ReadyForPickup, FulfilmentStatus.Cancelled),
        };
        foreach (var from in Enum.GetValues<FulfilmentStatus>())
            foreach (var to in Enum.GetValues<FulfilmentStatus>())
                Assert.True(legal.Contains((from, to)) == FulfilmentOrder.CanMove(from, to), $"{from} -> {to}");
    }

    [Fact]
    public void Shipping_before_packing_is_refused_and_a_shipped_order_cannot_be_cancelled()
    {
        var (_, _, f) = Work();
        Assert.Equal("fulfilment.invalid_transition", Assert.Throws<ConflictException>(() => f.Ship(Now)).Code);
        f.Pack([Package.Measure(500, 100, 100, 100, 5000)], Now);
        f.Ship(Now);
        Assert.Equal("fulfilment.invalid_transition", Assert.Throws<ConflictException>(() => f.Cancel("too late", Now)).Code); // the parcel has left
        Assert.Equal(FulfilmentStatus.Shipped, f.Status);
    }

    [Fact]
    public void A_short_pick_shrinks_the_line_and_reports_what_is_missing()
    {
        var (order, _, f) = Work(3);
        var shorts = f.RecordPicks(new Dictionary<Guid, int> { [order.Lines[0].Id] = 1 }, Now);
        Assert.Equal(2, Assert.Single(shorts).Missing);
        Assert.Equal(1, f.Lines[0].Quantity);
        Assert.Equal(2, f.Lines[0].ShortPicked);
        Assert.Equal(FulfilmentStatus.Picking, f.Status);
        Assert.Contains(f.DomainEvents, e => e.Type == "fulfilment.short_picked");
        Assert.Equal("fulfilment.invalid_transition", Assert.Throws<ConflictException>(() => f.RecordPicks(new Dictionary<Guid, int>(), Now)).Code);
    }

    [Fact]
    public void Nothing_found_cancels_the_fulfilment_order_and_picking_more_than_asked_is_refused()
    {
        var (order, _, f) = Work(2);
        Assert.Equal("fulfilment.invalid_pick", Assert.Throws<DomainException>(() => f.RecordPicks(new Dictionary<Guid, int> { [order.Lines[0].Id] = 3 }, Now)).Code);
        var (order2, allocation, f2) = Work(2);
        f2.RecordPicks(new Dictionary<Guid, int> { [order2.Lines[0].Id] = 0 }, Now);
        Assert.Equal(FulfilmentStatus.Cancelled, f2.Status);
        allocation.ShortPicked(order2.Lines[0].Id, 2, Now);
        Assert.Equal(AllocationStatus.Released, allocation.Status);
    }

    private static Shipment NewShipment()
    {
        var (_, _, f) = Work();
        f.Pack([Package.Measure(500, 100, 100, 100, 5000)], Now);
        f.Ship(Now);
        return Shipment.Create(f, "manual", null, "TRK1", null, Now);
    }

    [Fact]
    public void The_latest_event_time_decides_the_status_and_a_duplicate_changes_nothing()
    {
        var s = NewShipment();
        Assert.True(s.Track(new TrackingUpdate(TrackingStatus.Delivered, "DL", null, null, Now.AddHours(9), "e2"), Now));
        Assert.True(s.Track(new TrackingUpdate(TrackingStatus.InTransit, "IT", null, null, Now.AddHours(2), "e1"), Now));
        Assert.Equal(TrackingStatus.Delivered, s.Status);
        Assert.Equal(3, s.Events.Count);
        Assert.False(s.Track(new TrackingUpdate(TrackingStatus.Delivered, "DL", null, null, Now.AddHours(9), "e2"), Now));
        Assert.False(s.Track(new TrackingUpdate(TrackingStatus.Delivered, "DL", null, null, Now.AddHours(9).AddTicks(3), null), Now)); // same microsecond
        Assert.Equal(3, s.Events.Count);
        Assert.Single(s.DomainEvents, e => e.Type == "shipment.delivered");
        Assert.DoesNotContain(s.DomainEvents, e => e.Type == "shipment.in_transit");
    }

    [Fact]
    public void Problem_statuses_are_the_ones_that_need_someone_to_act()
    {
        var s = NewShipment();
        s.Track(new TrackingUpdate(TrackingStatus.ReturnedToSender, null, null, null, Now.AddHours(1), null), Now);
        Assert.True(s.HasProblem);
        Assert.Equal(TrackingStatus.OutForDelivery, Shipment.ParseStatus("out_for_delivery"));
        Assert.Null(Shipment.ParseStatus("teleported"));
    }

    [Fact]
    public void A_return_is_requested_only_for_what_the_customer_has_inside_the_window()
    {
        var order = Delivered(3);
        var line = order.Lines[0].Id;
        var window = TimeSpan.FromDays(30);
        var ok = Return.Request(order, 1, [new ReturnLineRequest(line, 2, ReturnReason.Damaged, null)], null, new Dictionary<Guid, int>(), window, Now.AddDays(29));
        Assert.Equal("OMS-100001-R1", ok.Number);
        Assert.Equal("return.invalid_quantity", Assert.Throws<DomainException>(() =>
            Return.Request(order, 2, [new ReturnLineRequest(line, 2, ReturnReason.Damaged, null)], null, new Dictionary<Guid, int> { [line] = 2 }, window, Now)).Code);
        Assert.Equal("return.window_closed", Assert.Throws<ConflictException>(() =>
            Return.Request(order, 2, [new ReturnLineRequest(line, 1, ReturnReason.Other, null)], null, new Dictionary<Guid, int>(), window, Now.AddDays(31))).Code);
        Assert.Equal("return.not_delivered", Assert.Throws<ConflictException>(() =>
            Return.Request(NewOrder(), 1, [new ReturnLineRequest(line, 1, ReturnReason.Other, null)], null, new Dictionary<Guid, int>(), window, Now)).Code);
    }

    [Fact]
    public void Inspection_needs_every_line_and_returns_what_goes_back_on_the_shelf()
    {
        var order = Delivered(3);
        var line = order.Lines[0].Id;
        var r = Return.Request(order, 1, [new ReturnLineRequest(line, 2, ReturnReason.SizeOrFit, "too small")], null, new Dictionary<Guid, int>(), TimeSpan.FromDays(30), Now);
        Assert.Throws<ConflictException>(() => r.Inspect(new Dictionary<Guid, (Disposition, string?)>(), Now)); // not received yet
        r.Approve(Now);
        r.Receive(new NodeId(Guid.NewGuid()), "WH", Now);
        Assert.Equal("return.inspection_incomplete", Assert.Throws<DomainException>(() => r.Inspect(new Dictionary<Guid, (Disposition, string?)>(), Now)).Code);
        var back = r.Inspect(new Dictionary<Guid, (Disposition, string?)> { [line] = (Disposition.Restock, null) }, Now);
        Assert.Equal(("SKU-1", 2), Assert.Single(back));
        r.Refunded(2380, 0, Now);
        Assert.Equal(ReturnStatus.Refunded, r.Status);
        Assert.Throws<ConflictException>(() => r.Exchanged(new OrderId(Guid.NewGuid()), Now));
    }

    [Fact]
    public void The_value_of_returned_lines_includes_their_tax_but_not_shipping()
    {
        var order = NewOrder(3);
        Assert.Equal(2380, order.ValueWithTax([(order.Lines[0].Id, 2)])); // 2 × 10.00 + 19 %
    }

    [Fact]
    public void Delivery_offers_a_feedback_link_that_takes_one_answer_while_it_is_valid()
    {
        var pending = NewOrder();
        Assert.Null(pending.Feedback);
        Assert.Equal("feedback.not_offered", Assert.Throws<DomainException>(() => pending.ReceiveFeedback(5, null, null, Now)).Code);

        var order = Delivered();
        var offered = order.Feedback!;
        Assert.Equal($"{order.Id.Value:N}.{(Now + OrderFeedback.Lifetime).ToUnixTimeSeconds()}", offered.Token); // what the signer made of the order and the expiry
        Assert.Equal(Now + OrderFeedback.Lifetime, offered.ExpiresAt);
        Assert.Equal("feedback.invalid_rating", Assert.Throws<DomainException>(() => order.ReceiveFeedback(0, null, null, Now)).Code);
        Assert.Equal("feedback.expired", Assert.Throws<DomainException>(() => order.ReceiveFeedback(4, null, null, offered.ExpiresAt.AddSeconds(1))).Code);

        order.ReceiveFeedback(2, "  Late  ", FeedbackReason.Delivery, Now.AddDays(1));
        Assert.Equal((2, "Late", FeedbackReason.Delivery), (offered.Rating!.Value, offered.Comment, offered.Reason!.Value));
        Assert.Contains(order.DomainEvents, e => e.Type == "customer.feedback_received");
        Assert.Equal("feedback.already_given", Assert.Throws<ConflictException>(() => order.ReceiveFeedback(5, null, null, Now.AddDays(2))).Code);
    }
}
