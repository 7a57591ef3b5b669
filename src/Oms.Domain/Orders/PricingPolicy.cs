using Oms.Domain.Common;

namespace Oms.Domain.Orders;

/// <summary>Shipping and tax settings. Amounts are minor units of the order's currency; tax rates are percentages per ISO country.</summary>
public sealed class PricingSettings
{
    public long StandardShipping { get; set; } = 499;
    public long ExpeditedShipping { get; set; } = 1499;
    /// <summary>Standard shipping is free from this subtotal on; 0 turns the rule off.</summary>
    public long FreeShippingThreshold { get; set; } = 10_000;
    public Dictionary<string, decimal> TaxRates { get; set; } = [];
    public decimal DefaultTaxRate { get; set; }
}

/// <summary>
/// Works out what an order costs beyond its lines. A caller-given shipping amount (e.g. what a marketplace charged) wins.
/// <paramref name="sellerCountry"/> is where the seller is registered for VAT: a business buyer in another member state
/// (<see cref="Vat.IsReverseCharge"/>) is charged no VAT.
/// </summary>
public sealed class PricingPolicy(PricingSettings settings, string? sellerCountry = null)
{
    public Charges ChargesFor(long subtotal, OrderPriority priority, Delivery delivery, string? country, long? shippingOverride, string? buyerVatId = null)
    {
        var shipping = shippingOverride ?? (delivery.Type, priority) switch
        {
            (DeliveryType.Pickup, _) => 0,
            (_, OrderPriority.Expedited) => settings.ExpeditedShipping,
            _ when settings.FreeShippingThreshold > 0 && subtotal >= settings.FreeShippingThreshold => 0,
            _ => settings.StandardShipping,
        };
        if (Vat.IsReverseCharge(sellerCountry, buyerVatId, country)) return new Charges(shipping, 0);
        var rate = country is not null && settings.TaxRates.TryGetValue(country.ToUpperInvariant(), out var r) ? r : settings.DefaultTaxRate;
        return new Charges(shipping, (int)Math.Round(rate * 100m, MidpointRounding.AwayFromZero));
    }
}
