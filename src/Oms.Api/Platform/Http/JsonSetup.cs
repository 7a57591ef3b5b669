using System.Text.Json;
using System.Text.Json.Serialization;

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
    }
}
