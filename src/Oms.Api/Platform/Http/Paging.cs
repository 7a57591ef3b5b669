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
}
