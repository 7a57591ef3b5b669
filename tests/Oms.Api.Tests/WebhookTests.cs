using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests;

public sealed class WebhookTests
{
    private static async Task<(string Id, string Secret)> SubscribeAsync(Scenario s, WebhookReceiver receiver, params string[] filters)
    {
        var response = await s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Url.ToString(), eventFilters = filters, description = "test " + s.Tag });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var secret = body.GetProperty("secret").GetString()!;
        Assert.StartsWith("whsec_", secret);
        receiver.Secrets[secret] = true;
        return (body.GetProperty("subscription").GetProperty("id").GetString()!, secret);
    }

    private static Task DeactivateAsync(Scenario s, string id) =>
        s.Admin.PatchAsJsonAsync($"/api/v1/webhook-subscriptions/{id}", new { active = false });

    [Fact]
    public async Task Status_events_carry_their_transition_and_updates_name_the_fields_that_changed()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.*", "fulfilment.*");
        try
        {
            var id = (await s.PlaceAsync()).GetProperty("id").GetString()!;
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PatchAsJsonAsync($"/api/v1/orders/{id}", new { notes = "leave at the door" })).StatusCode);
            await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Any(r => r.Type == "order.updated"), what: "the order's events");

            var events = receiver.AcceptedFor(id);
            JsonElement Body(string type) => events.First(r => r.Type == type).Body;
            Assert.False(Body("order.placed").TryGetProperty("transition", out _));
            Assert.Equal("pending", Body("order.confirmed").GetProperty("transition").GetProperty("from").GetString());
            Assert.Equal("confirmed", Body("order.confirmed").GetProperty("transition").GetProperty("to").GetString());
            Assert.Equal("confirmed", Body("order.allocated").GetProperty("transition").GetProperty("from").GetString());
            Assert.Equal(new[] { "notes" }, Body("order.updated").GetProperty("changed").EnumerateArray().Select(c => c.GetString()).ToArray());
            Assert.False(Body("order.updated").TryGetProperty("transition", out _));
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task Every_event_about_an_order_arrives_in_the_order_it_happened_with_order_placed_first()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, _) = await SubscribeAsync(s, receiver, "*");
        try
        {
            var sku = await s.ProductAsync();
            var orders = new List<string>();
            for (var i = 0; i < 20; i++)
            {
                var body = s.OrderBody(sku);
                body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" }; // one save: order, payment, allocation, fulfilment order
                orders.Add((await s.PlaceAsync(body)).GetProperty("id").GetString()!);
            }
            static string? OrderOf(ReceivedWebhook r) =>
                r.AnsweredWith is >= 200 and < 300 && r.Data.ValueKind == JsonValueKind.Object
                    ? (r.Data.TryGetProperty("orderId", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString()
                        : r.Type.StartsWith("order.", StringComparison.Ordinal) && r.Data.TryGetProperty("id", out var id) ? id.GetString() : null)
                    : null;
            await receiver.WaitForAsync(all => orders.All(o => all.Count(r => OrderOf(r) == o) >= 7), what: "every order's events");

            foreach (var order in orders)
            {
                var types = receiver.Received.Where(r => OrderOf(r) == order).Select(r => r.Type).ToList();
                Assert.True(types[0] == "order.placed", $"order {order}: {string.Join(", ", types)}");
                Assert.Contains("fulfilment.created", types);
                Assert.True(types.IndexOf("order.confirmed") < types.IndexOf("order.allocated"), string.Join(", ", types));
            }
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task Every_event_arrives_signed_while_the_receiver_fails_for_a_while_and_then_recovers()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var seen = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        receiver.Respond = (_, id) => seen.AddOrUpdate(id, 1, (_, n) => n + 1) <= 2 ? 503 : 200; // every event fails twice, then gets through
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.*");
        try
        {
            var order = await s.PlaceAsync();
            var id = order.GetProperty("id").GetString()!;
            await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);

            await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Select(r => r.Type).Distinct().Count() >= 3, what: "order events");
            var accepted = receiver.AcceptedFor(id);
            Assert.Equal(new[] { "order.placed", "order.confirmed", "order.allocated" }, accepted.Select(r => r.Type).Distinct().ToArray());
            Assert.All(accepted, r => Assert.NotEmpty(r.VerifiedWith));
            Assert.Equal("allocated", accepted.Single(r => r.Type == "order.allocated").Data.GetProperty("status").GetString()); // data is the REST resource

            var placed = accepted.First(r => r.Type == "order.placed").WebhookId;
            var attempts = receiver.Received.Where(r => r.WebhookId == placed).ToList();
            Assert.Equal(new[] { 503, 503, 200 }, attempts.Select(r => r.AnsweredWith).ToArray());

            var log = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-subscriptions/{subscription}/deliveries?eventType=order.placed&limit=250");
            var delivery = log.GetProperty("data").EnumerateArray().Single(d => d.GetProperty("eventId").GetString() == placed);
            Assert.Equal("succeeded", delivery.GetProperty("status").GetString());
            Assert.Equal(3, delivery.GetProperty("attemptLog").GetArrayLength());
            Assert.Equal(503, delivery.GetProperty("attemptLog")[0].GetProperty("statusCode").GetInt32());
            Assert.Equal("not now", delivery.GetProperty("attemptLog")[0].GetProperty("responseExcerpt").GetString());
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task Each_event_of_a_checkout_paid_on_placement_carries_its_resource_as_committed()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.*", "payment.*");
        try
        {
            var body = s.OrderBody(await s.ProductAsync(), 2);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            var order = await s.PlaceAsync(body);
            var id = order.GetProperty("id").GetString()!;
            var paymentId = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/payments")).EnumerateArray().Single().GetProperty("id").GetString()!;

            // One transaction wrote these five events; every one arrives with the whole resource as that transaction left it.
            await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Count >= 3 && receiver.AcceptedFor(paymentId).Count >= 2, what: "the checkout's events");
            var orderEvents = receiver.AcceptedFor(id);
            Assert.Equal(new[] { "order.placed", "order.confirmed", "order.allocated" }, orderEvents.Select(r => r.Type).ToArray());
            Assert.All(orderEvents, r =>
            {
                Assert.Equal("allocated", r.Data.GetProperty("status").GetString());
                Assert.Equal(order.GetProperty("number").GetString(), r.Data.GetProperty("number").GetString());
                Assert.Equal(2, r.Data.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
            });
            var paymentEvents = receiver.AcceptedFor(paymentId);
            Assert.Equal(new[] { "payment.created", "payment.received" }, paymentEvents.Select(r => r.Type).ToArray());
            Assert.All(paymentEvents, r => Assert.Equal(order.GetProperty("total").GetProperty("amount").GetInt64(),
                r.Data.GetProperty("captured").GetProperty("amount").GetInt64()));
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task A_checkout_that_takes_stock_below_its_reorder_point_delivers_the_low_stock_event_with_the_orders()
    {
        var s = await Scenario.StartAsync();
        var node = await s.WarehouseAsync();
        var sku = await s.ProductAsync(stock: 5);
        var supplier = "SUP-" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Acme Supply", leadTimeDays = 3 })).StatusCode);
        var settings = await s.Admin.PutAsJsonAsync($"/api/v1/inventory/{sku}/nodes/{node}", new { safetyStock = 0, reorderPoint = 3, reorderQuantity = 20, supplierCode = supplier });
        Assert.True(settings.StatusCode == HttpStatusCode.OK, await settings.Content.ReadAsStringAsync());
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.*", "inventory.low_stock");
        try
        {
            // The stock counter's event has no aggregate: it is written by the checkout's own statement, queued with the order's.
            var body = s.OrderBody(sku, 4);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            var id = (await s.PlaceAsync(body)).GetProperty("id").GetString()!;

            await receiver.WaitForAsync(r => receiver.AcceptedFor(id).Count >= 3 && r.Any(w => w.Type == "inventory.low_stock" && w.Data.GetProperty("sku").GetString() == sku),
                what: "the checkout's order and stock events");
            var low = receiver.Received.Single(w => w.Type == "inventory.low_stock" && w.Data.GetProperty("sku").GetString() == sku);
            Assert.Equal((5, 4, 1), (low.Data.GetProperty("onHand").GetInt32(), low.Data.GetProperty("reserved").GetInt32(), low.Data.GetProperty("available").GetInt32()));
            Assert.Equal(new[] { "order.placed", "order.confirmed", "order.allocated" }, receiver.AcceptedFor(id).Select(r => r.Type).ToArray());
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task One_orders_events_arrive_in_the_order_they_happened_even_through_failures()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        receiver.Respond = (_, id) => attempts.AddOrUpdate(id, 1, (_, n) => n + 1) == 1 ? 500 : 200; // every first attempt fails
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.*");
        try
        {
            var id = (await s.PlaceAsync()).GetProperty("id").GetString()!;
            await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null);
            await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "check" }));
            await s.Admin.PatchAsync($"/api/v1/orders/{id}", Scenario.Content(new { notes = "gift" }));
            await s.Admin.PostAsync($"/api/v1/orders/{id}/release", null);
            await s.Admin.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "done" }));

            var expected = new[] { "order.placed", "order.confirmed", "order.allocated", "order.on_hold", "order.updated", "order.allocated", "order.cancelled" };
            await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Count >= expected.Length, what: "seven order events");
            var accepted = receiver.AcceptedFor(id);
            Assert.Equal(expected, accepted.Select(r => r.Type).ToArray());
            Assert.Equal(accepted.Select(r => r.Data.GetProperty("version").GetInt32()).Order().ToArray(), accepted.Select(r => r.Data.GetProperty("version").GetInt32()).ToArray());
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task A_subscription_to_one_event_type_gets_that_event_and_none_of_the_saves_before_it()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var (subscription, _) = await SubscribeAsync(s, receiver, "order.cancelled");
        try
        {
            var id = (await s.PlaceAsync()).GetProperty("id").GetString()!;
            // Every step must land, or fewer saves would come before the cancellation than the test claims.
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/confirm", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/hold", Scenario.Content(new { reason = "check" }))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/release", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/v1/orders/{id}/cancel", Scenario.Content(new { reason = "done" }))).StatusCode);

            await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Count >= 1, what: "the cancellation");
            // One order's deliveries go in the order of its events: anything else it was sent would have come first.
            var only = Assert.Single(receiver.AcceptedFor(id));
            Assert.Equal("order.cancelled", only.Type);
            Assert.Equal("cancelled", only.Data.GetProperty("status").GetString());
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task A_rotated_secret_verifies_with_old_and_new_during_the_overlap_and_a_replay_keeps_its_webhook_id()
    {
        var s = await Scenario.StartAsync();
        await using var oldOnly = await WebhookReceiver.StartAsync();
        var (subscription, oldSecret) = await SubscribeAsync(s, oldOnly, "product.*");
        try
        {
            var rotate = await s.Admin.PostAsync($"/api/v1/webhook-subscriptions/{subscription}/rotate-secret", null);
            var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
            var newSecret = rotated.GetProperty("secret").GetString()!;
            Assert.NotEqual(oldSecret, newSecret);
            Assert.NotEqual(JsonValueKind.Null, rotated.GetProperty("subscription").GetProperty("previousSecretExpiresAt").ValueKind);

            var sku = await s.ProductAsync(stock: 0);
            await oldOnly.WaitForAsync(r => r.Any(x => x.Data.TryGetProperty("sku", out var v) && v.GetString() == sku && x.AnsweredWith == 200), what: "product.created");
            var delivered = oldOnly.Received.First(x => x.Data.TryGetProperty("sku", out var v) && v.GetString() == sku);
            Assert.Equal(2, delivered.Signature.Split(' ').Distinct().Count()); // signed with both secrets
            Assert.Contains(oldSecret, delivered.VerifiedWith);
            // A verifier that only knows the new secret accepts the same request.
            oldOnly.Secrets.Clear();
            oldOnly.Secrets[newSecret] = true;

            var replay = await s.Admin.PostAsJsonAsync($"/api/v1/webhook-subscriptions/{subscription}/replay", new { eventId = delivered.WebhookId });
            Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("queued").GetInt32());
            await oldOnly.WaitForAsync(r => r.Count(x => x.WebhookId == delivered.WebhookId) >= 2, what: "the replayed event");
            var again = oldOnly.Received.Last(x => x.WebhookId == delivered.WebhookId);
            Assert.Contains(newSecret, again.VerifiedWith);
            Assert.Equal(200, again.AnsweredWith);
        }
        finally
        {
            await DeactivateAsync(s, subscription);
        }
    }

    [Fact]
    public async Task Gone_disables_the_subscription_and_says_so_in_an_event()
    {
        var s = await Scenario.StartAsync();
        await using var gone = await WebhookReceiver.StartAsync();
        gone.Respond = (_, _) => 410;
        await using var watcher = await WebhookReceiver.StartAsync();
        var (goneId, _) = await SubscribeAsync(s, gone, "webhook.ping");
        var (watcherId, _) = await SubscribeAsync(s, watcher, "webhook_subscription.disabled");
        try
        {
            var ping = await s.Admin.PostAsync($"/api/v1/webhook-subscriptions/{goneId}/test", null);
            Assert.Equal(HttpStatusCode.Accepted, ping.StatusCode);

            await watcher.WaitForAsync(r => r.Any(x => x.Data.GetProperty("id").GetString() == goneId), what: "webhook_subscription.disabled");
            var subscription = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/webhook-subscriptions/{goneId}");
            Assert.False(subscription.GetProperty("active").GetBoolean());
            Assert.Contains("410", subscription.GetProperty("disabledReason").GetString());
            Assert.Single(gone.Received); // no retries after 410
        }
        finally
        {
            await DeactivateAsync(s, watcherId);
        }
    }

    [Fact]
    public async Task Subscriptions_are_managed_and_pinged_through_GraphQL_too()
    {
        var s = await Scenario.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync();
        var created = await s.GraphQLDataAsync("mutation($url: String!) { createWebhookSubscription(url: $url, eventFilters: [\"webhook.ping\"]) { secret subscription { id active } } }",
            new { url = receiver.Url.ToString() });
        var id = created.GetProperty("createWebhookSubscription").GetProperty("subscription").GetProperty("id").GetString()!;
        receiver.Secrets[created.GetProperty("createWebhookSubscription").GetProperty("secret").GetString()!] = true;
        try
        {
            var eventId = (await s.GraphQLDataAsync("mutation($id: ID!) { testWebhookSubscription(id: $id) }", new { id })).GetProperty("testWebhookSubscription").GetString();
            await receiver.WaitForAsync(r => r.Any(x => x.WebhookId == eventId && x.AnsweredWith == 200), what: "the ping");
            JsonElement delivery = default;
            for (var i = 0; i < 100; i++) // the outcome is recorded just after the response
            {
                var log = await s.GraphQLDataAsync("query($id: ID!) { webhookDeliveries(subscriptionId: $id) { nodes { eventId eventType status attemptLog { statusCode } } } }", new { id });
                delivery = log.GetProperty("webhookDeliveries").GetProperty("nodes").EnumerateArray().Single(d => d.GetProperty("eventId").GetString() == eventId);
                if (delivery.GetProperty("status").GetString() != "PENDING") break;
                await Task.Delay(50);
            }
            Assert.Equal("webhook.ping", delivery.GetProperty("eventType").GetString());
            Assert.Equal("SUCCEEDED", delivery.GetProperty("status").GetString());
        }
        finally
        {
            await s.GraphQLDataAsync("mutation($id: ID!) { updateWebhookSubscription(id: $id, active: false) { active } }", new { id });
        }
    }

    [Fact]
    public async Task Subscriptions_validate_their_url_and_filters_and_the_catalog_is_served_and_committed()
    {
        var s = await Scenario.StartAsync();
        var bad = await s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = "ftp://example.com/x", eventFilters = new[] { "order.*" } });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("url", out _));
        var unknown = await s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = "https://example.com/x", eventFilters = new[] { "order.exploded" } });
        Assert.True((await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("eventFilters[0]", out _));
        var noScope = s.Factory.Client(await s.Factory.KeyWithScopesAsync("orders-only-" + s.Tag, "orders:write"));
        Assert.Equal(HttpStatusCode.Forbidden, (await noScope.GetAsync("/api/v1/webhook-subscriptions")).StatusCode);

        var served = await s.Admin.GetStringAsync("/api/v1/webhook-event-types");
        var catalog = JsonDocument.Parse(served).RootElement;
        var types = catalog.EnumerateArray().Select(t => t.GetProperty("type").GetString()!).ToHashSet();
        foreach (var t in new[] { "order.placed", "order.shipped", "allocation.rejected", "inventory.low_stock", "purchase_order.received", "webhook_subscription.disabled" })
            Assert.Contains(t, types);
        Assert.All(catalog.EnumerateArray(), t => Assert.Equal(t.GetProperty("type").GetString(), t.GetProperty("example").GetProperty("type").GetString()));

        var path = ContractTests.RepoFile("openapi/webhook-events.json");
        var pretty = JsonSerializer.Serialize(catalog, new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("UPDATE_CONTRACTS") == "1") await File.WriteAllTextAsync(path, pretty);
        Assert.Equal((await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n"), pretty);

        // Whatever the system emitted so far is in the catalog.
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var emitted = await db.OutboxMessages.Select(m => m.Type).Distinct().ToListAsync();
        Assert.All(emitted, t => Assert.Contains(t, types));
    }
}
