using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Inventory;

namespace Oms.Api.Nodes;

/// <summary>What shipping from a node costs, in minor units: base + per kg + per 100 km.</summary>
public sealed record ShippingCostDto
{
    [Range(0, 10_000_000)] public required long Base { get; init; }
    [Range(0, 10_000_000)] public required long PerKg { get; init; }
    [Range(0, 10_000_000)] public required long Per100Km { get; init; }
    [Required, CurrencyCode] public required string Currency { get; init; }
}

/// <summary>A new fulfilment node.</summary>
public sealed record CreateNodeRequest
{
    /// <summary>Unique code, e.g. DE-BER-1 (stored upper case).</summary>
    [Required, StringLength(64), RegularExpression("^[A-Za-z0-9._-]+$")]
    public required string Code { get; init; }

    public required NodeKind Kind { get; init; }

    [Required, StringLength(200)]
    public required string Name { get; init; }

    /// <summary>Where the node is; coordinates make distances exact.</summary>
    public required AddressDto Address { get; init; }

    /// <summary>IANA time zone, e.g. Europe/Berlin: capacity and cut-off follow the node's local day.</summary>
    [Required, StringLength(64)]
    public required string TimeZone { get; init; }

    public bool? Active { get; init; }
    public bool? CanShip { get; init; }
    public bool? CanPickup { get; init; }

    /// <summary>ISO countries the node ships to; empty or left out means anywhere.</summary>
    public List<string>? ServesCountries { get; init; }

    /// <summary>Lower is preferred; default 0.</summary>
    [Range(0, 1000)]
    public int? Priority { get; init; }

    /// <summary>Orders the node can take per local day; left out means no limit.</summary>
    [Range(0, 1_000_000)]
    public int? DailyCapacity { get; init; }

    /// <summary>Local time (HH:mm) after which orders no longer leave the same day.</summary>
    public TimeOnly? SameDayCutoff { get; init; }

    public required ShippingCostDto ShippingCost { get; init; }
}

/// <summary>Changes to a node; fields left out stay as they are.</summary>
public sealed record UpdateNodeRequest
{
    public NodeKind? Kind { get; init; }
    [StringLength(200), MinLength(1)] public string? Name { get; init; }
    public AddressDto? Address { get; init; }
    [StringLength(64)] public string? TimeZone { get; init; }
    public bool? Active { get; init; }
    public bool? CanShip { get; init; }
    public bool? CanPickup { get; init; }
    public List<string>? ServesCountries { get; init; }
    [Range(0, 1000)] public int? Priority { get; init; }
    /// <summary>Orders per local day; -1 removes the limit.</summary>
    [Range(-1, 1_000_000)] public int? DailyCapacity { get; init; }
    public TimeOnly? SameDayCutoff { get; init; }
    public ShippingCostDto? ShippingCost { get; init; }
}

/// <summary>A warehouse, store, 3PL or dropship supplier that holds stock and ships or hands over orders.</summary>
public sealed record NodeDto
{
    public required Guid Id { get; init; }
    public required string Code { get; init; }
    public required NodeKind Kind { get; init; }
    public required string Name { get; init; }
    public required AddressDto Address { get; init; }
    public required string TimeZone { get; init; }
    public required bool Active { get; init; }
    public required bool CanShip { get; init; }
    public required bool CanPickup { get; init; }
    public required IReadOnlyList<string> ServesCountries { get; init; }
    public required int Priority { get; init; }
    public required int? DailyCapacity { get; init; }
    public required TimeOnly? SameDayCutoff { get; init; }
    public required ShippingCostDto ShippingCost { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static NodeDto From(FulfilmentNode n) => new()
    {
        Id = n.Id.Value, Code = n.Code, Kind = n.Kind, Name = n.Name, Address = AddressDto.From(n.Address)!, TimeZone = n.TimeZone,
        Active = n.Active, CanShip = n.CanShip, CanPickup = n.CanPickup, ServesCountries = n.ServesCountries, Priority = n.Priority,
        DailyCapacity = n.DailyCapacity, SameDayCutoff = n.SameDayCutoff,
        ShippingCost = new ShippingCostDto { Base = n.ShippingCost.Base, PerKg = n.ShippingCost.PerKg, Per100Km = n.ShippingCost.Per100Km, Currency = n.ShippingCost.Currency },
        CreatedAt = n.CreatedAt, UpdatedAt = n.UpdatedAt, Version = n.Version,
    };
}
