using System.Text.RegularExpressions;

namespace Oms.Domain.Common;

/// <summary>
/// The EU VAT rules an order and its invoice need: what a VAT identifier looks like, and when a sale between
/// businesses in two member states is reverse-charged (the buyer accounts for the VAT; the seller charges none and
/// says so on the invoice, Article 196 of Directive 2006/112/EC).
/// </summary>
public static partial class Vat
{
    /// <summary>The member states by ISO 3166 code (a Greek VAT identifier starts with EL, not GR).</summary>
    private static readonly HashSet<string> EuCountries = new(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU", "LV",
        "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
    };

    public const int MaxIdLength = 16;

    public static bool IsEu(string? country) => country is not null && EuCountries.Contains(country.ToUpperInvariant());

    /// <summary>
    /// A VAT identifier as written on invoices: upper case, without spaces, dots or dashes, starting with its country's
    /// two letters (EL for Greece, XI for Northern Ireland, EU for the OSS scheme) and holding digits; null when it has no such shape.
    /// </summary>
    public static string? NormalizeId(string? id)
    {
        if (string.IsNullOrWhiteSpace(id)) return null;
        var compact = Strip().Replace(id, "").ToUpperInvariant();
        return Shape().IsMatch(compact) && (Countries.IsValid(CountryOf(compact)) || compact[..2] == "EU") && compact.Skip(2).Count(char.IsAsciiDigit) >= 2 ? compact : null;
    }

    /// <summary>The country a VAT identifier belongs to (ISO 3166: EL is GR, XI is GB).</summary>
    public static string CountryOf(string normalizedId) => normalizedId[..2] switch { "EL" => "GR", "XI" => "GB", var c => c };

    /// <summary>
    /// Whether the seller charges no VAT and the buyer accounts for it: a seller registered in one member state sells to
    /// a business (it gave a VAT identifier) established in another, and the goods go to a member state.
    /// </summary>
    public static bool IsReverseCharge(string? sellerCountry, string? buyerVatId, string? buyerCountry) =>
        IsEu(sellerCountry) && NormalizeId(buyerVatId) is { } id && IsEu(CountryOf(id)) && IsEu(buyerCountry)
        && !string.Equals(CountryOf(id), sellerCountry, StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"[\s.\-]")]
    private static partial Regex Strip();

    [GeneratedRegex(@"^[A-Z]{2}[0-9A-Z+*]{2,14}$")]
    private static partial Regex Shape();
}
