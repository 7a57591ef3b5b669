using Oms.Domain.Common;

namespace Oms.Domain.Orders;

public sealed record OrderPlaced(Guid AggregateId, long Number, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "order.placed";
}

public sealed record OrderUpdated(Guid AggregateId, IReadOnlyList<string> Changed, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "order.updated";
}

/// <summary>Raised on every status move; the type names the status reached (<c>order.confirmed</c>, <c>order.on_hold</c>).</summary>
public sealed record OrderStatusChanged(Guid AggregateId, OrderStatus From, OrderStatus To, string? Reason, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "order." + OrderStateMachine.Wire(To);
    public Transition? Transition => Transition.Of(From, To);
}
