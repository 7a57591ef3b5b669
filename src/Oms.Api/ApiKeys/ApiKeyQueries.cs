using Microsoft.EntityFrameworkCore;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.ApiKeys;

public sealed class ApiKeyQueries(OmsDbContext db)
{
    /// <summary>Every key, newest first; there are few, so no paging.</summary>
    public async Task<IReadOnlyList<ApiKeyDto>> ListAsync(CancellationToken ct) =>
        (await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(ct)).Select(ApiKeyDto.From).ToList();
}
