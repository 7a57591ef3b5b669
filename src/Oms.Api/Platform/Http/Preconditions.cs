using Microsoft.Net.Http.Headers;
using Oms.Api.Platform.Errors;

namespace Oms.Api.Platform.Http;

/// <summary>The resource version travels as a strong ETag (<c>"3"</c>); <c>If-Match</c> carries it back.</summary>
public static class Preconditions
{
    public static string ETagFor(int version) => $"\"{version}\"";

    /// <summary>
    /// The version a client's <c>If-Match</c> expects, or null when it sent none (or <c>*</c>).
    /// A list of several tags is not meaningful for one version and is refused.
    /// </summary>
    public static int? ExpectedVersion(HttpRequest request)
    {
        var raw = request.Headers.IfMatch.ToString();
        if (raw.Length == 0 || raw.Trim() == "*") return null;
        if (EntityTagHeaderValue.TryParseList([raw], out var tags) && tags.Count == 1 && !tags[0].IsWeak
            && int.TryParse(tags[0].Tag.AsSpan(1, tags[0].Tag.Length - 2), out var version))
            return version;
        throw RequestValidationException.For("If-Match", "Send the ETag you read, e.g. If-Match: \"3\".");
    }

    public static void SetETag(HttpResponse response, int version) => response.Headers.ETag = ETagFor(version);
}
