using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Payments;

namespace Oms.Domain.Tests;

public sealed class PaymentTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);
    private static readonly OrderId Order = new(Guid.CreateVersion7());

    [Fact]
    public void A_card_cannot_capture_more_than_was_authorised_and_refunds_stay_within_what_was_captured()
    {
        var p = Payment.Create(Order, PaymentMethod.Card, new Money(10_000, "EUR"), null, Now);
        p.Authorize(10_000, Now);
        p.Capture(6_000, Now);
        Assert.Equal(PaymentStatus.PartiallyCaptured, p.Status);
        Assert.Equal("payment.over_capture", Assert.Throws<DomainException>(() => p.Capture(5_000, Now)).Code);
        p.Capture(4_000, Now);
        Assert.Equal(PaymentStatus.Captured, p.Status);
        Assert.Throws<DomainException>(() => p.Refund(10_001, null, Now));
        p.Refund(2_500, "scratch", Now);
        Assert.Equal(PaymentStatus.PartiallyRefunded, p.Status);
        Assert.Equal(7_500, p.Net);
        Assert.Throws<ConflictException>(() => p.Void(null, Now));
    }

    [Fact]
    public void Offline_money_may_arrive_in_parts_and_invoices_fall_due()
    {
        var invoice = Payment.Create(Order, PaymentMethod.Invoice, new Money(5_000, "EUR"), 14, Now);
        Assert.Equal(new DateOnly(2026, 12, 11), invoice.DueDate);
        Assert.False(invoice.IsOverdue(new DateOnly(2026, 12, 11)));
        Assert.True(invoice.IsOverdue(new DateOnly(2026, 12, 12)));
        invoice.Capture(2_000, Now, "received");
        invoice.Capture(3_000, Now, "received");
        Assert.Equal(PaymentStatus.Captured, invoice.Status);
        Assert.False(invoice.IsOverdue(new DateOnly(2027, 1, 1)));
        Assert.Equal("payment.net_terms_required", Assert.Throws<DomainException>(() => Payment.Create(Order, PaymentMethod.Invoice, new Money(1, "EUR"), null, Now)).Code);
    }

    [Fact]
    public void Risk_rules_add_points_with_reasons_and_hold_from_the_threshold()
    {
        var policy = new RiskPolicy(new RiskSettings());
        var calm = policy.Assess(5_000, "DE", "DE", new CustomerHistory(5, 4_000, 1, 0));
        Assert.Equal(0, calm.Score);
        Assert.False(calm.Hold);
        var risky = policy.Assess(90_000, "US", "DE", new CustomerHistory(0, 0, 0, 7));
        Assert.True(risky.Hold);
        Assert.Equal(3, risky.Reasons.Count); // country mismatch, IP velocity, large first order
        Assert.Equal(60, policy.ProviderPoints("highest"));
        Assert.Equal(0, policy.ProviderPoints("normal"));
    }
}
