namespace Oms.Domain.Reports;

/// <summary>
/// The rules behind the operational KPIs (docs/reports.md#operations): when a shipment was due to leave, when delivery
/// was due, and percentiles of cycle times.
/// </summary>
public static class Operations
{
    /// <summary>
    /// When an order placed at <paramref name="placedAt"/> is due to leave a node: by the end of the node's local day
    /// when placed before its same-day cut-off, else by the end of the next local day; a node without a cut-off takes
    /// a day (the end of the next local day). Weekends and holidays count as days.
    /// </summary>
    public static DateTimeOffset ShipBy(DateTimeOffset placedAt, TimeOnly? cutoff, string timeZone)
    {
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var tz) ? tz : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(placedAt, zone);
        var sameDay = cutoff is { } c && TimeOnly.FromDateTime(local.DateTime) < c;
        var endLocal = local.Date.AddDays(sameDay ? 1 : 2); // the midnight that ends the due day
        return new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime();
    }

    /// <summary>The promised delivery day when the channel gave none: the day the order was due to ship (UTC) plus the carrier service's transit days.</summary>
    public static DateOnly PromisedDelivery(DateTimeOffset shipBy, int transitDays) =>
        DateOnly.FromDateTime(shipBy.AddTicks(-1).UtcDateTime).AddDays(transitDays);

    /// <summary>
    /// Why a delivered order was not perfect (none: it was): delivered after its promised day, incomplete (fewer units
    /// shipped than ordered, or a part short-picked), or a return asked for because it came damaged or was the wrong item.
    /// </summary>
    public static PerfectOrderFailures Failures(bool late, int unitsOrdered, int unitsShipped, bool shortPicked, IEnumerable<Returns.ReturnReason> claims)
    {
        var reasons = claims.ToHashSet();
        return new PerfectOrderFailures(late, unitsShipped < unitsOrdered || shortPicked,
            reasons.Contains(Returns.ReturnReason.Damaged), reasons.Contains(Returns.ReturnReason.WrongItem));
    }

    /// <summary>The <paramref name="p"/> percentile (0-1) by linear interpolation between the closest ranks (PostgreSQL's percentile_cont); null for none.</summary>
    public static double? Percentile(IReadOnlyList<double> values, double p)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var position = p * (sorted.Length - 1);
        var lower = (int)Math.Floor(position);
        var upper = (int)Math.Ceiling(position);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (position - lower);
    }
}

/// <summary>The reasons an order failed the perfect-order test; <see cref="Perfect"/> when none.</summary>
public readonly record struct PerfectOrderFailures(bool Late, bool Incomplete, bool Damaged, bool WrongItem)
{
    public bool Perfect => !Late && !Incomplete && !Damaged && !WrongItem;
}
