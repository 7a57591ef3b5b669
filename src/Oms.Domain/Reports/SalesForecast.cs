namespace Oms.Domain.Reports;

/// <summary>
/// Expected daily sales from a history of daily units: additive Holt-Winters (level, trend and a weekly season), its
/// three smoothing constants chosen from a small grid by the smallest one-step-ahead squared error over the history.
/// Fewer than two whole weeks of history give the daily average instead; none gives nothing. Expectations are never
/// below zero. The method is documented in docs/reports.md#projections.
/// </summary>
public static class SalesForecast
{
    public const int Season = 7;

    /// <summary>How a projection was made: <see cref="HoltWinters"/>, <see cref="Average"/> or <see cref="None"/> (no sales to go on).</summary>
    public const string HoltWinters = "holt_winters_weekly", Average = "daily_average", None = "none";

    private static readonly double[] Alphas = [0.05, 0.1, 0.2, 0.3, 0.5];
    private static readonly double[] Betas = [0, 0.01, 0.05, 0.1];
    private static readonly double[] Gammas = [0.05, 0.1, 0.2, 0.4];

    /// <summary>The expected units of each of the <paramref name="horizon"/> days after the history, and the method used.</summary>
    public static (double[] Daily, string Method) Project(IReadOnlyList<double> history, int horizon)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(horizon);
        var forecast = new double[horizon];
        if (history.Count == 0 || history.All(u => u == 0)) return (forecast, None);
        if (history.Count < 2 * Season)
        {
            var mean = history.Average();
            Array.Fill(forecast, mean);
            return (forecast, Average);
        }
        var best = (Error: double.MaxValue, Alpha: 0.0, Beta: 0.0, Gamma: 0.0);
        foreach (var a in Alphas)
        foreach (var b in Betas)
        foreach (var g in Gammas)
        {
            var error = Fit(history, a, b, g, null);
            if (error < best.Error) best = (error, a, b, g);
        }
        Fit(history, best.Alpha, best.Beta, best.Gamma, forecast);
        for (var i = 0; i < horizon; i++) forecast[i] = Math.Max(0, forecast[i]);
        return (forecast, HoltWinters);
    }

    /// <summary>Runs the smoothing over the history; returns the one-step squared error, and writes the forecast when asked.</summary>
    private static double Fit(IReadOnlyList<double> y, double alpha, double beta, double gamma, double[]? forecast)
    {
        // Start: level the first week's mean, trend the change of the weekly mean over the first two weeks, season the
        // first two weeks' deviations from their week's mean.
        double week1 = 0, week2 = 0;
        for (var i = 0; i < Season; i++) { week1 += y[i]; week2 += y[i + Season]; }
        week1 /= Season;
        week2 /= Season;
        var level = week1;
        var trend = (week2 - week1) / Season;
        var season = new double[Season];
        for (var i = 0; i < Season; i++) season[i] = ((y[i] - week1) + (y[i + Season] - week2)) / 2;
        double error = 0;
        for (var t = Season; t < y.Count; t++)
        {
            var s = season[t % Season];
            var predicted = level + trend + s;
            var e = y[t] - predicted;
            error += e * e;
            var previous = level;
            level = alpha * (y[t] - s) + (1 - alpha) * (level + trend);
            trend = beta * (level - previous) + (1 - beta) * trend;
            season[t % Season] = gamma * (y[t] - level) + (1 - gamma) * s;
        }
        if (forecast is not null)
            for (var h = 1; h <= forecast.Length; h++)
                forecast[h - 1] = level + h * trend + season[(y.Count - 1 + h) % Season];
        return error;
    }

    /// <summary>
    /// The first day stock runs out: <paramref name="stock"/> units now (on hand less reserved), less each day's
    /// expected sales, plus what arrives (open purchase orders) on its day. Null when it lasts the whole forecast.
    /// </summary>
    public static DateOnly? StockOutDate(DateOnly firstDay, double stock, IReadOnlyList<double> daily, IReadOnlyList<(DateOnly Day, int Units)> arrivals)
    {
        var left = stock + arrivals.Where(a => a.Day < firstDay).Sum(a => a.Units);
        if (left <= 0) return firstDay;
        for (var i = 0; i < daily.Count; i++)
        {
            var day = firstDay.AddDays(i);
            left += arrivals.Where(a => a.Day == day).Sum(a => a.Units);
            left -= daily[i];
            if (left < 0) return day;
        }
        return null;
    }

    /// <summary>
    /// What to reorder so stock covers the lead time and <paramref name="coverDays"/> after it: the reorder point is the
    /// expected sales over the lead time plus safety stock; the quantity fills the position (on hand less reserved plus
    /// on order) up to the expected sales over lead time and cover plus safety stock, rounded up.
    /// </summary>
    public static (int ReorderPoint, int Quantity) Reorder(IReadOnlyList<double> daily, int leadTimeDays, int coverDays, int safetyStock, int position)
    {
        var lead = daily.Take(leadTimeDays).Sum() + (leadTimeDays > daily.Count ? (leadTimeDays - daily.Count) * Tail(daily) : 0);
        var upTo = daily.Take(leadTimeDays + coverDays).Sum() + (leadTimeDays + coverDays > daily.Count ? (leadTimeDays + coverDays - daily.Count) * Tail(daily) : 0);
        var point = (int)Math.Ceiling(lead - 1e-9) + safetyStock;
        var quantity = Math.Max(0, (int)Math.Ceiling(upTo + safetyStock - position - 1e-9));
        return (point, quantity);
    }

    private static double Tail(IReadOnlyList<double> daily) => daily.Count == 0 ? 0 : daily.Skip(Math.Max(0, daily.Count - Season)).Average();
}
