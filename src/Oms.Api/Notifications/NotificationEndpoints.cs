using Oms.Api.Platform.Auth;
using Oms.Domain.Access;
using Oms.Domain.Customers;
using Oms.Domain.Orders;

namespace Oms.Api.Notifications;

public static class NotificationEndpoints
{
    public static void MapNotificationEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/orders/{id:guid}/notifications", async (Guid id, NotificationQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForOrderAsync(new OrderId(id), ct)))
            .WithTags("Notifications").RequireScope(Scopes.OrdersRead).WithName("listOrderNotifications")
            .WithSummary("The e-mails sent (or queued, failed, skipped) to the shopper about this order, newest first").ProducesProblem(404);
        api.MapGet("/customers/{id:guid}/notifications", async (Guid id, NotificationQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForCustomerAsync(new CustomerId(id), ct)))
            .WithTags("Notifications").RequireScope(Scopes.CustomersRead).WithName("listCustomerNotifications")
            .WithSummary("The e-mails sent (or queued, failed, skipped) to the customer about any of their orders, newest first").ProducesProblem(404);
    }
}
