using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace Oms.Api.Tests.Support;

/// <summary>One request a receiver got, and whether Standard Webhooks' own verifier accepted it with each known secret.</summary>
public sealed record ReceivedWebhook(string WebhookId, string Type, JsonElement Data, int AnsweredWith, IReadOnlyList<string> VerifiedWith, string Signature, DateTimeOffset At,
    JsonElement Body);

/// <summary>
/// A real HTTP endpoint on loopback that verifies signatures with the StandardWebhooks package (not our code) and
/// answers what the test tells it to.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedWebhook> _received = new();
    private int _count;
    private int _arrived;

    /// <summary>Requests that reached the handler, including those still held at the gate.</summary>
    public int Arrived => Volatile.Read(ref _arrived);

    private WebhookReceiver(WebApplication app) => _app = app;

    public Uri Url { get; private set; } = null!;

    /// <summary>Secrets to verify with; a request counts as verified when any of them accepts it.</summary>
    public ConcurrentDictionary<string, bool> Secrets { get; } = new();

    /// <summary>Decides the status to answer for the n-th request (1-based) and its webhook-id; 200 by default.</summary>
    public Func<int, string, int> Respond { get; set; } = (_, _) => 200;

    /// <summary>When set, requests wait for it before answering (to hold a delivery in flight).</summary>
    public TaskCompletionSource? Gate { get; set; }

    public IReadOnlyList<ReceivedWebhook> Received => _received.ToList();

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", receiver.HandleAsync);
        await app.StartAsync();
        receiver.Url = new Uri(app.Urls.First() + "/hook");
        return receiver;
    }

    private async Task HandleAsync(HttpContext http)
    {
        Interlocked.Increment(ref _arrived);
        using var reader = new StreamReader(http.Request.Body);
        var body = await reader.ReadToEndAsync();
        var n = Interlocked.Increment(ref _count);
        var id = http.Request.Headers["webhook-id"].ToString();
        var verified = Secrets.Keys.Where(secret =>
        {
            try
            {
                new StandardWebhook(secret).Verify(body, http.Request.Headers);
                return true;
            }
            catch (Exception)
            {
                return false;
            }
        }).ToList();
        if (Gate is { } gate) await gate.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var status = verified.Count == 0 ? 401 : Respond(n, id);
        using var doc = JsonDocument.Parse(body);
        _received.Enqueue(new ReceivedWebhook(id, doc.RootElement.GetProperty("type").GetString()!, doc.RootElement.GetProperty("data").Clone(),
            status, verified, http.Request.Headers["webhook-signature"].ToString(), DateTimeOffset.UtcNow, doc.RootElement.Clone()));
        http.Response.StatusCode = status;
        if (status == 429) http.Response.Headers.RetryAfter = "1";
        await http.Response.WriteAsync(status < 300 ? "ok" : "not now");
    }

    /// <summary>Waits until <paramref name="done"/> holds for what was received, or fails after the timeout.</summary>
    public async Task WaitForAsync(Func<IReadOnlyList<ReceivedWebhook>, bool> done, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!done(Received))
        {
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Timed out waiting for {what ?? "webhooks"}; received: " +
                                           string.Join(", ", Received.Select(r => $"{r.Type}/{r.AnsweredWith}")));
            await Task.Delay(50);
        }
    }

    /// <summary>Accepted deliveries about one resource (data.id), in arrival order.</summary>
    public List<ReceivedWebhook> AcceptedFor(string resourceId) =>
        Received.Where(r => r.AnsweredWith is >= 200 and < 300 && r.Data.ValueKind == JsonValueKind.Object
                            && r.Data.TryGetProperty("id", out var id) && id.GetString() == resourceId).ToList();

    public async ValueTask DisposeAsync()
    {
        Gate?.TrySetResult();
        await _app.DisposeAsync();
    }
}
