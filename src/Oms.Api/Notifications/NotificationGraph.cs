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
