using System.Collections;
using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Reflection;
using System.Text.Json;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Validation;

/// <summary>
/// Checks a request contract's data annotations, walking nested objects and lists, and names every failing field
/// by its JSON path (<c>lines[1].quantity</c>). The feature services call it, so REST and GraphQL validate alike.
/// </summary>
public static class RequestValidator
{
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name, ValidationAttribute[] Rules)[]> Plans = new();

    public static void ThrowIfInvalid(object request)
    {
        if (Problems(request) is { } problems) throw problems;
    }

    /// <summary>Every invalid and every unknown field of <paramref name="request"/>, or null when there is none.</summary>
    public static RequestValidationException? Problems(object request)
    {
        var errors = new Dictionary<string, List<string>>();
        Walk(request, "", errors, depth: 0);
        return errors.Count > 0 ? new RequestValidationException(errors.ToDictionary(e => e.Key, e => e.Value.ToArray())) : null;
    }

    private static void Walk(object obj, string prefix, Dictionary<string, List<string>> errors, int depth)
    {
        if (depth > 8) return;
        var nullItems = false;
        foreach (var unknown in UnknownMembers.Of(obj)) Add(errors, prefix + unknown, "Unknown field: it is not part of this request.");
        foreach (var (property, name, rules) in PlanFor(obj.GetType()))
        {
            var value = property.GetValue(obj);
            var path = prefix + name;
            foreach (var rule in rules)
            {
                if (!IsValid(rule, value))
                    Add(errors, path, rule.FormatErrorMessage(name));
            }
            switch (value)
            {
                case null or string or IDictionary: break;
                case IEnumerable list:
                    var i = 0;
                    foreach (var item in list)
                    {
                        // No list of a contract holds nulls: "lines": [null] is a field error, not a crash later.
                        if (item is null)
                        {
                            Add(errors, $"{path}[{i}]", "An item of this list cannot be null.");
                            nullItems = true;
                        }
                        else if (IsContract(item.GetType())) Walk(item, $"{path}[{i}].", errors, depth + 1);
                        i++;
                    }
                    break;
                default:
                    if (IsContract(value.GetType())) Walk(value, path + ".", errors, depth + 1);
                    break;
            }
        }
        if (obj is IValidatableObject validatable && !nullItems) // its rules read the items
        {
            foreach (var result in validatable.Validate(new ValidationContext(obj)))
                foreach (var member in result.MemberNames.DefaultIfEmpty(""))
                    Add(errors, prefix + JsonNamingPolicy.CamelCase.ConvertName(member), result.ErrorMessage ?? "Invalid.");
        }
    }

    /// <summary>A rule that cannot even read the value (an int range given a long past int) finds it invalid.</summary>
    private static bool IsValid(ValidationAttribute rule, object? value)
    {
        try
        {
            return rule.IsValid(value);
        }
        catch (Exception e) when (e is OverflowException or InvalidCastException or FormatException or ArgumentException)
        {
            return false;
        }
    }

    private static void Add(Dictionary<string, List<string>> errors, string path, string message)
    {
        var key = path.TrimEnd('.');
        if (!errors.TryGetValue(key, out var list)) errors[key] = list = [];
        list.Add(message);
    }

    private static bool IsContract(Type t) => UnknownMembers.IsContract(t);

    private static (PropertyInfo, string, ValidationAttribute[])[] PlanFor(Type type) => Plans.GetOrAdd(type, t =>
        t.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetIndexParameters().Length == 0)
            .Select(p => (p, JsonNamingPolicy.CamelCase.ConvertName(p.Name), p.GetCustomAttributes<ValidationAttribute>(true).ToArray()))
            .ToArray());
}

/// <summary>String key/values as Stripe allows them: at most 50 keys of up to 40 characters, values up to 500.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MetadataLimitsAttribute : ValidationAttribute
{
    public MetadataLimitsAttribute() : base("The {0} field allows at most 50 keys of 1-40 characters and values of up to 500 characters.") { }

    public override bool IsValid(object? value) =>
        value is not IReadOnlyDictionary<string, string> d
        || (d.Count <= 50 && d.All(kv => kv.Key.Length is > 0 and <= 40 && kv.Value is { Length: <= 500 }));
}

/// <summary>An ISO 4217 currency code.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CurrencyCodeAttribute() : ValidationAttribute("The {0} field must be an ISO 4217 currency code such as EUR or USD.")
{
    public override bool IsValid(object? value) => value is null || Oms.Domain.Common.Currencies.IsValid(value as string);
}

/// <summary>An ISO 3166-1 alpha-2 country code.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class CountryCodeAttribute() : ValidationAttribute("The {0} field must be an ISO 3166-1 alpha-2 country code such as DE or US.")
{
    public override bool IsValid(object? value) => value is null || Oms.Domain.Common.Countries.IsValid(value as string);
}

/// <summary>A VAT identifier: two letters of its country, then 2-14 letters or digits (spaces, dots and dashes are ignored).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class VatIdAttribute() : ValidationAttribute("The {0} field must be a VAT identifier such as BE0123456749 or DE123456789.")
{
    public override bool IsValid(object? value) => value is null || Oms.Domain.Common.Vat.NormalizeId(value as string) is not null;
}

/// <summary>An IPv4 or IPv6 address.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IpAddressAttribute() : ValidationAttribute("The {0} field must be an IPv4 or IPv6 address.")
{
    public override bool IsValid(object? value) => value is null || System.Net.IPAddress.TryParse(value as string, out _);
}
