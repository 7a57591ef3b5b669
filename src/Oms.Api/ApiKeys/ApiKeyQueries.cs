using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.ApiKeys;

public sealed class ApiKeyQueries(OmsDbContext db)
{
    /// <summary>Keys, newest first (in id order: ids are version 7, creation time first).</summary>
    public async Task<Page<ApiKeyDto>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var q = db.ApiKeys.AsNoTracking();
        if (page.AfterId is { } after) q = q.Where(k => k.Id.CompareTo(new ApiKeyId(after)) < 0);
        var keys = await q.OrderByDescending(k => k.Id).Take(page.Take + 1).ToListAsync(ct);
        var roles = await RoleScopes.OfAsync(db, keys.SelectMany(k => k.Roles), ct);
        return page.Page(keys, k => ApiKeyDto.From(k, roles), CursorOf);
    }

    public static string CursorOf(ApiKeyDto key) => Cursor.Of(key.Id);
}
