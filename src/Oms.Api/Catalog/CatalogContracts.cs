using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Domain.Catalog;
using Oms.Domain.Inventory;

namespace Oms.Api.Catalog;

/// <summary>Outer dimensions of one unit, in millimetres.</summary>
public sealed record DimensionsDto
{
    [Range(0, 100_000)] public required int LengthMm { get; init; }
    [Range(0, 100_000)] public required int WidthMm { get; init; }
    [Range(0, 100_000)] public required int HeightMm { get; init; }
}

/// <summary>A new catalog product.</summary>
public sealed record CreateProductRequest
{
    /// <summary>Stock-keeping unit, unique in the catalog: 1-64 letters, digits, '-', '_' or '.'.</summary>
    [Required, StringLength(64), RegularExpression("^[A-Za-z0-9._-]+$")]
    public required string Sku { get; init; }

    [Required, StringLength(300)]
    public required string Name { get; init; }

    [StringLength(100)]
    public string? Brand { get; init; }

    [StringLength(100)]
    public string? Category { get; init; }

    /// <summary>List price per unit; order lines default to it.</summary>
    public required MoneyDto Price { get; init; }

    /// <summary>What one unit costs you, in the price's currency: stock is valued at it (reports).</summary>
    public MoneyDto? Cost { get; init; }

    /// <summary>Weight of one unit in grams.</summary>
    [Range(0, 1_000_000)]
    public int WeightGrams { get; init; }

    public DimensionsDto? Dimensions { get; init; }

    /// <summary>GTIN/EAN/UPC or any barcode printed on the unit.</summary>
    [StringLength(64)]
    public string? Barcode { get; init; }

    /// <summary>Only active products can be ordered. Defaults to true.</summary>
    public bool Active { get; init; } = true;

    /// <summary>When an order asks for more than is available: deny (the default), backorder, or preorder.</summary>
    public BackorderPolicy? BackorderPolicy { get; init; }

    /// <summary>For preorder: when stock is expected.</summary>
    public DateOnly? PreorderAvailableOn { get; init; }
}

/// <summary>Changes to a product; fields left out stay as they are.</summary>
public sealed record UpdateProductRequest
{
    [StringLength(300), MinLength(1)]
    public string? Name { get; init; }

    [StringLength(100)]
    public string? Brand { get; init; }

    [StringLength(100)]
    public string? Category { get; init; }

    public MoneyDto? Price { get; init; }

    /// <summary>What one unit costs you, in the price's currency.</summary>
    public MoneyDto? Cost { get; init; }

    [Range(0, 1_000_000)]
    public int? WeightGrams { get; init; }

    public DimensionsDto? Dimensions { get; init; }

    [StringLength(64)]
    public string? Barcode { get; init; }

    public bool? Active { get; init; }

    public BackorderPolicy? BackorderPolicy { get; init; }

    public DateOnly? PreorderAvailableOn { get; init; }
}

/// <summary>A catalog product.</summary>
public sealed record ProductDto
{
    public required Guid Id { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required string? Brand { get; init; }
    public required string? Category { get; init; }
    public required MoneyDto Price { get; init; }
    /// <summary>What one unit costs you (stock is valued at it); null when not given.</summary>
    public required MoneyDto? Cost { get; init; }
    public required int WeightGrams { get; init; }
    public required DimensionsDto? Dimensions { get; init; }
    public required string? Barcode { get; init; }
    public required bool Active { get; init; }
    public required BackorderPolicy BackorderPolicy { get; init; }
    public required DateOnly? PreorderAvailableOn { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Concurrency version; also sent as the ETag.</summary>
    public required int Version { get; init; }

    public static ProductDto From(Product p) => new()
    {
        Id = p.Id.Value, Sku = p.Sku, Name = p.Name, Brand = p.Brand, Category = p.Category,
        Price = MoneyDto.From(p.PriceAmount, p.Currency), Cost = p.CostAmount is { } cost ? MoneyDto.From(cost, p.Currency) : null, WeightGrams = p.WeightGrams,
        Dimensions = p.Dimensions is { } d ? new DimensionsDto { LengthMm = d.LengthMm, WidthMm = d.WidthMm, HeightMm = d.HeightMm } : null,
        Barcode = p.Barcode, Active = p.Active, BackorderPolicy = p.BackorderPolicy, PreorderAvailableOn = p.PreorderAvailableOn, CreatedAt = p.CreatedAt, UpdatedAt = p.UpdatedAt, Version = p.Version,
    };
}

/// <summary>Filters for listing products.</summary>
public sealed record ProductFilter(bool? Active, string? Brand, string? Category, string? Search);
