using Oms.Domain.Documents;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Documents;

/// <summary>
/// Draws invoice and credit note numbers: per series and year, one after the other, without gaps. The draw adds to the
/// series' counter row in the caller's transaction, which holds the row until it commits or rolls back: numbers drawn
/// by a transaction that fails are drawn again by the next one, and two transactions (in two processes too) never hold
/// the same number. Issuers therefore draw late and commit soon.
/// </summary>
public static class DocumentNumbers
{
    /// <summary>The next <paramref name="count"/> numbers of <paramref name="series"/> in <paramref name="year"/>, in order.</summary>
    public static async Task<IReadOnlyList<DocumentNumber>> DrawAsync(OmsDbContext db, string series, int year, int count, CancellationToken ct)
    {
        if (count <= 0) return [];
        await using var command = db.RawCommand(
            "INSERT INTO document_counters (series, year, last) VALUES (@series, @year, @count) " +
            "ON CONFLICT (series, year) DO UPDATE SET last = document_counters.last + excluded.last RETURNING last",
            ("series", series), ("year", year), ("count", (long)count));
        var last = Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture);
        return [.. Enumerable.Range(0, count).Select(i => new DocumentNumber(series, year, last - count + 1 + i))];
    }
}
