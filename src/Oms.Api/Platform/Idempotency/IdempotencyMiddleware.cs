using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Idempotency;

public sealed class IdempotencyOptions
{
    /// <summary>How long a key is remembered. Stripe keeps keys 24 hours; so do we, at least.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromHours(24);
    /// <summary>A request holding a key longer than this is presumed dead, and a retry may take the key over.</summary>
    public TimeSpan LockTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>How long a concurrent retry waits for the first request to finish before answering 409.</summary>
    public TimeSpan WaitForInFlight { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>
/// <c>Idempotency-Key</c> for POST and PATCH, per API key: the first request claims the key with an insert (the
/// primary key decides races), runs, and stores its response; a retry with the same body gets that response again
/// (<c>Idempotent-Replayed: true</c>); a different body under the same key is refused. Server errors and thrown
/// failures release the key so the client can retry.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider clock, IOptions<IdempotencyOptions> options)
{
    public const string Header = "Idempotency-Key";

    /// <summary>The caller's Idempotency-Key, empty when it sent none (use cases that need one to be safe ask for it).</summary>
    public static string KeyOf(HttpRequest? request) => request?.Headers[Header].ToString() ?? "";
    private readonly IdempotencyOptions _options = options.Value;

    public async Task InvokeAsync(HttpContext http)
    {
        var key = http.Request.Headers[Header].ToString();
        var caller = http.GetCaller();
        if (key.Length == 0 || caller is null || !(HttpMethods.IsPost(http.Request.Method) || HttpMethods.IsPatch(http.Request.Method)))
        {
            await next(http);
            return;
        }
        if (key.Length > 255)
        {
            await ProblemResponses.WriteAsync(http, ErrorMapping.Classify(RequestValidationException.For(Header, "At most 255 characters.")));
            return;
        }
        var owner = caller.KeyId.ToString("N");
        var fingerprint = await FingerprintAsync(http.Request);
        var deadline = clock.GetUtcNow() + _options.WaitForInFlight;
        while (true)
        {
            var claim = await TryClaimAsync(owner, key, fingerprint, http.RequestAborted);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Claimed:
                    await RunAndStoreAsync(http, owner, key);
                    return;
                case ClaimOutcome.Mismatch:
                    await ProblemResponses.WriteAsync(http, new ErrorInfo(422, "idempotency.key_reused",
                        "This Idempotency-Key was used with a different request. Use a new key for a new request.",
                        new Dictionary<string, string[]> { [Header] = ["Already used with a different request."] }));
                    return;
                case ClaimOutcome.Completed:
                    await ReplayAsync(http, claim.Record!);
                    return;
                case ClaimOutcome.InFlight when clock.GetUtcNow() < deadline:
                    await Task.Delay(TimeSpan.FromMilliseconds(25), http.RequestAborted);
                    continue;
                default:
                    await ProblemResponses.WriteAsync(http, new ErrorInfo(409, "idempotency.in_progress",
                        "A request with this Idempotency-Key is still being processed. Retry shortly."));
                    return;
            }
        }
    }

    private enum ClaimOutcome { Claimed, Mismatch, Completed, InFlight }

    private async Task<(ClaimOutcome Outcome, IdempotencyRecord? Record)> TryClaimAsync(string owner, string key, string fingerprint, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        // A retry finds the key taken: ordinary traffic, found by the insert itself rather than by a failed save that EF
        // would log as an error.
        if (await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO idempotency_keys (owner, key, fingerprint, created_at, locked_until) VALUES ({owner}, {key}, {fingerprint}, {db.StoreTime(now)}, {db.StoreTime(now + _options.LockTimeout)}) ON CONFLICT DO NOTHING",
                ct) == 1)
            return (ClaimOutcome.Claimed, null);
        var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Owner == owner && r.Key == key, ct);
        if (existing is null) return (ClaimOutcome.InFlight, null); // released in between: try again
        if (existing.Fingerprint != fingerprint) return (ClaimOutcome.Mismatch, existing);
        if (existing.StatusCode is not null) return (ClaimOutcome.Completed, existing);
        if (existing.LockedUntil < now)
        {
            // The first request died without finishing: take the key over, unless another retry just did.
            var taken = await db.IdempotencyRecords
                .Where(r => r.Owner == owner && r.Key == key && r.StatusCode == null && r.LockedUntil == existing.LockedUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, now + _options.LockTimeout), ct);
            if (taken == 1) return (ClaimOutcome.Claimed, null);
        }
        return (ClaimOutcome.InFlight, existing);
    }

    private async Task RunAndStoreAsync(HttpContext http, string owner, string key)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch
        {
            http.Response.Body = original;
            await ReleaseAsync(owner, key);
            throw;
        }
        http.Response.Body = original;
        var status = http.Response.StatusCode;
        var body = buffer.ToArray();
        if (status >= 500) await ReleaseAsync(owner, key);
        else
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
            string? contentType = http.Response.ContentType, location = NullIfEmpty(http.Response.Headers.Location), etag = NullIfEmpty(http.Response.Headers.ETag);
            await db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.StatusCode, status)
                    .SetProperty(r => r.ContentType, contentType)
                    .SetProperty(r => r.Location, location)
                    .SetProperty(r => r.ETag, etag)
                    .SetProperty(r => r.Body, body), CancellationToken.None);
        }
        await original.WriteAsync(body, http.RequestAborted);
    }

    private async Task ReleaseAsync(string owner, string key)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        await db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key && r.StatusCode == null)
            .ExecuteDeleteAsync(CancellationToken.None);
    }

    private static async Task ReplayAsync(HttpContext http, IdempotencyRecord record)
    {
        http.Response.StatusCode = record.StatusCode!.Value;
        if (record.ContentType is not null) http.Response.ContentType = record.ContentType;
        if (record.Location is not null) http.Response.Headers.Location = record.Location;
        if (record.ETag is not null) http.Response.Headers.ETag = record.ETag;
        http.Response.Headers["Idempotent-Replayed"] = "true";
        if (record.Body is { Length: > 0 } body) await http.Response.Body.WriteAsync(body, http.RequestAborted);
    }

    private static async Task<string> FingerprintAsync(HttpRequest request)
    {
        request.EnableBuffering();
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(System.Text.Encoding.UTF8.GetBytes($"{request.Method} {request.Path}{request.QueryString}\n"));
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            sha.AppendData(chunk, 0, read);
        request.Body.Position = 0;
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues v) => v.Count == 0 ? null : v.ToString();
}

/// <summary>Forgets keys past their retention, once an hour.</summary>
public sealed class IdempotencyCleanup(IServiceScopeFactory scopes, TimeProvider clock, IOptions<IdempotencyOptions> options, ILogger<IdempotencyCleanup> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), clock);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
                var cutoff = clock.GetUtcNow() - options.Value.Retention;
                var removed = await db.IdempotencyRecords.Where(r => r.CreatedAt < cutoff).ExecuteDeleteAsync(stoppingToken);
                if (removed > 0) logger.LogInformation("Forgot {Count} idempotency keys older than {Cutoff}", removed, cutoff);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Idempotency cleanup failed; will retry");
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
