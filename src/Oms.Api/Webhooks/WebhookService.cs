using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Webhooks;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Webhooks;

namespace Oms.Api.Webhooks;

public sealed class WebhookService(OmsDbContext db, TimeProvider clock, IOptions<WebhookOptions> options, EventData eventData)
{
    private readonly WebhookOptions _o = options.Value;

    public async Task<WebhookSecretDto> CreateAsync(CreateWebhookSubscriptionRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var now = clock.GetUtcNow();
        var (subscription, secret) = WebhookSubscription.Create(ParseUrl(r.Url), KnownFilters(r.EventFilters), r.Description, _o.AllowHttp, now);
        db.WebhookSubscriptions.Add(subscription);
        await db.SaveChangesAsync(ct);
        return new WebhookSecretDto { Subscription = WebhookSubscriptionDto.From(subscription, now), Secret = secret };
    }

    public async Task<WebhookSubscriptionDto> UpdateAsync(Guid id, UpdateWebhookSubscriptionRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var s = await LoadAsync(id, expectedVersion, ct);
        var now = clock.GetUtcNow();
        s.Change(r.Url is null ? new Uri(s.Url) : ParseUrl(r.Url), r.EventFilters is null ? s.EventFilters : KnownFilters(r.EventFilters),
            r.Description ?? s.Description, r.Active ?? s.Active, _o.AllowHttp, now);
        await db.SaveChangesAsync(ct);
        return WebhookSubscriptionDto.From(s, now);
    }

    /// <summary>A new secret, shown once; the old one keeps signing for the overlap so receivers can switch without losing events.</summary>
    public async Task<WebhookSecretDto> RotateSecretAsync(Guid id, CancellationToken ct)
    {
        var s = await LoadAsync(id, null, ct);
        var now = clock.GetUtcNow();
        var secret = s.RotateSecret(_o.SecretOverlap, now);
        await db.SaveChangesAsync(ct);
        return new WebhookSecretDto { Subscription = WebhookSubscriptionDto.From(s, now), Secret = secret };
    }

    /// <summary>Queues a webhook.ping for this subscription only; it goes through the normal delivery path.</summary>
    public async Task<string> PingAsync(Guid id, CancellationToken ct)
    {
        var s = await LoadAsync(id, null, ct);
        var ping = new PingEvent(s.Id, clock.GetUtcNow());
        var row = OutboxMessage.From(ping, await eventData.DataAsync(ping, null, db, ct), eventData.Json, target: s.Id);
        db.OutboxMessages.Add(row);
        await db.SaveChangesAsync(ct);
        return WebhookDispatcher.EventId(row.Id);
    }

    public async Task<ReplayResultDto> ReplayAsync(Guid id, ReplayRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var s = await LoadAsync(id, null, ct);
        var now = clock.GetUtcNow();
        if (r.EventId is { } eventId)
        {
            if (!eventId.StartsWith("evt_", StringComparison.Ordinal) || !Guid.TryParseExact(eventId[4..], "N", out var messageId))
                throw RequestValidationException.For("eventId", "An event id looks like evt_0198…, as in the webhook-id header.");
            var message = await db.OutboxMessages.AsNoTracking().SingleOrDefaultAsync(m => m.Id == messageId, ct) ?? throw new NotFoundException("event", eventId);
            for (var attempt = 1; ; attempt++)
            {
                var delivery = await db.WebhookDeliveries.SingleOrDefaultAsync(d => d.SubscriptionId == s.Id && d.MessageId == messageId, ct);
                if (delivery is null)
                    db.WebhookDeliveries.Add(new WebhookDelivery(s.Id, message.Id, message.Sequence, message.Type, message.AggregateId, now));
                else delivery.Replay(now);
                try
                {
                    await db.SaveChangesAsync(ct);
                    break;
                }
                catch (DbUpdateConcurrencyException) when (attempt < 3)
                {
                    // The dispatcher was just recording the previous attempt: read the delivery again and queue it after that.
                    db.ChangeTracker.Clear();
                    await LoadAsync(id, null, ct);
                }
            }
            db.NotifyOutbox();
            return new ReplayResultDto { Queued = 1 };
        }
        if (r.From is not { } from || r.To is not { } to || to <= from)
            throw RequestValidationException.For("from", "Give eventId, or a range with from before to.");
        var fromUtc = from.ToUniversalTime();
        var toUtc = to.ToUniversalTime();
        var failed = await db.WebhookDeliveries
            .Where(d => d.SubscriptionId == s.Id && d.Status == DeliveryStatus.Failed
                        && db.OutboxMessages.Any(m => m.Id == d.MessageId && m.OccurredAt >= fromUtc && m.OccurredAt < toUtc))
            .ToListAsync(ct);
        foreach (var d in failed) d.Replay(now);
        await db.SaveChangesAsync(ct);
        db.NotifyOutbox();
        return new ReplayResultDto { Queued = failed.Count };
    }

    private async Task<WebhookSubscription> LoadAsync(Guid id, int? expectedVersion, CancellationToken ct)
    {
        var s = await db.WebhookSubscriptions.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("webhook subscription", id);
        s.EnsureVersion(expectedVersion);
        return s;
    }

    private static Uri ParseUrl(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new DomainException("webhook.invalid_url", "The URL is not an absolute URL.", "url");

    private static List<string> KnownFilters(List<string> filters)
    {
        for (var i = 0; i < filters.Count; i++)
            if (!filters[i].Contains('*') && !EventCatalog.IsKnown(filters[i]))
                throw new DomainException("webhook.unknown_event_type", $"'{filters[i]}' is not an event type; see GET /api/v1/webhook-event-types.", $"eventFilters[{i}]");
        return filters;
    }
}

public sealed class WebhookQueries(OmsDbContext db, TimeProvider clock)
{
    /// <summary>Subscriptions, newest first (in id order: ids are version 7, creation time first).</summary>
    public async Task<Page<WebhookSubscriptionDto>> ListAsync(PageRequest page, CancellationToken ct)
    {
        var q = db.WebhookSubscriptions.AsNoTracking();
        if (page.AfterId is { } after) q = q.Where(s => s.Id.CompareTo(after) < 0);
        var now = clock.GetUtcNow();
        return page.Page(await q.OrderByDescending(s => s.Id).Take(page.Take + 1).ToListAsync(ct), s => WebhookSubscriptionDto.From(s, now), CursorOf);
    }

    public static string CursorOf(WebhookSubscriptionDto subscription) => Cursor.Of(subscription.Id);

    public static string CursorOf(WebhookDeliveryDto delivery) => Cursor.Of(delivery.Id);

    public async Task<WebhookSubscriptionDto> GetAsync(Guid id, CancellationToken ct) =>
        WebhookSubscriptionDto.From(await db.WebhookSubscriptions.AsNoTracking().SingleOrDefaultAsync(s => s.Id == id, ct)
                                    ?? throw new NotFoundException("webhook subscription", id), clock.GetUtcNow());

    /// <summary>The delivery log, newest delivery first (in id order: ids are version 7, creation time first): every attempt with time, status, latency and the start of the response.</summary>
    public async Task<Page<WebhookDeliveryDto>> DeliveriesAsync(Guid id, DeliveryStatus? status, string? eventType, PageRequest page, CancellationToken ct)
    {
        if (!await db.WebhookSubscriptions.AnyAsync(s => s.Id == id, ct)) throw new NotFoundException("webhook subscription", id);
        var q = db.WebhookDeliveries.AsNoTracking().Where(d => d.SubscriptionId == id);
        if (status is { } st) q = q.Where(d => d.Status == st);
        if (eventType is { Length: > 0 }) q = q.Where(d => d.EventType == eventType);
        if (page.AfterId is { } after) q = q.Where(d => d.Id.CompareTo(after) < 0);
        var rows = await q.OrderByDescending(d => d.Id).Take(page.Take + 1).ToListAsync(ct);
        var ids = rows.Take(page.Take).Select(d => d.Id).ToList();
        var attempts = (await db.WebhookAttempts.AsNoTracking().Where(a => ids.Contains(a.DeliveryId)).ToListAsync(ct)).ToLookup(a => a.DeliveryId);
        return page.Page(rows, d => new WebhookDeliveryDto
        {
            Id = d.Id, EventId = WebhookDispatcher.EventId(d.MessageId), EventType = d.EventType, Status = d.Status, Attempts = d.Attempts,
            NextAttemptAt = d.Status == DeliveryStatus.Pending ? d.NextAttemptAt : null, LastAttemptAt = d.LastAttemptAt, LastStatusCode = d.LastStatusCode,
            CreatedAt = d.CreatedAt,
            AttemptLog = attempts[d.Id].OrderBy(a => a.Number).Select(a => new WebhookAttemptDto
            {
                Number = a.Number, At = a.At, StatusCode = a.StatusCode, LatencyMs = a.LatencyMs, ResponseExcerpt = a.ResponseExcerpt, Error = a.Error,
            }).ToList(),
        }, CursorOf);
    }
}
