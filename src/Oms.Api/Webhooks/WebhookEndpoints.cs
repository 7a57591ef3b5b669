using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Webhooks;

namespace Oms.Api.Webhooks;

public static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/webhook-event-types", (EventData data) => TypedResults.Ok(EventCatalog.All(data.Json)))
            .WithTags("Webhooks").RequireScope(Scopes.WebhooksManage).WithName("listWebhookEventTypes")
            .WithSummary("Every event type with an example body (id, type, occurred_at, api_version, data)");

        var subs = api.MapGroup("/webhook-subscriptions").WithTags("Webhooks").RequireScope(Scopes.WebhooksManage);
        subs.MapGet("/", async Task<Ok<Page<WebhookSubscriptionDto>>> (WebhookQueries q, CancellationToken ct, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(PageRequest.Rest(limit, cursor), ct)))
            .WithName("listWebhookSubscriptions").WithSummary("List webhook subscriptions, newest first").ProducesProblem(400);
        subs.MapGet("/{id:guid}", async (Guid id, WebhookQueries q, HttpResponse response, CancellationToken ct) =>
            {
                var s = await q.GetAsync(id, ct);
                Preconditions.SetETag(response, s.Version);
                return TypedResults.Ok(s);
            })
            .WithName("getWebhookSubscription").WithSummary("Get a webhook subscription").ProducesProblem(404);
        subs.MapPost("/", async Task<Created<WebhookSecretDto>> (CreateWebhookSubscriptionRequest r, WebhookService s, CancellationToken ct) =>
            {
                var created = await s.CreateAsync(r, ct);
                return TypedResults.Created($"/api/v1/webhook-subscriptions/{created.Subscription.Id}", created);
            })
            .WithName("createWebhookSubscription").WithSummary("Subscribe a URL to events; the signing secret is in this response only")
            .ProducesProblem(400).ProducesProblem(422);
        subs.MapPatch("/{id:guid}", async (Guid id, UpdateWebhookSubscriptionRequest r, WebhookService s, HttpContext http, CancellationToken ct) =>
            {
                var updated = await s.UpdateAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct);
                Preconditions.SetETag(http.Response, updated.Version);
                return TypedResults.Ok(updated);
            })
            .WithName("updateWebhookSubscription").WithSummary("Change a subscription, or re-enable it with active: true")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412).ProducesProblem(422);
        subs.MapPost("/{id:guid}/rotate-secret", async (Guid id, WebhookService s, CancellationToken ct) => TypedResults.Ok(await s.RotateSecretAsync(id, ct)))
            .WithName("rotateWebhookSecret").WithSummary("Issue a new secret; the old one keeps signing for 24 hours").ProducesProblem(404);
        subs.MapPost("/{id:guid}/test", async (Guid id, WebhookService s, CancellationToken ct) => TypedResults.Accepted((string?)null, new TestEventDto { EventId = await s.PingAsync(id, ct) }))
            .WithName("testWebhookSubscription").WithSummary("Send a webhook.ping to this subscription").ProducesProblem(404);
        subs.MapGet("/{id:guid}/deliveries", async Task<Ok<Page<WebhookDeliveryDto>>> (Guid id, WebhookQueries q, CancellationToken ct,
                    string? status = null, string? eventType = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.DeliveriesAsync(id, WireEnum.Parse<DeliveryStatus>(status, "status"), eventType, PageRequest.Rest(limit, cursor), ct)))
            .WithName("listWebhookDeliveries").WithSummary("The delivery log: every attempt with time, status code, latency and response excerpt")
            .ProducesProblem(400).ProducesProblem(404);
        subs.MapPost("/{id:guid}/replay", async (Guid id, ReplayRequest r, WebhookService s, CancellationToken ct) => TypedResults.Ok(await s.ReplayAsync(id, r, ct)))
            .WithName("replayWebhooks").WithSummary("Send one event again, or every failed one in a time range; the webhook-id stays the same")
            .ProducesProblem(400).ProducesProblem(404);
    }
}
