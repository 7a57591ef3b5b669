using Oms.Api.Platform.Errors;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Api.Routing;

/// <summary>
/// Reads <c>Routing:*</c>. Channels and node kinds are spelled as the API spells them (<c>marketplace</c>,
/// <c>third_party_logistics</c>). The configuration binder would drop a list value or dictionary key it cannot read
/// without a word, so a misspelt one would quietly lift a restriction: these are read here, and a wrong one stops the
/// start with its key and the allowed values.
/// </summary>
public static class RoutingConfiguration
{
    public static RoutingSettings Read(IConfigurationSection section)
    {
        var settings = section.Get<RoutingSettings>() ?? new RoutingSettings();
        settings.AllowedKindsByChannel = section.GetSection(nameof(RoutingSettings.AllowedKindsByChannel)).GetChildren().ToDictionary(
            channel => Parse<OrderChannel>(channel.Key, channel.Path),
            channel => channel.GetChildren().Select(kind => Parse<NodeKind>(kind.Value, kind.Path)).ToList());
        return settings;
    }

    private static TEnum Parse<TEnum>(string? value, string path) where TEnum : struct, Enum =>
        value is not null && WireEnum.TryParse<TEnum>(value, out var parsed) ? parsed
        : throw new InvalidOperationException($"Configuration {path}: '{value}' is not a {Wire.Snake(typeof(TEnum).Name).Replace('_', ' ')}. {WireEnum.Allowed<TEnum>()}");
}
