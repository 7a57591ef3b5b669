using System.Globalization;
using CsvHelper;
using Oms.Domain.Common;

namespace Oms.Api.Platform.Http;

/// <summary>Marks an endpoint that answers <c>text/csv</c> when asked (the OpenAPI document says so).</summary>
public sealed class CsvExport;

/// <summary>CSV answers (RFC 4180, UTF-8, a header row), for a client that sends <c>Accept: text/csv</c>.</summary>
public static class Csv
{
    public const string MediaType = "text/csv";

    /// <summary>Whether the client prefers CSV: it accepts text/csv, and JSON (if it names it) no more than that.</summary>
    public static bool Wanted(HttpContext http)
    {
        var accept = http.Request.GetTypedHeaders().Accept;
        double Quality(string type) => accept.Where(a => a.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(-1).Max();
        var csv = Quality(MediaType);
        return csv > 0 && csv >= Quality("application/json");
    }

    public static IResult Of(string name, (string[] Header, IEnumerable<object?[]> Rows) table)
    {
        using var text = new StringWriter(CultureInfo.InvariantCulture);
        // RFC 4180 (CRLF, quoted when needed); text that a spreadsheet would run as a formula (a name starting with =) is escaped.
        using (var csv = CsvWriter.Create(text, new CsvWriterOptions { Injection = CsvInjection.Escape }, true))
        {
            csv.WriteRecord(table.Header);
            foreach (var row in table.Rows)
            {
                foreach (var cell in row)
                {
                    switch (cell)
                    {
                        case null: csv.WriteField((string?)null); break;
                        case long n: csv.WriteField(n, default); break;
                        case int n: csv.WriteField(n, default); break;
                        case decimal d: csv.WriteField(d, default); break;
                        case Amount a: csv.WriteField(a.Value, a.Format); break;
                        default: csv.WriteField(Convert.ToString(cell, CultureInfo.InvariantCulture)); break;
                    }
                }
                csv.EndRecord();
            }
        }
        return new Attachment(Results.Text(text.ToString(), "text/csv; charset=utf-8", System.Text.Encoding.UTF8), $"{name}.csv");
    }

    /// <summary>Names the file a browser saves.</summary>
    private sealed class Attachment(IResult inner, string fileName) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"{fileName}\"";
            return inner.ExecuteAsync(http);
        }
    }

    /// <summary>An amount in major units with the currency's decimals (12.34 for 1234 EUR cents): exact, and what a spreadsheet reads.</summary>
    public static Amount AmountOf(MoneyDto money) => new(Currencies.ToMajor(money.Amount, money.Currency), "F" + Currencies.MinorUnits(money.Currency).ToString(CultureInfo.InvariantCulture));

    public sealed record Amount(decimal Value, string Format);
}
