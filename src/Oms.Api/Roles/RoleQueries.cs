using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Roles;

public sealed class RoleQueries(OmsDbContext db)
{
    /// <summary>
    /// Every role in name order (ordinal), built-in and custom together. Roles are few and made by hand: read whole,
    /// so the order does not depend on the database's collation.
    /// </summary>
    public async Task<Page<RoleDto>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var after = page.AfterPosition;
        var custom = (await db.Roles.AsNoTracking().ToListAsync(ct)).Select(RoleDto.From);
        var rows = BuiltInRoles.All.Select(RoleDto.From).Concat(custom)
            .Where(r => after is null || string.CompareOrdinal(r.Name, after) > 0)
            .OrderBy(r => r.Name, StringComparer.Ordinal).Take(page.Take + 1).ToList();
        return page.Page(rows, r => r, CursorOf);
    }

    public async Task<RoleDto> GetAsync(string name, CancellationToken ct) =>
        BuiltInRoles.Find(name) is { } builtIn ? RoleDto.From(builtIn)
        : await db.Roles.AsNoTracking().Where(r => r.Name == name).Select(r => RoleDto.From(r)).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("role", name);

    public static string CursorOf(RoleDto role) => Cursor.Encode(role.Name);
}
