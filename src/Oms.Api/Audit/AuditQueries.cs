using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Errors;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Audit;

public sealed class AuditQueries(OmsDbContext db)
{
    private static readonly string[] Actions = ["created", "updated", "deleted", PersonalDataViews.Viewed];
    private static readonly string[] Kinds = ["api_key", "person", "system"];

    /// <summary>Audit events, newest first (id order: version 7 ids are time order).</summary>
    public async Task<Page<AuditEventDto>> ListAsync(AuditFilter filter, PageRequest page, CancellationToken ct)
    {
        if (filter.Action is { } action && !Actions.Contains(action))
            throw RequestValidationException.For("action", $"action is one of {string.Join(", ", Actions)}.");
        if (filter.ActorKind is { } kind && !Kinds.Contains(kind))
            throw RequestValidationException.For("actorKind", $"actorKind is one of {string.Join(", ", Kinds)}.");
        if (filter is { From: { } from, To: { } to } && to < from) throw RequestValidationException.For("to", "to is not before from.");
        var q = db.AuditEvents.AsNoTracking();
        if (filter.ActorName is { } name) q = q.Where(e => e.ActorName == name);
        if (filter.ActorKind is { } k) q = q.Where(e => e.ActorKind == k);
        if (filter.ResourceType is { } type) q = q.Where(e => e.ResourceType == type);
        if (filter.ResourceId is { } id) q = q.Where(e => e.ResourceId == id);
        if (filter.Action is { } a) q = q.Where(e => e.Action == a);
        if (filter.Operation is { } op) q = q.Where(e => e.Operation == op);
        if (filter.From is { } f) q = q.Where(e => e.At >= f);
        if (filter.To is { } t) q = q.Where(e => e.At < t);
        if (page.AfterId is { } after) q = q.Where(e => e.Id.CompareTo(after) < 0);
        return page.Page(await q.OrderByDescending(e => e.Id).Take(page.Take + 1).ToListAsync(ct), AuditEventDto.From, CursorOf);
    }

    public static string CursorOf(AuditEventDto e) => Cursor.Of(e.Id);
}
