using Oms.Domain.Common;

namespace Oms.Domain.Inventory;

public readonly record struct NodeId(Guid Value)
{
    public static NodeId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

public enum NodeKind
{
    Warehouse,
    Store,
    ThirdPartyLogistics,
    DropshipSupplier,
}

/// <summary>What shipping from a node costs: a base, plus per kilogram, plus per 100 km, in minor units of <see cref="Currency"/>.</summary>
public sealed record ShippingCostModel(long Base, long PerKg, long Per100Km, string Currency)
{
    public long CostFor(int grams, double distanceKm) =>
        Base + (long)Math.Round(PerKg * grams / 1000.0 + Per100Km * distanceKm / 100.0, MidpointRounding.AwayFromZero);
}

/// <summary>Everything a caller sets on a node.</summary>
public sealed record NodeDetails(
    NodeKind Kind,
    string Name,
    Address Address,
    string TimeZone,
    bool Active,
    bool CanShip,
    bool CanPickup,
    IReadOnlyList<string> ServesCountries,
    int Priority,
    int? DailyCapacity,
    TimeOnly? SameDayCutoff,
    ShippingCostModel ShippingCost);

/// <summary>A place that holds stock and ships or hands over orders: a warehouse, store, 3PL or dropship supplier.</summary>
public sealed class FulfilmentNode : AggregateRoot
{
    private FulfilmentNode() { }

    public NodeId Id { get; private set; }
    public string Code { get; private set; } = "";
    public NodeKind Kind { get; private set; }
    public string Name { get; private set; } = "";
    public Address Address { get; private set; } = null!;
    public string TimeZone { get; private set; } = "UTC";
    public bool Active { get; private set; }
    public bool CanShip { get; private set; }
    public bool CanPickup { get; private set; }
    /// <summary>ISO countries this node ships to; empty means anywhere.</summary>
    public List<string> ServesCountries { get; private set; } = [];
    /// <summary>Lower is preferred.</summary>
    public int Priority { get; private set; }
    /// <summary>Orders the node can take per local day; null means no limit.</summary>
    public int? DailyCapacity { get; private set; }
    /// <summary>Local time after which an order no longer leaves the same day.</summary>
    public TimeOnly? SameDayCutoff { get; private set; }
    public ShippingCostModel ShippingCost { get; private set; } = null!;
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static FulfilmentNode Create(string code, NodeDetails details, DateTimeOffset now)
    {
        if (!Catalog.Skus.IsValid(code))
            throw new DomainException("node.invalid_code", "A node code is 1-64 letters, digits, '-', '_' or '.'.", "code");
        var node = new FulfilmentNode { Id = NodeId.New(now), Code = code.ToUpperInvariant(), CreatedAt = now };
        node.Apply(details, now);
        return node;
    }

    public void Update(NodeDetails details, DateTimeOffset now) => Apply(details, now);

    public bool Serves(string? country) => ServesCountries.Count == 0 || (country is not null && ServesCountries.Contains(country));

    /// <summary>Whether an order placed at <paramref name="now"/> still leaves today.</summary>
    public bool BeforeCutoff(DateTimeOffset now)
    {
        if (SameDayCutoff is not { } cutoff) return true;
        return TimeOnly.FromDateTime(LocalTime(now).DateTime) < cutoff;
    }

    /// <summary>The start of the node's current local day, in UTC: capacity counts from here.</summary>
    public DateTimeOffset StartOfLocalDay(DateTimeOffset now)
    {
        var local = LocalTime(now);
        return new DateTimeOffset(local.Date, local.Offset).ToUniversalTime();
    }

    private DateTimeOffset LocalTime(DateTimeOffset now) =>
        TimeZoneInfo.ConvertTime(now, TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out var tz) ? tz : TimeZoneInfo.Utc);

    private void Apply(NodeDetails d, DateTimeOffset now)
    {
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(d.TimeZone, out _))
            throw new DomainException("node.invalid_time_zone", $"'{d.TimeZone}' is not an IANA time zone (e.g. Europe/Berlin).", "timeZone");
        if (d.DailyCapacity is < 0)
            throw new DomainException("node.invalid_capacity", "Capacity cannot be negative.", "dailyCapacity");
        if (d.ServesCountries.FirstOrDefault(c => !Countries.IsValid(c)) is { } bad)
            throw new DomainException("node.invalid_country", $"'{bad}' is not an ISO 3166-1 alpha-2 country.", "servesCountries");
        if (d.ShippingCost.Base < 0 || d.ShippingCost.PerKg < 0 || d.ShippingCost.Per100Km < 0)
            throw new DomainException("node.invalid_shipping_cost", "Shipping costs cannot be negative.", "shippingCost");
        Kind = d.Kind;
        Name = d.Name;
        Address = d.Address with { };
        TimeZone = d.TimeZone;
        Active = d.Active;
        CanShip = d.CanShip;
        CanPickup = d.CanPickup;
        ServesCountries = d.ServesCountries.Select(c => c.ToUpperInvariant()).Distinct().Order().ToList();
        Priority = d.Priority;
        DailyCapacity = d.DailyCapacity;
        SameDayCutoff = d.SameDayCutoff;
        ShippingCost = d.ShippingCost with { Currency = Currencies.Normalize(d.ShippingCost.Currency) };
        UpdatedAt = now;
    }
}
