using Oms.Domain.Common;

namespace Oms.Domain.Customers;

/// <summary>Where a customer stands, from the figures kept with them (issue 36): the thresholds come from configuration.</summary>
public enum CustomerSegment
{
    /// <summary>One order so far, placed recently.</summary>
    New,
    /// <summary>Ordered again recently.</summary>
    Active,
    /// <summary>Many orders, the last one recent.</summary>
    Loyal,
    /// <summary>Nothing for a while: worth a word before they are gone.</summary>
    AtRisk,
    /// <summary>Nothing for a long while.</summary>
    Lapsed,
}

/// <summary>The thresholds of the segments, in days and orders.</summary>
public sealed record SegmentThresholds(int ActiveDays = 90, int LapsedDays = 365, int LoyalOrders = 5)
{
    public static SegmentThresholds Checked(int activeDays, int lapsedDays, int loyalOrders) =>
        activeDays <= 0 || lapsedDays <= activeDays || loyalOrders < 2
            ? throw new DomainException("customers.invalid_segments",
                "Segments need 0 < ActiveDays < LapsedDays and LoyalOrders of at least 2.", "customers.segments")
            : new SegmentThresholds(activeDays, lapsedDays, loyalOrders);

    /// <summary>
    /// New: one order within <see cref="ActiveDays"/>; loyal: <see cref="LoyalOrders"/> or more with the last within
    /// them; active: more than one with the last within them; at risk: the last order older than that but within
    /// <see cref="LapsedDays"/>; lapsed: older still (a customer without orders counts as new).
    /// </summary>
    public CustomerSegment Of(int orders, DateTimeOffset? lastOrderAt, DateTimeOffset now)
    {
        if (orders <= 0 || lastOrderAt is not { } last) return CustomerSegment.New;
        var days = (now - last).TotalDays;
        if (days > LapsedDays) return CustomerSegment.Lapsed;
        if (days > ActiveDays) return CustomerSegment.AtRisk;
        return orders >= LoyalOrders ? CustomerSegment.Loyal : orders == 1 ? CustomerSegment.New : CustomerSegment.Active;
    }
}

/// <summary>What one currency's orders are worth to the business: placed and not cancelled, less what was refunded.</summary>
public sealed record CurrencyValue(string Currency, long Amount, int Orders)
{
    /// <summary>The average order in this currency, in minor units, rounded half away from zero.</summary>
    public long AverageOrder => Orders == 0 ? 0 : (long)Math.Round((decimal)Amount / Orders, MidpointRounding.AwayFromZero);
}

/// <summary>What one of a customer's orders adds to their figures (an exchange's replacement order is not one: it was not bought).</summary>
/// <param name="Refunded">Money given back on the order, over all its payments.</param>
/// <param name="UnitsReturned">Units received back on its returns.</param>
public sealed record OrderFacts(string Currency, long Total, bool Cancelled, long Refunded, int UnitsReturned, DateTimeOffset PlacedAt);

/// <summary>
/// A customer's figures, kept current as their orders move rather than computed per read: orders counted, value per
/// currency, first and last order, and returns. Immutable: each change gives the next figures.
/// </summary>
public sealed record CustomerFigures
{
    public static readonly CustomerFigures None = new();

    /// <summary>Orders placed and not cancelled.</summary>
    public int Orders { get; init; }
    public IReadOnlyList<CurrencyValue> Value { get; init; } = [];
    public DateTimeOffset? FirstOrderAt { get; init; }
    public DateTimeOffset? LastOrderAt { get; init; }
    /// <summary>Orders with at least one unit returned.</summary>
    public int OrdersReturned { get; init; }
    public int UnitsReturned { get; init; }

    /// <summary>Share of the counted orders with a return, 0-1 (0 without orders).</summary>
    public decimal ReturnRate => Orders == 0 ? 0 : Math.Round((decimal)OrdersReturned / Orders, 4);

    /// <summary>
    /// The figures worked out from the customer's orders: what they are by definition, and what the figures kept
    /// step by step (<see cref="OrderPlaced"/>, …) must equal. Orders: placed and not cancelled. Value per currency:
    /// their totals less what was refunded on them, never below zero. First and last order: over every order, cancelled
    /// ones too (the customer did come). Returns: orders with a unit received back, and those units.
    /// </summary>
    public static CustomerFigures Of(IEnumerable<OrderFacts> orders)
    {
        var list = orders.ToList();
        var counted = list.Where(o => !o.Cancelled).ToList();
        return new CustomerFigures
        {
            Orders = counted.Count,
            Value = [.. counted.GroupBy(o => o.Currency).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => new CurrencyValue(g.Key, Math.Max(0, g.Sum(o => o.Total - o.Refunded)), g.Count()))],
            FirstOrderAt = list.Count == 0 ? null : list.Min(o => o.PlacedAt),
            LastOrderAt = list.Count == 0 ? null : list.Max(o => o.PlacedAt),
            OrdersReturned = list.Count(o => o.UnitsReturned > 0),
            UnitsReturned = list.Sum(o => o.UnitsReturned),
        };
    }

    public CustomerFigures OrderPlaced(Money total, DateTimeOffset at) => this with
    {
        Orders = Orders + 1,
        Value = Add(total, +1),
        FirstOrderAt = FirstOrderAt is { } first && first <= at ? first : at,
        LastOrderAt = LastOrderAt is { } last && last >= at ? last : at,
    };

    /// <summary>A cancelled order no longer counts (its dates stay: the customer did come).</summary>
    public CustomerFigures OrderCancelled(Money total) => this with { Orders = Math.Max(0, Orders - 1), Value = Add(new Money(-total.Amount, total.Currency), -1) };

    /// <summary>Money given back lowers the value; <paramref name="firstReturnOfOrder"/> counts the order as returned once.</summary>
    public CustomerFigures Returned(int units, Money refunded, bool firstReturnOfOrder) => this with
    {
        UnitsReturned = UnitsReturned + units,
        OrdersReturned = OrdersReturned + (firstReturnOfOrder ? 1 : 0),
        Value = refunded.Amount == 0 ? Value : Add(new Money(-refunded.Amount, refunded.Currency), 0),
    };

    /// <summary>Two customers become one (a merge): counts and values add up, the dates span both.</summary>
    public CustomerFigures Plus(CustomerFigures other)
    {
        var value = Value.ToDictionary(v => v.Currency);
        foreach (var v in other.Value)
            value[v.Currency] = value.TryGetValue(v.Currency, out var mine) ? mine with { Amount = mine.Amount + v.Amount, Orders = mine.Orders + v.Orders } : v;
        return new CustomerFigures
        {
            Orders = Orders + other.Orders,
            Value = [.. value.Values.OrderBy(v => v.Currency, StringComparer.Ordinal)],
            FirstOrderAt = Earliest(FirstOrderAt, other.FirstOrderAt),
            LastOrderAt = Latest(LastOrderAt, other.LastOrderAt),
            OrdersReturned = OrdersReturned + other.OrdersReturned,
            UnitsReturned = UnitsReturned + other.UnitsReturned,
        };
    }

    /// <summary>Equal figures: the same counts, dates and value per currency (the list's contents, not its instance).</summary>
    public bool Equals(CustomerFigures? other) =>
        other is not null && Orders == other.Orders && FirstOrderAt == other.FirstOrderAt && LastOrderAt == other.LastOrderAt
        && OrdersReturned == other.OrdersReturned && UnitsReturned == other.UnitsReturned && Value.SequenceEqual(other.Value);

    public override int GetHashCode() => HashCode.Combine(Orders, FirstOrderAt, LastOrderAt, OrdersReturned, UnitsReturned, Value.Count);

    private IReadOnlyList<CurrencyValue> Add(Money amount, int orders)
    {
        var list = Value.ToList();
        var i = list.FindIndex(v => v.Currency == amount.Currency);
        if (i < 0) list.Add(new CurrencyValue(amount.Currency, Math.Max(0, amount.Amount), Math.Max(0, orders)));
        else list[i] = list[i] with { Amount = Math.Max(0, checked(list[i].Amount + amount.Amount)), Orders = Math.Max(0, list[i].Orders + orders) };
        return [.. list.OrderBy(v => v.Currency, StringComparer.Ordinal)];
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;
}
