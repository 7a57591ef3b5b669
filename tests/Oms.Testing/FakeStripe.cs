using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Oms.Testing;

/// <summary>
/// Stripe at the HTTP boundary, on loopback: checks what the real API would (secret key, Idempotency-Key, form
/// fields, amounts in minor units, manual capture) and answers Stripe-shaped JSON, so our real Stripe.net code runs.
/// </summary>
public sealed class FakeStripe : IAsyncDisposable
{
    public const string SecretKey = "sk_test_fake_0123456789";
    public const string WebhookSecret = "whsec_test_fake_0123456789";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, JsonObject> _intents = new();
    private readonly ConcurrentDictionary<string, string> _idempotent = new();

    public ConcurrentQueue<(string Path, Dictionary<string, string> Form, string? IdempotencyKey)> Requests { get; } = new();
    public string Url { get; private set; } = "";

    private FakeStripe(WebApplication app) => _app = app;

    public static async Task<FakeStripe> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeStripe(app);
        app.MapPost("/v1/payment_intents", ctx => fake.Handle(ctx, fake.Create));
        app.MapPost("/v1/payment_intents/{id}/capture", ctx => fake.Handle(ctx, f => fake.Capture((string)ctx.Request.RouteValues["id"]!, f)));
        app.MapPost("/v1/payment_intents/{id}/cancel", ctx => fake.Handle(ctx, _ => fake.Cancel((string)ctx.Request.RouteValues["id"]!)));
        app.MapPost("/v1/refunds", ctx => fake.Handle(ctx, fake.Refund));
        app.MapGet("/v1/payment_intents/{id}", fake.RetrieveAsync);
        await app.StartAsync();
        fake.Url = app.Urls.First();
        return fake;
    }

    public JsonObject Intent(string id) => _intents[id];

    private readonly ConcurrentDictionary<string, bool> _noMulticapture = new();

    /// <summary>The card's charge cannot be captured in parts (multicapture is not on the account's plan).</summary>
    public void WithoutMulticapture(string intentId) => _noMulticapture[intentId] = true;

    /// <summary>GET a PaymentIntent; <c>expand[]=latest_charge</c> gives the charge with its multicapture availability.</summary>
    private async Task RetrieveAsync(HttpContext ctx)
    {
        var id = (string)ctx.Request.RouteValues["id"]!;
        if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + SecretKey) { await Error(ctx, 401, "Invalid API Key provided."); return; }
        if (!_intents.TryGetValue(id, out var pi)) { await Error(ctx, 404, "No such payment_intent"); return; }
        var answer = JsonNode.Parse(pi.ToJsonString())!.AsObject();
        if (ctx.Request.Query["expand[]"].Contains("latest_charge") || ctx.Request.Query["expand[0]"].Contains("latest_charge"))
            answer["latest_charge"] = new JsonObject
            {
                ["id"] = "ch_" + id[3..], ["object"] = "charge", ["payment_intent"] = id,
                ["payment_method_details"] = new JsonObject
                {
                    ["type"] = "card",
                    ["card"] = new JsonObject { ["multicapture"] = new JsonObject { ["status"] = _noMulticapture.ContainsKey(id) ? "unavailable" : "available" } },
                },
            };
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(answer.ToJsonString());
    }

    private readonly ConcurrentDictionary<string, ConcurrentQueue<(int Status, string ContentType, string Body, bool ShouldRetry)>> _failures = new();
    private readonly ConcurrentDictionary<string, TimeSpan> _delays = new();

    /// <summary>Every request about <paramref name="subject"/> takes <paramref name="delay"/> before it is answered (a slow provider).</summary>
    public void Delay(string subject, TimeSpan delay) => _delays[subject] = delay;

    /// <summary>
    /// The next <paramref name="times"/> requests about <paramref name="subject"/> (an order id for creations, a
    /// PaymentIntent id otherwise) fail with this answer, as a proxy or an outage at Stripe would; nothing is stored.
    /// </summary>
    /// <param name="shouldRetry">False sends <c>Stripe-Should-Retry: false</c>, so Stripe.net does not retry it itself.</param>
    public void Fail(string subject, int times, int status = 502, string contentType = "text/html",
        string? body = null, bool shouldRetry = true)
    {
        var queue = _failures.GetOrAdd(subject, _ => new());
        for (var i = 0; i < times; i++)
            queue.Enqueue((status, contentType, body ?? "<html><head><title>502 Bad Gateway</title></head><body>" + string.Concat(Enumerable.Repeat("<p>upstream unavailable</p>", 250)) + "</body></html>",
                shouldRetry));
    }

    /// <summary>Stripe's own answer to an outage on its side.</summary>
    public static string ApiError(string message) => new JsonObject { ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = message } }.ToJsonString();

    /// <summary>What Stripe does when the customer confirms the card: the amount becomes capturable.</summary>
    public JsonObject Authorize(string id, string? riskLevel = null)
    {
        var pi = _intents[id];
        pi["status"] = "requires_capture";
        pi["amount_capturable"] = pi["amount"]!.GetValue<long>();
        if (riskLevel is not null) pi["latest_charge"] = new JsonObject { ["id"] = "ch_" + id[3..], ["object"] = "charge", ["outcome"] = new JsonObject { ["risk_level"] = riskLevel } };
        return pi;
    }

    /// <summary>A webhook body for <paramref name="type"/> wrapping <paramref name="data"/>, as Stripe sends it.</summary>
    public static string Event(string id, string type, JsonObject data) => new JsonObject
    {
        ["id"] = id, ["object"] = "event", ["api_version"] = Stripe.StripeConfiguration.ApiVersion, ["type"] = type,
        ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["livemode"] = false, ["pending_webhooks"] = 1,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["data"] = new JsonObject { ["object"] = JsonNode.Parse(data.ToJsonString()) },
    }.ToJsonString();

    public static string Sign(string json, string secret = WebhookSecret) => Stripe.EventUtility.GenerateSignatureHeader(json, secret);

    private async Task Handle(HttpContext ctx, Func<Dictionary<string, string>, (int Status, JsonObject Body)> handler)
    {
        if (ctx.Request.Headers.Authorization.ToString() != "Bearer " + SecretKey)
        {
            await Error(ctx, 401, "Invalid API Key provided.");
            return;
        }
        var form = (await ctx.Request.ReadFormAsync()).ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
        var key = ctx.Request.Headers["Idempotency-Key"].ToString();
        Requests.Enqueue((ctx.Request.Path, form, key.Length == 0 ? null : key));
        if (key.Length == 0)
        {
            await Error(ctx, 400, "This test server requires an Idempotency-Key on every POST.");
            return;
        }
        var subject = form.GetValueOrDefault("metadata[order_id]") ?? form.GetValueOrDefault("payment_intent")
                      ?? (ctx.Request.RouteValues.TryGetValue("id", out var id) ? id as string : null);
        if (subject is not null && _delays.TryGetValue(subject, out var delay)) await Task.Delay(delay);
        if (subject is not null && _failures.TryGetValue(subject, out var failures) && failures.TryDequeue(out var failure))
        {
            if (!failure.ShouldRetry) ctx.Response.Headers["Stripe-Should-Retry"] = "false";
            ctx.Response.StatusCode = failure.Status;
            ctx.Response.ContentType = failure.ContentType;
            await ctx.Response.WriteAsync(failure.Body);
            return;
        }
        if (_idempotent.TryGetValue(ctx.Request.Path + key, out var replay))
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync(replay);
            return;
        }
        var (status, body) = handler(form);
        var json = body.ToJsonString();
        if (status == 200) _idempotent[ctx.Request.Path + key] = json;
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(json);
    }

    private (int, JsonObject) Create(Dictionary<string, string> form)
    {
        if (!long.TryParse(form.GetValueOrDefault("amount"), out var amount) || amount < 1) return Invalid("amount must be a positive integer in minor units");
        if (form.GetValueOrDefault("currency") is not { Length: 3 } currency || currency != currency.ToLowerInvariant()) return Invalid("currency must be a lowercase ISO code");
        if (form.GetValueOrDefault("capture_method") != "manual") return Invalid("expected capture_method=manual");
        if (!form.ContainsKey("metadata[order_id]") || !form.ContainsKey("metadata[order_number]")) return Invalid("expected the order in metadata");
        var id = "pi_" + Guid.NewGuid().ToString("N")[..24];
        var pi = new JsonObject
        {
            ["id"] = id, ["object"] = "payment_intent", ["amount"] = amount, ["amount_capturable"] = 0L, ["amount_received"] = 0L,
            ["currency"] = currency, ["capture_method"] = "manual", ["status"] = "requires_payment_method", ["livemode"] = false,
            ["client_secret"] = id + "_secret_" + Guid.NewGuid().ToString("N")[..12], ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            ["metadata"] = new JsonObject { ["order_id"] = form["metadata[order_id]"], ["order_number"] = form["metadata[order_number]"] },
        };
        _intents[id] = pi;
        return (200, pi);
    }

    private (int, JsonObject) Capture(string id, Dictionary<string, string> form)
    {
        if (!_intents.TryGetValue(id, out var pi)) return (404, ErrorBody("No such payment_intent"));
        var capturable = pi["amount_capturable"]!.GetValue<long>();
        var amount = long.TryParse(form.GetValueOrDefault("amount_to_capture"), out var a) ? a : capturable;
        if (amount > capturable || amount < 1) return Invalid($"amount_to_capture {amount} exceeds the capturable {capturable}");
        var final = form.GetValueOrDefault("final_capture") != "false";
        if (!final && _noMulticapture.ContainsKey(id)) return Invalid("Multicapture is not available for this PaymentIntent: capture it once (final_capture=true).");
        pi["amount_received"] = pi["amount_received"]!.GetValue<long>() + amount;
        pi["amount_capturable"] = final ? 0L : capturable - amount;
        pi["status"] = final ? "succeeded" : "requires_capture";
        return (200, pi);
    }

    private (int, JsonObject) Cancel(string id)
    {
        if (!_intents.TryGetValue(id, out var pi)) return (404, ErrorBody("No such payment_intent"));
        if (pi["status"]!.GetValue<string>() == "succeeded") return Invalid("You cannot cancel this PaymentIntent because it has a status of succeeded.");
        pi["status"] = "canceled";
        pi["amount_capturable"] = 0L;
        return (200, pi);
    }

    private (int, JsonObject) Refund(Dictionary<string, string> form)
    {
        if (!_intents.TryGetValue(form.GetValueOrDefault("payment_intent") ?? "", out var pi)) return (404, ErrorBody("No such payment_intent"));
        var amount = long.Parse(form["amount"]);
        var refunded = (pi["amount_refunded"]?.GetValue<long>() ?? 0) + amount;
        if (refunded > pi["amount_received"]!.GetValue<long>()) return Invalid("Refund amount is greater than the charge's unrefunded amount.");
        pi["amount_refunded"] = refunded;
        return (200, new JsonObject
        {
            ["id"] = "re_" + Guid.NewGuid().ToString("N")[..24], ["object"] = "refund", ["amount"] = amount, ["currency"] = pi["currency"]!.GetValue<string>(),
            ["payment_intent"] = pi["id"]!.GetValue<string>(), ["status"] = "succeeded", ["created"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
        });
    }

    private static (int, JsonObject) Invalid(string message) => (400, ErrorBody(message));

    private static JsonObject ErrorBody(string message) => new() { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["message"] = message } };

    private static async Task Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(ErrorBody(message).ToJsonString());
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
