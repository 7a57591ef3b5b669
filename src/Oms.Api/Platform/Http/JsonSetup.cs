using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Oms.Api.Platform.Http;

public static class JsonSetup
{
    /// <summary>
    /// Strict in, predictable out: unknown fields, missing required fields and nulls for non-nullable fields are
    /// rejected with the field named; enums travel as snake_case strings.
    /// </summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow;
        o.RespectNullableAnnotations = true;
        o.RespectRequiredConstructorParameters = true;
        o.NumberHandling = JsonNumberHandling.Strict;
        o.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower, allowIntegerValues: false));
        o.Converters.Add(new UtcTimeConverter());
        // Unknown fields are collected while reading, and reported with the request's other field errors.
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Validation.UnknownMembers.Collect);
    }
}

/// <summary>
/// Every time goes out in one format, UTC with <c>Z</c> (as webhooks and GraphQL write it): <c>2026-11-27T09:30:00.123456Z</c>.
/// Times read in may carry any offset; they are UTC from then on.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime); // a DateTime of kind Utc is written ISO 8601 with Z
}
