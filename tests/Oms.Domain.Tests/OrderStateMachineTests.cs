using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Tests;

public sealed class OrderStateMachineTests
{
    // The moves a seller may see, written out independently of the implementation's table.
    private static readonly HashSet<(OrderStatus, OrderStatus)> Legal =
    [
        (OrderStatus.Pending, OrderStatus.Confirmed), (OrderStatus.Pending, OrderStatus.OnHold), (OrderStatus.Pending, OrderStatus.Cancelled),
        (OrderStatus.Confirmed, OrderStatus.Allocated), (OrderStatus.Confirmed, OrderStatus.OnHold), (OrderStatus.Confirmed, OrderStatus.Cancelled),
        (OrderStatus.OnHold, OrderStatus.Pending), (OrderStatus.OnHold, OrderStatus.Confirmed), (OrderStatus.OnHold, OrderStatus.Allocated),
        (OrderStatus.OnHold, OrderStatus.PartiallyShipped), (OrderStatus.OnHold, OrderStatus.Cancelled),
        (OrderStatus.Allocated, OrderStatus.Confirmed), (OrderStatus.Allocated, OrderStatus.PartiallyShipped), (OrderStatus.Allocated, OrderStatus.Shipped),
        (OrderStatus.Allocated, OrderStatus.OnHold), (OrderStatus.Allocated, OrderStatus.Cancelled), (OrderStatus.Allocated, OrderStatus.ReadyForPickup),
        (OrderStatus.ReadyForPickup, OrderStatus.PickedUp), (OrderStatus.ReadyForPickup, OrderStatus.Cancelled), (OrderStatus.PickedUp, OrderStatus.Completed),
        (OrderStatus.PartiallyShipped, OrderStatus.Shipped), (OrderStatus.PartiallyShipped, OrderStatus.OnHold),
        (OrderStatus.Shipped, OrderStatus.Delivered),
        (OrderStatus.Delivered, OrderStatus.Completed),
    ];

    public static TheoryData<OrderStatus, OrderStatus> AllPairs()
    {
        var data = new TheoryData<OrderStatus, OrderStatus>();
        foreach (var from in Enum.GetValues<OrderStatus>())
            foreach (var to in Enum.GetValues<OrderStatus>())
                data.Add(from, to);
        return data;
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void Every_pair_is_allowed_exactly_when_the_table_says_so(OrderStatus from, OrderStatus to)
    {
        var legal = Legal.Contains((from, to));
        Assert.Equal(legal, OrderStateMachine.CanMove(from, to));
        if (legal) OrderStateMachine.EnsureCanMove(from, to);
        else Assert.Equal("order.invalid_transition", Assert.Throws<ConflictException>(() => OrderStateMachine.EnsureCanMove(from, to)).Code);
    }

    [Fact]
    public void Terminal_states_allow_nothing()
    {
        Assert.Empty(OrderStateMachine.TargetsFrom(OrderStatus.Cancelled));
        Assert.Empty(OrderStateMachine.TargetsFrom(OrderStatus.Completed));
    }
}
