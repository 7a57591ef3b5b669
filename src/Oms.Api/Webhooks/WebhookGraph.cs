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

public sealed class WebhookSubscriptionType : ContractGraphType<WebhookSubscriptionDto>
{
    public WebhookSubscriptionType()
    {
        Name = "WebhookSubscription";
    }
}

public sealed class WebhookSecretType : ContractGraphType<WebhookSecretDto>
{
    public WebhookSecretType()
    {
        Name = "WebhookSecret";
    }
}

public sealed class WebhookAttemptType : ContractGraphType<WebhookAttemptDto>
{
    public WebhookAttemptType()
    {
        Name = "WebhookAttempt";
    }
}

public sealed class WebhookDeliveryType : ContractGraphType<WebhookDeliveryDto>
{
    public WebhookDeliveryType()
    {
        Name = "WebhookDelivery";
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
