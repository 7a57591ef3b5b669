using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Oms.Api.Platform.Errors;

/// <summary>
/// Why a request body did not bind, told from the body and the contract rather than from System.Text.Json's message
/// (English text that may change between releases). The serializer says where it stopped (its <c>Path</c>); this walks
/// the body (kept by <see cref="BodyBuffering"/>) and the contract's JSON metadata to that place and names the field
/// and the reason: required fields left out, a null where none is allowed, an enum value it does not know, a value of
/// the wrong type, or text that is not JSON.
/// </summary>
public static class JsonProblems
{
    public const string Required = "This field is required.";
    public const string NotNull = "This field cannot be null.";
    public const string WrongType = "The value has the wrong type.";
    public const string Unknown = "This field is not part of the contract.";
    public const string NotJson = "The body is not valid JSON.";

    /// <summary>The problem with the request's JSON body, or null when the endpoint takes no JSON contract or the body is gone.</summary>
    public static async Task<ErrorInfo?> ExplainAsync(HttpContext http, JsonException exception, CancellationToken ct)
    {
        if (exception is Http.UnstorableTextException) return null; // our own refusal, which names its field already
        // The exception handler has cleared the request's endpoint by now; its feature keeps the one that failed.
        var endpoint = http.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint();
        if (endpoint?.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } contract || !http.Request.Body.CanSeek) return null;
        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        http.Request.Body.Position = 0;
        JsonDocument body;
        try
        {
            body = await JsonDocument.ParseAsync(http.Request.Body, default, ct);
        }
        catch (JsonException)
        {
            return Field("body", NotJson);
        }
        using (body)
            return Explain(body.RootElement, options.GetTypeInfo(contract), ErrorMapping.ToFieldPath(exception.Path), options);
    }

    /// <summary>Walks <paramref name="path"/> (<c>lines[0].quantity</c>) through the body and the contract, and says what is wrong there.</summary>
    internal static ErrorInfo Explain(JsonElement root, JsonTypeInfo contract, string path, JsonSerializerOptions options)
    {
        JsonElement? value = root;
        var type = contract;
        JsonPropertyInfo? property = null;
        foreach (var segment in Segments(path))
        {
            if (segment.Index is { } index)
            {
                if (type.ElementType is null) return Field(path, WrongType);
                value = value is { ValueKind: JsonValueKind.Array } array && index < array.GetArrayLength() ? array[index] : null;
                type = options.GetTypeInfo(type.ElementType);
                property = null;
                continue;
            }
            var name = segment.Name!;
            if (type.Kind == JsonTypeInfoKind.Dictionary && type.ElementType is { } values)
            {
                value = value is { ValueKind: JsonValueKind.Object } map && map.TryGetProperty(name, out var entry) ? entry : null;
                type = options.GetTypeInfo(values);
                property = null;
                continue;
            }
            property = type.Properties.FirstOrDefault(p => !p.IsExtensionData && p.Name == name);
            if (property is null) return Field(path, Unknown);
            value = value is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(name, out var member) ? member : null;
            type = options.GetTypeInfo(property.PropertyType);
        }

        // The serializer stops at an object that lacks required fields: name every one of them.
        if (value is { ValueKind: JsonValueKind.Object } target && type.Kind == JsonTypeInfoKind.Object)
        {
            var missing = type.Properties.Where(p => p.IsRequired && !target.TryGetProperty(p.Name, out _)).Select(p => Join(path, p.Name)).ToList();
            if (missing.Count > 0)
                return new ErrorInfo(400, ErrorMapping.ValidationFailed, "Required fields are missing.", missing.ToDictionary(n => n, _ => new[] { Required }));
        }
        var clr = Nullable.GetUnderlyingType(type.Type) ?? type.Type;
        if (value is { ValueKind: JsonValueKind.Null } && !(Nullable.GetUnderlyingType(type.Type) is not null || property?.IsSetNullable == true))
            return Field(path, NotNull);
        if (clr.IsEnum)
            return Field(path, "Allowed values: " + string.Join(", ", Enum.GetValues(clr).Cast<Enum>().Select(WireEnum.Name)) + ".");
        return Field(path, WrongType);
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    /// <summary>A 400 naming one field (the body as a whole when the path is empty) and what is wrong with it.</summary>
    internal static ErrorInfo Field(string field, string text)
    {
        if (field.Length == 0) field = "body";
        return new(400, ErrorMapping.ValidationFailed, $"{field}: {text}", new Dictionary<string, string[]> { [field] = [text] });
    }

    private readonly record struct Segment(string? Name, int? Index);

    /// <summary><c>lines[0].quantity</c> and <c>metadata['a.b']</c>, as the serializer writes paths.</summary>
    private static IEnumerable<Segment> Segments(string path)
    {
        var i = 0;
        while (i < path.Length)
        {
            if (path[i] == '.') { i++; continue; }
            if (path[i] == '[')
            {
                var end = path.IndexOf(']', i);
                if (end < 0) yield break;
                var inner = path[(i + 1)..end];
                if (inner.StartsWith('\'')) yield return new Segment(inner.Trim('\''), null);
                else if (int.TryParse(inner, out var index)) yield return new Segment(null, index);
                i = end + 1;
                continue;
            }
            var stop = path.IndexOfAny(['.', '['], i);
            if (stop < 0) stop = path.Length;
            yield return new Segment(path[i..stop], null);
            i = stop;
        }
    }
}

/// <summary>Keeps a JSON request body readable again, so that a body that does not bind can be explained (<see cref="JsonProblems"/>).</summary>
public sealed class BodyBuffering(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext http)
    {
        if (http.Request.HasJsonContentType()) http.Request.EnableBuffering();
        return next(http);
    }
}
