using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Oms.Infrastructure.Persistence.Configurations;

/// <summary>A value kept as one JSON text column, the same on both providers (for write-once records such as routing explanations).</summary>
internal static class JsonColumn<T> where T : class
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

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
