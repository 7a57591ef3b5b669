using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Infrastructure.Payments;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Payments;

public sealed class PaymentService(OmsDbContext db, UnitOfWork work, TimeProvider clock, IOrderConfirmation orders, IPaymentGateway gateway,
    Microsoft.Extensions.Options.IOptions<StripeOptions> stripe, RiskPolicy risk, Platform.Auth.Actor actor, OrderPayments orderPayments, Visibility seen)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <param name="idempotencyKey">The caller's Idempotency-Key, if it sent one: Stripe's key is derived from it, so a retry that
    /// reaches Stripe again (after a failure on our side) finds the same PaymentIntent.</param>
    public async Task<PaymentDto> CreateAsync(OrderId orderId, CreatePaymentRequest r, string? idempotencyKey, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await seen.EnsureOrderAsync(orderId, ct);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("order", orderId.Value);
        if (order.Status == OrderStatus.Cancelled)
            throw new ConflictException("payment.order_cancelled", "A cancelled order takes no payments.");
        if (r.Method == PaymentMethod.Card && !stripe.Value.Configured)
            throw new DomainException("payments.card_unavailable",
                "Card payments need Stripe: set Stripe:SecretKey. Offline methods work without it.", "method");
        var amount = r.Amount ?? order.AmountOutstanding;
        if (amount <= 0) throw new ConflictException("payment.nothing_outstanding", "Nothing is outstanding on this order.");
        order.EnsureCanTake(amount, r.AllowOverpayment);
        var payment = Payment.Create(order.Id, r.Method, new Money(amount, order.Currency), r.NetTermsDays, clock.GetUtcNow());
        if (r.Method != PaymentMethod.Card)
        {
            if (r.Reference is { } reference) payment.Reference(reference);
            db.Payments.Add(payment);
            await db.SaveChangesAsync(ct);
            return PaymentDto.From(payment, Today);
        }

        // Stripe first, then one save of the payment with its PaymentIntent: a failed call writes nothing, so a retry
        // (with the same Idempotency-Key, which a thrown failure leaves free) makes the one row there will be. No
        // transaction is open during the call. The intent is keyed by the caller's key when there is one, so a retry
        // after our save failed finds the same intent at Stripe.
        var stripeKey = idempotencyKey is { Length: > 0 }
            ? "oms-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{actor.Name}\n{order.Id}\n{idempotencyKey}")))[..40] + "-create"
            : $"{payment.Id}-create";
        var intent = await gateway.CreateAsync(amount, order.Currency, order.Id.Value, order.DisplayNumber, payment.Id, stripeKey, ct);
        payment.Reference(intent.Id);
        if (intent.Status == "requires_action") payment.RequiresAction(clock.GetUtcNow());
        db.Payments.Add(payment);
        await db.SaveChangesAsync(ct);
        return PaymentDto.From(payment, Today, intent.ClientSecret);
    }

    /// <summary>
    /// Offline money arrived (bank transfer, cash collected, invoice paid). A fully paid pending order is confirmed.
    /// Adding money is not safe to repeat, so the call must carry what makes a retry harmless: the caller's
    /// Idempotency-Key (the retry replays the first answer) or the payment's version (the retry fails with 412).
    /// </summary>
    public async Task<PaymentDto> MarkReceivedAsync(OrderId orderId, Guid paymentId, MarkReceivedRequest r, int? expectedVersion, string? idempotencyKey,
        CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        if (expectedVersion is null && string.IsNullOrEmpty(idempotencyKey))
            throw new Platform.Errors.PreconditionRequiredException(
                "A retried 'money received' would count the money twice: send an Idempotency-Key header, or the payment's version (If-Match, or expectedVersion in GraphQL).");
        // The money and, when it pays the order in full, the confirmation (routing, reservations) commit together: one
        // load, one transaction. Should the order not be confirmable now (stock is short), the money is recorded alone.
        try
        {
            return PaymentDto.From(await work.ChangeAsync(() => ReceiveAsync(confirm: true), ct), Today);
        }
        catch (ConflictException e) when (e.Code is "inventory.insufficient_stock" or "order.invalid_transition")
        {
            return PaymentDto.From(await work.ChangeAsync(() => ReceiveAsync(confirm: false), ct), Today);
        }

        async Task<Payment> ReceiveAsync(bool confirm)
        {
            var (payment, order) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
            if (payment.Method == PaymentMethod.Card)
                throw new ConflictException("payment.not_offline", "Card payments are captured through the provider, not marked received.");
            order.EnsureCanTake(r.Amount, r.AllowOverpayment);
            if (r.Reference is { } reference) payment.Reference(reference);
            var now = clock.GetUtcNow();
            order.PaymentMoved(payment.Capture(r.Amount, now, "received"), now);
            if (confirm && order.Status == OrderStatus.Pending && order.AmountOutstanding == 0) await orders.ConfirmLoadedAsync(order, ct);
            return payment;
        }
    }

    public async Task<PaymentDto> RefundAsync(OrderId orderId, Guid paymentId, RefundPaymentRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var payment = await work.ChangeAsync(async () =>
        {
            var (payment, order) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
            orderPayments.Refund(order, payment, r.Amount ?? payment.Net, r.Reason);
            return payment;
        }, ct);
        return PaymentDto.From(payment, Today);
    }

    public async Task<PaymentDto> VoidAsync(OrderId orderId, Guid paymentId, int? expectedVersion, CancellationToken ct)
    {
        var payment = await work.ChangeAsync(async () =>
        {
            var (payment, _) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
            orderPayments.Void(payment, null);
            return payment;
        }, ct);
        return PaymentDto.From(payment, Today);
    }

    /// <summary>
    /// A Stripe webhook: verified (400 and nothing recorded when the signature fails), handled once per event id,
    /// and applied to the payment and its order in one transaction.
    /// </summary>
    /// <summary>The longest provider event id kept (processed_provider_events.event_id); Stripe's are some 30 characters.</summary>
    private const int MaxProviderEventIdLength = 100;

    public async Task<bool> HandleStripeEventAsync(string json, string? signature, CancellationToken ct)
    {
        ProviderEvent? read;
        try
        {
            read = gateway.ReadWebhook(json, signature);
        }
        catch (MalformedProviderEventException malformed)
        {
            throw Platform.Errors.RequestValidationException.For("body", malformed.Message);
        }
        var e = read ?? throw new Platform.Errors.RequestValidationException(new Dictionary<string, string[]>
            { ["Stripe-Signature"] = ["The signature does not verify with the configured webhook secret, or is too old."] });
        if (e.Id.Length > MaxProviderEventIdLength) throw Platform.Errors.RequestValidationException.For("id", $"An event id is at most {MaxProviderEventIdLength} characters.");
        foreach (var (field, text) in new[] { ("id", e.Id), ("type", e.Type), ("data.object.id", e.IntentId), ("data.object", e.FailureMessage), ("data.object", e.RiskLevel) })
            if (text is not null && Platform.Http.StorableStringConverter.Problem(text) is { } problem)
                throw Platform.Errors.RequestValidationException.For(field, problem);
        // An authorisation asks Stripe, before any transaction opens, whether the card can be captured in parts: the
        // confirmation below, in the same transaction, captures a card that cannot at once (Stripe:CaptureWithoutMulticapture).
        var multicapture = e.Type == "payment_intent.amount_capturable_updated" && e.AmountCapturable > 0 && e.IntentId is { } authorised
            ? await MulticaptureAsync(authorised, ct)
            : null;
        // The event's record, its effect on the payment and the order, and (when it secures the order's money) the
        // confirmation with its routing and reservations commit together. When the order cannot be confirmed now (stock
        // is short) the event is applied alone and the order waits, as it would for money that arrives by hand.
        Applied applied;
        try
        {
            applied = await work.ChangeAsync(() => ApplyAsync(confirm: true), ct);
        }
        catch (ConflictException c) when (c.Code is "inventory.insufficient_stock" or "order.invalid_transition")
        {
            applied = await work.ChangeAsync(() => ApplyAsync(confirm: false), ct) with { ConfirmationTried = true };
        }
        // Not confirmed above (an event seen before whose confirmation may not have followed, or money secured by more
        // than this payment): money secured confirms a pending order; run again, it does nothing once it has happened.
        if (applied is { Order: { } id, Status: null or OrderStatus.Pending, ConfirmationTried: false }) await orders.ConfirmIfSecuredAsync(id, ct);
        return applied.New;

        async Task<Applied> ApplyAsync(bool confirm)
        {
            if (!await db.RecordProviderEventAsync("stripe", e.Id, clock.GetUtcNow(), ct))
            {
                // Seen before: its effect on the payment committed with that record and is not applied again.
                var orderOfSeen = e.IntentId is { } seen
                    ? await db.Payments.AsNoTracking().Where(p => p.ProviderReference == seen).Select(p => (Guid?)p.OrderId.Value).FirstOrDefaultAsync(ct)
                    : null;
                return new Applied(false, orderOfSeen is { } o ? new OrderId(o) : null, null, false);
            }
            var payment = e.IntentId is null ? null : await db.Payments.SingleOrDefaultAsync(p => p.ProviderReference == e.IntentId, ct);
            if (payment is null) return new Applied(true, null, null, false);
            var order = await db.Orders.SingleAsync(o => o.Id == payment.OrderId, ct);
            var now = clock.GetUtcNow();
            switch (e.Type)
            {
                case "payment_intent.amount_capturable_updated" when e.AmountCapturable > 0 && payment.Status is PaymentStatus.Pending or PaymentStatus.RequiresAction:
                    payment.Authorize(e.AmountCapturable!.Value, now);
                    if (multicapture is { } available && payment.Multicapture is null) payment.MulticaptureIs(available, now);
                    break;
                case "payment_intent.succeeded" when e.AmountReceived > payment.Captured:
                    if (payment.Authorized < e.AmountReceived) payment.Authorize(e.AmountReceived!.Value, now);
                    var received = e.AmountReceived!.Value - payment.Captured;
                    order.PaymentMoved(payment.Capture(received, now), now);
                    break;
                case "payment_intent.payment_failed" when payment.CanMoveTo(PaymentStatus.Failed):
                    payment.Fail(e.FailureMessage ?? "The payment failed.", now);
                    break;
                case "payment_intent.canceled" when payment.Status is PaymentStatus.Pending or PaymentStatus.RequiresAction or PaymentStatus.Authorized:
                    payment.Void("cancelled at Stripe", now);
                    break;
                case "charge.refunded" when e.AmountRefunded > payment.Refunded:
                    var refunded = e.AmountRefunded!.Value - payment.Refunded;
                    payment.Refund(refunded, "refunded at Stripe", now);
                    order.PaymentMoved(-refunded, now);
                    break;
                case "charge.dispute.created" when order.Status != OrderStatus.OnHold && OrderStateMachine.CanMove(order.Status, OrderStatus.OnHold):
                    order.Hold(Payment.FitReason($"payment disputed: {e.FailureMessage ?? "no reason given"}"), "stripe", now);
                    break;
            }
            if (risk.ProviderPoints(e.RiskLevel) is > 0 and var points && !order.RiskReasons.Any(r => r.StartsWith("Stripe risk level", StringComparison.Ordinal)))
            {
                var score = order.RiskScore + points;
                order.AssessRisk(score, [.. order.RiskReasons, $"Stripe risk level {e.RiskLevel} (+{points})"], score >= risk.Settings.HoldThreshold, "risk", now);
            }
            // This payment alone secures what is outstanding (paid, or authorised and not yet captured): confirm now.
            // Several payments together are summed from the database after the commit (ConfirmIfSecuredAsync).
            var secured = order.Status == OrderStatus.Pending && OrderPayments.SecuredBy(order, payment);
            if (confirm && secured) await orders.ConfirmLoadedAsync(order, ct);
            return new Applied(true, order.Id, order.Status, confirm && secured);
        }
    }

    /// <param name="New">The event had not been handled before.</param>
    /// <param name="Order">The order of the event's payment, when there is one.</param>
    /// <param name="Status">The order's status after the event (null: not loaded, the event was seen before).</param>
    /// <param name="ConfirmationTried">Confirming was tried in the event's transaction (done, or stock was short).</param>
    private sealed record Applied(bool New, OrderId? Order, OrderStatus? Status, bool ConfirmationTried);

    /// <summary>Whether Stripe can capture the intent's card in parts; null when unknown (not said, or Stripe failed to answer).</summary>
    private async Task<bool?> MulticaptureAsync(string intentId, CancellationToken ct)
    {
        try
        {
            return await gateway.MulticaptureAsync(intentId, ct);
        }
        catch (PaymentProviderException)
        {
            return null;
        }
    }

    private async Task<(Payment, Order)> LoadAsync(OrderId orderId, Guid paymentId, int? expectedVersion, CancellationToken ct)
    {
        await seen.EnsurePaymentAsync(paymentId, ct);
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId && p.OrderId == orderId, ct) ?? throw new NotFoundException("payment", paymentId);
        payment.EnsureVersion(expectedVersion);
        var order = await db.Orders.SingleAsync(o => o.Id == orderId, ct);
        return (payment, order);
    }
}

public sealed class PaymentQueries(TimeProvider clock, Visibility seen)
{
    public async Task<IReadOnlyList<PaymentDto>> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        return (await ForOrdersAsync([orderId.Value], ct)).GetValueOrDefault(orderId.Value) ?? [];
    }

    /// <summary>Payments of many orders in one query (GraphQL batches them per page).</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<PaymentDto>>> ForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await seen.Payments.Where(p => ids.Contains(p.OrderId)).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var byOrder = rows.ToLookup(p => p.OrderId.Value);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<PaymentDto>)byOrder[id].Select(p => PaymentDto.From(p, today)).ToList());
    }
}
