using System.Text.Json;
using Oms.Domain.Common;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// An event waiting to be delivered; written in the transaction of the change that raised it. <see cref="Sequence"/>
/// is assigned by the database: for one aggregate it follows commit order, which is the order subscribers see.
/// </summary>
public sealed class OutboxMessage
{
    public long Sequence { get; private set; }
    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    /// <summary>
    /// The stream the event is delivered in (<see cref="IDomainEvent.OrderingKey"/>): the order for everything about an
    /// order, else the aggregate. Subscribers get one stream's events in commit order.
    /// </summary>
    public Guid AggregateId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>
    /// The event's <c>data</c>: the resource as the REST API shows it, as JSON; null when the event shares the data of
    /// <see cref="PayloadFrom"/>.
    /// </summary>
    public string? Payload { get; private set; }
    /// <summary>
    /// The later event of the same aggregate, written in the same transaction, that carries this event's data (all the
    /// events of one save carry the aggregate as it is at commit): a checkout's seven events hold four payloads, not
    /// seven. It is the aggregate's last event of the save, so retention, which removes events oldest first by id, never removes it before this one.
    /// </summary>
    public Guid? PayloadFrom { get; private set; }
    /// <summary>
    /// What the event says beyond its data, as JSON members of the webhook body: <c>"transition": {"from", "to"}</c>
    /// for a status event, <c>"changed": [...]</c> for an update; null when it says nothing more.
    /// </summary>
    public string? Detail { get; private set; }
    /// <summary>Only this subscription gets it (a test ping); null for everyone whose filters match.</summary>
    public Guid? TargetSubscriptionId { get; private set; }

    public static OutboxMessage From(IDomainEvent e, object data, JsonSerializerOptions json, Guid? target = null) =>
        FromPayload(e, JsonSerializer.Serialize(data, data.GetType(), json), target);

    /// <summary>An event whose data is already JSON.</summary>
    public static OutboxMessage FromPayload(IDomainEvent e, string payload, Guid? target = null) => Of(e, payload, null, target);

    /// <summary>The events of one aggregate in one save, in order: the last carries <paramref name="payload"/>, the others point to it.</summary>
    public static IEnumerable<OutboxMessage> SharingPayload(IReadOnlyList<IDomainEvent> events, string payload)
    {
        var carrier = FromPayload(events[^1], payload);
        for (var i = 0; i < events.Count - 1; i++) yield return Of(events[i], null, carrier.Id, null);
        yield return carrier;
    }

    private static OutboxMessage Of(IDomainEvent e, string? payload, Guid? payloadFrom, Guid? target) => new()
    {
        Id = Uuid.V7(e.OccurredAt),
        Type = e.Type,
        AggregateId = e.OrderingKey,
        OccurredAt = e.OccurredAt,
        Payload = payload,
        PayloadFrom = payloadFrom,
        Detail = DetailOf(e),
        TargetSubscriptionId = target,
    };

    private static string? DetailOf(IDomainEvent e)
    {
        if (e.Transition is null && e.Changed is null) return null;
        var detail = new System.Text.Json.Nodes.JsonObject();
        if (e.Transition is { } t) detail["transition"] = new System.Text.Json.Nodes.JsonObject { ["from"] = t.From, ["to"] = t.To };
        if (e.Changed is { } changed) detail["changed"] = new System.Text.Json.Nodes.JsonArray([.. changed.Select(c => (System.Text.Json.Nodes.JsonNode?)c)]);
        return detail.ToJsonString();
    }
}

/// <summary>
/// The events of one save not yet fanned out to the subscriptions' delivery queues: one narrow row, written in the
/// save's transaction and deleted when the dispatcher takes its events. The event rows themselves are never updated:
/// marking a batch dispatched writes a few bytes per save, where updating the event rows wrote a new version of each,
/// payload and index entries included (measured: 9.6 KB of WAL per checkout, a third of all it wrote); and one row per
/// save, not per event, spares a checkout six rows and thirteen index entries.
/// </summary>
public sealed class OutboxPending(Guid[] messageIds, Guid[] aggregateIds)
{
    /// <summary>Numbered by the database as written: the dispatcher takes pending saves in this order.</summary>
    public long Position { get; private set; }
    /// <summary>The events' <see cref="OutboxMessage.Id"/>s.</summary>
    public Guid[] MessageIds { get; private set; } = messageIds;
    /// <summary>
    /// Their aggregates, each once: a delivery waits while a pending save names its aggregate and holds an event
    /// numbered before the delivery's (a later save of the aggregate numbers all its events after it).
    /// </summary>
    public Guid[] AggregateIds { get; private set; } = aggregateIds;

    public static OutboxPending For(IReadOnlyCollection<OutboxMessage> messages) =>
        new([.. messages.Select(m => m.Id)], [.. messages.Select(m => m.AggregateId).Distinct()]);
}

/// <summary>Turns a domain event into the data its webhook carries (the API maps aggregates to their REST shape).</summary>
public interface IEventDataMapper
{
    JsonSerializerOptions Json { get; }
    Task<object> DataAsync(IDomainEvent e, AggregateRoot? source, OmsDbContext db, CancellationToken ct);
}

/// <summary>Wakes the webhook dispatcher when new events commit, so delivery does not wait for its next poll.</summary>
public sealed class OutboxSignal
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        if (_signal.CurrentCount == 0)
        {
            try { _signal.Release(); } catch (SemaphoreFullException) { }
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);
}
