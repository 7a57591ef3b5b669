using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Oms.Api.Platform.Errors;

/// <summary>Writes RFC 9457 problem+json: <c>type</c>, <c>title</c>, <c>status</c>, <c>detail</c>, plus <c>code</c>, per-field <c>errors</c> and <c>traceId</c>.</summary>
public static class ProblemResponses
{
    public static ProblemDetails ToProblem(ErrorInfo error)
    {
        var problem = error.Errors is { Count: > 0 }
            ? new HttpValidationProblemDetails(error.Errors.ToDictionary(e => e.Key, e => e.Value))
            : new ProblemDetails();
        problem.Status = error.Status;
        problem.Detail = error.Detail;
        problem.Extensions["code"] = error.Code;
        return problem;
    }

    public static ValueTask WriteAsync(HttpContext http, ErrorInfo error)
    {
        http.Response.StatusCode = error.Status;
        if (error.Status == 401 && !http.Response.Headers.ContainsKey("WWW-Authenticate")) http.Response.Headers.WWWAuthenticate = "Bearer";
        var problem = ToProblem(error);
        return http.RequestServices.GetRequiredService<IProblemDetailsService>()
            .WriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem });
    }

    /// <summary>Fills what every problem carries, including those the framework writes itself (404 route, 405, 415).</summary>
    /// <summary>The request's trace id: what a problem answer calls <c>traceId</c> and the audit trail <c>requestId</c>.</summary>
    public static string TraceId(HttpContext http) => System.Diagnostics.Activity.Current?.Id ?? http.TraceIdentifier;

    public static void Customize(ProblemDetailsContext ctx)
    {
        var p = ctx.ProblemDetails;
        p.Status ??= ctx.HttpContext.Response.StatusCode;
        p.Type = "about:blank";
        p.Title = ReasonPhrase(p.Status.Value);
        p.Extensions.Remove("requestId");
        p.Extensions.Remove("exception");
        p.Extensions["traceId"] = TraceId(ctx.HttpContext);
        if (!p.Extensions.ContainsKey("code")) p.Extensions["code"] = CodeFor(p.Status.Value);
        if (p.Status == 404 && p.Detail is null) p.Detail = "No resource exists at this address.";
        if (p.Status == 413 && p.Detail is null) p.Detail = "The body is larger than this API accepts.";
        // What was refused may still be arriving: the client is told not to send another request on this connection.
        if (p.Status is 408 or 413 or 414 or 431 && !ctx.HttpContext.Response.HasStarted) ctx.HttpContext.Response.Headers.Connection = "close";
    }

    /// <summary>The code of a problem that has no more specific one: the framework's own answers, and the request's size.</summary>
    public static string CodeFor(int status) => status switch
    {
        400 => "bad_request",
        401 => ErrorMapping.Unauthenticated,
        403 => ErrorMapping.Forbidden,
        404 => ErrorMapping.NotFound,
        405 => "method_not_allowed",
        406 => "not_acceptable",
        408 => "request_timeout",
        413 => "payload_too_large",
        414 => "uri_too_long",
        415 => "unsupported_media_type",
        429 => "rate_limited",
        431 => "headers_too_large",
        < 500 => "bad_request",
        _ => ErrorMapping.Internal,
    };

    // RFC 9457 §4.2.1: with type about:blank, the title is the status code's phrase.
    private static string ReasonPhrase(int status) =>
        Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : "Error";
}

/// <summary>Every exception a request throws ends here: classified once, logged when it is ours, rendered as problem+json.</summary>
public sealed class OmsExceptionHandler(ILogger<OmsExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested) return true;
        var error = exception is BadHttpRequestException { InnerException: JsonException json } && await JsonProblems.ExplainAsync(http, json, ct) is { } explained
            ? explained
            : ErrorMapping.Classify(exception);
        if (error.Status == 503)
        {
            logger.LogWarning("The database is unavailable: {Method} {Path} answered 503 ({Reason})", http.Request.Method, http.Request.Path, exception.GetBaseException().Message);
            http.Response.Headers.RetryAfter = ErrorMapping.UnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (error.IsServerError) logger.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
        if (exception is RateLimitedException limited) http.Response.Headers.RetryAfter = limited.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await ProblemResponses.WriteAsync(http, error);
        return true;
    }
}

public static class ProblemConventions
{
    /// <summary>The problems a state change can answer: bad input, unknown resource, illegal move, stale If-Match, broken rule.</summary>
    public static RouteHandlerBuilder WithStateChangeProblems(this RouteHandlerBuilder b) =>
        b.ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422);
}
