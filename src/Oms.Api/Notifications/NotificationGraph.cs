using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Domain.Access;
using Oms.Domain.Customers;
using Oms.Domain.Orders;

namespace Oms.Api.Notifications;

/// <summary>GraphQL for the e-mail log.</summary>
public static class NotificationGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationType>>>, IReadOnlyList<NotificationDto>>("orderNotifications")
            .Description("The e-mails sent (or queued, failed, skipped) to the shopper about an order, newest first (REST: GET /orders/{id}/notifications).")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .RequireScope(Scopes.OrdersRead)
            .ResolveAsync(async ctx => await Queries(ctx).ForOrderAsync(new OrderId(ctx.GuidArgument("orderId", "order")), ctx.CancellationToken));
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationType>>>, IReadOnlyList<NotificationDto>>("customerNotifications")
            .Description("The e-mails sent (or queued, failed, skipped) to a customer about any of their orders, newest first (REST: GET /customers/{id}/notifications).")
            .Argument<NonNullGraphType<IdGraphType>>("customerId")
            .RequireScope(Scopes.CustomersRead)
            .ResolveAsync(async ctx => await Queries(ctx).ForCustomerAsync(new CustomerId(ctx.GuidArgument("customerId", "customer")), ctx.CancellationToken));
    }

    private static NotificationQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<NotificationQueries>();
}

public sealed class NotificationType : ContractGraphType<NotificationDto>
{
    public NotificationType()
    {
        Name = "Notification";
    }
}

/// <summary>GraphQL for the shop's own e-mail templates.</summary>
public static class NotificationTemplateGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<NotificationTemplateType>>>, IReadOnlyList<NotificationTemplateDto>>("notificationTemplates")
            .Description("The shop's own e-mail templates (kinds and locales without one use the built-in).")
            .RequireScope(Scopes.NotificationsManage)
            .ResolveAsync(async ctx => await Service(ctx).ListAsync(ctx.CancellationToken));
        query.Field<NonNullGraphType<NotificationPreviewType>, NotificationPreviewDto>("previewNotification")
            .Description("An e-mail as it would be sent now for a real order, with the saved template or a draft (nothing is sent; REST: POST /notification-templates/preview).")
            .Argument<NonNullGraphType<NotificationPreviewInputType>>("input")
            .RequireScope(Scopes.NotificationsManage)
            .ResolveAsync(async ctx => await Service(ctx).PreviewAsync(ctx.GetArgument<NotificationPreviewRequest>("input"), ctx.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<NotificationTemplateType>, NotificationTemplateDto>("saveNotificationTemplate")
            .Description("Create or replace the template of a kind of e-mail in a locale, for a channel or every channel; refused with the line and column when it is not Liquid.")
            .Argument<NonNullGraphType<StringGraphType>>("kind", "order_received, order_confirmed, shipped, … (as the e-mail log names kinds).")
            .Argument<NonNullGraphType<StringGraphType>>("locale", "en, nl, de or fr.")
            .Argument<StringGraphType>("channel", "Leave out for every channel without one of its own.")
            .Argument<NonNullGraphType<NotificationTemplateInputType>>("input")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.NotificationsManage)
            .ResolveAsync(async ctx => (await Service(ctx).SaveAsync(ctx.GetArgument<string>("kind"), ctx.GetArgument<string>("locale"), ctx.GetArgument<string?>("channel"),
                ctx.GetArgument<NotificationTemplateRequest>("input"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken)).Template);
        mutation.Field<NonNullGraphType<BooleanGraphType>, bool>("deleteNotificationTemplate")
            .Description("Go back to the built-in template.")
            .Argument<NonNullGraphType<StringGraphType>>("kind")
            .Argument<NonNullGraphType<StringGraphType>>("locale")
            .Argument<StringGraphType>("channel")
            .RequireScope(Scopes.NotificationsManage)
            .ResolveAsync(async ctx =>
            {
                await Service(ctx).DeleteAsync(ctx.GetArgument<string>("kind"), ctx.GetArgument<string>("locale"), ctx.GetArgument<string?>("channel"), ctx.CancellationToken);
                return true;
            });
    }

    private static NotificationTemplateService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<NotificationTemplateService>();
}

public sealed class NotificationTemplateType : ContractGraphType<NotificationTemplateDto>
{
    public NotificationTemplateType()
    {
        Name = "NotificationTemplate";
    }
}

public sealed class NotificationPreviewType : ContractGraphType<NotificationPreviewDto>
{
    public NotificationPreviewType()
    {
        Name = "NotificationPreview";
    }
}

public sealed class NotificationTemplateInputType : InputObjectGraphType<NotificationTemplateRequest>
{
    public NotificationTemplateInputType()
    {
        Name = "NotificationTemplateInput";
        Field(x => x.Subject);
        Field(x => x.Html, nullable: true);
        Field(x => x.Text, nullable: true);
    }
}

public sealed class NotificationPreviewInputType : InputObjectGraphType<NotificationPreviewRequest>
{
    public NotificationPreviewInputType()
    {
        Name = "NotificationPreviewInput";
        Field(x => x.Kind);
        Field(x => x.OrderId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Locale, nullable: true);
        Field(x => x.Draft, type: typeof(NotificationTemplateInputType));
    }
}
