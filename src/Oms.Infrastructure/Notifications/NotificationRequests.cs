using Microsoft.EntityFrameworkCore;
using Oms.Domain.Notifications;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Webhooks;

namespace Oms.Infrastructure.Notifications;

/// <summary>
/// Queues an e-mail to the shopper for each committed event that tells them something (<see cref="Notification.KindOf"/>),
/// in the fan-out's transaction: once per event (its id is the key, a second queueing does nothing), never for a change
/// that rolled back (its event never committed), and never in the checkout's own transaction. Off unless e-mail is set up.
/// </summary>
public sealed class NotificationRequests(MailSettings settings) : IOutboxFollower
{
    /// <summary>Set when e-mails were queued, so the sender in this process looks at once.</summary>
    public event Action? Queued;

    public async Task FollowAsync(OmsDbContext db, IReadOnlyList<FollowedEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        if (!settings.Enabled) return;
        var wanted = events.Select(e => (Event: e, Kind: Notification.KindOf(e.Type))).Where(x => x.Kind is not null && settings.Sends(x.Kind.Value)).ToList();
        if (wanted.Count == 0) return;
        if (db.HasArrayParameters)
        {
            await using var insert = db.RawBatch(new Persistence.FastPath.Statement(InsertSql, [
                wanted.Select(w => Domain.Common.Uuid.V7(now)).ToArray(), wanted.Select(w => w.Event.EventId).ToArray(),
                wanted.Select(w => w.Kind!.Value.ToString()).ToArray(), wanted.Select(w => w.Event.OrderingKey).ToArray(), now.ToUniversalTime()]));
            await insert.ExecuteNonQueryAsync(ct);
        }
        else
        {
            var ids = wanted.Select(w => w.Event.EventId).ToList();
            var known = await db.Notifications.Where(n => ids.Contains(n.EventId)).Select(n => n.EventId).ToListAsync(ct);
            db.Notifications.AddRange(wanted.Where(w => !known.Contains(w.Event.EventId))
                .Select(w => Notification.Queue(w.Event.EventId, w.Kind!.Value, w.Event.OrderingKey, null, now)));
            await db.SaveChangesAsync(ct);
        }
        Queued?.Invoke();
    }

    private const string InsertSql =
        "INSERT INTO notifications (id, event_id, kind, order_id, status, attempts, next_attempt_at, created_at) " +
        "SELECT i, e, k, o, 'Queued', 0, $5, $5 FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::uuid[]) AS u(i, e, k, o) ON CONFLICT (event_id) DO NOTHING";
}
