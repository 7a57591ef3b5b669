using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Validation;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Roles;

/// <summary>Custom roles. A change reaches every key holding the role at once: here, and on the other processes when the database tells them.</summary>
public sealed class RoleService(OmsDbContext db, TimeProvider clock, ApiKeyAuthenticator authenticator)
{
    public async Task<RoleDto> CreateAsync(CreateRoleRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        var role = Role.Create(request.Name.Trim(), request.Description, request.Scopes, clock.GetUtcNow());
        if (await db.Roles.AnyAsync(r => r.Name == role.Name, ct))
            throw new ConflictException("role.exists", $"There is already a role named '{role.Name}'.");
        db.Roles.Add(role);
        await db.SaveChangesAsync(ct);
        return RoleDto.From(role);
    }

    public async Task<RoleDto> UpdateAsync(string name, UpdateRoleRequest request, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        var role = await CustomAsync(name, ct);
        role.EnsureVersion(expectedVersion);
        role.Change(request.Description ?? role.Description, request.Scopes ?? role.Scopes, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        await KeysChangedAsync(name, ct);
        return RoleDto.From(role);
    }

    /// <summary>Deletes a custom role no active key holds (revoke or re-key those first: a key must not lose what it may do silently).</summary>
    public async Task<RoleDto> DeleteAsync(string name, int? expectedVersion, CancellationToken ct)
    {
        var role = await CustomAsync(name, ct);
        role.EnsureVersion(expectedVersion);
        var holders = await db.ApiKeys.CountAsync(k => k.RevokedAt == null && k.Roles.Contains(name), ct);
        if (holders > 0)
            throw new ConflictException("role.in_use", $"{holders} active API key(s) hold the role '{name}'; revoke them first.");
        db.Roles.Remove(role);
        await db.SaveChangesAsync(ct);
        await KeysChangedAsync(name, ct);
        return RoleDto.From(role);
    }

    private async Task<Role> CustomAsync(string name, CancellationToken ct)
    {
        if (BuiltInRoles.Find(name) is not null)
            throw new ConflictException("role.built_in", $"'{name}' is a built-in role: it cannot be changed or deleted. Make a custom role instead.");
        return await db.Roles.SingleOrDefaultAsync(r => r.Name == name, ct) ?? throw new NotFoundException("role", name);
    }

    /// <summary>Keys are kept for a while after they are read: forget them, here and (through the database) elsewhere.</summary>
    private async Task KeysChangedAsync(string name, CancellationToken ct)
    {
        authenticator.Forget();
        await db.NotifyAsync(ApiKeyAuthenticator.RevocationChannel, "role:" + name, ct);
    }
}
