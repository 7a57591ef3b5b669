using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Domain.Access;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Auth;

/// <summary>Who is calling: the API key's id, name (the actor in timelines) and scopes.</summary>
public sealed record Caller(Guid KeyId, string Name, IReadOnlyList<string> Scopes)
{
    public bool Has(string scope) => Domain.Access.Scopes.Grants(Scopes, scope);

    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, KeyId.ToString()), new Claim(ClaimTypes.Name, Name), .. Scopes.Select(s => new Claim("scope", s))],
        authenticationType: "ApiKey", nameType: ClaimTypes.Name, roleType: "scope"));
}

/// <summary>Marks an endpoint as needing a scope. Endpoints with neither this nor <see cref="IAllowAnonymous"/> need any valid key.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequireScopeAttribute(string scope) : Attribute
{
    public string Scope { get; } = scope;
}

public static class EndpointAccess
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequireScopeAttribute(scope));

    /// <summary>Reachable without a key: health, documentation, the IDE.</summary>
    public static TBuilder Public<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new AllowAnonymousAttribute());

    public static Caller? GetCaller(this HttpContext http) => http.Features.Get<Caller>();
}

/// <summary>
/// Resolves a presented key to a <see cref="Caller"/>. Hits are cached for a short time so a request costs no
/// extra SQL; revoking through this process forgets the cache at once, other replicas within <see cref="Ttl"/>.
/// </summary>
public sealed class ApiKeyAuthenticator(IServiceScopeFactory scopes, TimeProvider clock)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);

    public async ValueTask<Caller?> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = ApiKey.HashOf(secret);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now) return hit.Caller;

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Scopes }).SingleOrDefaultAsync(ct);
        if (key is null) return null;
        var caller = new Caller(key.Id.Value, key.Name, key.Scopes);
        if (_cache.Count >= MaxEntries) _cache.Clear();
        _cache[hash] = (caller, now + Ttl);
        return caller;
    }

    public void Forget() => _cache.Clear();
}

/// <summary>Authenticates <c>Authorization: Bearer</c> keys and enforces each endpoint's scope, answering 401/403 as problem+json.</summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator)
{
    public async Task InvokeAsync(HttpContext http)
    {
        var endpoint = http.GetEndpoint();
        // No endpoint: the router answers 404/405 itself; nothing to protect.
        var isPublic = endpoint is null || endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
        var header = http.Request.Headers.Authorization.ToString();
        Caller? caller = null;
        if (header.Length > 0)
        {
            var secret = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : "";
            caller = secret.Length == 0 ? null : await authenticator.AuthenticateAsync(secret, http.RequestAborted);
            if (caller is null && !isPublic)
            {
                await ProblemResponses.WriteAsync(http, ErrorMapping.Classify(
                    new UnauthenticatedException("The API key is malformed, unknown or revoked. Send it as 'Authorization: Bearer <key>'.")));
                return;
            }
        }
        if (caller is not null)
        {
            http.Features.Set(caller);
            http.User = caller.ToPrincipal();
        }
        if (!isPublic)
        {
            if (caller is null)
            {
                await ProblemResponses.WriteAsync(http, ErrorMapping.Classify(
                    new UnauthenticatedException("This endpoint needs an API key: send 'Authorization: Bearer <key>'.")));
                return;
            }
            // Fail closed: an operation that forgot to declare its scope is the admin's only (a test lists any such).
            var scope = endpoint!.Metadata.GetMetadata<RequireScopeAttribute>()?.Scope ?? Scopes.Admin;
            if (!caller.Has(scope))
            {
                await ProblemResponses.WriteAsync(http, ErrorMapping.Classify(new ForbiddenException(scope)));
                return;
            }
        }
        await next(http);
    }
}

/// <summary>The name timelines record as the actor: the calling key's name, or <c>system</c> for background work.</summary>
public sealed class Actor(IHttpContextAccessor http)
{
    public string Name => http.HttpContext?.GetCaller()?.Name ?? "system";
}
