using Oms.Domain.Common;

namespace Oms.Domain.Reports;

/// <summary>
/// How many units of <see cref="Quote"/> one unit of <see cref="Base"/> was worth from <see cref="Date"/> until the
/// next rate of the pair (as central banks publish them: EUR/GBP 0.8563 on 2026-12-04). Reports converted to a
/// reporting currency take each day's amounts at the rate in effect that day.
/// </summary>
public sealed class ExchangeRate
{
    /// <summary>Enough for any published rate (ECB publishes five or six significant digits).</summary>
    public const int MaxDecimals = 10;

    private ExchangeRate() { }

    public static ExchangeRate Create(string @base, string quote, DateOnly date, decimal rate, DateTimeOffset now)
    {
        if (!Currencies.IsValid(@base)) throw new DomainException("exchange_rate.invalid_currency", $"'{@base}' is not an ISO 4217 currency.");
        if (!Currencies.IsValid(quote)) throw new DomainException("exchange_rate.invalid_currency", $"'{quote}' is not an ISO 4217 currency.");
        var b = Currencies.Normalize(@base);
        var q = Currencies.Normalize(quote);
        if (b == q) throw new DomainException("exchange_rate.same_currency", "A rate converts one currency into another.");
        if (rate <= 0 || rate > 1_000_000_000m) throw new DomainException("exchange_rate.invalid_rate", "A rate is greater than 0 and at most 1,000,000,000.");
        if (rate.Scale > MaxDecimals && decimal.Round(rate, MaxDecimals) != rate)
            throw new DomainException("exchange_rate.invalid_rate", $"A rate has at most {MaxDecimals} decimals.");
        return new ExchangeRate { Base = b, Quote = q, Date = date, Rate = rate / 1.000000000000000000000000000m, UpdatedAt = now };
    }

    public string Base { get; private set; } = "";
    public string Quote { get; private set; } = "";
    public DateOnly Date { get; private set; }
    public decimal Rate { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public void Replace(decimal rate, DateTimeOffset now)
    {
        var fresh = Create(Base, Quote, Date, rate, now);
        Rate = fresh.Rate;
        UpdatedAt = now;
    }
}
