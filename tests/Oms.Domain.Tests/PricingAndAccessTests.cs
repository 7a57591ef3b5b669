using Oms.Domain.Access;
using Oms.Domain.Common;
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
        Assert.True(Scopes.Grants(key.Scopes, Scopes.OrdersWrite));
        Assert.True(Scopes.Grants(key.Scopes, Scopes.OrdersRead));
        Assert.False(Scopes.Grants(key.Scopes, Scopes.CatalogRead));
        Assert.True(Scopes.Grants(ApiKey.Create("root", [Scopes.Admin], DateTimeOffset.UnixEpoch).Key.Scopes, Scopes.CatalogWrite));
        Assert.NotEqual(secret, ApiKey.Create("shop", [Scopes.OrdersWrite], DateTimeOffset.UnixEpoch).Secret);
    }

    [Fact]
    public void Roles_are_named_sets_of_known_scopes_and_built_in_names_are_taken()
    {
        var role = Role.Create("night_shift", " Packs at night ", [Scopes.FulfilmentWrite, Scopes.FulfilmentWrite, Scopes.CatalogRead], DateTimeOffset.UnixEpoch);
        Assert.Equal([Scopes.CatalogRead, Scopes.FulfilmentWrite], role.Scopes);
        Assert.Equal("Packs at night", role.Description);
        Assert.Equal("role.built_in", Assert.Throws<ConflictException>(() => Role.Create(BuiltInRoles.Warehouse, null, [Scopes.CatalogRead], DateTimeOffset.UnixEpoch)).Code);
        foreach (var bad in new[] { "x", "Night", "9lives", "night shift", new string('a', 51) })
            Assert.Equal("role.invalid_name", Assert.Throws<DomainException>(() => Role.Create(bad, null, [Scopes.CatalogRead], DateTimeOffset.UnixEpoch)).Code);
        var unknown = Assert.Throws<DomainException>(() => role.Change(null, ["orders:delete"], DateTimeOffset.UnixEpoch));
        Assert.Equal(("access.unknown_scope", "scopes"), (unknown.Code, unknown.Field));
        Assert.Equal("role.no_scopes", Assert.Throws<DomainException>(() => role.Change(null, [], DateTimeOffset.UnixEpoch)).Code);
        Assert.Equal([Scopes.CatalogRead, Scopes.FulfilmentWrite], role.Scopes);
        // Every built-in role holds only known scopes, and names follow the rule custom ones follow.
        Assert.All(BuiltInRoles.All, r => Assert.Equal(r.Scopes.Order(StringComparer.Ordinal), Scopes.Validated(r.Scopes, "scopes")));
        Assert.Equal(6, BuiltInRoles.All.Select(r => r.Name).Distinct().Count());
    }

    [Fact]
    public void A_key_needs_a_scope_or_a_role_and_may_do_the_union_of_both()
    {
        var (key, _) = ApiKey.Create("picker", [], DateTimeOffset.UnixEpoch, roles: [BuiltInRoles.Warehouse, BuiltInRoles.Warehouse]);
        Assert.Equal([BuiltInRoles.Warehouse], key.Roles);
        Assert.Empty(key.Scopes);
        Assert.Equal("api_key.no_scopes", Assert.Throws<DomainException>(() => ApiKey.Create("nothing", [], DateTimeOffset.UnixEpoch)).Code);
        var effective = Scopes.Effective([Scopes.ReportsRead, Scopes.CatalogRead], BuiltInRoles.Find(BuiltInRoles.Warehouse)!.Scopes);
        Assert.Equal([Scopes.CatalogRead, Scopes.DocumentsRead, Scopes.FulfilmentWrite, Scopes.InventoryWrite, Scopes.ReportsRead, Scopes.ReturnsWrite], effective);
    }

    [Fact]
    public void Limits_keep_known_channels_in_order_fail_closed_and_take_away_what_reaches_everything()
    {
        var (key, _) = ApiKey.Create("connector", [Scopes.OrdersWrite, Scopes.ReportsRead], DateTimeOffset.UnixEpoch, channels: [" Marketplace", "web", "marketplace"]);
        Assert.Equal(["marketplace", "web"], key.Channels);
        Assert.True(key.Limits.AllowsChannel(OrderChannel.Web));
        Assert.False(key.Limits.AllowsChannel(OrderChannel.Pos));
        Assert.True(DataLimits.None.AllowsChannel(OrderChannel.Pos));
        var unknown = Assert.Throws<DomainException>(() => ApiKey.Create("x", [Scopes.OrdersRead], DateTimeOffset.UnixEpoch, channels: ["web", "kiosk"]));
        Assert.Equal(("access.unknown_channel", "channels[1]"), (unknown.Code, unknown.Field));
        Assert.Throws<DomainException>(() => DataLimits.ValidatedChannels(["1"], "channels"));
        // A limit naming nothing that exists still limits: to nothing.
        var nowhere = new DataLimits([DataLimits.NoNode], [DataLimits.NoChannel]);
        Assert.True(nowhere.Any);
        Assert.Empty(nowhere.OrderChannels);
        Assert.False(nowhere.AllowsNode(Guid.NewGuid()));
        Assert.Equal([Scopes.OrdersWrite], Scopes.Within([Scopes.Admin, Scopes.OrdersWrite, Scopes.ReportsRead, Scopes.WebhooksManage], key.Limits));
        Assert.Equal([Scopes.Admin, Scopes.ReportsRead], Scopes.Within([Scopes.Admin, Scopes.ReportsRead], DataLimits.None));
    }
}
