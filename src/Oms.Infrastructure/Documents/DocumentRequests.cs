using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Webhooks;

namespace Oms.Infrastructure.Documents;

/// <summary>
/// Queues the orders whose documents may be due, from the events the fan-out takes: a confirmation or first shipment
/// (the invoice), a refund (its credit note), a packed fulfilment order (its packing slip), an approved return (its
/// slip). One request per order and batch; the issuer works out what is missing (<c>DocumentIssuer</c>), so a request
/// too many costs a read, never a second document.
/// </summary>
public sealed class DocumentRequests : IOutboxFollower
{
    public static readonly IReadOnlySet<string> Types = new HashSet<string>(StringComparer.Ordinal)
    {
        "order.confirmed", "order.partially_shipped", "order.shipped", "order.picked_up", "payment.refunded", "fulfilment.packed", "return.approved",
    };

    /// <summary>Set when a request was queued, so the issuer in this process looks at once.</summary>
    public event Action? Queued;

    public async Task FollowAsync(OmsDbContext db, IReadOnlyList<FollowedEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var orders = events.Where(e => Types.Contains(e.Type)).Select(e => e.OrderingKey).Distinct().ToArray();
        if (orders.Length == 0) return;
        if (db.HasArrayParameters)
        {
            await using var insert = db.RawBatch(new Persistence.FastPath.Statement(InsertSql, [orders, now.ToUniversalTime()]));
            await insert.ExecuteNonQueryAsync(ct);
        }
        else
        {
            db.DocumentRequests.AddRange(orders.Select(o => new DocumentRequest { Kind = "order", SubjectId = o, RequestedAt = now, DueAt = now }));
            await db.SaveChangesAsync(ct);
        }
        Queued?.Invoke();
    }

    private const string InsertSql =
        "INSERT INTO document_requests (kind, subject_id, requested_at, attempts, due_at) SELECT 'order', o, $2, 0, $2 FROM unnest($1::uuid[]) AS u(o)";
}
