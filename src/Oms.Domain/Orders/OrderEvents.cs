using Oms.Domain.Common;

namespace Oms.Domain.Orders;

public sealed record OrderPlaced(Guid AggregateId, long Number, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "order.placed";
}

/// <summary>The customer answered the order's feedback link (raised by the order: the event carries it, with its feedback and customer).</summary>
public sealed record FeedbackReceived(Guid AggregateId, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "customer.feedback_received";
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
