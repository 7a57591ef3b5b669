using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// What the system keeps of past answers and events for replay: the outbox's payloads (and so every webhook delivery
/// of them), receivers' answers to deliveries, and the responses stored for Idempotency-Key retries. Erasure (GDPR)
/// rewrites them here, in the caller's transaction.
/// </summary>
public static class StoredPayloads
{
    /// <summary>
    /// Passes every stored payload of <paramref name="aggregateIds"/>' events, the receivers' answers to their
    /// deliveries, and the stored responses of requests that created <paramref name="resourceIds"/>, through
    /// <paramref name="scrub"/>, and writes back those it changed. Returns how many it changed.
    /// </summary>
    public static async Task<int> ScrubAsync(OmsDbContext db, IReadOnlyCollection<Guid> aggregateIds, IReadOnlyCollection<Guid> resourceIds,
        Func<string, string> scrub, CancellationToken ct)
    {
        var changed = 0;
        var aggregates = aggregateIds.Distinct().ToList();
        var messages = await db.OutboxMessages.AsNoTracking().Where(m => aggregates.Contains(m.AggregateId))
            .Select(m => new { m.Id, m.Payload, m.Detail }).ToListAsync(ct);
        foreach (var m in messages)
        {
            var payload = m.Payload is null ? null : scrub(m.Payload);
            var detail = m.Detail is null ? null : scrub(m.Detail);
            if (payload == m.Payload && detail == m.Detail) continue;
            changed += await db.OutboxMessages.Where(x => x.Id == m.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.Payload, payload).SetProperty(x => x.Detail, detail), ct);
        }
        var messageIds = messages.Select(m => m.Id).ToList();
        var attempts = await db.WebhookAttempts.AsNoTracking()
            .Where(a => db.WebhookDeliveries.Any(d => d.Id == a.DeliveryId && messageIds.Contains(d.MessageId)) && (a.ResponseExcerpt != null || a.Error != null))
            .Select(a => new { a.Id, a.ResponseExcerpt, a.Error }).ToListAsync(ct);
        foreach (var a in attempts)
        {
            var excerpt = a.ResponseExcerpt is null ? null : scrub(a.ResponseExcerpt);
            var error = a.Error is null ? null : scrub(a.Error);
            if (excerpt == a.ResponseExcerpt && error == a.Error) continue;
            changed += await db.WebhookAttempts.Where(x => x.Id == a.Id).ExecuteUpdateAsync(s => s.SetProperty(x => x.ResponseExcerpt, excerpt).SetProperty(x => x.Error, error), ct);
        }
        var resources = resourceIds.Select(r => (Guid?)r).Distinct().ToList();
        var responses = await db.IdempotencyRecords.AsNoTracking().Where(r => resources.Contains(r.ResourceId) && r.Body != null)
            .Select(r => new { r.Owner, r.Key, r.Body }).ToListAsync(ct);
        foreach (var r in responses)
        {
            var text = Encoding.UTF8.GetString(r.Body!);
            var scrubbed = scrub(text);
            if (scrubbed == text) continue;
            var body = Encoding.UTF8.GetBytes(scrubbed);
            changed += await db.IdempotencyRecords.Where(x => x.Owner == r.Owner && x.Key == r.Key).ExecuteUpdateAsync(s => s.SetProperty(x => x.Body, body), ct);
        }
        return changed;
    }
}
