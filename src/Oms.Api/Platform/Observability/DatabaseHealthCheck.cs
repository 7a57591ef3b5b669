using Microsoft.Extensions.Diagnostics.HealthChecks;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Observability;

/// <summary>Ready means the database answers.</summary>
public sealed class DatabaseHealthCheck(OmsDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default) =>
        await db.Database.CanConnectAsync(ct) ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("The database does not answer.");
}
