using System.Security.Cryptography;
using System.Text;
using Oms.Domain.Common;

namespace Oms.Domain.Access;

public readonly record struct ApiKeyId(Guid Value) : IComparable<ApiKeyId>
{
    public override string ToString() => Value.ToString();

    /// <summary>Version 7 ids order by creation time: lists page by id (a keyset).</summary>
    public int CompareTo(ApiKeyId other) => Value.CompareTo(other.Value);
}

/// <summary>
/// A credential for one integration. Only a SHA-256 hash of the secret is kept: keys are 190 bits of randomness,
/// so a fast hash is enough, and a lookup by hash keeps authentication to one indexed read.
/// </summary>
public sealed class ApiKey : AggregateRoot
{
    public const string Prefix = "oms_";

    private ApiKey() { }

    public ApiKeyId Id { get; private set; }
    public string Name { get; private set; } = "";
    /// <summary>The first characters of the key, safe to show so people can tell keys apart.</summary>
    public string Hint { get; private set; } = "";
    public string Hash { get; private set; } = "";
    /// <summary>Scopes given to the key itself.</summary>
    public List<string> Scopes { get; private set; } = [];
    /// <summary>Roles given to the key (names, built-in or custom): it may also do what they allow.</summary>
    public List<string> Roles { get; private set; } = [];
    /// <summary>The fulfilment nodes the key is limited to (<see cref="DataLimits"/>); empty: every node.</summary>
    public List<Guid> Nodes { get; private set; } = [];
    /// <summary>The channels the key is limited to (<see cref="DataLimits"/>); empty: every channel.</summary>
    public List<string> Channels { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? RevokedAt { get; private set; }
    /// <summary>The key that created this one, when a key did (not the development or bootstrap key, made at start-up).</summary>
    public Guid? CreatedBy { get; private set; }

    public bool IsActive => RevokedAt is null;

    public DataLimits Limits => new(Nodes, Channels);

    /// <summary>
    /// Creates a key; the secret is returned once and never stored. <paramref name="roles"/> are names and
    /// <paramref name="nodes"/> node ids the caller has checked exist (custom roles and nodes live in the database).
    /// </summary>
    public static (ApiKey Key, string Secret) Create(string name, IEnumerable<string> scopes, DateTimeOffset now, string? secret = null, Guid? createdBy = null,
        IEnumerable<string>? roles = null, IEnumerable<Guid>? nodes = null, IEnumerable<string>? channels = null)
    {
        var scopeList = Access.Scopes.Validated(scopes, "scopes", "api_key.unknown_scope");
        var roleList = (roles ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (scopeList.Count == 0 && roleList.Count == 0)
            throw new DomainException("api_key.no_scopes", "A key needs at least one scope or role.", "scopes");
        var nodeList = (nodes ?? []).Distinct().Order().ToList();
        var channelList = DataLimits.ValidatedChannels(channels ?? [], "channels");
        secret ??= Prefix + Base62(RandomNumberGenerator.GetBytes(24));
        var key = new ApiKey
        {
            Id = new ApiKeyId(Uuid.V7(now)),
            Name = name,
            Hint = secret[..Math.Min(secret.Length, 10)],
            Hash = HashOf(secret),
            Scopes = scopeList,
            Roles = roleList,
            Nodes = nodeList,
            Channels = channelList,
            CreatedAt = now,
            CreatedBy = createdBy,
        };
        return (key, secret);
    }

    public void Revoke(DateTimeOffset now)
    {
        if (RevokedAt is not null)
            throw new ConflictException("api_key.already_revoked", "The key is already revoked.");
        RevokedAt = now;
    }

    public static string HashOf(string secret) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    private static string Base62(byte[] bytes)
    {
        const string alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
        var value = new System.Numerics.BigInteger(bytes, isUnsigned: true);
        var sb = new StringBuilder();
        while (value > 0) { sb.Insert(0, alphabet[(int)(value % 62)]); value /= 62; }
        return sb.ToString().PadLeft(33, '0');
    }
}

public static class Scopes
{
    public const string Admin = "admin";
    public const string OrdersRead = "orders:read";
    public const string OrdersWrite = "orders:write";
    public const string CatalogRead = "catalog:read";
    public const string CatalogWrite = "catalog:write";
    public const string InventoryRead = "inventory:read";
    public const string InventoryWrite = "inventory:write";
    public const string RoutingRead = "routing:read";
    public const string WebhooksManage = "webhooks:manage";
    /// <summary>The shop's own wording of its e-mails to shoppers (templates, previews).</summary>
    public const string NotificationsManage = "notifications:manage";
    public const string PaymentsRead = "payments:read";
    public const string PaymentsWrite = "payments:write";
    public const string FulfilmentRead = "fulfilment:read";
    public const string FulfilmentWrite = "fulfilment:write";
    public const string ReturnsRead = "returns:read";
    public const string ReturnsWrite = "returns:write";
    public const string CustomersRead = "customers:read";
    public const string CustomersWrite = "customers:write";
    /// <summary>Shoppers' names, e-mail addresses, phones and street lines unmasked, in every answer (not implied by customers:write).</summary>
    public const string CustomersPii = "customers:pii";
    public const string DocumentsRead = "documents:read";
    public const string DocumentsWrite = "documents:write";
    public const string ReportsRead = "reports:read";
    /// <summary>The settings reports use (exchange rates).</summary>
    public const string ReportsWrite = "reports:write";

    /// <summary>Every scope a key may hold; later capabilities add theirs here.</summary>
    public static readonly IReadOnlyList<string> All = [Admin, OrdersRead, OrdersWrite, CatalogRead, CatalogWrite, InventoryRead, InventoryWrite, RoutingRead, WebhooksManage, PaymentsRead, PaymentsWrite,
        FulfilmentRead, FulfilmentWrite, ReturnsRead, ReturnsWrite, CustomersRead, CustomersWrite, CustomersPii, DocumentsRead, DocumentsWrite,
        ReportsRead, ReportsWrite, NotificationsManage];

    public static bool IsKnown(string scope) => All.Contains(scope);

    /// <summary>Scopes as kept: known, without repeats, in order. An unknown one is refused with <paramref name="code"/>.</summary>
    public static List<string> Validated(IEnumerable<string> scopes, string field, string code = "access.unknown_scope")
    {
        var list = scopes.Select(s => s.Trim()).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        foreach (var s in list)
            if (!IsKnown(s))
                throw new DomainException(code, $"'{s}' is not a scope. Known scopes: {string.Join(", ", All)}.", field);
        return list;
    }

    /// <summary>What a holder of <paramref name="own"/> scopes and roles with <paramref name="fromRoles"/> may do: the union, in order.</summary>
    public static IReadOnlyList<string> Effective(IEnumerable<string> own, IEnumerable<string> fromRoles) =>
        own.Concat(fromRoles).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>
    /// Scopes whose operations reach every node and channel at once (keys and roles, the audit trail, reports, webhook
    /// subscriptions, which receive every event, the shop's e-mail templates): a caller limited to some nodes or channels is not given them.
    /// </summary>
    public static readonly IReadOnlyList<string> Unlimited = [Admin, ReportsRead, ReportsWrite, WebhooksManage, NotificationsManage];

    /// <summary>What a holder of <paramref name="effective"/> scopes may do within <paramref name="limits"/>: without <see cref="Unlimited"/> ones when limited.</summary>
    public static IReadOnlyList<string> Within(IReadOnlyList<string> effective, DataLimits limits) =>
        limits.Any ? effective.Where(s => !Unlimited.Contains(s)).ToList() : effective;

    /// <summary>Whether keys holding <paramref name="held"/> may do what <paramref name="needed"/> allows.</summary>
    public static bool Grants(IReadOnlyCollection<string> held, string needed) =>
        held.Contains(Admin) || held.Contains(needed)
        || (needed.EndsWith(":read", StringComparison.Ordinal) && held.Contains(needed[..^5] + ":write"));
}
