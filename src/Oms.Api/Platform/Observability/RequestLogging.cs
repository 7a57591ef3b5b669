using System.Diagnostics;
using Oms.Api.Platform.Auth;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Observability;

/// <summary>
/// One structured log line per request (method, path, status, duration, API key, SQL commands), and the SQL command
/// count as a response header when <c>Diagnostics:SqlCommandHeader</c> is on (tests and benchmarks use it).
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger, IConfiguration config, RequestsInFlight inFlight)
{
    public const string SqlCommandsHeader = "Oms-Sql-Commands";
    private readonly bool _exposeSqlCount = config.GetValue("Diagnostics:SqlCommandHeader", false);

    public async Task InvokeAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var tally = SqlCommandCounter.Begin();
        if (_exposeSqlCount)
            http.Response.OnStarting(() =>
            {
                http.Response.Headers[SqlCommandsHeader] = tally.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                return Task.CompletedTask;
            });
        inFlight.Enter();
        try
        {
            await next(http);
        }
        finally
        {
            inFlight.Leave();
            if (!http.Request.Path.StartsWithSegments("/health"))
                Log(logger, http.Request.Method, http.Request.Path, http.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.GetCaller()?.Name, tally.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms for {ApiKey} with {SqlCommands} SQL commands")]
    private static partial void Log(ILogger logger, string method, string path, int statusCode, double elapsedMs, string? apiKey, int sqlCommands);
}

/// <summary>
/// How many requests this process is answering now: background work that can wait (issuing documents) gives way while
/// the process is busy with requests (<c>Documents:YieldToRequests</c>).
/// </summary>
public sealed class RequestsInFlight
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    internal void Enter() => Interlocked.Increment(ref _count);

    internal void Leave() => Interlocked.Decrement(ref _count);
}

/// <summary>
/// Refuses a request whose target, headers or declared body are larger than configured, with a problem body and
/// <c>Connection: close</c> (the client may still be sending what was refused). Kestrel's own limits sit
/// <see cref="KestrelMargin"/> above the target and header limits, so that these answers come from here rather than as
/// Kestrel's empty 414 and 431; it still enforces the body limit on streamed bodies, answered by the exception handler.
/// </summary>
public sealed class RequestSizeLimit(RequestDelegate next, IConfiguration config)
{
    public const int KestrelMargin = 64 * 1024;
    private readonly long _maxBody = MaxBodyBytes(config);
    private readonly int _maxTarget = MaxTargetBytes(config), _maxHeaders = MaxHeadersBytes(config);

    public static long MaxBodyBytes(IConfiguration config) => config.GetValue("Api:MaxRequestBodyBytes", 1L << 20);
    public static int MaxTargetBytes(IConfiguration config) => config.GetValue("Api:MaxRequestTargetBytes", 8 * 1024);
    public static int MaxHeadersBytes(IConfiguration config) => config.GetValue("Api:MaxRequestHeadersBytes", 32 * 1024);

    public async Task InvokeAsync(HttpContext http)
    {
        var target = http.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "";
        if (target.Length > _maxTarget)
        {
            await RefuseAsync(http, 414, $"The address (path and query) is longer than {_maxTarget} bytes.");
            return;
        }
        var headers = 0L;
        foreach (var (name, values) in http.Request.Headers)
            foreach (var value in values) headers += name.Length + (value?.Length ?? 0) + 4; // "name: value\r\n"
        if (headers > _maxHeaders)
        {
            await RefuseAsync(http, 431, $"The headers add up to more than {_maxHeaders} bytes.");
            return;
        }
        if (http.Request.ContentLength > _maxBody)
        {
            await RefuseAsync(http, 413, $"The body is larger than {_maxBody} bytes.");
            return;
        }
        await next(http);
    }

    // The problem carries Connection: close for these statuses (ProblemResponses.Customize).
    private static ValueTask RefuseAsync(HttpContext http, int status, string detail) =>
        Errors.ProblemResponses.WriteAsync(http, new Errors.ErrorInfo(status, Errors.ProblemResponses.CodeFor(status), detail));
}
