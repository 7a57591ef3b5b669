using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Audit;

/// <summary><c>Audit:*</c>: how long the trail keeps events, and how often the old ones are removed.</summary>
public sealed class AuditOptions
{
    /// <summary>Days an event is kept (at least 30: the database refuses to remove younger ones).</summary>
    public int RetentionDays { get; set; } = 730;
    public TimeSpan RetentionInterval { get; set; } = TimeSpan.FromDays(1);
}

/// <summary>
/// Removes audit events older than <see cref="AuditOptions.RetentionDays"/>, at start and every interval. The table
/// refuses deletes (a trigger) unless the transaction says it is this job, and even then of events under 30 days old.
/// </summary>
public sealed class AuditRetention(IServiceScopeFactory scopes, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditRetention> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var removed = await RunAsync(stoppingToken);
                if (removed > 0) log.LogInformation("Removed {Count} audit events older than {Days} days", removed, options.Value.RetentionDays);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Removing old audit events failed; trying again at the next interval");
            }
            try { await Task.Delay(options.Value.RetentionInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var cutoff = clock.GetUtcNow().AddDays(-Math.Max(30, options.Value.RetentionDays));
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql()) await db.Database.ExecuteSqlRawAsync("SET LOCAL oms.audit_retention = 'on'", ct);
        var removed = await db.AuditEvents.Where(e => e.At < cutoff).ExecuteDeleteAsync(ct);
        await tx.CommitAsync(ct);
        return removed;
    }
}
