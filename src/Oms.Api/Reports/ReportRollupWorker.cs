using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Reports;

namespace Oms.Api.Reports;

/// <summary>
/// Keeps the report rollups current: takes the orders the fan-out queued (<see cref="ReportRequests"/>) in batches and
/// folds them in (<see cref="ReportRollups"/>), each batch in one transaction with the requests it took, so a crash
/// leaves them queued and nothing counted. Several processes share the queue (FOR UPDATE SKIP LOCKED). A batch that
/// fails is tried one order at a time; an order that still fails waits longer each time.
/// </summary>
public sealed class ReportRollupWorker(IServiceScopeFactory scopes, ReportRequests requests, IOptions<ReportOptions> options, TimeProvider clock,
    ILogger<ReportRollupWorker> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RollupsEnabled) return;
        requests.Queued += Wake;
        try
        {
            await Task.Yield();
            while (!stoppingToken.IsCancellationRequested)
            {
                int taken;
                try
                {
                    taken = await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Could not fold orders into the report rollups; trying again shortly");
                    taken = 0;
                }
                if (taken < options.Value.BatchSize) await _wake.WaitAsync(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            requests.Queued -= Wake;
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>One batch: folds the due requests' orders and removes the requests. Returns how many requests it took.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        List<ReportRequest> batch;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            batch = await TakeAsync(db, ct);
            if (batch.Count == 0) return 0;
            try
            {
                await ReportRollups.FoldAsync(db, batch.Select(r => r.OrderId).ToList(), ct);
                await Remove(db, batch).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
                return batch.Count;
            }
            catch (Exception e) when (e is not OperationCanceledException && batch.Select(r => r.OrderId).Distinct().Count() > 1)
            {
                log.LogInformation(e, "A batch of {Count} report requests failed; folding them one order at a time", batch.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                await PostponeAsync(db, batch, e, ct);
                return batch.Count;
            }
        }
        foreach (var order in batch.GroupBy(r => r.OrderId))
        {
            db.ChangeTracker.Clear();
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await ReportRollups.FoldAsync(db, [order.Key], ct);
                await Remove(db, [.. order]).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                db.ChangeTracker.Clear();
                await PostponeAsync(db, [.. order], e, ct);
            }
        }
        return batch.Count;
    }

    private async Task<List<ReportRequest>> TakeAsync(OmsDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var take = options.Value.BatchSize;
        if (db is PostgresOmsDbContext)
            return await db.ReportRequests.FromSqlRaw("SELECT * FROM report_requests WHERE due_at <= {0} ORDER BY position LIMIT {1} FOR UPDATE SKIP LOCKED",
                db.StoreTime(now), take).AsNoTracking().ToListAsync(ct);
        // One process (SQLite), which cannot compare times in SQL: the queue is short, the due ones are picked here.
        return [.. (await db.ReportRequests.AsNoTracking().OrderBy(r => r.Position).ToListAsync(ct)).Where(r => r.DueAt <= now).Take(take)];
    }

    private static IQueryable<ReportRequest> Remove(OmsDbContext db, IReadOnlyCollection<ReportRequest> batch)
    {
        var positions = batch.Select(r => r.Position).ToList();
        return db.ReportRequests.Where(r => positions.Contains(r.Position));
    }

    private async Task PostponeAsync(OmsDbContext db, IReadOnlyCollection<ReportRequest> failed, Exception e, CancellationToken ct)
    {
        var attempts = failed.Max(r => r.Attempts) + 1;
        var due = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Min(attempts, 10))));
        log.LogWarning(e, "Order {Order} could not be folded into the reports (attempt {Attempt}); trying again at {Due}", failed.First().OrderId, attempts, due);
        await Remove(db, failed).ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, attempts).SetProperty(r => r.DueAt, due), ct);
    }
}
