using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Webhooks;

/// <summary>A committed event as the fan-out sees it: its type, its stream (the order, for everything about one) and its id (its data stays in the outbox until needed).</summary>
public sealed record FollowedEvent(string Type, Guid OrderingKey, Guid EventId = default);

/// <summary>
/// HeadlessOms's own subscriber to its events: called by the fan-out, in the transaction that takes the events off the
/// outbox, so its work is queued exactly once per event and never in the transaction that raised it (the checkout
/// stays as lean as it is). Writes its own queue; does nothing slow.
/// </summary>
public interface IOutboxFollower
{
    Task FollowAsync(OmsDbContext db, IReadOnlyList<FollowedEvent> events, DateTimeOffset now, CancellationToken ct);
}
