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

public static class NotificationTemplateEndpoints
{
    public static void MapNotificationTemplateEndpoints(this RouteGroupBuilder api)
    {
        var templates = api.MapGroup("/notification-templates").WithTags("Notifications");
        templates.MapGet("/", async (NotificationTemplateService s, CancellationToken ct) => TypedResults.Ok(await s.ListAsync(ct)))
            .RequireScope(Scopes.NotificationsManage).WithName("listNotificationTemplates").WithSummary("The shop's own e-mail templates (kinds and locales without one use the built-in)");
        templates.MapPut("/{kind}/{locale}", SaveAsync)
            .RequireScope(Scopes.NotificationsManage).WithName("saveNotificationTemplate")
            .WithSummary("Create or replace the template of a kind of e-mail in a locale, for a channel or every channel; refused with the line and column when it is not Liquid")
            .ProducesProblem(400).ProducesProblem(412).ProducesProblem(422);
        templates.MapDelete("/{kind}/{locale}", async (string kind, string locale, NotificationTemplateService s, CancellationToken ct, string? channel = null) =>
            {
                await s.DeleteAsync(kind, locale, channel, ct);
                return TypedResults.NoContent();
            })
            .RequireScope(Scopes.NotificationsManage).WithName("deleteNotificationTemplate").WithSummary("Go back to the built-in template").ProducesProblem(404).ProducesProblem(422);
        templates.MapPost("/preview", async (NotificationPreviewRequest r, NotificationTemplateService s, CancellationToken ct) => TypedResults.Ok(await s.PreviewAsync(r, ct)))
            .RequireScope(Scopes.NotificationsManage).WithName("previewNotification")
            .WithSummary("An e-mail as it would be sent now for a real order, with the saved template or a draft (nothing is sent)")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
    }

    /// <param name="kind">order_received, order_confirmed, shipped, out_for_delivery, delivered, delivery_problem, ready_for_pickup, backorder_delayed, return_approved, return_received, refund_issued or invoice_issued.</param>
    /// <param name="locale">en, nl, de or fr.</param>
    /// <param name="r">The template.</param>
    /// <param name="s">The templates' service.</param>
    /// <param name="http">For If-Match and the answer's ETag.</param>
    /// <param name="ct">Cancelled when the client goes away.</param>
    /// <param name="channel">The channel it is for; leave out for every channel without one of its own.</param>
    private static async Task<Microsoft.AspNetCore.Http.HttpResults.Results<Microsoft.AspNetCore.Http.HttpResults.Created<NotificationTemplateDto>, Microsoft.AspNetCore.Http.HttpResults.Ok<NotificationTemplateDto>>> SaveAsync(
        string kind, string locale, NotificationTemplateRequest r, NotificationTemplateService s, HttpContext http, CancellationToken ct, string? channel = null)
    {
        var (template, created) = await s.SaveAsync(kind, locale, channel, r, Platform.Http.Preconditions.ExpectedVersion(http.Request), ct);
        Platform.Http.Preconditions.SetETag(http.Response, template.Version);
        return created
            ? TypedResults.Created($"/api/v1/notification-templates/{kind}/{locale}" + (template.Channel is { } c ? $"?channel={c}" : ""), template)
            : TypedResults.Ok(template);
    }
}
