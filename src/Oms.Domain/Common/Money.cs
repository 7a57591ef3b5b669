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

    public static string Normalize(string code) =>
        IsValid(code) ? code.ToUpperInvariant()
                      : throw new DomainException("money.invalid_currency", $"'{code}' is not an ISO 4217 currency code.", "currency");
}
