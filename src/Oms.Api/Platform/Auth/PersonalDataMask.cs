using System.Reflection;
using System.Text.Json.Serialization.Metadata;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Common;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// Marks a contract property as a shopper's personal data: masked (<see cref="PersonalData"/>) in every answer of both
/// APIs to a caller without <c>customers:pii</c>. On a string, <paramref name="field"/> says how; on an address or a
/// document party, the whole of it is masked but its place (city, postal code, region, country).
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PersonalAttribute(PersonalField field = PersonalField.Street) : Attribute
{
    public PersonalField Field { get; } = field;
}

/// <summary>A contract that says how it looks masked, when a property holding it is <see cref="PersonalAttribute"/>.</summary>
public interface IMaskable
{
    object Masked();
}

/// <summary>
/// Whether this request's answers mask personal data: set once per request, when the caller is known
/// (<see cref="ApiKeyMiddleware"/>), and read where answers are written: the REST serializer (<see cref="Modifier"/>)
/// and GraphQL's contract fields (<see cref="GraphQL.ContractGraphType{TDto}"/>), both through <see cref="Apply"/>.
/// Public pages (a shopper's tracking page, document link, feedback form) have no caller: the shopper sees their own
/// data. What is stored or sent to webhooks is serialized with options without the modifier (<see cref="Unmasked"/>).
/// </summary>
public static class PersonalDataMask
{
    private static readonly AsyncLocal<bool> MaskedNow = new();

    public static bool Masked => MaskedNow.Value;

    /// <summary>Masks this request's answers unless <paramref name="caller"/> may see personal data.</summary>
    public static void For(Caller? caller) => MaskedNow.Value = caller is not null && !caller.Has(Scopes.CustomersPii);

    public static bool Reveals(Caller? caller) => caller is null || caller.Has(Scopes.CustomersPii);

    /// <summary>A marked property's value as this request may show it.</summary>
    public static object? Apply(PersonalAttribute personal, object? value) => !Masked || value is null ? value : value switch
    {
        string text => PersonalData.Mask(personal.Field, text),
        IMaskable maskable => maskable.Masked(),
        _ => throw new InvalidOperationException($"[Personal] on a {value.GetType().Name}: say how to mask it here."),
    };

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<System.Text.Json.JsonSerializerOptions, object> UnmaskedOptions = [];

    /// <summary>The REST serializer's part: marked properties are read through <see cref="Apply"/> (not with <see cref="Unmasked"/> options).</summary>
    public static void Modifier(JsonTypeInfo type)
    {
        if (type.Kind != JsonTypeInfoKind.Object || UnmaskedOptions.TryGetValue(type.Options, out _)) return;
        foreach (var property in type.Properties)
        {
            if (property.AttributeProvider is not PropertyInfo info || info.GetCustomAttribute<PersonalAttribute>() is not { } personal || property.Get is not { } get) continue;
            property.Get = owner => Apply(personal, get(owner));
        }
    }

    /// <summary><paramref name="answers"/> (the API's JSON options) without masking: for what is stored or sent on (webhook payloads).</summary>
    public static System.Text.Json.JsonSerializerOptions Unmasked(System.Text.Json.JsonSerializerOptions answers)
    {
        var options = new System.Text.Json.JsonSerializerOptions(answers);
        UnmaskedOptions.Add(options, true);
        return options;
    }
}
