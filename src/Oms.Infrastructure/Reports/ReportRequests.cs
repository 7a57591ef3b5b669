using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Webhooks;

namespace Oms.Infrastructure.Reports;

/// <summary>
/// Queues the orders whose report facts may have changed, from the events the fan-out takes: anything that happens to
/// an order, its payments, allocations, fulfilment, shipments or returns (their events are in the order's stream). One
/// request per order and batch; the rollup worker works out what changed (<see cref="ReportRollups"/>), so a request
/// too many costs a read, never a count twice.
/// </summary>
public sealed class ReportRequests : IOutboxFollower
{
    private static readonly string[] Prefixes = ["order.", "payment.", "allocation.", "fulfilment.", "shipment.", "return."];

    /// <summary>Set when a request was queued, so the worker in this process looks at once.</summary>
    public event Action? Queued;

    public static bool Concerns(string type) => Prefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal));

    public async Task FollowAsync(OmsDbContext db, IReadOnlyList<FollowedEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var orders = events.Where(e => Concerns(e.Type)).Select(e => e.OrderingKey).Distinct().ToArray();
        if (orders.Length == 0) return;
        await QueueAsync(db, orders, now, ct);
        Queued?.Invoke();
    }

    /// <summary>Queues <paramref name="orders"/> in the caller's transaction, or one of its own (also how a rebuild starts).</summary>
    public static async Task QueueAsync(OmsDbContext db, IReadOnlyCollection<Guid> orders, DateTimeOffset now, CancellationToken ct)
    {
        if (db.HasArrayParameters)
        {
            await using var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
            await using (var insert = db.RawBatch(new Persistence.FastPath.Statement(InsertSql, [orders.ToArray(), now.ToUniversalTime()])))
                await insert.ExecuteNonQueryAsync(ct);
            if (own is not null) await own.CommitAsync(ct);
        }
        else
        {
            db.ReportRequests.AddRange(orders.Select(o => new ReportRequest { OrderId = o, RequestedAt = now, DueAt = now }));
            await db.SaveChangesAsync(ct);
        }
    }

    private const string InsertSql =
        "INSERT INTO report_requests (order_id, requested_at, attempts, due_at) SELECT o, $2, 0, $2 FROM unnest($1::uuid[]) AS u(o)";
}
