using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Domain.Common;
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
/// What an endpoint that creates one resource answers for it (its 201), found by the id the key reserved.
/// </summary>
public sealed record StoredResponse(int StatusCode, string? ContentType, byte[] Body, string? Location, string? ETag);

/// <summary>
/// Endpoint metadata of a POST that creates one resource under the id its Idempotency-Key reserved
/// (<see cref="IdempotencyMiddleware.ReservedId"/>). <c>Find</c> answers that resource when it exists: should the
/// request fail after its commit (the connection lost as the COMMIT's answer came back), the client is answered with
/// what was created, and a retry of the key finds it instead of creating a second.
/// </summary>
public sealed record IdempotentCreation(Func<IServiceProvider, Guid, CancellationToken, Task<StoredResponse?>> Find);

/// <summary>
/// <c>Idempotency-Key</c> for POST and PATCH, per API key: the first request claims the key with an insert (the
/// primary key decides races), runs, and stores its response; a retry with the same body gets that response again
/// (<c>Idempotent-Replayed: true</c>); a different body under the same key is refused. Server errors and thrown
/// failures release the key so the client can retry; for an endpoint that creates a resource
/// (<see cref="IdempotentCreation"/>), the key keeps the id it reserved, so whatever the first attempt was answered,
/// a retry finds what it committed.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, IServiceScopeFactory scopes, TimeProvider clock, IOptions<IdempotencyOptions> options,
    ILogger<IdempotencyMiddleware> logger)
{
    public const string Header = "Idempotency-Key";

    /// <summary>The caller's Idempotency-Key, empty when it sent none (use cases that need one to be safe ask for it).</summary>
    public static string KeyOf(HttpRequest? request) => request?.Headers[Header].ToString() ?? "";

    /// <summary>The id the request's Idempotency-Key reserved for what it creates (endpoints with <see cref="IdempotentCreation"/>), or null.</summary>
    public static Guid? ReservedId(HttpContext? http) => http?.Features.Get<Reservation>()?.Id;

    private sealed record Reservation(Guid Id);
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
        var owner = caller.Owner;
        var fingerprint = await FingerprintAsync(http.Request);
        var deadline = clock.GetUtcNow() + _options.WaitForInFlight;
        while (true)
        {
            var claim = await TryClaimAsync(owner, key, fingerprint, http.RequestAborted);
            switch (claim.Outcome)
            {
                case ClaimOutcome.Claimed:
                    var creation = http.GetEndpoint()?.Metadata.GetMetadata<IdempotentCreation>();
                    // A retry of a key whose first attempt failed: what that attempt committed, if it did, is the answer.
                    if (creation is not null && claim.Retry && await creation.Find(http.RequestServices, claim.ResourceId, http.RequestAborted) is { } created)
                    {
                        await CompleteAsync(owner, key, created);
                        await WriteAsync(http, created, replayed: true);
                        return;
                    }
                    if (creation is not null) http.Features.Set(new Reservation(claim.ResourceId));
                    await RunAndStoreAsync(http, owner, key, creation is null ? null : (creation, claim.ResourceId));
                    return;
                case ClaimOutcome.Mismatch:
                    await ProblemResponses.WriteAsync(http, new ErrorInfo(422, "idempotency.key_reused",
                        "This Idempotency-Key was used with a different request. Use a new key for a new request.",
                        new Dictionary<string, string[]> { [Header] = ["Already used with a different request."] }));
                    return;
                case ClaimOutcome.Completed:
                    var record = claim.Record!;
                    await WriteAsync(http, new StoredResponse(record.StatusCode!.Value, record.ContentType, record.Body ?? [], record.Location, record.ETag), replayed: true);
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

    private readonly record struct Claim(ClaimOutcome Outcome, IdempotencyRecord? Record = null, Guid ResourceId = default, bool Retry = false);

    private async Task<Claim> TryClaimAsync(string owner, string key, string fingerprint, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        var reserved = Uuid.V7(now);
        // A retry finds the key taken: ordinary traffic, found by the insert itself rather than by a failed save that EF
        // would log as an error.
        if (await db.Database.ExecuteSqlInterpolatedAsync(
                $"INSERT INTO idempotency_keys (owner, key, fingerprint, created_at, locked_until, resource_id) VALUES ({owner}, {key}, {fingerprint}, {db.StoreTime(now)}, {db.StoreTime(now + _options.LockTimeout)}, {db.StoreId(reserved)}) ON CONFLICT DO NOTHING",
                ct) == 1)
            return new Claim(ClaimOutcome.Claimed, ResourceId: reserved);
        var existing = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Owner == owner && r.Key == key, ct);
        if (existing is null) return new Claim(ClaimOutcome.InFlight); // released in between: try again
        if (existing.Fingerprint != fingerprint) return new Claim(ClaimOutcome.Mismatch, existing);
        if (existing.StatusCode is not null) return new Claim(ClaimOutcome.Completed, existing);
        if (existing.LockedUntil < now)
        {
            // The first request failed, or died without finishing: take the key over, with the id it reserved, unless
            // another retry just did.
            var taken = await db.IdempotencyRecords
                .Where(r => r.Owner == owner && r.Key == key && r.StatusCode == null && r.LockedUntil == existing.LockedUntil)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, now + _options.LockTimeout), ct);
            if (taken == 1) return new Claim(ClaimOutcome.Claimed, ResourceId: existing.ResourceId ?? reserved, Retry: true);
        }
        return new Claim(ClaimOutcome.InFlight, existing);
    }

    private async Task RunAndStoreAsync(HttpContext http, string owner, string key, (IdempotentCreation Creation, Guid Id)? reserved)
    {
        var original = http.Response.Body;
        using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await next(http);
        }
        catch (Exception e)
        {
            http.Response.Body = original;
            if (await CreatedAnywayAsync(http, owner, key, reserved, e)) return;
            throw;
        }
        http.Response.Body = original;
        var status = http.Response.StatusCode;
        if (status >= 500)
        {
            if (!await CreatedAnywayAsync(http, owner, key, reserved, null)) await original.WriteAsync(buffer.ToArray(), http.RequestAborted);
            return;
        }
        var body = buffer.ToArray();
        await CompleteAsync(owner, key, new StoredResponse(status, http.Response.ContentType, body, NullIfEmpty(http.Response.Headers.Location), NullIfEmpty(http.Response.Headers.ETag)));
        await original.WriteAsync(body, http.RequestAborted);
    }

    /// <summary>
    /// The request failed (an exception, or a 5xx answer). When it reserved an id and what it creates exists, its COMMIT
    /// ran: the key completes with that resource and the client gets it, not the failure (true). Otherwise the key is
    /// released for a retry, keeping its reserved id (false).
    /// </summary>
    private async Task<bool> CreatedAnywayAsync(HttpContext http, string owner, string key, (IdempotentCreation Creation, Guid Id)? reserved, Exception? failure)
    {
        if (reserved is { } r)
        {
            StoredResponse? created = null;
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                created = await r.Creation.Find(scope.ServiceProvider, r.Id, CancellationToken.None);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not look for what a failed request created; the key is released and a retry will look again");
            }
            if (created is not null)
            {
                logger.LogWarning(failure, "A request failed after its commit ({Status}); answered with what it created ({Location})", http.Response.StatusCode, created.Location);
                await CompleteAsync(owner, key, created);
                http.Response.Clear();
                await WriteAsync(http, created, replayed: false);
                return true;
            }
        }
        await ReleaseAsync(owner, key, keepReservation: reserved is not null);
        return false;
    }

    private async Task CompleteAsync(string owner, string key, StoredResponse response)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        await db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key)
            .ExecuteUpdateAsync(s => s
                .SetProperty(r => r.StatusCode, response.StatusCode)
                .SetProperty(r => r.ContentType, response.ContentType)
                .SetProperty(r => r.Location, response.Location)
                .SetProperty(r => r.ETag, response.ETag)
                .SetProperty(r => r.Body, response.Body), CancellationToken.None);
    }

    /// <summary>
    /// Lets a retry have the key: by deleting it, or, where the key reserved an id, by marking its lock expired, so that
    /// the retry (with the same request: another is refused as a reused key) keeps the id and finds what was created.
    /// </summary>
    private async Task ReleaseAsync(string owner, string key, bool keepReservation)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var mine = db.IdempotencyRecords.Where(r => r.Owner == owner && r.Key == key && r.StatusCode == null);
        try
        {
            if (keepReservation) await mine.ExecuteUpdateAsync(s => s.SetProperty(r => r.LockedUntil, r => r.CreatedAt), CancellationToken.None);
            else await mine.ExecuteDeleteAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not release an idempotency key; a retry may take it over once its lock expires");
        }
    }

    private static async Task WriteAsync(HttpContext http, StoredResponse response, bool replayed)
    {
        http.Response.StatusCode = response.StatusCode;
        if (response.ContentType is not null) http.Response.ContentType = response.ContentType;
        if (response.Location is not null) http.Response.Headers.Location = response.Location;
        if (response.ETag is not null) http.Response.Headers.ETag = response.ETag;
        if (replayed) http.Response.Headers["Idempotent-Replayed"] = "true";
        if (response.Body.Length > 0) await http.Response.Body.WriteAsync(response.Body, http.RequestAborted);
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
