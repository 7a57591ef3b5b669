using Oms.Domain.Common;
using Oms.Domain.Inventory;

namespace Oms.Domain.Catalog;

public readonly record struct ProductId(Guid Value)
{
    public static ProductId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

/// <summary>Outer dimensions of one unit, in millimetres.</summary>
public sealed record Dimensions(int LengthMm, int WidthMm, int HeightMm);

/// <summary>What a product is, as the catalog describes it; everything a caller may set.</summary>
public sealed record ProductDetails(
    string Name,
    string? Brand,
    string? Category,
    Money Price,
    int WeightGrams,
    Dimensions? Dimensions,
    string? Barcode,
    bool Active,
    BackorderPolicy BackorderPolicy = BackorderPolicy.Deny,
    DateOnly? PreorderAvailableOn = null,
    long? CostAmount = null);

/// <summary>One sellable item, identified by its SKU (unique across the catalog).</summary>
public sealed class Product : AggregateRoot
{
    private Product() { }

    public ProductId Id { get; private set; }
    public string Sku { get; private set; } = "";
    public string Name { get; private set; } = "";
    public string? Brand { get; private set; }
    public string? Category { get; private set; }
    public long PriceAmount { get; private set; }
    public string Currency { get; private set; } = "";
    /// <summary>What one unit costs us (in <see cref="Currency"/>): stock is valued at it; null when not known.</summary>
    public long? CostAmount { get; private set; }
    public int WeightGrams { get; private set; }
    public Dimensions? Dimensions { get; private set; }
    public string? Barcode { get; private set; }
    public bool Active { get; private set; }
    /// <summary>What an order gets when this SKU is short: refused, backordered, or preordered.</summary>
    public BackorderPolicy BackorderPolicy { get; private set; }
    /// <summary>For preorders: when stock is expected.</summary>
    public DateOnly? PreorderAvailableOn { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public Money Price => new(PriceAmount, Currency);

    public static Product Create(string sku, ProductDetails details, DateTimeOffset now)
    {
        if (!Skus.IsValid(sku))
            throw new DomainException("catalog.invalid_sku",
                "A SKU is 1-64 characters of letters, digits, '-', '_' or '.'.", "sku");
        var product = new Product { Id = ProductId.New(now), Sku = sku, CreatedAt = now };
        product.Apply(details, now);
        product.Raise(new ProductChanged("product.created", product.Id.Value, product.Sku, now));
        return product;
    }

    public void Update(ProductDetails details, DateTimeOffset now)
    {
        Apply(details, now);
        Raise(new ProductChanged("product.updated", Id.Value, Sku, now));
    }

    private void Apply(ProductDetails d, DateTimeOffset now)
    {
        if (d.Price.Amount < 0)
            throw new DomainException("catalog.invalid_price", "A price cannot be negative.", "price.amount");
        if (d.WeightGrams < 0)
            throw new DomainException("catalog.invalid_weight", "A weight cannot be negative.", "weightGrams");
        if (d.Dimensions is { } dim && (dim.LengthMm < 0 || dim.WidthMm < 0 || dim.HeightMm < 0))
            throw new DomainException("catalog.invalid_dimensions", "Dimensions cannot be negative.", "dimensions");
        if (d.CostAmount is < 0)
            throw new DomainException("catalog.invalid_cost", "A cost cannot be negative.", "cost.amount");
        CostAmount = d.CostAmount;
        Name = d.Name;
        Brand = d.Brand;
        Category = d.Category;
        PriceAmount = d.Price.Amount;
        Currency = d.Price.Currency;
        WeightGrams = d.WeightGrams;
        Dimensions = d.Dimensions;
        if (d.BackorderPolicy == BackorderPolicy.Preorder && d.PreorderAvailableOn is null)
            throw new DomainException("catalog.preorder_date_required", "A preorder product says when stock is expected.", "preorderAvailableOn");
        Barcode = d.Barcode;
        Active = d.Active;
        BackorderPolicy = d.BackorderPolicy;
        PreorderAvailableOn = d.BackorderPolicy == BackorderPolicy.Preorder ? d.PreorderAvailableOn : null;
        UpdatedAt = now;
    }
}

public sealed record ProductChanged(string Type, Guid AggregateId, string Sku, DateTimeOffset OccurredAt) : IDomainEvent;

public static class Skus
{
    public static bool IsValid(string? sku) =>
        sku is { Length: >= 1 and <= 64 } && sku.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
