using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Oms.Domain.Customers;

namespace Oms.Infrastructure.Persistence.Configurations;

/// <summary>
/// A customer's value per currency as one JSON object keyed by currency, <c>{"EUR":{"amount":2500,"orders":1}}</c>:
/// the checkout's fast path adds to one currency in SQL (jsonb on PostgreSQL), and a list filters and sorts by
/// <see cref="AmountIn"/> one currency.
/// </summary>
public static class CustomerValueJson
{
    public static readonly ValueConverter<IReadOnlyList<CurrencyValue>, string> Converter = new(v => Write(v), v => Read(v));

    /// <summary>The amount in <paramref name="currency"/> (0 without one), in a query: each provider translates it (PostgresOmsDbContext, SqliteOmsDbContext).</summary>
    public static long AmountIn(IReadOnlyList<CurrencyValue> value, string currency) =>
        throw new InvalidOperationException("Only for queries: the database works it out.");

    public static string Write(IReadOnlyList<CurrencyValue> values)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            foreach (var v in values)
            {
                json.WriteStartObject(v.Currency);
                json.WriteNumber("amount", v.Amount);
                json.WriteNumber("orders", v.Orders);
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.GetBuffer(), 0, (int)stream.Length);
    }

    public static IReadOnlyList<CurrencyValue> Read(string text)
    {
        using var doc = JsonDocument.Parse(text);
        return [.. doc.RootElement.EnumerateObject().Select(p => new CurrencyValue(p.Name, p.Value.GetProperty("amount").GetInt64(), p.Value.GetProperty("orders").GetInt32()))
            .OrderBy(v => v.Currency, StringComparer.Ordinal)];
    }
}
