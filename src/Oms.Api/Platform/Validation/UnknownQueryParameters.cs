using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Validation;

/// <summary>
/// A query parameter the operation does not take is refused (400, naming it), as an unknown body field is: a typo
/// such as <c>?stauts=pending</c> would otherwise be ignored and answer every order. The operation's parameters are
/// read once per endpoint from its handler's signature (simple-typed parameters that are not route values, and
/// <c>[FromQuery]</c> names).
/// </summary>
public sealed class UnknownQueryParameters(RequestDelegate next)
{
    private static readonly ConcurrentDictionary<Endpoint, HashSet<string>?> Known = new();

    public Task InvokeAsync(HttpContext http)
    {
        // Text the database cannot store is refused wherever it comes in: a query value or a path segment.
        var unstorable = http.Request.Query.SelectMany(q => q.Value.Select(v => (Name: q.Key, Problem: v is null ? null : Http.StorableStringConverter.Problem(v))))
            .Concat(http.Request.RouteValues.Select(r => (Name: r.Key, Problem: r.Value is string v ? Http.StorableStringConverter.Problem(v) : null)))
            .Where(x => x.Problem is not null).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => new[] { g.First().Problem! });
        if (unstorable.Count > 0) return ProblemResponses.WriteAsync(http, ErrorMapping.Classify(new RequestValidationException(unstorable))).AsTask();
        if (http.Request.Query.Count == 0 || http.GetEndpoint() is not RouteEndpoint endpoint
            || Known.GetOrAdd(endpoint, e => QueryParametersOf((RouteEndpoint)e)) is not { } known)
            return next(http);
        var unknown = http.Request.Query.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count == 0) return next(http);
        var accepted = known.Count == 0 ? "This operation takes no query parameters." : "This operation takes: " + string.Join(", ", known.Order(StringComparer.Ordinal)) + ".";
        return ProblemResponses.WriteAsync(http, ErrorMapping.Classify(
            new RequestValidationException(unknown.ToDictionary(k => k, _ => new[] { "Unknown query parameter. " + accepted })))).AsTask();
    }

    /// <summary>Null when the handler reads the request itself (it may take anything).</summary>
    private static HashSet<string>? QueryParametersOf(RouteEndpoint endpoint)
    {
        if (endpoint.Metadata.GetMetadata<MethodInfo>() is not { } handler) return null;
        var routeValues = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var p in handler.GetParameters())
        {
            if (p.ParameterType == typeof(HttpRequest) || p.ParameterType == typeof(HttpContext)) return null;
            if (p.GetCustomAttribute<FromQueryAttribute>() is { } fromQuery) names.Add(fromQuery.Name ?? p.Name!);
            else if (p.GetCustomAttribute<AsParametersAttribute>() is not null)
                foreach (var property in p.ParameterType.GetProperties()) names.Add(property.GetCustomAttribute<FromQueryAttribute>()?.Name ?? property.Name);
            else if (IsSimple(p.ParameterType) && !routeValues.Contains(p.Name!) && p.GetCustomAttributes().All(a => a is not (FromRouteAttribute or FromHeaderAttribute or FromBodyAttribute or FromServicesAttribute)))
                names.Add(p.Name!);
        }
        return names;
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type.IsArray) return IsSimple(type.GetElementType()!);
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
               || type == typeof(DateTimeOffset) || type == typeof(DateTime) || type == typeof(DateOnly) || type == typeof(TimeOnly);
    }
}
