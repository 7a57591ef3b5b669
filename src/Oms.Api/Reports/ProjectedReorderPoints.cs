using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Reports;

/// <summary>
/// Sets the reorder point of every SKU and node that opted in (<c>reorderPointFollowsProjection</c>) to its projection's
/// suggested point (<see cref="ProjectionQueries"/>): at start and every <c>Reports:ReorderPointInterval</c> (a day).
/// Idempotent, so several processes may run it; stock counters are never touched (only the point and its time).
/// </summary>
public sealed class ProjectedReorderPoints(IServiceScopeFactory scopes, IOptions<ReportOptions> options, TimeProvider clock, ILogger<ProjectedReorderPoints> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                log.LogWarning(e, "Setting reorder points from the projections failed; trying again at the next interval");
            }
            try { await Task.Delay(options.Value.ReorderPointInterval, stoppingToken); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One pass: returns how many reorder points changed.</summary>
    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var projections = scope.ServiceProvider.GetRequiredService<ProjectionQueries>();
        var following = await db.Stock.Where(s => s.ReorderPointFollowsProjection).ToListAsync(ct);
        var nodeIds = following.Select(s => s.NodeId).Distinct().ToList();
        var codes = await db.Nodes.AsNoTracking().Where(n => nodeIds.Contains(n.Id)).ToDictionaryAsync(n => n.Id, n => n.Code, ct);
        var changed = 0;
        foreach (var row in following)
        {
            var projection = (await projections.ProjectAsync(row.Sku, codes[row.NodeId], 1, ct)).Projections.Single();
            if (row.FollowProjection(projection.SuggestedReorderPoint, clock.GetUtcNow())) changed++;
        }
        if (changed > 0) await db.SaveChangesAsync(ct);
        return changed;
    }
}
