using Oms.Domain.Common;
using Oms.Domain.Customers;

namespace Oms.Domain.Tests;

/// <summary>A customer's figures and segment (issue 36), each compared with values worked out by hand.</summary>
public sealed class CustomerFiguresTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 12, 0, 0, TimeSpan.Zero);
    private static readonly SegmentThresholds Segments = new(ActiveDays: 90, LapsedDays: 365, LoyalOrders: 5);

    [Theory]
    [InlineData(0, null, CustomerSegment.New)]
    [InlineData(1, 10, CustomerSegment.New)]
    [InlineData(2, 10, CustomerSegment.Active)]
    [InlineData(4, 90, CustomerSegment.Active)]
    [InlineData(5, 90, CustomerSegment.Loyal)]
    [InlineData(5, 91, CustomerSegment.AtRisk)]
    [InlineData(1, 200, CustomerSegment.AtRisk)]
    [InlineData(12, 365, CustomerSegment.AtRisk)]
    [InlineData(12, 366, CustomerSegment.Lapsed)]
    public void Segment_FollowsOrdersAndDaysSinceTheLast(int orders, int? daysAgo, CustomerSegment expected) =>
        Assert.Equal(expected, Segments.Of(orders, daysAgo is { } d ? Now.AddDays(-d) : null, Now));

    [Theory]
    [InlineData(0, 365, 5)]
    [InlineData(90, 90, 5)]
    [InlineData(90, 365, 1)]
    public void Thresholds_ThatCannotOrderTheSegments_AreRefused(int active, int lapsed, int loyal) =>
        Assert.Equal("customers.invalid_segments", Assert.Throws<DomainException>(() => SegmentThresholds.Checked(active, lapsed, loyal)).Code);

    [Fact]
    public void Orders_Cancellations_And_Returns_AddUp_PerCurrency()
    {
        var figures = CustomerFigures.None
            .OrderPlaced(new Money(5_000, "EUR"), Now.AddDays(-30))
            .OrderPlaced(new Money(2_999, "EUR"), Now.AddDays(-20))
            .OrderPlaced(new Money(12_000, "GBP"), Now.AddDays(-40))
            .OrderPlaced(new Money(1_000, "EUR"), Now.AddDays(-1))
            .OrderCancelled(new Money(1_000, "EUR"))
            .Returned(2, new Money(1_500, "EUR"), firstReturnOfOrder: true)
            .Returned(1, new Money(500, "EUR"), firstReturnOfOrder: false);

        // By hand: EUR 5,000 + 2,999 + 1,000 - 1,000 (cancelled) - 1,500 - 500 (refunded) = 5,999 over 2 orders; GBP 12,000 over 1.
        Assert.Equal(3, figures.Orders);
        Assert.Equal([new CurrencyValue("EUR", 5_999, 2), new CurrencyValue("GBP", 12_000, 1)], figures.Value);
        Assert.Equal(3_000, figures.Value[0].AverageOrder); // 2,999.5 rounds away from zero
        Assert.Equal(Now.AddDays(-40), figures.FirstOrderAt);
        Assert.Equal(Now.AddDays(-1), figures.LastOrderAt); // a cancelled order still says when the customer came
        Assert.Equal(3, figures.UnitsReturned);
        Assert.Equal(1, figures.OrdersReturned);
        Assert.Equal(0.3333m, figures.ReturnRate);
    }

    [Fact]
    public void Value_NeverGoesBelowZero_AndAverages_RoundHalfAwayFromZero()
    {
        var figures = CustomerFigures.None.OrderPlaced(new Money(1_001, "JPY"), Now).OrderPlaced(new Money(1_000, "JPY"), Now)
            .Returned(1, new Money(5_000, "JPY"), firstReturnOfOrder: true);
        Assert.Equal(new CurrencyValue("JPY", 0, 2), Assert.Single(figures.Value));
        Assert.Equal(1_001, new CurrencyValue("EUR", 2_001, 2).AverageOrder); // 1,000.5 rounds up
    }

    [Fact]
    public void A_merge_AddsCountsAndValues_AndSpansBothHistories()
    {
        var a = CustomerFigures.None.OrderPlaced(new Money(4_000, "EUR"), Now.AddDays(-100)).Returned(1, new Money(0, "EUR"), true);
        var b = CustomerFigures.None.OrderPlaced(new Money(2_000, "EUR"), Now.AddDays(-3)).OrderPlaced(new Money(900, "USD"), Now.AddDays(-200));
        var merged = a.Plus(b);
        Assert.Equal(3, merged.Orders);
        Assert.Equal([new CurrencyValue("EUR", 6_000, 2), new CurrencyValue("USD", 900, 1)], merged.Value);
        Assert.Equal(Now.AddDays(-200), merged.FirstOrderAt);
        Assert.Equal(Now.AddDays(-3), merged.LastOrderAt);
        Assert.Equal(1, merged.OrdersReturned);
        Assert.Equal(merged, b.Plus(a)); // either side may survive
    }

    [Theory]
    [InlineData(" Ada@Example.COM ", "ada@example.com")]
    [InlineData("ada@example.com", "ada@example.com")]
    public void One_customer_per_email_whatever_its_case(string given, string normalized) => Assert.Equal(normalized, CustomerEmail.Normalize(given));
}
