using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Orders;

namespace Oms.Api.Payments;

public static class PaymentEndpoints
{
    public static void MapPaymentEndpoints(this RouteGroupBuilder api)
    {
        // Stripe calls this; its signature, not an API key, proves who is calling.
        api.MapPost("/payments/stripe/webhook", async (HttpRequest request, PaymentService s, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var json = await reader.ReadToEndAsync(ct);
                var applied = await s.HandleStripeEventAsync(json, request.Headers["Stripe-Signature"].ToString(), ct);
                return TypedResults.Ok(new StripeWebhookResult { Received = true, Duplicate = !applied });
            })
            .Public().WithTags("Payments").WithName("receiveStripeEvent")
            .WithSummary("Stripe's webhook: an event signed with 'Stripe-Signature' (the endpoint's whsec_ secret); each event id is applied once")
            .Accepts<System.Text.Json.Nodes.JsonNode>("application/json").ProducesProblem(400);

        var payments = api.MapGroup("/orders/{orderId:guid}/payments").WithTags("Payments");
        payments.MapGet("/", async (Guid orderId, PaymentQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForOrderAsync(new OrderId(orderId), ct)))
            .RequireScope(Scopes.PaymentsRead).WithName("listPayments").WithSummary("The order's payments with their history").ProducesProblem(404);
        payments.MapPost("/", async (Guid orderId, CreatePaymentRequest r, PaymentService s, HttpRequest request, CancellationToken ct) =>
            {
                var payment = await s.CreateAsync(new OrderId(orderId), r, Platform.Idempotency.IdempotencyMiddleware.KeyOf(request), ct);
                return TypedResults.Created($"/api/v1/orders/{orderId}/payments/{payment.Id}", payment);
            })
            .RequireScope(Scopes.PaymentsWrite).WithName("createPayment")
            .WithSummary("Add a payment: card (Stripe) or an offline method; the amount defaults to what is outstanding")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422).ProducesProblem(502);
        payments.MapPost("/{paymentId:guid}/mark-received", async (Guid orderId, Guid paymentId, MarkReceivedRequest r, PaymentService s, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await s.MarkReceivedAsync(new OrderId(orderId), paymentId, r, Preconditions.ExpectedVersion(http.Request),
                    Platform.Idempotency.IdempotencyMiddleware.KeyOf(http.Request), ct)))
            .RequireScope(Scopes.PaymentsWrite).WithName("markPaymentReceived")
            .WithSummary("Offline money arrived (partial amounts allowed); a fully paid pending order is confirmed. Send an Idempotency-Key or If-Match (428 without either), so that a retry cannot count the money twice")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422).ProducesProblem(428);
        payments.MapPost("/{paymentId:guid}/refund", async (Guid orderId, Guid paymentId, RefundPaymentRequest r, PaymentService s, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await s.RefundAsync(new OrderId(orderId), paymentId, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.PaymentsWrite).WithName("refundPayment").WithSummary("Give money back, all or part")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422);
        payments.MapPost("/{paymentId:guid}/void", async (Guid orderId, Guid paymentId, PaymentService s, HttpContext http, CancellationToken ct) =>
                TypedResults.Ok(await s.VoidAsync(new OrderId(orderId), paymentId, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.PaymentsWrite).WithName("voidPayment").WithSummary("Release a pending payment or an uncaptured authorisation")
            .ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
    }
}
