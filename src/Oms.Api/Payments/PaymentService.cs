using Microsoft.EntityFrameworkCore;
using Oms.Api.Orders;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Payments;

public sealed class PaymentService(OmsDbContext db, TimeProvider clock, OrderService orders)
{
    private DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    public async Task<PaymentDto> CreateAsync(OrderId orderId, CreatePaymentRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("order", orderId.Value);
        if (order.Status == OrderStatus.Cancelled)
            throw new ConflictException("payment.order_cancelled", "A cancelled order takes no payments.");
        if (r.Method == PaymentMethod.Card)
            throw new DomainException("payments.card_unavailable",
                "Card payments need Stripe: set Stripe:SecretKey. Offline methods work without it.", "method");
        var amount = r.Amount ?? order.AmountOutstanding;
        if (amount <= 0) throw new ConflictException("payment.nothing_outstanding", "Nothing is outstanding on this order.");
        var payment = Payment.Create(order.Id, r.Method, new Money(amount, order.Currency), r.NetTermsDays, clock.GetUtcNow());
        if (r.Reference is { } reference) payment.Reference(reference);
        db.Payments.Add(payment);
        await db.SaveChangesAsync(ct);
        return PaymentDto.From(payment, Today);
    }

    /// <summary>Offline money arrived (bank transfer, cash collected, invoice paid). A fully paid pending order is confirmed.</summary>
    public async Task<PaymentDto> MarkReceivedAsync(OrderId orderId, Guid paymentId, MarkReceivedRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var (payment, order) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
        if (payment.Method == PaymentMethod.Card)
            throw new ConflictException("payment.not_offline", "Card payments are captured through the provider, not marked received.");
        if (r.Reference is { } reference) payment.Reference(reference);
        var now = clock.GetUtcNow();
        order.PaymentMoved(payment.Capture(r.Amount, now, "received"), now);
        await db.SaveChangesAsync(ct);
        await ConfirmWhenPaidAsync(order, ct);
        return PaymentDto.From(payment, Today);
    }

    public async Task<PaymentDto> RefundAsync(OrderId orderId, Guid paymentId, RefundPaymentRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var (payment, order) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
        var amount = r.Amount ?? payment.Net;
        var now = clock.GetUtcNow();
        payment.Refund(amount, r.Reason, now);
        order.PaymentMoved(-amount, now);
        await db.SaveChangesAsync(ct);
        return PaymentDto.From(payment, Today);
    }

    public async Task<PaymentDto> VoidAsync(OrderId orderId, Guid paymentId, int? expectedVersion, CancellationToken ct)
    {
        var (payment, _) = await LoadAsync(orderId, paymentId, expectedVersion, ct);
        payment.Void(null, clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        return PaymentDto.From(payment, Today);
    }

    /// <summary>Paid in full while pending: confirm (route and reserve). If stock is short the order stays pending; the money is kept.</summary>
    private async Task ConfirmWhenPaidAsync(Order order, CancellationToken ct)
    {
        if (order.Status != OrderStatus.Pending || order.AmountOutstanding > 0) return;
        try
        {
            await orders.ConfirmAsync(order.Id, null, ct);
        }
        catch (ConflictException e) when (e.Code == "inventory.insufficient_stock")
        {
            // The payment stands; the order waits for stock or for someone to decide.
        }
    }

    private async Task<(Payment, Order)> LoadAsync(OrderId orderId, Guid paymentId, int? expectedVersion, CancellationToken ct)
    {
        var payment = await db.Payments.SingleOrDefaultAsync(p => p.Id == paymentId && p.OrderId == orderId, ct) ?? throw new NotFoundException("payment", paymentId);
        payment.EnsureVersion(expectedVersion);
        var order = await db.Orders.SingleAsync(o => o.Id == orderId, ct);
        return (payment, order);
    }
}

public sealed class PaymentQueries(OmsDbContext db, TimeProvider clock)
{
    public async Task<IReadOnlyList<PaymentDto>> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await db.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        return (await ForOrdersAsync([orderId.Value], ct)).GetValueOrDefault(orderId.Value) ?? [];
    }

    /// <summary>Payments of many orders in one query (GraphQL batches them per page).</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<PaymentDto>>> ForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
        var rows = await db.Payments.AsNoTracking().Where(p => ids.Contains(p.OrderId)).OrderBy(p => p.CreatedAt).ToListAsync(ct);
        var byOrder = rows.ToLookup(p => p.OrderId.Value);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<PaymentDto>)byOrder[id].Select(p => PaymentDto.From(p, today)).ToList());
    }
}
