using System.Buffers.Text;
using System.Text;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Http;

/// <summary>A page of a list. <see cref="Next"/> is the opaque cursor for the following page, null on the last one.</summary>
/// <param name="Data">The items, in the list's stable order.</param>
/// <param name="HasMore">Whether another page follows.</param>
/// <param name="Next">Pass as <c>cursor</c> (REST) or <c>after</c> (GraphQL) to read the next page.</param>
public sealed record Page<T>(IReadOnlyList<T> Data, bool HasMore, string? Next);

/// <summary>Keyset cursors: opaque to clients, a position in a stable sort key to us.</summary>
public static class Cursor
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 250;

    public static string Encode(string position) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes("v1:" + position));

    public static string? Decode(string? cursor, string field = "cursor")
    {
        if (string.IsNullOrEmpty(cursor)) return null;
        try
        {
            var text = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(cursor));
            if (text.StartsWith("v1:", StringComparison.Ordinal)) return text[3..];
        }
        catch (FormatException) { }
        throw RequestValidationException.For(field, "The cursor is not one this API handed out.");
    }

    public static int Limit(int? limit, string field = "limit") => limit switch
    {
        null => DefaultLimit,
        >= 1 and <= MaxLimit => limit.Value,
        _ => throw RequestValidationException.For(field, $"Between 1 and {MaxLimit}."),
    };

    /// <summary>The id a cursor points after, for lists in id order (version 7 ids: creation order).</summary>
    public static Guid? DecodeId(string? cursor, string field = "cursor") =>
        Decode(cursor, field) is not { } position ? null
        : Guid.TryParseExact(position, "D", out var id) ? id
        : throw RequestValidationException.For(field, "The cursor is not one this API handed out.");

    /// <summary>The number a cursor points after, for lists in number order.</summary>
    public static long? DecodeNumber(string? cursor, string field = "cursor") =>
        Decode(cursor, field) is not { } position ? null
        : long.TryParse(position, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n
        : throw RequestValidationException.For(field, "The cursor is not one this API handed out.");

    /// <summary>The cursor of an item in id order.</summary>
    public static string Of(Guid id) => Encode(id.ToString("D"));

    /// <summary>The cursor of an item in number (or code) order.</summary>
    public static string Of(long number) => Encode(number.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>
/// The page a client asked for: its size and the cursor it came back with, under the names its API gives them (REST's
/// <c>limit</c> and <c>cursor</c>, GraphQL's <c>first</c> and <c>after</c>), so a wrong one is reported by that name.
/// Lists are keysets: a query reads <see cref="Take"/> + 1 rows after the cursor's position, to know whether more follow.
/// </summary>
public sealed record PageRequest(int Take, string? After, string AfterField)
{
    public static PageRequest Rest(int? limit, string? cursor) => new(Cursor.Limit(limit, "limit"), cursor, "cursor");

    public static PageRequest Graph(int? first, string? after) => new(Cursor.Limit(first, "first"), after, "after");

    /// <summary>The first page, for callers that want the newest few.</summary>
    public static PageRequest First(int take) => new(take, null, "cursor");

    public string? AfterPosition => Cursor.Decode(After, AfterField);

    public Guid? AfterId => Cursor.DecodeId(After, AfterField);

    public long? AfterNumber => Cursor.DecodeNumber(After, AfterField);

    /// <summary>
    /// The page from <paramref name="rows"/> (read with <c>Take(Take + 1)</c>, in the list's order). The next cursor is
    /// the last item's own cursor, so REST's <c>next</c> and GraphQL's <c>endCursor</c> are the same string.
    /// </summary>
    public Page<TDto> Page<TRow, TDto>(IReadOnlyList<TRow> rows, Func<TRow, TDto> map, Func<TDto, string> cursorOf)
    {
        var hasMore = rows.Count > Take;
        var data = rows.Take(Take).Select(map).ToList();
        return new Page<TDto>(data, hasMore, hasMore ? cursorOf(data[^1]) : null);
    }
}
