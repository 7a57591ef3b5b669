using System.Text.Json;

namespace Oms.Api.Platform.Errors;

/// <summary>How names look on the wire: enum values in snake_case, as the JSON converter writes them.</summary>
public static class Wire
{
    public static string Snake(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary>The wire name of an enum value: its <c>JsonStringEnumMemberName</c> if it has one, else snake_case.</summary>
    public static string Snake<TEnum>(TEnum value) where TEnum : struct, Enum =>
        typeof(TEnum).GetField(value.ToString())?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? Snake(value.ToString());
}

public static class WireEnum
{
    public static string Name(Enum value) =>
        value.GetType().GetField(value.ToString())?.GetCustomAttributes(typeof(System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute), false)
            .Cast<System.Text.Json.Serialization.JsonStringEnumMemberNameAttribute>().FirstOrDefault()?.Name ?? Wire.Snake(value.ToString());

    /// <summary>Parses a snake_case enum value from a query string, naming the parameter when it is not one.</summary>
    public static TEnum? Parse<TEnum>(string? value, string field) where TEnum : struct, Enum
    {
        if (string.IsNullOrEmpty(value)) return null;
        return TryParse<TEnum>(value, out var parsed) ? parsed : throw RequestValidationException.For(field, Allowed<TEnum>());
    }

    /// <summary>An enum value by its wire name (case-insensitive), the one spelling REST, GraphQL's values and configuration share.</summary>
    public static bool TryParse<TEnum>(string value, out TEnum parsed) where TEnum : struct, Enum
    {
        foreach (var candidate in Enum.GetValues<TEnum>())
            if (string.Equals(Wire.Snake(candidate), value.Trim(), StringComparison.OrdinalIgnoreCase)) { parsed = candidate; return true; }
        parsed = default;
        return false;
    }

    public static string Allowed<TEnum>() where TEnum : struct, Enum =>
        "Allowed values: " + string.Join(", ", Enum.GetValues<TEnum>().Select(Wire.Snake)) + ".";
}
