using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Common;

namespace Oms.Api.Platform.Errors;

/// <summary>What a client is told about a failure; rendered as problem+json (REST) or an error with extensions (GraphQL).</summary>
public sealed record ErrorInfo(int Status, string Code, string Detail, IReadOnlyDictionary<string, string[]>? Errors = null)
{
    public bool IsServerError => Status >= 500;
}

/// <summary>The request's shape is wrong: the fields named in <see cref="Errors"/> need fixing.</summary>
public sealed class RequestValidationException(IReadOnlyDictionary<string, string[]> errors)
    : Exception("The request is invalid: " + string.Join("; ", errors.Select(e => $"{e.Key}: {string.Join(" ", e.Value)}")))
{
    public IReadOnlyDictionary<string, string[]> Errors { get; } = errors;

    public static RequestValidationException For(string field, string message) => new(new Dictionary<string, string[]> { [field] = [message] });
}

public sealed class UnauthenticatedException(string message) : Exception(message);

/// <summary>The operation is not safe to retry blindly, and the request carries nothing that makes it so (RFC 6585's 428).</summary>
public sealed class PreconditionRequiredException(string message) : Exception(message);

/// <summary>Too many requests from one client (a public endpoint's rate limit): 429 with Retry-After.</summary>
public sealed class RateLimitedException(string message, int retryAfterSeconds) : Exception(message)
{
    public int RetryAfterSeconds { get; } = retryAfterSeconds;
}

public sealed class ForbiddenException(string scope) : Exception($"This API key lacks the '{scope}' scope.")
{
    public string Scope { get; } = scope;
}

/// <summary>
/// The one place that decides how a failure reaches clients. The REST exception handler and the GraphQL error hook
/// both call <see cref="Classify"/>, so the two APIs never disagree on a code.
/// </summary>
public static partial class ErrorMapping
{
    public const string ValidationFailed = "validation_failed";
    public const string Unauthenticated = "unauthenticated";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string ConcurrencyConflict = "concurrency_conflict";
    public const string PreconditionRequired = "precondition_required";
    public const string RateLimited = "rate_limited";
    public const string ServiceUnavailable = "service_unavailable";
    /// <summary>What a client waits before retrying when the database is away.</summary>
    public const int UnavailableRetryAfterSeconds = 5;
    public const string Internal = "internal";

    public static ErrorInfo Classify(Exception exception) => exception switch
    {
        RequestValidationException v => new(400, ValidationFailed, "One or more fields are invalid.", v.Errors),
        BadHttpRequestException { InnerException: JsonException j } => FromJson(j),
        JsonException j => FromJson(j),
        BadHttpRequestException b when BindFailure().Match(b.Message) is { Success: true } m =>
            new(400, ValidationFailed, $"{m.Groups[1].Value}: the value has the wrong type.",
                new Dictionary<string, string[]> { [m.Groups[1].Value] = ["The value has the wrong type."] }),
        BadHttpRequestException b => new(b.StatusCode, ProblemResponses.CodeFor(b.StatusCode), b.Message),
        UnauthenticatedException u => new(401, Unauthenticated, u.Message),
        ForbiddenException f => new(403, Forbidden, f.Message),
        NotFoundException n => new(404, NotFound, n.Message),
        PreconditionRequiredException p => new(428, PreconditionRequired, p.Message),
        RateLimitedException r => new(429, RateLimited, r.Message),
        ConcurrencyException c => new(c.PreconditionFailed ? 412 : 409, ConcurrencyConflict, c.Message),
        DbUpdateConcurrencyException => new(409, ConcurrencyConflict, "Someone else changed the resource at the same time: read it again and retry."),
        Oms.Infrastructure.Payments.PaymentProviderException p => new(502, "payments.provider_error", p.Message),
        ConflictException d => new(409, d.Code, d.Message, FieldErrors(d)),
        DomainException d => new(422, d.Code, d.Message, FieldErrors(d)),
        // Checked arithmetic on amounts and quantities a request made too large.
        OverflowException => new(422, "amount_out_of_range", "An amount or quantity in the request is larger than the API can hold."),
        _ when Oms.Infrastructure.Persistence.DatabaseFailures.IsUnavailable(exception) =>
            new(503, ServiceUnavailable, "The database cannot be reached just now. Retry in a few seconds; a change retried with the same Idempotency-Key is applied once."),
        _ => new(500, Internal, "An unexpected error occurred. Quote the traceId when reporting it."),
    };

    private static IReadOnlyDictionary<string, string[]>? FieldErrors(DomainException d) =>
        d.FieldErrors ?? (d.Field is null ? null : new Dictionary<string, string[]> { [d.Field] = [d.Message] });

    /// <summary>
    /// What can be said of a JSON failure without the body: where it is. The REST handler explains a request body's
    /// failure from the body and the contract first (<see cref="JsonProblems"/>); the serializer's message, English text
    /// that changes between releases, is never parsed.
    /// </summary>
    private static ErrorInfo FromJson(JsonException j)
    {
        var path = ToFieldPath(j.Path);
        if (j is Http.UnstorableTextException unstorable)
        {
            if (unstorable.InKey) path = path[..Math.Max(0, Math.Max(path.LastIndexOf('.'), path.LastIndexOf('[')))];
            return JsonProblems.Field(path, j.Message);
        }
        return JsonProblems.Field(path, path.Length == 0 ? JsonProblems.NotJson : JsonProblems.WrongType);
    }

    /// <summary><c>$.lines[0].quantity</c> → <c>lines[0].quantity</c>.</summary>
    internal static string ToFieldPath(string? jsonPath) =>
        jsonPath is null or "$" ? "" : jsonPath.StartsWith("$.", StringComparison.Ordinal) ? jsonPath[2..] : jsonPath.TrimStart('$');

    [GeneratedRegex(@"Failed to bind parameter ""[^""]*? (\w+)""")]
    private static partial Regex BindFailure();
}

public static class UniqueSaves
{
    /// <summary>Saves, turning a unique-index violation (a duplicate code or SKU) into a 409 with <paramref name="code"/>.</summary>
    public static async Task SaveUniqueAsync(this Oms.Infrastructure.Persistence.OmsDbContext db, string code, string message, CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            throw new ConflictException(code, message);
        }
    }
}
