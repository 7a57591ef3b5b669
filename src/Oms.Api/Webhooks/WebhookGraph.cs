using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Webhooks;

namespace Oms.Api.Webhooks;

/// <summary>GraphQL for webhook subscriptions (scope webhooks:manage).</summary>
public static class WebhookGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<WebhookEventTypeType>>>, IReadOnlyList<EventTypeDto>>("webhookEventTypes")
            .Description("Every event type with an example body (id, type, occurred_at, api_version, transition or changed where they apply, data).")
            .RequireScope(Scopes.WebhooksManage)
            .Resolve(ctx => EventCatalog.All(ctx.RequestServices!.GetRequiredService<EventData>().Json));
        query.Field<NonNullGraphType<ConnectionType<WebhookSubscriptionType, WebhookSubscriptionDto>>, Connection<WebhookSubscriptionDto>>("webhookSubscriptions")
            .Description("Webhook subscriptions, newest first.")
            .Paged()
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(page, ctx.CancellationToken),
                WebhookQueries.CursorOf));
        query.Field<NonNullGraphType<ConnectionType<WebhookDeliveryType, WebhookDeliveryDto>>, Connection<WebhookDeliveryDto>>("webhookDeliveries")
            .Description("A subscription's delivery log, newest first: every attempt with time, status code, latency and response excerpt.")
            .Argument<NonNullGraphType<IdGraphType>>("subscriptionId")
            .Argument<EnumerationGraphType<DeliveryStatus>>("status")
            .Argument<StringGraphType>("eventType")
            .Paged()
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).DeliveriesAsync(ctx.GuidArgument("subscriptionId", "webhook subscription"), ctx.GetArgument<DeliveryStatus?>("status"),
                    ctx.GetArgument<string?>("eventType"), page, ctx.CancellationToken),
                WebhookQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<WebhookSecretType>, WebhookSecretDto>("createWebhookSubscription")
            .Argument<NonNullGraphType<StringGraphType>>("url")
            .Argument<NonNullGraphType<ListGraphType<NonNullGraphType<StringGraphType>>>>("eventFilters")
            .Argument<StringGraphType>("description")
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(new CreateWebhookSubscriptionRequest
            {
                Url = ctx.GetArgument<string>("url"), EventFilters = ctx.GetArgument<List<string>>("eventFilters"), Description = ctx.GetArgument<string?>("description"),
            }, ctx.CancellationToken));
        mutation.Field<NonNullGraphType<WebhookSubscriptionType>, WebhookSubscriptionDto>("updateWebhookSubscription")
            .Description("Change a subscription, or re-enable it with active: true.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<StringGraphType>("url")
            .Argument<ListGraphType<NonNullGraphType<StringGraphType>>>("eventFilters")
            .Argument<StringGraphType>("description")
            .Argument<BooleanGraphType>("active")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await Service(ctx).UpdateAsync(ctx.GuidArgument("id", "webhook subscription"), new UpdateWebhookSubscriptionRequest
            {
                Url = ctx.GetArgument<string?>("url"), EventFilters = ctx.GetArgument<List<string>?>("eventFilters"),
                Description = ctx.GetArgument<string?>("description"), Active = ctx.GetArgument<bool?>("active"),
            }, ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<StringGraphType>, string>("testWebhookSubscription")
            .Description("Sends a webhook.ping to this subscription; answers the event id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await Service(ctx).PingAsync(ctx.GuidArgument("id", "webhook subscription"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<WebhookSecretType>, WebhookSecretDto>("rotateWebhookSecret")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => await Service(ctx).RotateSecretAsync(ctx.GuidArgument("id", "webhook subscription"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<IntGraphType>, int>("replayWebhooks")
            .Description("Queues deliveries again (same webhook-id) and answers how many.")
            .Argument<NonNullGraphType<IdGraphType>>("subscriptionId")
            .Argument<StringGraphType>("eventId")
            .Argument<Platform.GraphQL.UtcDateTimeOffsetGraphType>("from")
            .Argument<Platform.GraphQL.UtcDateTimeOffsetGraphType>("to")
            .RequireScope(Scopes.WebhooksManage)
            .ResolveAsync(async ctx => (await Service(ctx).ReplayAsync(ctx.GuidArgument("subscriptionId", "webhook subscription"), new ReplayRequest
            {
                EventId = ctx.GetArgument<string?>("eventId"), From = ctx.GetArgument<DateTimeOffset?>("from"), To = ctx.GetArgument<DateTimeOffset?>("to"),
            }, ctx.CancellationToken)).Queued);
    }

    private static WebhookQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<WebhookQueries>();
    private static WebhookService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<WebhookService>();
}

public sealed class WebhookSubscriptionType : ObjectGraphType<WebhookSubscriptionDto>
{
    public WebhookSubscriptionType()
    {
        Name = "WebhookSubscription";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Url);
        Field(x => x.EventFilters);
        Field(x => x.Description, nullable: true);
        Field(x => x.Active);
        Field(x => x.DisabledReason, nullable: true);
        Field(x => x.FailingSince, nullable: true);
        Field(x => x.PreviousSecretExpiresAt, nullable: true);
        Field(x => x.CreatedAt);
        Field(x => x.UpdatedAt);
        Field(x => x.Version);
    }
}

public sealed class WebhookSecretType : ObjectGraphType<WebhookSecretDto>
{
    public WebhookSecretType()
    {
        Name = "WebhookSecret";
        Field(x => x.Subscription, type: typeof(NonNullGraphType<WebhookSubscriptionType>));
        Field(x => x.Secret).Description("whsec_…, shown this once.");
    }
}

public sealed class WebhookAttemptType : ObjectGraphType<WebhookAttemptDto>
{
    public WebhookAttemptType()
    {
        Name = "WebhookAttempt";
        Field(x => x.Number);
        Field(x => x.At);
        Field(x => x.StatusCode, nullable: true);
        Field(x => x.LatencyMs);
        Field(x => x.ResponseExcerpt, nullable: true);
        Field(x => x.Error, nullable: true);
    }
}

public sealed class WebhookDeliveryType : ObjectGraphType<WebhookDeliveryDto>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
        Field(x => x.Id, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.EventId);
        Field(x => x.EventType);
        Field(x => x.Status, type: typeof(NonNullGraphType<EnumerationGraphType<DeliveryStatus>>));
        Field(x => x.Attempts);
        Field(x => x.NextAttemptAt, nullable: true);
        Field(x => x.LastAttemptAt, nullable: true);
        Field(x => x.LastStatusCode, nullable: true);
        Field(x => x.CreatedAt);
        Field(x => x.AttemptLog, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<WebhookAttemptType>>>));
    }
}

public sealed class WebhookEventTypeType : ObjectGraphType<EventTypeDto>
{
    public WebhookEventTypeType()
    {
        Name = "WebhookEventType";
        Field(x => x.Type);
        Field(x => x.Description);
        Field(x => x.DataSchema).Description("The resource in data, as its REST schema is named.");
        Field<NonNullGraphType<StringGraphType>, string>("example").Description("An example body, as JSON text.")
            .Resolve(ctx => ctx.Source.Example.ToJsonString());
    }
}
