using Oms.Domain.Reports;

namespace Oms.Domain.Tests;

public sealed class OperationsTests
{
    [Fact]
    public void ShipBy_IsTheNodesLocalDayBeforeTheCutoff_ElseTheNext()
    {
        var cutoff = new TimeOnly(14, 0);
        // 12:30 UTC is 13:30 in Berlin (winter): before the cut-off, due by Berlin's midnight (23:00 UTC).
        Assert.Equal(new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero), Operations.ShipBy(new DateTimeOffset(2026, 1, 14, 12, 30, 0, TimeSpan.Zero), cutoff, "Europe/Berlin"));
        // 13:30 UTC is 14:30 there: the next day.
        Assert.Equal(new DateTimeOffset(2026, 1, 15, 23, 0, 0, TimeSpan.Zero), Operations.ShipBy(new DateTimeOffset(2026, 1, 14, 13, 30, 0, TimeSpan.Zero), cutoff, "Europe/Berlin"));
        // No cut-off: a day to handle it.
        Assert.Equal(new DateTimeOffset(2026, 1, 16, 0, 0, 0, TimeSpan.Zero), Operations.ShipBy(new DateTimeOffset(2026, 1, 14, 8, 0, 0, TimeSpan.Zero), null, "UTC"));
        // Across the change to summer time (29 March 2026 in Berlin): the midnight that ends the day is at +02:00.
        Assert.Equal(new DateTimeOffset(2026, 3, 29, 22, 0, 0, TimeSpan.Zero), Operations.ShipBy(new DateTimeOffset(2026, 3, 29, 9, 0, 0, TimeSpan.Zero), cutoff, "Europe/Berlin"));
    }

    [Fact]
    public void PromisedDelivery_AddsTransitDaysToTheDueDay()
    {
        Assert.Equal(new DateOnly(2026, 1, 16), Operations.PromisedDelivery(new DateTimeOffset(2026, 1, 14, 23, 0, 0, TimeSpan.Zero), 2));
        Assert.Equal(new DateOnly(2026, 1, 15), Operations.PromisedDelivery(new DateTimeOffset(2026, 1, 15, 0, 0, 0, TimeSpan.Zero), 1));
    }

    [Fact]
    public void Percentile_InterpolatesBetweenRanks()
    {
        Assert.Null(Operations.Percentile([], 0.5));
        Assert.Equal(5, Operations.Percentile([5], 0.9));
        Assert.Equal(2.5, Operations.Percentile([4, 1, 3, 2], 0.5));
        Assert.Equal(9.1, Operations.Percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)!.Value, 9);
    }

    [Fact]
    public void Failures_NameEveryReasonAnOrderWasNotPerfect()
    {
        Assert.True(Operations.Failures(false, 3, 3, false, [Oms.Domain.Returns.ReturnReason.SizeOrFit]).Perfect);
        Assert.Equal(new PerfectOrderFailures(true, true, true, false),
            Operations.Failures(true, 3, 2, false, [Oms.Domain.Returns.ReturnReason.Damaged, Oms.Domain.Returns.ReturnReason.Damaged]));
        Assert.Equal(new PerfectOrderFailures(false, true, false, true), Operations.Failures(false, 3, 3, true, [Oms.Domain.Returns.ReturnReason.WrongItem]));
    }
}
