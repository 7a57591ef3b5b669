using System.ComponentModel.DataAnnotations;
using Oms.Domain.Access;

namespace Oms.Api.Roles;

/// <summary>A role: a named set of scopes given to keys and to people signing in.</summary>
public sealed record RoleDto
{
    /// <summary>The role's name, which never changes (keys hold it).</summary>
    public required string Name { get; init; }
    public required string? Description { get; init; }
    /// <summary>What a holder of the role may do. A write scope includes reading; admin includes everything.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }
    /// <summary>Built-in roles come with HeadlessOms and cannot be changed or deleted.</summary>
    public required bool BuiltIn { get; init; }
    /// <summary>When a custom role was created; null for built-in roles.</summary>
    public required DateTimeOffset? CreatedAt { get; init; }
    /// <summary>When a custom role last changed; null for built-in roles.</summary>
    public required DateTimeOffset? UpdatedAt { get; init; }
    /// <summary>Sent as ETag; give it back in If-Match to change the role only if nobody else did. 1 for built-in roles.</summary>
    public required int Version { get; init; }

    public static RoleDto From(Role r) => new()
    {
        Name = r.Name, Description = r.Description, Scopes = r.Scopes, BuiltIn = false, CreatedAt = r.CreatedAt, UpdatedAt = r.UpdatedAt, Version = r.Version,
    };

    public static RoleDto From(BuiltInRole r) => new()
    {
        Name = r.Name, Description = r.Description, Scopes = r.Scopes.Order(StringComparer.Ordinal).ToList(), BuiltIn = true, CreatedAt = null, UpdatedAt = null, Version = 1,
    };
}

/// <summary>A custom role.</summary>
public sealed record CreateRoleRequest
{
    /// <summary>2 to 50 lower-case letters, digits, '_' or '-', starting with a letter; not a built-in role's name.</summary>
    [Required, StringLength(50)]
    public required string Name { get; init; }

    [StringLength(Role.MaxDescriptionLength)]
    public string? Description { get; init; }

    /// <summary>What holders may do, e.g. fulfilment:write, inventory:read.</summary>
    [MinLength(1)]
    public required List<string> Scopes { get; init; }
}

/// <summary>Changes to a custom role; fields left out stay as they are. Keys holding it may do the new scopes at once.</summary>
public sealed record UpdateRoleRequest
{
    /// <summary>The new description; an empty string removes it.</summary>
    [StringLength(Role.MaxDescriptionLength)]
    public string? Description { get; init; }

    /// <summary>The role's scopes, replacing the old ones.</summary>
    [MinLength(1)]
    public List<string>? Scopes { get; init; }
}
