using System.Diagnostics;
using Oms.Api.Platform.Auth;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Observability;

/// <summary>
/// One structured log line per request (method, path, status, duration, API key, SQL commands), and the SQL command
/// count as a response header when <c>Diagnostics:SqlCommandHeader</c> is on (tests and benchmarks use it).
/// </summary>
public sealed partial class RequestLogging(RequestDelegate next, ILogger<RequestLogging> logger, IConfiguration config)
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
        try
        {
            await next(http);
        }
        finally
        {
            if (!http.Request.Path.StartsWithSegments("/health"))
                Log(logger, http.Request.Method, http.Request.Path, http.Response.StatusCode,
                    Stopwatch.GetElapsedTime(started).TotalMilliseconds, http.GetCaller()?.Name, tally.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Method} {Path} answered {StatusCode} in {ElapsedMs:0.0} ms for {ApiKey} with {SqlCommands} SQL commands")]
    private static partial void Log(ILogger logger, string method, string path, int statusCode, double elapsedMs, string? apiKey, int sqlCommands);
}

/// <summary>Refuses bodies above the configured size before anything reads them (Kestrel enforces the same limit on streamed bodies).</summary>
public sealed class RequestSizeLimit(RequestDelegate next, IConfiguration config)
{
    private readonly long _max = config.GetValue("Api:MaxRequestBodyBytes", 1L << 20);

    public async Task InvokeAsync(HttpContext http)
    {
        if (http.Request.ContentLength > _max)
        {
            await Errors.ProblemResponses.WriteAsync(http, new Errors.ErrorInfo(413, "payload_too_large", $"The body is larger than {_max} bytes."));
            return;
        }
        await next(http);
    }
}
