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
        o.Converters.Add(new StorableStringConverter());
        // Unknown fields are collected while reading, and reported with the request's other field errors.
        o.TypeInfoResolver = (o.TypeInfoResolver ?? new DefaultJsonTypeInfoResolver()).WithAddedModifier(Validation.UnknownMembers.Collect);
        // Answers mask personal data for callers who may not see it; what is stored or sent on uses PersonalDataMask.Unmasked.
        o.TypeInfoResolver = o.TypeInfoResolver.WithAddedModifier(Auth.PersonalDataMask.Modifier);
    }
}

/// <summary>
/// Every time goes out in one format, UTC with <c>Z</c> (as webhooks and GraphQL write it): <c>2026-11-27T09:30:00.123456Z</c>.
/// Times read in may carry any offset; they are UTC from then on.
/// </summary>
public sealed class UtcTimeConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => reader.GetDateTimeOffset().ToUniversalTime();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime); // a DateTime of kind Utc is written ISO 8601 with Z
}

/// <summary>Text the database cannot store: a NUL character (PostgreSQL refuses U+0000) or a lone UTF-16 surrogate.</summary>
public sealed class UnstorableTextException(string message, bool inKey = false) : JsonException(message)
{
    /// <summary>The text was a key of an object (metadata): the field to name is the object, not the key.</summary>
    public bool InKey { get; } = inKey;
}

/// <summary>
/// Every string read from a request is one the database can store: a NUL character or a broken surrogate pair is
/// refused as a field error (400 naming the field) instead of failing the write later (a 500 after a half-done batch).
/// </summary>
public sealed class StorableStringConverter : JsonConverter<string>
{
    public override bool HandleNull => false;

    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Check(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);

    public override string ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetString()! is var key && Problem(key) is { } problem ? throw new UnstorableTextException("A key: " + problem, inKey: true) : key;

    public override void WriteAsPropertyName(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WritePropertyName(value);

    public static string Check(string text) => Problem(text) is { } problem ? throw new UnstorableTextException(problem) : text;

    /// <summary>Why <paramref name="text"/> cannot be stored, or null when it can.</summary>
    public static string? Problem(string text)
    {
        var span = text.AsSpan();
        if (span.Contains('\0')) return "The text contains a NUL character (U+0000), which cannot be stored.";
        if (span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0) return null;
        for (var i = 0; i < span.Length; i++)
        {
            if (char.IsHighSurrogate(span[i]) && i + 1 < span.Length && char.IsLowSurrogate(span[i + 1])) i++;
            else if (char.IsSurrogate(span[i])) return "The text contains half of a UTF-16 surrogate pair, which is not a character and cannot be stored.";
        }
        return null;
    }
}

