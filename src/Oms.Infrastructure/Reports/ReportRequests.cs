using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Webhooks;

namespace Oms.Infrastructure.Reports;

/// <summary>
/// Keeps the report rollups current from the events the fan-out takes: the orders that anything happened to (their
/// payments, allocations, fulfilment, shipments and returns too: their events are in the order's stream) are folded in
/// right there, in the fan-out's transaction (<see cref="ReportRollups"/>), so the rollups follow the checkout within a
/// fan-out pass and nothing is queued. Should the fold fail (or this process not fold: <c>Reports:RollupsEnabled</c>),
/// the orders are queued instead, for the rollup worker to fold: the fan-out and its webhooks never wait on reports.
/// A fold too many costs a read, never a count twice.
/// </summary>
public sealed class ReportRequests(bool foldHere, ILogger<ReportRequests> log) : IOutboxFollower
{
    private const string Savepoint = "report_rollups";

    private static readonly string[] Prefixes = ["order.", "payment.", "allocation.", "fulfilment.", "shipment.", "return."];

    /// <summary>Set when a request was queued, so the worker in this process looks at once.</summary>
    public event Action? Queued;

    public static bool Concerns(string type) => Prefixes.Any(p => type.StartsWith(p, StringComparison.Ordinal));

    public async Task FollowAsync(OmsDbContext db, IReadOnlyList<FollowedEvent> events, DateTimeOffset now, CancellationToken ct)
    {
        var orders = events.Where(e => Concerns(e.Type)).Select(e => e.OrderingKey).Distinct().ToArray();
        if (orders.Length == 0) return;
        if (foldHere && db.Database.CurrentTransaction is { SupportsSavepoints: true } tx)
        {
            await tx.CreateSavepointAsync(Savepoint, ct);
            try
            {
                await ReportRollups.FoldAsync(db, orders, ct);
                await tx.ReleaseSavepointAsync(Savepoint, ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await tx.RollbackToSavepointAsync(Savepoint, ct);
                db.ChangeTracker.Clear();
                log.LogWarning(e, "Could not fold {Count} orders into the report rollups with their events; queued for the rollup worker", orders.Length);
            }
        }
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
