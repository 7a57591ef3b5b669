using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Api.Platform.Http;

public static class MoneyLimits
{
    /// <summary>The largest amount a request may carry: 10^12 minor units, far beyond any order and safe in every JSON parser.</summary>
    public const string Max = "1000000000000";
}

/// <summary>An exact amount of money: an integer in the currency's minor units (cents for EUR/USD, yen for JPY), as Stripe counts.</summary>
public sealed record MoneyDto
{
    /// <summary>Amount in minor units, e.g. 1999 for 19.99 EUR.</summary>
    [Range(typeof(long), "0", "999999999999999")] // Money.MaxAmount
    public required long Amount { get; init; }

    /// <summary>ISO 4217 currency code, upper case.</summary>
    [Required, CurrencyCode]
    public required string Currency { get; init; }

    public static MoneyDto From(long amount, string currency) => new() { Amount = amount, Currency = currency };

    public static MoneyDto From(Money m) => From(m.Amount, m.Currency);
}

/// <summary>A postal address.</summary>
public sealed record AddressDto : Auth.IMaskable
{
    /// <summary>The address as a caller without customers:pii sees a shopper's (<see cref="Oms.Domain.Common.PersonalData"/>): the place, not the person or the door.</summary>
    public object Masked() => From(Oms.Domain.Common.PersonalData.Mask(ToDomain()))!;

    /// <summary>Recipient's name.</summary>
    [Required, StringLength(200)]
    public required string Name { get; init; }

    [StringLength(200)]
    public string? Company { get; init; }

    [Required, StringLength(300)]
    public required string Line1 { get; init; }

    [StringLength(300)]
    public string? Line2 { get; init; }

    [Required, StringLength(200)]
    public required string City { get; init; }

    /// <summary>State, province or county.</summary>
    [StringLength(200)]
    public string? Region { get; init; }

    [StringLength(20)]
    public string? PostalCode { get; init; }

    /// <summary>ISO 3166-1 alpha-2 country code, e.g. DE.</summary>
    [Required, CountryCode]
    public required string Country { get; init; }

    [StringLength(50)]
    public string? Phone { get; init; }

    /// <summary>Decimal degrees, WGS 84; give both coordinates or neither.</summary>
    [Range(-90.0, 90.0)]
    public double? Latitude { get; init; }

    /// <summary>Decimal degrees, WGS 84.</summary>
    [Range(-180.0, 180.0)]
    public double? Longitude { get; init; }

    public Address ToDomain()
    {
        if (Latitude.HasValue != Longitude.HasValue)
            throw new DomainException("address.incomplete_coordinates", "Give both latitude and longitude, or neither.", Latitude.HasValue ? "longitude" : "latitude");
        return new(Name.Trim(), Company, Line1, Line2, City, Region, PostalCode, Country.ToUpperInvariant(), Phone, Latitude, Longitude);
    }

    public static AddressDto? From(Address? a) => a is null ? null : new()
    {
        Name = a.Name, Company = a.Company, Line1 = a.Line1, Line2 = a.Line2, City = a.City, Region = a.Region,
        PostalCode = a.PostalCode, Country = a.Country, Phone = a.Phone, Latitude = a.Latitude, Longitude = a.Longitude,
    };
}

/// <summary>How the goods reach the customer.</summary>
public sealed record DeliveryDto
{
    /// <summary>ship, or pickup at a location.</summary>
    public required DeliveryType Type { get; init; }

    /// <summary>For pickup: the code of the store or node the customer collects from.</summary>
    [StringLength(64)]
    public string? PickupLocation { get; init; }
}

/// <summary>One line of a new or edited order.</summary>
public sealed record OrderLineRequest
{
    /// <summary>SKU of an active catalog product.</summary>
    [Required, StringLength(64)]
    public required string Sku { get; init; }

    [Range(1, Order.MaxQuantity)]
    public required int Quantity { get; init; }

    /// <summary>Price per unit in minor units of the order's currency; defaults to the catalog price.</summary>
    [Range(typeof(long), "0", MoneyLimits.Max)]
    public long? UnitPrice { get; init; }
}
