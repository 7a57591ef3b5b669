using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Infrastructure.Documents;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Documents;

/// <summary>
/// Issues the documents the committed events made due (<see cref="DocumentRequests"/>), in batches, after the changes
/// that made them due have committed: a checkout never waits for its invoice, and a batch of invoices shares one
/// transaction and one draw of numbers. Several processes share the queue (FOR UPDATE SKIP LOCKED); a batch that
/// fails is tried again one order at a time, and an order that still fails waits longer each time.
/// </summary>
public sealed class DocumentIssuer(IServiceScopeFactory scopes, DocumentRequests requests, IOptions<DocumentOptions> options, TimeProvider clock,
    Platform.Observability.RequestsInFlight load, ILogger<DocumentIssuer> log) : BackgroundService
{
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.IssuerEnabled) return;
        requests.Queued += Wake;
        try
        {
            await Task.Yield();
            while (!stoppingToken.IsCancellationRequested)
            {
                int taken;
                try
                {
                    await GiveWayAsync(stoppingToken);
                    taken = await RunOnceAsync(stoppingToken);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.LogWarning(e, "Could not issue documents; trying again shortly");
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

    /// <summary>
    /// Waits while the process is busy answering requests (Documents:YieldToRequests), unless the oldest queued order
    /// has waited Documents:MaxDelay: then it issues, busy or not, until the queue is younger than that again.
    /// </summary>
    private async Task GiveWayAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (!o.YieldToRequests) return;
        while (load.Count >= o.BusyRequests)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
                var oldest = await db.DocumentRequests.AsNoTracking().OrderBy(r => r.Position).Select(r => (DateTimeOffset?)r.RequestedAt).FirstOrDefaultAsync(ct);
                // Nothing queued yet is no reason to stop giving way: what the fan-out queues next waits too.
                if (oldest is { } since && clock.GetUtcNow() - since >= o.MaxDelay) return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>One batch: the due requests' orders get what they are due, the requests go. Returns how many requests it took.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var service = scope.ServiceProvider.GetRequiredService<DocumentService>();
        List<DocumentRequest> batch;
        await using (var tx = await db.Database.BeginTransactionAsync(ct))
        {
            batch = await TakeAsync(db, ct);
            if (batch.Count == 0) return 0;
            try
            {
                await service.IssueDueAsync(batch.Select(r => r.SubjectId).Distinct().ToList(), ct);
                await db.SaveChangesAsync(ct);
                await Remove(db, batch).ExecuteDeleteAsync(ct);
                await tx.CommitAsync(ct);
                return batch.Count;
            }
            catch (Exception e) when (e is not OperationCanceledException && batch.Select(r => r.SubjectId).Distinct().Count() > 1)
            {
                log.LogInformation(e, "A batch of {Count} document requests failed; issuing them one order at a time", batch.Count);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await tx.RollbackAsync(ct);
                db.ChangeTracker.Clear();
                await PostponeAsync(db, batch, e, ct);
                return batch.Count;
            }
        }
        // One order at a time: the others go through, the failing one waits.
        foreach (var order in batch.GroupBy(r => r.SubjectId))
        {
            db.ChangeTracker.Clear();
            var positions = order.Select(r => r.Position).ToList();
            try
            {
                await using var tx = await db.Database.BeginTransactionAsync(ct);
                await service.IssueDueAsync([order.Key], ct);
                await db.SaveChangesAsync(ct);
                await db.DocumentRequests.Where(r => positions.Contains(r.Position)).ExecuteDeleteAsync(ct);
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

    private async Task<List<DocumentRequest>> TakeAsync(OmsDbContext db, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var take = options.Value.BatchSize;
        if (db is PostgresOmsDbContext)
            return await db.DocumentRequests.FromSqlRaw("SELECT * FROM document_requests WHERE due_at <= {0} ORDER BY position LIMIT {1} FOR UPDATE SKIP LOCKED",
                db.StoreTime(now), take).AsNoTracking().ToListAsync(ct);
        // One process (SQLite), which cannot compare times in SQL: the queue is short, the due ones are picked here.
        return [.. (await db.DocumentRequests.AsNoTracking().OrderBy(r => r.Position).ToListAsync(ct)).Where(r => r.DueAt <= now).Take(take)];
    }

    private static IQueryable<DocumentRequest> Remove(OmsDbContext db, IReadOnlyCollection<DocumentRequest> batch)
    {
        var positions = batch.Select(r => r.Position).ToList();
        return db.DocumentRequests.Where(r => positions.Contains(r.Position));
    }

    private async Task PostponeAsync(OmsDbContext db, IReadOnlyCollection<DocumentRequest> failed, Exception e, CancellationToken ct)
    {
        var attempts = failed.Max(r => r.Attempts) + 1;
        var due = clock.GetUtcNow() + TimeSpan.FromSeconds(Math.Min(3600, 5 * Math.Pow(2, Math.Min(attempts, 10))));
        var error = e.Message.Length > 500 ? e.Message[..499] + "…" : e.Message;
        log.LogWarning(e, "Documents for order {Order} could not be issued (attempt {Attempt}); trying again at {Due}", failed.First().SubjectId, attempts, due);
        await Remove(db, failed).ExecuteUpdateAsync(s => s.SetProperty(r => r.Attempts, attempts).SetProperty(r => r.DueAt, due).SetProperty(r => r.LastError, error), ct);
    }
}
