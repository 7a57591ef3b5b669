using Oms.Domain.Common;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Persistence.Audit;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// Records who read a shopper's personal data, and when, in the audit trail (action <c>viewed</c>): every read of
/// customers and orders by a person who sees personal data (staff at a desk: a customer, a page of them, their
/// timeline, addresses or export, an order or a page of orders), and a machine's reads of one customer's record or
/// export. A machine's pages and its reads of orders are its work (a shop front shows each order it placed; a
/// connector syncs pages): recording them would write as much as they read. Masked answers are not recorded: they show
/// none. Written in a small transaction of its own after the read, so a read never holds locks.
/// </summary>
public sealed class PersonalDataViews(IServiceScopeFactory scopes, IHttpContextAccessor http, TimeProvider clock)
{
    public const string Viewed = "viewed";

    private Caller? Caller => http.HttpContext?.GetCaller();

    /// <summary>Customer records read by <see cref="Caller"/>: <paramref name="one"/> when it asked for one customer's record.</summary>
    public Task CustomersAsync(IEnumerable<Guid> ids, CancellationToken ct, bool one = false) =>
        PersonalDataMask.Masked || Caller is not { } caller || (caller.Person is null && !one) ? Task.CompletedTask : RecordAsync("customer", ids, ct);

    /// <summary>Orders read by <see cref="Caller"/>: recorded when it is a person.</summary>
    public Task OrdersAsync(IEnumerable<Guid> ids, CancellationToken ct) =>
        PersonalDataMask.Masked || Caller?.Person is null ? Task.CompletedTask : RecordAsync("order", ids, ct);

    private async Task RecordAsync(string resource, IEnumerable<Guid> ids, CancellationToken ct)
    {
        var distinct = ids.Distinct().ToList();
        if (distinct.Count == 0) return;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        if (db.AuditActors is not { } actors) return;
        var actor = actors.Current;
        var now = clock.GetUtcNow();
        db.AuditEvents.AddRange(distinct.Select(id => new AuditEvent(Uuid.V7(now), now, actor, Viewed, resource, id.ToString(), "{}")));
        await db.SaveChangesAsync(ct);
    }
}
