using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Oms.Infrastructure.Persistence.Configurations;

/// <summary>A value kept as one JSON text column, the same on both providers (for write-once records such as routing explanations).</summary>
internal static class JsonColumn<T> where T : class
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { DomainObjects.Materialize } },
    };

    public static readonly ValueConverter<T, string> Converter = new(
        v => JsonSerializer.Serialize(v, Options),
        v => JsonSerializer.Deserialize<T>(v, Options)!);

    /// <summary>For values that change in place (a list that grows): compared and snapshotted through their JSON.</summary>
    public static readonly ValueComparer<T> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(),
        v => JsonSerializer.Deserialize<T>(JsonSerializer.Serialize(v, Options), Options)!);

    /// <summary>
    /// For write-once values, never changed in place: comparing references is enough and a snapshot needs no deep
    /// copy (a JSON round trip per tracked routing decision showed up in the checkout profile).
    /// </summary>
    public static readonly ValueComparer<T> WriteOnceComparer = new(
        (a, b) => ReferenceEquals(a, b),
        v => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v),
        v => v);
}

/// <summary>
/// Lets System.Text.Json rebuild the domain's own value objects (a line of an allocation), which keep their constructors
/// and setters private so that only the aggregate changes them: the column is the aggregate's state, read back as EF
/// reads a row into private setters.
/// </summary>
internal static class DomainObjects
{
    public static void Materialize(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type.Assembly != typeof(Oms.Domain.Common.Money).Assembly) return;
        if (info.Type.GetConstructors().Length > 0) return; // records and classes with a public constructor: as System.Text.Json does
        var constructor = info.Type.GetConstructor(BindingFlags.Instance | BindingFlags.NonPublic, Type.EmptyTypes)
                          ?? throw new InvalidOperationException($"{info.Type} has no parameterless constructor to read it back with.");
        info.CreateObject = () => constructor.Invoke(null);
        foreach (var property in info.Properties)
            if (property.Set is null && property.AttributeProvider is PropertyInfo { SetMethod: { } setter })
                property.Set = (target, value) => setter.Invoke(target, [value]);
    }
}
