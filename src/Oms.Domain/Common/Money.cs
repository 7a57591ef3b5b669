namespace Oms.Domain.Common;

/// <summary>An exact amount in the currency's minor units (cents, pence, yen), as Stripe counts money.</summary>
public readonly record struct Money
{
    public Money(long amount, string currency)
    {
        Amount = amount;
        Currency = Currencies.Normalize(currency);
    }

    public long Amount { get; }
    public string Currency { get; }

    /// <summary>
    /// The largest amount a request may name (10^15 − 1 minor units: ten trillion euros). Prices below it times any
    /// accepted quantity still fit a line; sums past a long are refused as too large, never wrapped.
    /// </summary>
    public const long MaxAmount = 999_999_999_999_999;

    public static Money Zero(string currency) => new(0, currency);

    public Money Add(Money other)
    {
        EnsureSameCurrency(other);
        return new Money(checked(Amount + other.Amount), Currency);
    }

    public Money Multiply(int quantity) => new(checked(Amount * quantity), Currency);

    /// <summary>Applies a rate given in basis points (1900 = 19 %), rounding half away from zero to a whole minor unit.</summary>
    public Money ApplyRate(int basisPoints) =>
        new((long)Math.Round(Amount * (decimal)basisPoints / 10_000m, MidpointRounding.AwayFromZero), Currency);

    private void EnsureSameCurrency(Money other)
    {
        if (other.Currency != Currency)
            throw new DomainException("money.currency_mismatch", $"Cannot combine {Currency} with {other.Currency}.");
    }

    public override string ToString() => $"{Amount} {Currency}";
}

/// <summary>ISO 4217 currency codes in circulation.</summary>
public static class Currencies
{
    private static readonly HashSet<string> Codes = new(StringComparer.Ordinal)
    {
        "AED","AFN","ALL","AMD","ANG","AOA","ARS","AUD","AWG","AZN","BAM","BBD","BDT","BGN","BHD","BIF","BMD","BND","BOB",
        "BRL","BSD","BTN","BWP","BYN","BZD","CAD","CDF","CHF","CLP","CNY","COP","CRC","CUP","CVE","CZK","DJF","DKK","DOP",
        "DZD","EGP","ERN","ETB","EUR","FJD","FKP","GBP","GEL","GHS","GIP","GMD","GNF","GTQ","GYD","HKD","HNL","HTG","HUF",
        "IDR","ILS","INR","IQD","IRR","ISK","JMD","JOD","JPY","KES","KGS","KHR","KMF","KPW","KRW","KWD","KYD","KZT","LAK",
        "LBP","LKR","LRD","LSL","LYD","MAD","MDL","MGA","MKD","MMK","MNT","MOP","MRU","MUR","MVR","MWK","MXN","MYR","MZN",
        "NAD","NGN","NIO","NOK","NPR","NZD","OMR","PAB","PEN","PGK","PHP","PKR","PLN","PYG","QAR","RON","RSD","RUB","RWF",
        "SAR","SBD","SCR","SDG","SEK","SGD","SHP","SLE","SOS","SRD","SSP","STN","SVC","SYP","SZL","THB","TJS","TMT","TND",
        "TOP","TRY","TTD","TWD","TZS","UAH","UGX","USD","UYU","UZS","VES","VND","VUV","WST","XAF","XCD","XCG","XOF","XPF",
        "YER","ZAR","ZMW","ZWG",
    };

    public static bool IsValid(string? code) => code is not null && Codes.Contains(code.ToUpperInvariant());

    // ISO 4217's minor-unit exponents other than two (the rest of the list has cents).
    private static readonly Dictionary<string, int> Exponents = new(StringComparer.Ordinal)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0, ["PYG"] = 0,
        ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
    };

    /// <summary>How many decimals the currency's minor unit has (2 for EUR, 0 for JPY, 3 for KWD).</summary>
    public static int MinorUnits(string code) => Exponents.TryGetValue(code.ToUpperInvariant(), out var e) ? e : 2;

    /// <summary>An amount in minor units as a decimal of major units (1999 EUR is 19.99), exactly.</summary>
    public static decimal ToMajor(long amount, string code) => amount / Pow10(MinorUnits(code));

    /// <summary>An amount in minor units written with the currency's decimals and a dot (1999 EUR is "19.99"), as UBL and CSV want it.</summary>
    public static string Format(long amount, string code)
    {
        var digits = MinorUnits(code);
        return ToMajor(amount, code).ToString("F" + digits, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static decimal Pow10(int digits) => digits switch { 0 => 1m, 3 => 1000m, _ => 100m };

    public static string Normalize(string code) =>
        IsValid(code) ? code.ToUpperInvariant()
                      : throw new DomainException("money.invalid_currency", $"'{code}' is not an ISO 4217 currency code.", "currency");
}
