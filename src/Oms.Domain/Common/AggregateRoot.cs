namespace Oms.Domain.Common;

/// <summary>Something that happened to an aggregate; persisted to the outbox with the change that raised it.</summary>
public interface IDomainEvent
{
    /// <summary>Stable event type as integrators see it, e.g. <c>order.cancelled</c>.</summary>
    string Type { get; }
    Guid AggregateId { get; }
    DateTimeOffset OccurredAt { get; }

    /// <summary>
    /// The stream the event is delivered in, in the order it happened: the order's id for everything about one order
    /// (its payments, allocations, fulfilment orders, shipments and returns too), so a subscriber sees
    /// <c>order.placed</c> before the rest; the aggregate's own id for anything else.
    /// </summary>
    Guid OrderingKey => AggregateId;

    /// <summary>The status move a status event reports (snake_case, as clients see statuses); null for other events.</summary>
    Transition? Transition => null;

    /// <summary>For an update event: the fields (as clients name them) that changed; null for other events.</summary>
    IReadOnlyList<string>? Changed => null;
}

/// <summary>A status move: what it was and what it became.</summary>
public sealed record Transition(string From, string To)
{
    public static Transition Of<TStatus>(TStatus from, TStatus to) where TStatus : struct, Enum =>
        new(Lifecycle<TStatus>.Wire(from), Lifecycle<TStatus>.Wire(to));
}

public abstract class AggregateRoot
{
    private readonly List<IDomainEvent> _events = [];

    /// <summary>
    /// Optimistic-concurrency version, sent as ETag: 1 when created, one more for each save that changed the aggregate
    /// (persistence bumps it centrally, so no mutator can forget to), checked on save against the version that was read.
    /// </summary>
    public int Version { get; private set; } = 1;

    public IReadOnlyList<IDomainEvent> DomainEvents => _events;

    protected void Raise(IDomainEvent e) => _events.Add(e);

    public void ClearDomainEvents() => _events.Clear();

    /// <summary>Rejects a change based on a stale read: the caller's expected version is not the current one.</summary>
    public void EnsureVersion(int? expectedVersion)
    {
        if (expectedVersion is { } v && v != Version)
            throw new ConcurrencyException(
                $"The resource is at version {Version}, not {v}: read it again and retry.", preconditionFailed: true);
    }
}
