using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Returns;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Returns;

public sealed class ReturnQueries(TimeProvider clock, Visibility seen)
{
    public async Task<ReturnDto> GetAsync(Guid id, CancellationToken ct) =>
        ReturnDto.From(await seen.Returns.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("return", id));

    public async Task<IReadOnlyList<ReturnDto>> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        return (await seen.Returns.Where(r => r.OrderId == orderId).OrderBy(r => r.Sequence).ToListAsync(ct)).Select(ReturnDto.From).ToList();
    }

    /// <summary>For GraphQL batch loading.</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<ReturnDto>>> ForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var rows = (await seen.Returns.Where(r => ids.Contains(r.OrderId)).OrderBy(r => r.Sequence).ToListAsync(ct))
            .Select(ReturnDto.From).ToLookup(r => r.OrderId);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<ReturnDto>)rows[id].ToList());
    }

    /// <summary>Returns by status, newest first (the returns desk's queue).</summary>
    public async Task<Page<ReturnDto>> ListAsync(ReturnStatus? status, PageRequest page, CancellationToken ct)
    {
        var q = seen.Returns;
        if (status is { } s) q = q.Where(r => r.Status == s);
        if (page.AfterId is { } after) q = q.Where(r => r.Id.CompareTo(after) < 0);
        return page.Page(await q.OrderByDescending(r => r.Id).Take(page.Take + 1).ToListAsync(ct), ReturnDto.From, CursorOf);
    }

    public static string CursorOf(ReturnDto r) => Cursor.Of(r.Id);

    /// <summary>Returned units per SKU and reason for returns requested in [from, to) (default: the last 30 days).</summary>
    public async Task<ReturnStatsDto> StatsAsync(DateTimeOffset? from, DateTimeOffset? to, string? sku, CancellationToken ct)
    {
        var end = (to ?? clock.GetUtcNow()).ToUniversalTime(); // any offset a client sends (+14:00) is UTC from here
        var start = from?.ToUniversalTime() ?? end.AddDays(-30);
        if (start >= end) throw Platform.Errors.RequestValidationException.For("from", "from is before to.");
        var q = seen.Returns.Where(r => r.CreatedAt >= start && r.CreatedAt < end && r.Status != ReturnStatus.Rejected)
            .SelectMany(r => r.Lines, (r, l) => new { ReturnId = r.Id, l.Sku, l.Reason, l.Quantity });
        if (sku is { Length: > 0 }) q = q.Where(x => x.Sku == sku);
        // Per return first (SQL), then per SKU and reason: a return counts once however many lines of the SKU it has.
        var perReturn = await q.GroupBy(x => new { x.Sku, x.Reason, x.ReturnId }).Select(g => new { g.Key.Sku, g.Key.Reason, Units = g.Sum(x => x.Quantity) }).ToListAsync(ct);
        var rows = perReturn.GroupBy(x => (x.Sku, x.Reason)).Select(g => new { g.Key.Sku, g.Key.Reason, Returns = g.Count(), Units = g.Sum(x => x.Units) }).ToList();
        return new ReturnStatsDto
        {
            From = start, To = end,
            Rows = rows.OrderByDescending(r => r.Units).ThenBy(r => r.Sku, StringComparer.Ordinal).ThenBy(r => r.Reason)
                .Select(r => new ReturnStatsRowDto { Sku = r.Sku, Reason = r.Reason, Returns = r.Returns, Units = r.Units }).ToList(),
        };
    }
}
