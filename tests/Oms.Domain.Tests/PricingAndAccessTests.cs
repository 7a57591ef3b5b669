using Oms.Domain.Access;
using Oms.Domain.Orders;

namespace Oms.Domain.Tests;

public sealed class PricingAndAccessTests
{
    private static readonly PricingPolicy Pricing = new(new PricingSettings
    {
        StandardShipping = 499, ExpeditedShipping = 1499, FreeShippingThreshold = 10_000,
        TaxRates = new() { ["DE"] = 19m, ["FI"] = 25.5m }, DefaultTaxRate = 0,
    });

    [Theory]
    [InlineData(5_000, OrderPriority.Standard, DeliveryType.Ship, 499)]
    [InlineData(10_000, OrderPriority.Standard, DeliveryType.Ship, 0)]
    [InlineData(10_000, OrderPriority.Expedited, DeliveryType.Ship, 1499)]
    [InlineData(5_000, OrderPriority.Expedited, DeliveryType.Pickup, 0)]
    public void Shipping_follows_priority_delivery_and_threshold(long subtotal, OrderPriority priority, DeliveryType type, long expected) =>
        Assert.Equal(expected, Pricing.ChargesFor(subtotal, priority, new Delivery(type, "X"), "DE", null).Shipping);

    [Fact]
    public void Tax_rates_come_per_country_in_basis_points_and_a_given_shipping_wins()
    {
        Assert.Equal(1900, Pricing.ChargesFor(1, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "de", null).TaxRateBasisPoints);
        Assert.Equal(2550, Pricing.ChargesFor(1, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "FI", null).TaxRateBasisPoints);
        Assert.Equal(0, Pricing.ChargesFor(1, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "US", null).TaxRateBasisPoints);
        Assert.Equal(123, Pricing.ChargesFor(1, OrderPriority.Standard, new Delivery(DeliveryType.Ship, null), "DE", 123).Shipping);
    }

    [Fact]
    public void Keys_keep_only_a_hash_and_scopes_grant_as_documented()
    {
        var (key, secret) = ApiKey.Create("shop", [Scopes.OrdersWrite], DateTimeOffset.UnixEpoch);
        Assert.StartsWith("oms_", secret);
        Assert.True(secret.Length >= 36);
        Assert.NotEqual(secret, key.Hash);
        Assert.Equal(ApiKey.HashOf(secret), key.Hash);
        Assert.True(key.HasScope(Scopes.OrdersWrite));
        Assert.True(key.HasScope(Scopes.OrdersRead));
        Assert.False(key.HasScope(Scopes.CatalogRead));
        Assert.True(ApiKey.Create("root", [Scopes.Admin], DateTimeOffset.UnixEpoch).Key.HasScope(Scopes.CatalogWrite));
        Assert.NotEqual(secret, ApiKey.Create("shop", [Scopes.OrdersWrite], DateTimeOffset.UnixEpoch).Secret);
    }
}
