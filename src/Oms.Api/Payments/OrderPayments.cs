using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Infrastructure.Payments;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Payments;

/// <summary>
/// Moves an order's money as the order moves: cash on delivery is collected on delivery; card payments capture what shipped (or everything at
/// confirmation, if so configured), and release what was never captured when the order is cancelled. Calls to the
/// provider are recorded with the change and made after it commits (<see cref="ProviderCalls"/>), each with an
/// idempotency key derived from the payment and what the call means, so a retried call never charges twice.
/// </summary>
public sealed class OrderPayments(OmsDbContext db, UnitOfWork work, ProviderCalls calls, IOptions<StripeOptions> options, TimeProvider clock)
{
    public bool CaptureAtConfirmation => options.Value.CaptureAtConfirmation;

    /// <summary>
    /// Asks for up to <paramref name="amount"/> from authorised card payments; <paramref name="final"/> asks for all that
    /// is left and releases the rest. A card that cannot be captured in parts (no multicapture, or not known to have
    /// it) is left for the final capture, which takes everything at once.
    /// </summary>
    public async Task CaptureAsync(Order order, long amount, bool final, CancellationToken ct)
    {
        foreach (var payment in await OpenOrderPaymentsAsync(order.Id, ct))
        {
            var open = payment.CapturableLeft;
            if (open <= 0 || (!final && payment.Multicapture != true)) continue;
            var take = final ? open : Math.Min(open, amount);
            if (take <= 0) continue;
            RequestCapture(payment, take, final);
            amount -= take;
        }
    }

    /// <summary>At confirmation, with <c>Stripe:CaptureWithoutMulticapture = confirmation</c>: cards that cannot be captured in parts are captured in full now.</summary>
    public async Task CaptureUnsplittableAtConfirmationAsync(Order order, CancellationToken ct)
    {
        if (!options.Value.CaptureAtConfirmationWithoutMulticapture) return;
        foreach (var payment in await OpenOrderPaymentsAsync(order.Id, ct))
        {
            if (payment.CapturableLeft > 0 && payment.Multicapture == false) RequestCapture(payment, payment.CapturableLeft, final: true);
        }
    }

    private void RequestCapture(Payment payment, long amount, bool final)
    {
        payment.RequestCapture(amount, clock.GetUtcNow());
        // What the capture means is in its key: the running total it reaches and whether it is the last.
        calls.Record(db, work, ProviderOperationKind.Capture, payment, amount, final,
            $"{payment.Id}-capture-{payment.Captured + payment.CapturePending}-{(final ? "final" : "part")}");
    }

    /// <summary>
    /// <see cref="SecuresAsync"/> for one payment just changed and not yet saved (a Stripe authorisation): the order is
    /// paid in full, or this card alone has what is outstanding authorised and not captured.
    /// </summary>
    public static bool SecuredBy(Order order, Payment payment) =>
        order.AmountOutstanding == 0
        || (payment is { Method: PaymentMethod.Card, Status: PaymentStatus.Authorized } && payment.Authorized - payment.Captured >= order.AmountOutstanding);

    /// <summary>Whether the order's money is secured: paid in full, or what is outstanding authorised on cards.</summary>
    public async Task<bool> SecuresAsync(Order order, CancellationToken ct)
    {
        if (order.AmountOutstanding == 0) return true;
        var authorised = await db.Payments.Where(p => p.OrderId == order.Id && p.Method == PaymentMethod.Card && p.Status == PaymentStatus.Authorized)
            .SumAsync(p => p.Authorized - p.Captured, ct);
        return authorised >= order.AmountOutstanding;
    }

    /// <summary>The order was delivered: cash on delivery was collected by the courier.</summary>
    public async Task CollectCashOnDeliveryAsync(Order order, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var cod = await db.Payments.Where(p => p.OrderId == order.Id && p.Method == PaymentMethod.CashOnDelivery
                                               && (p.Status == PaymentStatus.Pending || p.Status == PaymentStatus.PartiallyCaptured)).ToListAsync(ct);
        foreach (var payment in cod)
            order.PaymentMoved(payment.Capture(payment.Amount - payment.Captured, now, "collected"), now);
    }

    /// <summary>
    /// Gives <paramref name="amount"/> back over the order's payments, newest money first (a return's refund). Fails
    /// with <c>payment.invalid_refund</c> when the order holds less than that.
    /// </summary>
    public async Task RefundAsync(Order order, long amount, string reason, CancellationToken ct)
    {
        if (amount <= 0) return;
        var paid = await db.Payments.Where(p => p.OrderId == order.Id && p.Captured > p.Refunded).OrderByDescending(p => p.CreatedAt).ToListAsync(ct);
        var available = paid.Sum(p => p.Net);
        if (amount > available)
            throw new DomainException("payment.invalid_refund", $"Refund at most {available}: that is what the order's payments hold.", "amount");
        foreach (var payment in paid)
        {
            var take = Math.Min(amount, payment.Net);
            if (take <= 0) continue;
            Refund(order, payment, take, reason);
            amount -= take;
            if (amount == 0) break;
        }
    }

    /// <summary>Refunds one payment and the order's paid amount; a card's refund is made at the provider after the commit.</summary>
    public void Refund(Order order, Payment payment, long amount, string? reason)
    {
        var now = clock.GetUtcNow();
        payment.Refund(amount, reason, now);
        if (payment.Method == PaymentMethod.Card)
            calls.Record(db, work, ProviderOperationKind.Refund, payment, amount, false, $"{payment.Id}-refund-{payment.Refunded}");
        order.PaymentMoved(-amount, now);
    }

    /// <summary>Releases card payments nothing was captured from (the order was cancelled).</summary>
    public async Task VoidOpenAsync(Order order, string reason, CancellationToken ct)
    {
        foreach (var payment in await OpenOrderPaymentsAsync(order.Id, ct))
        {
            if (payment.Captured > 0 || payment.CapturePending > 0 || !payment.CanMoveTo(PaymentStatus.Voided)) continue;
            Void(payment, reason);
        }
    }

    /// <summary>Nothing more will be taken from this payment; a card's authorisation is cancelled at the provider after the commit.</summary>
    public void Void(Payment payment, string? reason)
    {
        payment.Void(reason, clock.GetUtcNow());
        if (payment.Method == PaymentMethod.Card && payment.ProviderReference is not null)
            calls.Record(db, work, ProviderOperationKind.Cancel, payment, 0, false, $"{payment.Id}-cancel");
    }

    private async Task<List<Payment>> OpenOrderPaymentsAsync(OrderId orderId, CancellationToken ct) =>
        await db.Payments.Where(p => p.OrderId == orderId && p.Method == PaymentMethod.Card && p.ProviderReference != null
                                     && (p.Status == PaymentStatus.Pending || p.Status == PaymentStatus.RequiresAction
                                         || p.Status == PaymentStatus.Authorized || p.Status == PaymentStatus.PartiallyCaptured))
            .OrderBy(p => p.CreatedAt).ToListAsync(ct);
}
