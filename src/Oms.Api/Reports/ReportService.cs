using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Reports;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Reports;

/// <summary>Writes of the reports: the exchange rates reports convert with.</summary>
public sealed class ReportService(OmsDbContext db, TimeProvider clock)
{
    /// <summary>Sets rates (each replaces the pair's rate of that day, if any), all in one transaction.</summary>
    public async Task<IReadOnlyList<ExchangeRateDto>> SetRatesAsync(SetExchangeRatesRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        for (var i = 0; i < request.Rates.Count; i++) RequestValidator.ThrowIfInvalid(request.Rates[i]);
        var now = clock.GetUtcNow();
        var set = new Dictionary<(string, string, DateOnly), ExchangeRate>();
        for (var i = 0; i < request.Rates.Count; i++)
        {
            var r = request.Rates[i];
            ExchangeRate rate;
            try
            {
                rate = ExchangeRate.Create(r.Base, r.Quote, r.Date, r.Rate, now);
            }
            catch (Oms.Domain.Common.DomainException e)
            {
                throw new Oms.Domain.Common.DomainException(e.Code, e.Message, $"rates[{i}]");
            }
            if (!set.TryAdd((rate.Base, rate.Quote, rate.Date), rate))
                throw new Oms.Domain.Common.DomainException("exchange_rate.duplicate", "The request sets this pair and day twice.", $"rates[{i}]");
        }
        var bases = set.Keys.Select(k => k.Item1).Distinct().ToList();
        var days = set.Keys.Select(k => k.Item3).Distinct().ToList();
        var existing = (await db.ExchangeRates.Where(r => bases.Contains(r.Base) && days.Contains(r.Date)).ToListAsync(ct))
            .ToDictionary(r => (r.Base, r.Quote, r.Date));
        var saved = new List<ExchangeRate>();
        foreach (var (key, rate) in set)
        {
            if (existing.TryGetValue(key, out var known)) { known.Replace(rate.Rate, now); saved.Add(known); }
            else { db.ExchangeRates.Add(rate); saved.Add(rate); }
        }
        await db.SaveChangesAsync(ct);
        return saved.Select(ExchangeRateQueries.ToDto).ToList();
    }

    public async Task DeleteRateAsync(string @base, string quote, DateOnly date, CancellationToken ct)
    {
        var b = @base.ToUpperInvariant();
        var q = quote.ToUpperInvariant();
        if (await db.ExchangeRates.Where(r => r.Base == b && r.Quote == q && r.Date == date).ExecuteDeleteAsync(ct) == 0)
            throw new Oms.Domain.Common.NotFoundException("exchange_rate", $"{b}/{q} {date:yyyy-MM-dd}");
    }
}

/// <summary>Reads of the exchange rates.</summary>
public sealed class ExchangeRateQueries(ReportDatabase reports)
{
    private readonly OmsDbContext db = reports.Db;

    public static ExchangeRateDto ToDto(ExchangeRate r) => new()
    {
        Base = r.Base, Quote = r.Quote, Date = r.Date, Rate = r.Rate / 1.000000000000000000000000000m, UpdatedAt = r.UpdatedAt,
    };

    /// <summary>Rates by pair and day (base, quote, then oldest day first), optionally of one base or quote.</summary>
    public async Task<Page<ExchangeRateDto>> ListAsync(string? @base, string? quote, PageRequest page, CancellationToken ct)
    {
        var q = db.ExchangeRates.AsNoTracking();
        if (!string.IsNullOrEmpty(@base)) { var b = @base.ToUpperInvariant(); q = q.Where(r => r.Base == b); }
        if (!string.IsNullOrEmpty(quote)) { var k = quote.ToUpperInvariant(); q = q.Where(r => r.Quote == k); }
        if (page.AfterPosition is { } after)
        {
            var parts = after.Split('|');
            if (parts.Length != 3 || !DateOnly.TryParseExact(parts[2], "yyyy-MM-dd", out var day))
                throw Platform.Errors.RequestValidationException.For(page.AfterField, "The cursor is not one this API handed out.");
            var (pb, pq) = (parts[0], parts[1]);
            q = q.Where(r => string.Compare(r.Base, pb) > 0 || (r.Base == pb && (string.Compare(r.Quote, pq) > 0 || (r.Quote == pq && r.Date > day))));
        }
        var rows = await q.OrderBy(r => r.Base).ThenBy(r => r.Quote).ThenBy(r => r.Date).Take(page.Take + 1).ToListAsync(ct);
        var more = rows.Count > page.Take;
        var data = rows.Take(page.Take).Select(ToDto).ToList();
        return new Page<ExchangeRateDto>(data, more, more ? Cursor.Encode($"{data[^1].Base}|{data[^1].Quote}|{data[^1].Date:yyyy-MM-dd}") : null);
    }
}
