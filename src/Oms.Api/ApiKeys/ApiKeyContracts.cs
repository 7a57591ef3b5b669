using System.ComponentModel.DataAnnotations;
using Oms.Domain.Access;

namespace Oms.Api.ApiKeys;

/// <summary>A new API key for one integration.</summary>
public sealed record CreateApiKeyRequest
{
    /// <summary>Who or what uses the key; recorded as the actor of every change made with it.</summary>
    [Required, StringLength(200)]
    public required string Name { get; init; }

    /// <summary>What the key may do, e.g. orders:read, orders:write, catalog:read, catalog:write, admin. A write scope includes reading. A key needs scopes, roles or both.</summary>
    public List<string> Scopes { get; init; } = [];

    /// <summary>Roles (built-in or custom, by name) whose scopes the key also gets, now and as the role changes.</summary>
    public List<string> Roles { get; init; } = [];

    /// <summary>Limits the key to these fulfilment nodes (ids): their fulfilment orders, pick lists, stock, shipments and returns received there, and the orders they fulfil. Empty: every node.</summary>
    public List<Guid> Nodes { get; init; } = [];

    /// <summary>Limits the key to orders of these channels (web, marketplace, pos, mobile, phone, api) and what hangs off them. Empty: every channel.</summary>
    public List<string> Channels { get; init; } = [];
}

/// <summary>An API key, without its secret.</summary>
public sealed record ApiKeyDto
{
    public required Guid Id { get; init; }
    public required string Name { get; init; }
    /// <summary>The first characters of the key, to tell keys apart.</summary>
    public required string Hint { get; init; }
    /// <summary>The scopes given to the key itself.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }
    /// <summary>The roles given to the key.</summary>
    public required IReadOnlyList<string> Roles { get; init; }
    /// <summary>What the key may do: its own scopes and its roles' scopes together, as they are now.</summary>
    public required IReadOnlyList<string> EffectiveScopes { get; init; }
    /// <summary>The fulfilment nodes (ids) the key is limited to; empty when it is not limited to nodes.</summary>
    public required IReadOnlyList<Guid> Nodes { get; init; }
    /// <summary>The channels the key is limited to; empty when it is not limited to channels.</summary>
    public required IReadOnlyList<string> Channels { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset? RevokedAt { get; init; }
    /// <summary>The id of the key that created this one; null for the development and bootstrap keys, made at start-up.</summary>
    public required Guid? CreatedBy { get; init; }

    /// <param name="k">The key.</param>
    /// <param name="roleScopes">The scopes of (at least) the key's roles.</param>
    public static ApiKeyDto From(ApiKey k, IReadOnlyDictionary<string, IReadOnlyList<string>> roleScopes) => new()
    {
        Id = k.Id.Value, Name = k.Name, Hint = k.Hint, Scopes = k.Scopes, Roles = k.Roles,
        EffectiveScopes = Domain.Access.Scopes.Within(Domain.Access.Scopes.Effective(k.Scopes, k.Roles.SelectMany(r => roleScopes.GetValueOrDefault(r) ?? [])), k.Limits),
        Nodes = k.Nodes, Channels = k.Channels,
        CreatedAt = k.CreatedAt, RevokedAt = k.RevokedAt, CreatedBy = k.CreatedBy,
    };
}

/// <summary>A key just created. <see cref="Secret"/> is shown this once and never again: store it now.</summary>
public sealed record CreatedApiKeyDto
{
    public required ApiKeyDto Key { get; init; }
    /// <summary>Send as Authorization: Bearer &lt;secret&gt;.</summary>
    public required string Secret { get; init; }
}
