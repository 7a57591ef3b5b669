using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Tests;

public sealed class OrderTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly Address Berlin = new("Ada", null, "Unter den Linden 1", null, "Berlin", null, "10117", "DE", null, null, null);

    private static Order NewOrder(params LineItem[] lines) => Order.Place(
        new OrderDraft(OrderChannel.Web, null, new CustomerInfo("Ada@Example.COM", "Ada", null), Berlin, null,
            new Delivery(DeliveryType.Ship, null), OrderPriority.Standard, "eur",
            lines.Length > 0 ? lines : [new LineItem("SKU-1", "Mug", 2, 1250)], null, new Dictionary<string, string>()),
        100001, new Charges(499, 1900), "tester", Now);

    [Fact]
    public void Place_computes_totals_in_minor_units_and_records_the_placement()
    {
        var order = NewOrder(new LineItem("A", "A", 3, 333), new LineItem("B", "B", 1, 1));
        Assert.Equal(1000, order.Subtotal);
        Assert.Equal(499, order.ShippingTotal);
        Assert.Equal(285, order.TaxTotal); // 19 % of 14.99 = 2.8481
        Assert.Equal(1784, order.Total);
        Assert.Equal("EUR", order.Currency);
        Assert.Equal("ada@example.com", order.Customer.Email);
        Assert.Equal("OMS-100001", order.DisplayNumber);
        Assert.Equal(OrderStatus.Pending, order.Status);
        Assert.Equal(1, order.Version);
        Assert.Single(order.Timeline);
        Assert.IsType<OrderPlaced>(Assert.Single(order.DomainEvents));
    }

    [Fact]
    public void A_shipment_is_worth_its_lines_share_of_the_total()
    {
        var order = NewOrder(new LineItem("A", "A", 2, 1000), new LineItem("B", "B", 1, 2000)); // subtotal 4000, total 5354 (499 shipping, 855 tax)
        var a = order.Lines.Single(l => l.Sku == "A");
        Assert.Equal(2677, order.ShareOfTotal([(a.Id, 2)]));                                 // half of 5354
        Assert.Equal(order.Total, order.ShareOfTotal(order.Lines.Select(l => (l.Id, l.Quantity))));
    }

    [Fact]
    public void Tax_rounds_half_away_from_zero()
    {
        Assert.Equal(3, new Money(25, "EUR").ApplyRate(1000).Amount);  // 2.5 -> 3
        Assert.Equal(2, new Money(24, "EUR").ApplyRate(1000).Amount);  // 2.4 -> 2
        Assert.Equal(0, new Money(0, "JPY").ApplyRate(1000).Amount);
    }

    [Fact]
    public void Money_refuses_unknown_currencies_and_mixing()
    {
        Assert.Equal("money.invalid_currency", Assert.Throws<DomainException>(() => new Money(1, "EURO")).Code);
        Assert.Equal("money.currency_mismatch", Assert.Throws<DomainException>(() => new Money(1, "EUR").Add(new Money(1, "USD"))).Code);
    }

    [Fact]
    public void Confirm_records_when_the_order_was_first_confirmed()
    {
        var order = NewOrder();
        Assert.Null(order.ConfirmedAt);
        order.Hold("fraud check", "a", Now);
        order.Release("a", null, Now.AddMinutes(5));
        Assert.Null(order.ConfirmedAt);
        order.Confirm("a", Now.AddMinutes(10));
        Assert.Equal(Now.AddMinutes(10), order.ConfirmedAt);
    }

    [Fact]
    public void Hold_remembers_where_the_order_was_and_release_goes_back()
    {
        var order = NewOrder();
        order.Confirm("a", Now);
        order.Hold("fraud check", "a", Now);
        Assert.Equal(OrderStatus.OnHold, order.Status);
        Assert.Contains(OrderAction.Release, order.AvailableActions());
        order.Release("a", null, Now);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Null(order.HeldFrom);
    }

    [Fact]
    public void Confirm_only_from_pending_even_though_allocated_may_fall_back_to_confirmed()
    {
        var order = NewOrder();
        order.Confirm("a", Now);
        order.MarkAllocated("a", Now);
        Assert.Throws<ConflictException>(() => order.Confirm("a", Now));
    }

    [Fact]
    public void Edit_reprices_and_is_refused_once_something_shipped()
    {
        var order = NewOrder();
        order.Edit(new OrderEdit([new LineItem("SKU-2", "Pot", 1, 5000)], null, null, "gift", null), new Charges(0, 0), "a", Now);
        Assert.Equal(5000, order.Total);
        Assert.Equal("gift", order.Notes);

        order.Confirm("a", Now);
        order.MarkAllocated("a", Now);
        order.MarkShipped(everything: false, "a", Now);
        var refused = Assert.Throws<ConflictException>(() => order.Edit(new OrderEdit(null, null, null, "late", null), new Charges(0, 0), "a", Now));
        Assert.Equal("order.not_editable", refused.Code);
        Assert.DoesNotContain(OrderAction.Edit, order.AvailableActions());
    }

    [Fact]
    public void An_edit_that_changes_nothing_is_refused()
    {
        var order = NewOrder();
        Assert.Equal("order.empty_edit", Assert.Throws<DomainException>(() => order.Edit(new OrderEdit(null, null, null, null, null), new Charges(0, 0), "a", Now)).Code);
    }

    [Fact]
    public void Invalid_lines_name_the_field()
    {
        var e = Assert.Throws<DomainException>(() => NewOrder(new LineItem("A", "A", 0, 100)));
        Assert.Equal("lines[0].quantity", e.Field);
    }

    [Fact]
    public void Cancel_records_reason_and_actor_and_raises_an_event()
    {
        var order = NewOrder();
        order.ClearDomainEvents();
        order.Cancel("customer request", "support", Now.AddMinutes(5));
        var entry = order.Timeline[^1];
        Assert.Equal((OrderStatus.Pending, OrderStatus.Cancelled, "support", "customer request"), (entry.From!.Value, entry.To, entry.Actor, entry.Reason));
        Assert.Equal("order.cancelled", Assert.Single(order.DomainEvents).Type);
        Assert.Empty(order.AvailableActions());
    }

    [Fact]
    public void A_ship_order_needs_an_address_and_a_pickup_order_a_location()
    {
        Assert.Equal("order.shipping_address_required", Assert.Throws<DomainException>(() => Order.Place(
            new OrderDraft(OrderChannel.Pos, null, new CustomerInfo("a@b.c", null, null), null, null, new Delivery(DeliveryType.Ship, null),
                OrderPriority.Standard, "EUR", [new LineItem("A", "A", 1, 1)], null, new Dictionary<string, string>()),
            1, new Charges(0, 0), "a", Now)).Code);
        Assert.Equal("order.pickup_location_required", Assert.Throws<DomainException>(() => Order.Place(
            new OrderDraft(OrderChannel.Pos, null, new CustomerInfo("a@b.c", null, null), null, null, new Delivery(DeliveryType.Pickup, " "),
                OrderPriority.Standard, "EUR", [new LineItem("A", "A", 1, 1)], null, new Dictionary<string, string>()),
            1, new Charges(0, 0), "a", Now)).Code);
    }

    [Fact]
    public void Stale_versions_are_refused()
    {
        var order = NewOrder();
        Assert.True(Assert.Throws<ConcurrencyException>(() => order.EnsureVersion(7)).PreconditionFailed);
        order.EnsureVersion(1);
        order.EnsureVersion(null);
    }
}
