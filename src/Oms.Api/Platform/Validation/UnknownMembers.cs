using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Oms.Api.Platform.Validation;

/// <summary>
/// Unknown fields in a request body are collected while it is read, instead of failing at the first one, so that a
/// client learns about every unknown field and every invalid one in one answer. Each contract object read from JSON
/// keeps the names it did not know (a side table, nothing on the contracts); <see cref="UnknownMembersFilter"/> and
/// <see cref="RequestValidator"/> report them with the other field errors.
/// </summary>
public static class UnknownMembers
{
    private static readonly ConditionalWeakTable<object, Dictionary<string, JsonElement>> Seen = new();

    /// <summary>Adds the collection to every request contract's JSON contract (types of the API's own namespaces).</summary>
    public static void Collect(JsonTypeInfo typeInfo)
    {
        if (typeInfo.Kind != JsonTypeInfoKind.Object || !IsContract(typeInfo.Type) || typeInfo.Properties.Any(p => p.IsExtensionData))
            return;
        var unknown = typeInfo.CreateJsonPropertyInfo(typeof(Dictionary<string, JsonElement>), "$unknown");
        unknown.IsExtensionData = true;
        unknown.Get = obj => Seen.TryGetValue(obj, out var names) ? names : null;
        unknown.Set = (obj, value) => Seen.AddOrUpdate(obj, (Dictionary<string, JsonElement>)value!);
        unknown.ShouldSerialize = (_, _) => false; // never written out
        typeInfo.Properties.Add(unknown);
    }

    /// <summary>The names in <paramref name="contract"/>'s JSON that it has no property for; empty for most.</summary>
    public static IEnumerable<string> Of(object contract) => Seen.TryGetValue(contract, out var names) ? names.Keys : [];

    /// <summary>Whether anything in the object graph came with an unknown field.</summary>
    public static bool AnyIn(object? value, int depth = 0)
    {
        if (value is null || depth > 8 || value is string) return false;
        if (value is System.Collections.IDictionary) return false;
        if (value is System.Collections.IEnumerable list)
        {
            foreach (var item in list) if (AnyIn(item, depth + 1)) return true;
            return false;
        }
        var type = value.GetType();
        if (!IsContract(type)) return false;
        if (Seen.TryGetValue(value, out var names) && names.Count > 0) return true;
        foreach (var property in Nested.GetOrAdd(type, t => [.. t.GetProperties().Where(p => p.GetIndexParameters().Length == 0
                     && !p.PropertyType.IsValueType && p.PropertyType != typeof(string))]))
            if (AnyIn(property.GetValue(value), depth + 1)) return true;
        return false;
    }

    /// <summary>A request or response contract: a class of the API's own namespaces (services are filtered out where it matters).</summary>
    public static bool IsContract(Type type) => type.IsClass && type.Namespace?.StartsWith("Oms.Api", StringComparison.Ordinal) == true;

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, System.Reflection.PropertyInfo[]> Nested = new();
}

/// <summary>
/// Refuses a request whose body had unknown fields, with every unknown field and every other invalid field of the
/// body in one 400 (the request never reaches its use case).
/// </summary>
public static class UnknownMembersFilter
{
    /// <summary>Looks only at the handler's body parameters (contract types that are not services), found once per endpoint.</summary>
    public static EndpointFilterDelegate Create(EndpointFilterFactoryContext context, EndpointFilterDelegate next)
    {
        var services = context.ApplicationServices.GetRequiredService<Microsoft.Extensions.DependencyInjection.IServiceProviderIsService>();
        var bodies = context.MethodInfo.GetParameters().Select((p, i) => (p.ParameterType, i))
            .Where(x => UnknownMembers.IsContract(x.ParameterType) && !services.IsService(x.ParameterType)).Select(x => x.i).ToArray();
        if (bodies.Length == 0) return next;
        return invocation =>
        {
            foreach (var i in bodies)
                if (invocation.Arguments[i] is { } body && UnknownMembers.AnyIn(body))
                    throw (Exception?)RequestValidator.Problems(body) ?? new InvalidOperationException("Unknown fields without a problem.");
            return next(invocation);
        };
    }
}
