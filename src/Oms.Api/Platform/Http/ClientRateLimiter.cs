using System.Threading.RateLimiting;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Http;

/// <summary>
/// Requests per client address and minute for an endpoint that needs no key (a feedback answer, a customer's document
/// link): the same limit whichever API the request comes through.
/// </summary>
public abstract class ClientRateLimiter(int perMinute, string refusal) : IDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(client =>
        RateLimitPartition.GetFixedWindowLimiter(client, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = Math.Max(1, perMinute), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
        }));

    /// <summary>Lets a request through, or refuses it: 429 with Retry-After in REST, the code rate_limited in GraphQL.</summary>
    public void Admit(HttpContext http)
    {
        using var lease = _limiter.AttemptAcquire(http.Connection.RemoteIpAddress?.ToString() ?? "local");
        if (lease.IsAcquired) return;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        throw new RateLimitedException(refusal, seconds);
    }

    public void Dispose()
    {
        _limiter.Dispose();
        GC.SuppressFinalize(this);
    }
}
