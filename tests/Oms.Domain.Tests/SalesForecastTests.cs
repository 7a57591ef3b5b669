using Oms.Domain.Reports;

namespace Oms.Domain.Tests;

public sealed class SalesForecastTests
{
    private static readonly double[] Week = [10, 5, 0, -5, -10, 15, -15];

    /// <summary>50 units a day, half a unit more each day, a weekly pattern, and optionally noise of a fixed seed.</summary>
    private static double Truth(int t) => 50 + 0.5 * t + Week[t % 7];

    private static double[] Series(int days, double noise = 0, int seed = 7)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, days).Select(t => Math.Max(0, Math.Round(Truth(t) + noise * (random.NextDouble() * 2 - 1)))).ToArray();
    }

    [Fact]
    public void Project_FollowsAKnownTrendAndWeeklySeason()
    {
        var (daily, method) = SalesForecast.Project(Series(182), 90);
        Assert.Equal(SalesForecast.HoltWinters, method);
        for (var h = 0; h < 30; h++)
            Assert.InRange(daily[h], Truth(182 + h) - 1, Truth(182 + h) + 1);
        // Each weekday keeps its place in the week: Saturdays (index 5 of the pattern) above Sundays (6).
        var saturday = Enumerable.Range(0, 7).First(h => (182 + h) % 7 == 5);
        Assert.True(daily[saturday] > daily[saturday + 1] + 20);
        var total90 = Enumerable.Range(182, 90).Sum(Truth);
        Assert.InRange(daily.Sum(), total90 * 0.99, total90 * 1.01);
    }

    [Fact]
    public void Project_WithNoise_StaysWithinAFewPerCentOverAMonth()
    {
        var (daily, _) = SalesForecast.Project(Series(182, noise: 12), 30);
        var truth = Enumerable.Range(182, 30).Sum(Truth);
        Assert.InRange(daily.Sum(), truth * 0.95, truth * 1.05);
        var (flat, _) = SalesForecast.Project(Enumerable.Range(0, 91).Select(t => 20.0 + Week[t % 7]).ToArray(), 14);
        for (var h = 0; h < 14; h++) Assert.InRange(flat[h], 20 + Week[(91 + h) % 7] - 0.5, 20 + Week[(91 + h) % 7] + 0.5);
    }

    [Fact]
    public void Project_ShortOrEmptyHistory_FallsBackAndNeverGoesBelowZero()
    {
        var (average, method) = SalesForecast.Project([4, 0, 2, 6], 7);
        Assert.Equal(SalesForecast.Average, method);
        Assert.All(average, u => Assert.Equal(3, u));
        var (none, nothing) = SalesForecast.Project([0, 0, 0], 5);
        Assert.Equal(SalesForecast.None, nothing);
        Assert.All(none, u => Assert.Equal(0, u));
        // A steep fall is not projected below zero.
        var (falling, _) = SalesForecast.Project(Enumerable.Range(0, 60).Select(t => Math.Max(0, 120.0 - 2 * t)).ToArray(), 90);
        Assert.All(falling, u => Assert.True(u >= 0));
    }

    [Fact]
    public void StockOutDate_CountsArrivalsOnTheirDay()
    {
        var first = new DateOnly(2026, 5, 1);
        var daily = Enumerable.Repeat(10.0, 30).ToArray();
        Assert.Equal(new DateOnly(2026, 5, 6), SalesForecast.StockOutDate(first, 55, daily, []));   // 55 lasts 5 days and a half
        Assert.Equal(new DateOnly(2026, 5, 11), SalesForecast.StockOutDate(first, 55, daily, [(new DateOnly(2026, 5, 4), 50)]));
        Assert.Equal(first, SalesForecast.StockOutDate(first, 0, daily, []));
        Assert.Null(SalesForecast.StockOutDate(first, 301, daily, []));
    }

    [Fact]
    public void Reorder_CoversLeadTimeAndCoverDaysAboveSafetyStock()
    {
        var daily = Enumerable.Repeat(2.5, 90).ToArray();
        var (point, quantity) = SalesForecast.Reorder(daily, leadTimeDays: 7, coverDays: 30, safetyStock: 5, position: 40);
        Assert.Equal(23, point);            // ceil(17.5) + 5
        Assert.Equal(58, quantity);         // ceil(92.5 + 5 - 40)
        Assert.Equal(0, SalesForecast.Reorder(daily, 7, 30, 5, 500).Quantity);
        // A lead time past the forecast extends its last week.
        Assert.Equal(250 + 10, SalesForecast.Reorder(daily, 100, 0, 10, 0).ReorderPoint);
    }
}
