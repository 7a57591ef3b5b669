using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Documents;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Documents;

/// <summary>Which documents a list shows.</summary>
public sealed record DocumentFilter(DocumentKind? Kind, DocumentStatus? Status, Guid? OrderId, string? Number);

public sealed class DocumentQueries(OmsDbContext db, Visibility seen)
{
    /// <summary>The document and its trail (reading it is not recorded: its renderings are).</summary>
    public async Task<DocumentDto> GetAsync(DocumentId id, CancellationToken ct)
    {
        var d = await seen.Documents.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("document", id.Value);
        return (await WithTrailsAsync([d], ct))[0];
    }

    /// <summary>Documents newest first, by kind, status, order or number.</summary>
    public async Task<Page<DocumentDto>> ListAsync(DocumentFilter filter, PageRequest page, CancellationToken ct)
    {
        var q = seen.Documents;
        if (filter.Kind is { } kind) q = q.Where(d => d.Kind == kind);
        if (filter.Status is { } status) q = q.Where(d => d.Status == status);
        if (filter.OrderId is { } order) q = q.Where(d => d.OrderId == new OrderId(order));
        if (filter.Number is { Length: > 0 } number) q = q.Where(d => d.Number == number);
        if (page.AfterId is { } after) q = q.Where(d => d.Id.CompareTo(new DocumentId(after)) < 0);
        var rows = await q.OrderByDescending(d => d.Id).Take(page.Take + 1).ToListAsync(ct);
        var dtos = await WithTrailsAsync(rows, ct);
        return page.Page(dtos, d => d, CursorOf);
    }

    public static string CursorOf(DocumentDto d) => Cursor.Of(d.Id);

    /// <summary>An order's documents, oldest first.</summary>
    public async Task<IReadOnlyList<DocumentDto>> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        return (await ForOrdersAsync([orderId.Value], ct))[orderId.Value];
    }

    /// <summary>For GraphQL batch loading: two statements for any number of orders.</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<DocumentDto>>> ForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var rows = await seen.Documents.Where(d => ids.Contains(d.OrderId)).OrderBy(d => d.Id).ToListAsync(ct);
        var dtos = (await WithTrailsAsync(rows, ct)).ToLookup(d => d.OrderId);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<DocumentDto>)dtos[id].ToList());
    }

    private async Task<IReadOnlyList<DocumentDto>> WithTrailsAsync(IReadOnlyList<Document> documents, CancellationToken ct)
    {
        if (documents.Count == 0) return [];
        var ids = documents.Select(d => d.Id).ToList();
        var trails = (await db.DocumentActivity.AsNoTracking().Where(a => ids.Contains(a.DocumentId)).ToListAsync(ct)).ToLookup(a => a.DocumentId);
        return [.. documents.Select(d => DocumentDto.From(d, DocumentActivity.InOrder(trails[d.Id])))];
    }
}
