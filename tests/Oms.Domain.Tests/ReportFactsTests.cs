using Oms.Domain.Reports;

namespace Oms.Domain.Tests;

public sealed class ReportFactsTests
{
    private static readonly DateTimeOffset Placed = new(2026, 3, 4, 13, 30, 0, TimeSpan.Zero); // a Wednesday

    private static (OrderFact Order, IReadOnlyList<LineFact> Lines) Facts(long total = 10_000, long refunded = 0, bool cancelled = false,
        IReadOnlyList<LineInput>? lines = null, string? seller = "alice") =>
        ReportFacts.Of(Guid.Parse("00000000-0000-0000-0000-000000000001"), 7, Placed, "EUR", "web", "DE", seller, Guid.Parse("00000000-0000-0000-0000-0000000000c1"),
            total, refunded, cancelled,
            lines ?? [new LineInput(Guid.NewGuid(), "A", 2, 6_000, [("WH1", 2)], 0), new LineInput(Guid.NewGuid(), "B", 1, 3_000, [], 0)],
            sku => sku == "A" ? ("Acme", "Shoes") : (null, "Bags"));

    [Fact]
    public void Shares_AddUpToTheAmount_InProportion()
    {
        Assert.Equal([3334, 3333, 3333], ReportFacts.Shares(10_000, [1, 1, 1]));
        Assert.Equal([6667, 3333], ReportFacts.Shares(10_000, [6_000, 3_000]));
        Assert.Equal([5, 5], ReportFacts.Shares(10, [0, 0]));
        Assert.Equal([0, 0], ReportFacts.Shares(0, [5, 7]));
        foreach (var amount in new long[] { 1, 7, 999, 123_457 })
            Assert.Equal(amount, ReportFacts.Shares(amount, [3, 11, 5, 1]).Sum());
    }

    [Fact]
    public void Of_SplitsALineByTheNodesThatTookIt_AndSharesTheTotal()
    {
        var (order, lines) = Facts(lines: [new LineInput(Guid.NewGuid(), "A", 3, 9_000, [("WH1", 1), ("WH2", 2)], 2)]);
        Assert.Equal(3, order.Units);
        Assert.Equal(2, order.ReturnedUnits);
        Assert.Equal(["WH1", "WH2"], lines.Select(l => l.Node));
        Assert.Equal([1, 2], lines.Select(l => l.Units));
        Assert.Equal([1, 1], lines.Select(l => l.ReturnedUnits)); // returned units fill the parts in order
        Assert.Equal(10_000, lines.Sum(l => l.Gross));
        Assert.Equal([3333, 6667], lines.Select(l => l.Gross));
    }

    [Fact]
    public void Of_UnallocatedUnitsHaveNoNode()
    {
        var (_, lines) = Facts();
        Assert.Equal([("A", "WH1", 2), ("B", (string?)null, 1)], lines.Select(l => (l.Sku, l.Node, l.Units)));
        Assert.Equal(("Acme", "Shoes"), (lines[0].Brand, lines[0].Category));
    }

    [Fact]
    public void Net_IsNothingForACancelledOrder_AndTheTotalLessRefundsOtherwise()
    {
        Assert.Equal(7_500, Facts(refunded: 2_500).Order.Net);
        Assert.Equal(0, Facts(refunded: 2_500, cancelled: true).Order.Net);
        Assert.Equal(0, Facts(refunded: 12_000).Order.Net);
        var (_, lines) = Facts(refunded: 2_500);
        Assert.Equal(7_500, lines.Sum(l => l.Net));
        Assert.Equal(2_500, lines.Sum(l => l.Refunded));
    }

    [Fact]
    public void Cells_CountTheOrderOnceInEachKeyItBelongsTo_AtDayAndMonthGrain()
    {
        var (order, lines) = Facts();
        var cells = ReportFacts.Cells(order, lines).ToList();
        var month = cells.Where(c => c.Cell.Grain == RollupGrain.Month).ToDictionary(c => (c.Cell.Dimension, c.Cell.Key), c => c.Measures);
        var day = cells.Where(c => c.Cell.Grain == RollupGrain.Day).ToDictionary(c => (c.Cell.Dimension, c.Cell.Key), c => c.Measures);
        Assert.Equal(1, day[(Dimensions.Total, "")].Orders);
        Assert.Equal(10_000, day[(Dimensions.Total, "")].Gross);
        Assert.Equal(1, day[(Dimensions.Hour, "13")].Orders);
        Assert.Equal(1, day[(Dimensions.Seller, "alice")].Orders);
        Assert.Equal(1, month[(Dimensions.Customer, "00000000-0000-0000-0000-0000000000c1")].Orders);
        Assert.Equal(2, day[(Dimensions.Sku, "A")].Units);
        Assert.Equal(1, day[(Dimensions.Category, "Bags")].Orders);
        Assert.False(day.ContainsKey((Dimensions.Brand, ""))); // B has no brand
        Assert.Equal(["WH1"], day.Keys.Where(k => k.Dimension == Dimensions.Node).Select(k => k.Key));
        Assert.All(cells.Where(c => c.Cell.Grain == RollupGrain.Month), c => Assert.Equal(new DateOnly(2026, 3, 1), c.Cell.Period));
        // Customers have month rows only (their days are read from the order facts); the rest have both.
        Assert.DoesNotContain(day.Keys, k => k.Dimension is Dimensions.Customer);
        Assert.Equal(month.Keys.Where(k => k.Dimension is not Dimensions.Customer).Order(), day.Keys.Order());
        // Customers and SKUs are not split by channel and country; the others are.
        Assert.All(cells.Where(c => c.Cell.Dimension is Dimensions.Customer or Dimensions.Sku), c => Assert.Equal(("", ""), (c.Cell.Channel, c.Cell.Country)));
        Assert.All(cells.Where(c => c.Cell.Dimension is Dimensions.Total), c => Assert.Equal(("web", "DE"), (c.Cell.Channel, c.Cell.Country)));
    }

    [Fact]
    public void Delta_OfAnUnchangedOrderIsEmpty_AndOfAChangeMovesOnlyWhatChanged()
    {
        var before = Facts();
        Assert.Empty(ReportFacts.Delta(before, before));
        var after = Facts(refunded: 1_000, seller: "bob");
        var delta = ReportFacts.Delta(before, after);
        var day = delta.Where(d => d.Key.Grain == RollupGrain.Month).ToDictionary(d => (d.Key.Dimension, d.Key.Key), d => d.Value);
        Assert.Equal(-1_000, day[(Dimensions.Total, "")].Net);
        Assert.Equal(0, day[(Dimensions.Total, "")].Orders);
        Assert.Equal(-1, day[(Dimensions.Seller, "alice")].Orders);
        Assert.Equal(1, day[(Dimensions.Seller, "bob")].Orders);
        Assert.Equal(9_000, day[(Dimensions.Seller, "bob")].Net);
        // A new order adds everything; one that goes takes it all back.
        Assert.Equal(ReportFacts.Cells(before.Order, before.Lines).Count(), ReportFacts.Delta(null, before).Count);
        Assert.All(ReportFacts.Delta(before, null).Values, m => Assert.True(m.Orders == -1));
    }
}
