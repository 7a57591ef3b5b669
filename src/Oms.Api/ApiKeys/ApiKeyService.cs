using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Validation;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.ApiKeys;

public sealed class ApiKeyService(OmsDbContext db, TimeProvider clock, ApiKeyAuthenticator authenticator, Actor actor)
{
    public async Task<CreatedApiKeyDto> CreateAsync(CreateApiKeyRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        // Left out or null (GraphQL lets a client send null for a list it may omit): none.
        List<string> asked = request.Roles ?? [], scopes = request.Scopes ?? [];
        var roles = await RoleScopes.OfAsync(db, asked, ct);
        for (var i = 0; i < asked.Count; i++)
            if (!roles.ContainsKey(asked[i]))
                throw new DomainException("api_key.unknown_role", $"There is no role '{asked[i]}' (GET /api/v1/roles lists them).", $"roles[{i}]");
        List<Guid> nodes = request.Nodes ?? [];
        List<string> channels = request.Channels ?? [];
        if (nodes.Count > 0)
        {
            var ids = nodes.Select(n => new NodeId(n)).ToList();
            var known = await db.Nodes.Where(n => ids.Contains(n.Id)).Select(n => n.Id).ToListAsync(ct);
            for (var i = 0; i < nodes.Count; i++)
                if (!known.Contains(new NodeId(nodes[i])))
                    throw new DomainException("api_key.unknown_node", $"There is no fulfilment node with id '{nodes[i]}' (GET /api/v1/nodes lists them).", $"nodes[{i}]");
        }
        var (key, secret) = ApiKey.Create(request.Name.Trim(), scopes, clock.GetUtcNow(), createdBy: actor.KeyId, roles: asked, nodes: nodes, channels: channels);
        // Keys and roles, reports and webhooks reach every node and channel: a limited key could not use them, and is not
        // given them silently.
        var effective = Scopes.Effective(key.Scopes, key.Roles.SelectMany(r => roles[r]));
        if (key.Limits.Any && effective.FirstOrDefault(Scopes.Unlimited.Contains) is { } unlimited)
            throw new DomainException("api_key.limits_exclude_scope",
                $"A key limited to nodes or channels cannot hold '{unlimited}' (its operations reach every node and channel).", nodes.Count > 0 ? "nodes" : "channels");
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(ct);
        return new CreatedApiKeyDto { Key = ApiKeyDto.From(key, roles), Secret = secret };
    }

    public async Task<ApiKeyDto> RevokeAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == new ApiKeyId(id), ct) ?? throw new NotFoundException("api key", id);
        key.Revoke(clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        // This process forgets at once; the others when the database tells them (ApiKeyRevocations).
        authenticator.Forget();
        await db.NotifyAsync(ApiKeyAuthenticator.RevocationChannel, key.Id.Value.ToString(), ct);
        return ApiKeyDto.From(key, await RoleScopes.OfAsync(db, key.Roles, ct));
    }

    /// <summary>Makes sure a key with this exact secret exists (the printed development key, a configured bootstrap key).</summary>
    public async Task EnsureAsync(string name, string secret, IEnumerable<string> scopes, CancellationToken ct)
    {
        var hash = ApiKey.HashOf(secret);
        if (await db.ApiKeys.AnyAsync(k => k.Hash == hash && k.RevokedAt == null, ct)) return;
        db.ApiKeys.Add(ApiKey.Create(name, scopes, clock.GetUtcNow(), secret).Key);
        await db.SaveChangesAsync(ct);
    }
}
