using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Domain.Access;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// Who is calling: an API key (its id) or a person signed in through the identity provider (<paramref name="Person"/>),
/// the name timelines and the audit trail record, the effective scopes, and the nodes and channels it is limited to.
/// </summary>
public sealed record Caller(Guid? KeyId, string Name, IReadOnlyList<string> Scopes, PersonIdentity? Person = null, DataLimits? Limits = null)
{
    /// <summary>The nodes and channels the caller is limited to; <see cref="DataLimits.None"/> when it is not.</summary>
    public DataLimits Limits { get; init; } = Limits ?? DataLimits.None;

    public bool Has(string scope) => Domain.Access.Scopes.Grants(Scopes, scope);

    /// <summary>A stable id for what is kept per caller (idempotency keys): the key's id, or a hash of the person's issuer and subject.</summary>
    public string Owner => KeyId is { } id ? id.ToString("N") : PersonAuthentication.OwnerOf(Person!);

    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [new Claim(ClaimTypes.NameIdentifier, KeyId?.ToString() ?? Person!.Subject), new Claim(ClaimTypes.Name, Name), .. Scopes.Select(s => new Claim("scope", s))],
        authenticationType: Person is null ? "ApiKey" : PersonAuthentication.Scheme, nameType: ClaimTypes.Name, roleType: "scope"));
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
/// Resolves a presented key to a <see cref="Caller"/> with its effective scopes (its own and its roles'). Keys other
/// than admin are kept for a while, so a request costs no extra SQL: <see cref="Ttl"/> while this process hears of
/// revocations and role changes made by the others (PostgreSQL NOTIFY on <see cref="RevocationChannel"/>,
/// <see cref="ApiKeyRevocations"/>; on SQLite there is one process), only <see cref="UnheardTtl"/> while it does not.
/// A revocation or role change, here or heard of, forgets every kept key at once. Admin keys
/// are read every time: one revoked on another process must not go on minting keys.
/// </summary>
public sealed class ApiKeyAuthenticator(IServiceScopeFactory scopes, TimeProvider clock, DatabaseSettings database)
{
    public const string RevocationChannel = "oms_api_key_revoked";
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan UnheardTtl = TimeSpan.FromSeconds(2);
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (Caller Caller, DateTimeOffset Until)> _cache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<string> Scopes, DateTimeOffset Until)> _roleCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, (IReadOnlyList<Guid> Nodes, DateTimeOffset Until)> _nodeCache = new(StringComparer.Ordinal);
    private volatile bool _hearing = database.Provider == DatabaseProvider.Sqlite;
    private long _generation;

    public async ValueTask<Caller?> AuthenticateAsync(string secret, CancellationToken ct)
    {
        if (!secret.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || secret.Length > 100) return null;
        var hash = ApiKey.HashOf(secret);
        var now = clock.GetUtcNow();
        if (_cache.TryGetValue(hash, out var hit) && hit.Until > now) return hit.Caller;

        var generation = Interlocked.Read(ref _generation);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var key = await db.ApiKeys.AsNoTracking().Where(k => k.Hash == hash && k.RevokedAt == null)
            .Select(k => new { k.Id, k.Name, k.Scopes, k.Roles, k.Nodes, k.Channels }).SingleOrDefaultAsync(ct);
        if (key is null) return null;
        var fromRoles = key.Roles.Count == 0 ? [] : (await RoleScopes.OfAsync(db, key.Roles, ct)).Values.SelectMany(s => s);
        var limits = key.Nodes.Count == 0 && key.Channels.Count == 0 ? DataLimits.None : new DataLimits(key.Nodes, key.Channels);
        var caller = new Caller(key.Id.Value, key.Name, Scopes.Within(Scopes.Effective(key.Scopes, fromRoles), limits), Limits: limits);
        if (caller.Has(Scopes.Admin)) return caller;
        if (_cache.Count >= MaxEntries) _cache.Clear();
        _cache[hash] = (caller, now + (_hearing ? Ttl : UnheardTtl));
        // Read before a revocation and kept after it forgot everything: not kept.
        if (Interlocked.Read(ref _generation) != generation) _cache.TryRemove(hash, out _);
        return caller;
    }

    /// <summary>What a person holding <paramref name="roles"/> may do; kept like keys are, and forgotten with them when a role changes.</summary>
    public async ValueTask<IReadOnlyList<string>> ScopesOfRolesAsync(IReadOnlyList<string> roles, CancellationToken ct)
    {
        if (roles.Count == 0) return [];
        var cacheKey = string.Join('\n', roles);
        var now = clock.GetUtcNow();
        if (_roleCache.TryGetValue(cacheKey, out var hit) && hit.Until > now) return hit.Scopes;
        var generation = Interlocked.Read(ref _generation);
        await using var scope = scopes.CreateAsyncScope();
        var found = await RoleScopes.OfAsync(scope.ServiceProvider.GetRequiredService<OmsDbContext>(), roles, ct);
        IReadOnlyList<string> effective = Scopes.Effective([], found.Values.SelectMany(s => s));
        if (_roleCache.Count >= MaxEntries) _roleCache.Clear();
        _roleCache[cacheKey] = (effective, now + (_hearing ? Ttl : UnheardTtl));
        if (Interlocked.Read(ref _generation) != generation) _roleCache.TryRemove(cacheKey, out _);
        return effective;
    }

    /// <summary>The ids of the nodes <paramref name="codesOrIds"/> name (codes in any case, or ids), in order; kept like roles are.</summary>
    public async ValueTask<IReadOnlyList<Guid>> NodesNamedAsync(IReadOnlyList<string> codesOrIds, CancellationToken ct)
    {
        var cacheKey = string.Join('\n', codesOrIds);
        var now = clock.GetUtcNow();
        if (_nodeCache.TryGetValue(cacheKey, out var hit) && hit.Until > now) return hit.Nodes;
        var generation = Interlocked.Read(ref _generation);
        var codes = codesOrIds.Select(c => c.ToUpperInvariant()).ToList();
        var ids = codesOrIds.Select(c => Guid.TryParse(c, out var id) ? new Domain.Inventory.NodeId(id) : (Domain.Inventory.NodeId?)null).OfType<Domain.Inventory.NodeId>().ToList();
        await using var scope = scopes.CreateAsyncScope();
        var found = await scope.ServiceProvider.GetRequiredService<OmsDbContext>().Nodes.AsNoTracking()
            .Where(n => codes.Contains(n.Code) || ids.Contains(n.Id)).Select(n => n.Id).ToListAsync(ct);
        var nodes = found.Select(n => n.Value).Order().ToList();
        if (_nodeCache.Count >= MaxEntries) _nodeCache.Clear();
        _nodeCache[cacheKey] = (nodes, now + (_hearing ? Ttl : UnheardTtl));
        if (Interlocked.Read(ref _generation) != generation) _nodeCache.TryRemove(cacheKey, out _);
        return nodes;
    }

    /// <summary>A key was revoked or a role changed (here or, as heard, elsewhere): forget every kept key and role.</summary>
    public void Forget()
    {
        Interlocked.Increment(ref _generation);
        _cache.Clear();
        _roleCache.Clear();
        _nodeCache.Clear();
    }

    /// <summary>Whether revocations elsewhere are heard of; either way, what was kept may have missed one.</summary>
    public void Hearing(bool hearing)
    {
        _hearing = hearing;
        Forget();
    }
}

/// <summary>What roles allow: built-in ones from the code, custom ones from the database.</summary>
public static class RoleScopes
{
    /// <summary>The scopes of each of <paramref name="names"/> that exists (custom roles read in one query, only when there are any).</summary>
    public static async Task<Dictionary<string, IReadOnlyList<string>>> OfAsync(OmsDbContext db, IEnumerable<string> names, CancellationToken ct)
    {
        var result = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var custom = new List<string>();
        foreach (var name in names.Distinct(StringComparer.Ordinal))
            if (BuiltInRoles.Find(name) is { } builtIn) result[name] = builtIn.Scopes;
            else custom.Add(name);
        if (custom.Count > 0)
            foreach (var r in await db.Roles.AsNoTracking().Where(r => custom.Contains(r.Name)).Select(r => new { r.Name, r.Scopes }).ToListAsync(ct))
                result[r.Name] = r.Scopes;
        return result;
    }
}

/// <summary>Hears of API keys revoked by other processes on the same database (<see cref="ApiKeyAuthenticator"/>).</summary>
public sealed class ApiKeyRevocations(DatabaseSettings database, ApiKeyAuthenticator authenticator, ILogger<ApiKeyRevocations> logger) : BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        DatabaseListener.RunAsync(database, ApiKeyAuthenticator.RevocationChannel, _ => authenticator.Forget(), authenticator.Hearing, logger, stoppingToken);
}

/// <summary>
/// Authenticates <c>Authorization: Bearer</c> API keys and, when people sign in through the identity provider, their
/// tokens (<see cref="PersonAuthentication"/>), and enforces each endpoint's scope, answering 401/403 as problem+json.
/// </summary>
public sealed class ApiKeyMiddleware(RequestDelegate next, ApiKeyAuthenticator authenticator, OidcOptions oidc)
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
            if (oidc.Enabled && PersonAuthentication.LooksLikeToken(secret))
            {
                try
                {
                    caller = await PersonAuthentication.AuthenticateAsync(http, oidc, authenticator);
                }
                catch (UnauthenticatedException refused)
                {
                    // An invalid token is refused even on a public endpoint: the client meant to be someone.
                    http.Response.Headers.WWWAuthenticate = "Bearer error=\"invalid_token\"";
                    await ProblemResponses.WriteAsync(http, ErrorMapping.Classify(refused));
                    return;
                }
            }
            else try
            {
                caller = secret.Length == 0 ? null : await authenticator.AuthenticateAsync(secret, http.RequestAborted);
            }
            catch (Exception e) when (isPublic && DatabaseFailures.IsUnavailable(e))
            {
                // A public endpoint goes on without the key; one that decides by the key itself (GraphQL) says why it cannot.
                http.Features.Set(new KeyNotChecked(e));
            }
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
        PersonalDataMask.For(caller);
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

/// <summary>A key was sent to a public endpoint while the database could not be reached to check it.</summary>
public sealed record KeyNotChecked(Exception Failure);

/// <summary>The name timelines record as the actor: the calling key's name, or <c>system</c> for background work.</summary>
public sealed class Actor(IHttpContextAccessor http)
{
    public string Name => http.HttpContext?.GetCaller()?.Name ?? "system";

    /// <summary>The calling key's id; null for people and for background work.</summary>
    public Guid? KeyId => http.HttpContext?.GetCaller()?.KeyId;
}
