using Microsoft.Extensions.Time.Testing;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Dispatch with several API processes on one database, and across a restart. Each test has a database of its own.</summary>
public sealed class WebhookScaleOutTests
{
    private static async Task<(string Connection, string AdminKey)> FreshDatabaseAsync() =>
        (await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"));

    private static async Task<string> SubscribeAsync(HttpClient admin, WebhookReceiver receiver)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Url.ToString(), eventFilters = new[] { "order.placed" } });
        response.EnsureSuccessStatusCode();
        var secret = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        receiver.Secrets[secret] = true;
        return secret;
    }

    private static async Task<string> ProductAsync(HttpClient admin)
    {
        var sku = "S-" + Guid.NewGuid().ToString("N")[..8];
        (await admin.PostAsJsonAsync("/api/v1/products", new { sku, name = "Scale", price = new { amount = 100, currency = "EUR" } })).EnsureSuccessStatusCode();
        return sku;
    }

    private static async Task PlaceAsync(HttpClient client, string sku, int i)
    {
        var response = await client.PostAsync("/api/v1/orders", Scenario.Content(Scenario.NewOrderBody(sku, $"scale{i}@example.com")));
        response.EnsureSuccessStatusCode();
    }

    /// <summary>A receiver that answers "200 OK, 100,000 bytes follow" and then sends nothing, holding every connection open.</summary>
    private sealed class StallingReceiver : IAsyncDisposable
    {
        private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<System.Net.Sockets.TcpClient> _held = [];
        public int Connections;

        public StallingReceiver()
        {
            _listener.Start();
            _ = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref Connections);
                    lock (_held) _held.Add(client);
                    _ = Task.Run(async () =>
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[65536];
                        _ = await stream.ReadAsync(buffer, _stop.Token); // the request (or its start)
                        await stream.WriteAsync("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000\r\n\r\n"u8.ToArray(), _stop.Token);
                        await Task.Delay(Timeout.Infinite, _stop.Token);
                    });
                }
            });
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

        public ValueTask DisposeAsync()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held) foreach (var c in _held) c.Dispose();
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task A_receiver_that_stalls_with_a_backlog_does_not_delay_another_subscriber()
    {
        var (connection, key) = await FreshDatabaseAsync();
        await using var app = new ApiFactory(connection, key, ("Webhooks:Timeout", "00:00:02"), ("Webhooks:Parallelism", "4"),
            ("Webhooks:MaxInFlightPerSubscription", "2"));
        var admin = app.Admin();
        await using var staller = new StallingReceiver();
        (await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = staller.Url, eventFilters = new[] { "order.placed" } })).EnsureSuccessStatusCode();
        var sku = await ProductAsync(admin);
        for (var i = 0; i < 20; i++) await PlaceAsync(admin, sku, i);
        var until = DateTime.UtcNow.AddSeconds(10);
        while (staller.Connections == 0 && DateTime.UtcNow < until) await Task.Delay(50);
        Assert.True(staller.Connections > 0, "the stalling receiver was never called");

        // A new subscriber's ping and an order arrive while twenty stalled deliveries are due before them.
        await using var healthy = await WebhookReceiver.StartAsync();
        var created = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = healthy.Url.ToString(), eventFilters = new[] { "order.placed" } });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        healthy.Secrets[body.GetProperty("secret").GetString()!] = true;
        var started = DateTime.UtcNow;
        (await admin.PostAsync($"/api/v1/webhook-subscriptions/{body.GetProperty("subscription").GetProperty("id").GetString()}/test", null)).EnsureSuccessStatusCode();
        await PlaceAsync(admin, sku, 100);
        await healthy.WaitForAsync(r => r.Any(x => x.Type == "webhook.ping") && r.Any(x => x.Type == "order.placed"), TimeSpan.FromSeconds(30), "the ping and the order");
        var waited = DateTime.UtcNow - started;
        Assert.True(waited < TimeSpan.FromSeconds(3), $"the healthy subscriber waited {waited.TotalSeconds:0.0} s behind the stalled one");

        // The stalled attempts end at the deadline (one for the whole attempt), not when the receiver lets go.
        var stalled = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhook-subscriptions")).GetProperty("data").EnumerateArray()
            .Single(x => x.GetProperty("url").GetString() == staller.Url).GetProperty("id").GetString();
        List<JsonElement> attempts = [];
        for (var wait = DateTime.UtcNow.AddSeconds(10); attempts.Count == 0 && DateTime.UtcNow < wait; await Task.Delay(200))
            attempts = (await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-subscriptions/{stalled}/deliveries?limit=250")).GetProperty("data")
                .EnumerateArray().SelectMany(d => d.GetProperty("attemptLog").EnumerateArray()).ToList();
        Assert.NotEmpty(attempts);
        Assert.All(attempts, a => Assert.InRange(a.GetProperty("latencyMs").GetInt32(), 0, 4_000));
    }

    [Fact]
    public async Task Events_past_retention_are_removed_oldest_first_and_younger_ones_stay()
    {
        var (connection, key) = await FreshDatabaseAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new ApiFactory(connection, key, ("Webhooks:Retention", "00:01:00"), ("Webhooks:CleanupInterval", "00:00:00.200")) { Clock = clock };
        var admin = app.Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(admin, receiver);
        var subscription = (await admin.GetFromJsonAsync<JsonElement>("/api/v1/webhook-subscriptions")).GetProperty("data")[0].GetProperty("id").GetString();
        var sku = await ProductAsync(admin);

        await PlaceAsync(admin, sku, 1);
        await receiver.WaitForAsync(r => r.Any(x => x.Type == "order.placed"), TimeSpan.FromSeconds(30), "the first order.placed");
        var old = receiver.Received.Single(x => x.Type == "order.placed").WebhookId;
        // A minute and a second later on the app's clock, the first order's events are past retention. (The receiver
        // keeps real time and accepts a webhook timestamp up to five minutes off, as Standard Webhooks verifiers do.)
        clock.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        await PlaceAsync(admin, sku, 2);
        await receiver.WaitForAsync(r => r.Count(x => x.Type == "order.placed" && x.AnsweredWith == 200) == 2, TimeSpan.FromSeconds(30), "the second order.placed");
        var young = receiver.Received.Last(x => x.Type == "order.placed" && x.AnsweredWith == 200).WebhookId;

        // Cleanup runs every 200 ms: the old event goes (it can no longer be replayed), the young one stays.
        HttpStatusCode replayOld;
        var until = DateTime.UtcNow.AddSeconds(10);
        do
        {
            replayOld = (await admin.PostAsJsonAsync($"/api/v1/webhook-subscriptions/{subscription}/replay", new { eventId = old })).StatusCode;
            if (replayOld == HttpStatusCode.NotFound) break;
            await Task.Delay(100);
        } while (DateTime.UtcNow < until);
        Assert.Equal(HttpStatusCode.NotFound, replayOld);
        var replayYoung = await admin.PostAsJsonAsync($"/api/v1/webhook-subscriptions/{subscription}/replay", new { eventId = young });
        Assert.Equal(HttpStatusCode.OK, replayYoung.StatusCode);
    }

    [Fact]
    public async Task Two_app_instances_on_one_database_never_deliver_one_attempt_twice()
    {
        var (connection, key) = await FreshDatabaseAsync();
        await using var first = new ApiFactory(connection, key);
        var a = first.Admin();
        await using var second = new ApiFactory(connection, key);
        var b = second.Admin();
        await using var receiver = await WebhookReceiver.StartAsync();
        await SubscribeAsync(a, receiver);
        var sku = await ProductAsync(a);

        const int orders = 60;
        await Task.WhenAll(Enumerable.Range(0, orders).Select(i => PlaceAsync(i % 2 == 0 ? a : b, sku, i)));

        await receiver.WaitForAsync(r => r.Count(x => x.Type == "order.placed") >= orders, TimeSpan.FromSeconds(60), "60 order.placed events");
        await Task.Delay(500); // a duplicate, if there were one, would arrive now
        var placed = receiver.Received.Where(x => x.Type == "order.placed").ToList();
        Assert.Equal(orders, placed.Count);
        Assert.Equal(orders, placed.Select(x => x.WebhookId).Distinct().Count());
        Assert.All(placed, x => Assert.Equal(200, x.AnsweredWith));
    }

    [Fact]
    public async Task A_subscription_failing_without_a_success_for_too_long_is_disabled_and_that_is_an_event()
    {
        var (connection, key) = await FreshDatabaseAsync();
        // Five days in production; two minutes here, passed on the app's clock, with retries every 100 ms or so.
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new ApiFactory(connection, key, ("Webhooks:DisableAfter", "00:02:00")) { Clock = clock };
        var admin = app.Admin();
        await using var failing = await WebhookReceiver.StartAsync();
        failing.Respond = (_, _) => 500;
        await using var watcher = await WebhookReceiver.StartAsync();
        var failingId = await SubscribeIdAsync(admin, failing, "order.placed");
        await SubscribeIdAsync(admin, watcher, "webhook_subscription.disabled");
        var sku = await ProductAsync(admin);

        await PlaceAsync(admin, sku, 0);
        await failing.WaitForAsync(r => r.Count >= 1, TimeSpan.FromSeconds(30), "the first failed attempt");
        Assert.True((await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-subscriptions/{failingId}")).GetProperty("active").GetBoolean());
        // Failing since that attempt; two minutes and a second later on the app's clock, the next failure disables it.
        clock.Advance(TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(1));
        await PlaceAsync(admin, sku, 1);

        await watcher.WaitForAsync(r => r.Any(x => x.Type == "webhook_subscription.disabled" && x.Data.GetProperty("id").GetString() == failingId),
            TimeSpan.FromSeconds(30), "the disabled event");
        var subscription = await admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-subscriptions/{failingId}");
        Assert.False(subscription.GetProperty("active").GetBoolean());
        Assert.Contains("No successful delivery since", subscription.GetProperty("disabledReason").GetString());
    }

    private static async Task<string> SubscribeIdAsync(HttpClient admin, WebhookReceiver receiver, string filter)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Url.ToString(), eventFilters = new[] { filter } });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        receiver.Secrets[body.GetProperty("secret").GetString()!] = true;
        return body.GetProperty("subscription").GetProperty("id").GetString()!;
    }

    [Fact]
    public async Task Nothing_is_lost_when_the_app_stops_in_the_middle_of_dispatching_and_starts_again()
    {
        var (connection, key) = await FreshDatabaseAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        const int orders = 5;
        var before = new ApiFactory(connection, key);
        try
        {
            var admin = before.Admin();
            await SubscribeAsync(admin, receiver);
            var sku = await ProductAsync(admin);
            for (var i = 0; i < orders; i++) await PlaceAsync(admin, sku, i);
            var deadline = DateTimeOffset.UtcNow.AddSeconds(20);
            while (receiver.Arrived == 0 && DateTimeOffset.UtcNow < deadline) await Task.Delay(20);
            Assert.True(receiver.Arrived > 0, "the dispatcher started sending");
        }
        finally
        {
            await before.DisposeAsync(); // stopped with deliveries in flight: their outcome was never recorded
        }
        receiver.Gate.TrySetResult();

        await using var after = new ApiFactory(connection, key);
        _ = after.Server; // starts the host, and with it the dispatcher
        await receiver.WaitForAsync(r => r.Where(x => x.Type == "order.placed" && x.AnsweredWith == 200).Select(x => x.WebhookId).Distinct().Count() >= orders
                                         && r.GroupBy(x => x.WebhookId).Any(g => g.Count() > 1),
            TimeSpan.FromSeconds(60), "every event after the restart");
        var distinct = receiver.Received.Where(x => x.Type == "order.placed").Select(x => x.WebhookId).Distinct().Count();
        Assert.Equal(orders, distinct);
        // What was in flight when the process stopped was sent again after the restart, under the same webhook-id.
        Assert.Contains(receiver.Received.GroupBy(x => x.WebhookId), g => g.Count() > 1);
    }
}
