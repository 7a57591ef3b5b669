using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests;

public sealed class AuditTests
{
    private static async Task<JsonElement[]> EventsAsync(Scenario s, string query) =>
        (await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/audit-events?limit=250&" + query)).GetProperty("data").EnumerateArray().ToArray();

    private static JsonElement Change(JsonElement e, string field) => e.GetProperty("changes").EnumerateArray().Single(c => c.GetProperty("field").GetString() == field);

    [Fact]
    public async Task A_change_records_who_through_which_operation_and_each_field_before_and_after()
    {
        var s = await Scenario.StartAsync();
        var name = "catalog-sync-" + s.Tag;
        var sync = s.Factory.Client(await s.Factory.KeyWithScopesAsync(name, "catalog:write"));
        var sku = await s.ProductAsync(price: 2500, stock: 0);
        var patched = await sync.PatchAsJsonAsync($"/api/v1/products/{sku}", new { price = new { amount = 2750, currency = "EUR" }, brand = "Acme" });
        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);

        var events = await EventsAsync(s, $"resourceType=product&resourceId={sku}");
        Assert.Equal(["updated", "created"], events.Select(e => e.GetProperty("action").GetString()));
        var update = events[0];
        Assert.Equal(("api_key", name, "updateProduct"), (update.GetProperty("actorKind").GetString(), update.GetProperty("actorName").GetString(), update.GetProperty("operation").GetString()));
        Assert.False(string.IsNullOrEmpty(update.GetProperty("actorId").GetString()));
        Assert.False(string.IsNullOrEmpty(update.GetProperty("requestId").GetString()));
        var price = Change(update, "priceAmount");
        Assert.Equal(("2500", "2750", false), (price.GetProperty("before").GetString(), price.GetProperty("after").GetString(), price.GetProperty("personal").GetBoolean()));
        // Only what changed: the brand was already Acme.
        Assert.Single(update.GetProperty("changes").EnumerateArray());
        Assert.Equal(sku, Change(events[1], "sku").GetProperty("after").GetString());

        var byActor = await EventsAsync(s, $"actor={name}");
        Assert.Equal(update.GetProperty("id").GetString(), byActor.Single().GetProperty("id").GetString());
    }

    [Fact]
    public async Task Orders_are_audited_from_the_checkout_on_by_key_person_and_GraphQL_without_keeping_personal_data()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync();
        var id = order.GetProperty("id").GetString()!;
        var email = $"eva.{s.Tag}@shop.example";
        var desk = s.Factory.Client(null);
        desk.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Identity.Mint("eva-" + s.Tag, email, ["customer_service"]));
        var edit = await desk.PatchAsJsonAsync($"/api/v1/orders/{id}", new { shippingAddress = new { name = "Eva Other", line1 = "Neue Str. 2", city = "Berlin", postalCode = "10115", country = "DE" } });
        Assert.True(edit.IsSuccessStatusCode, await edit.Content.ReadAsStringAsync());
        var (_, cancelled) = await s.GraphQLAsync("mutation($id: ID!) { cancelOrder(id: $id, reason: \"duplicate\") { status } }", new { id }, desk);
        Assert.Equal("CANCELLED", cancelled.GetProperty("data").GetProperty("cancelOrder").GetProperty("status").GetString());

        var events = await EventsAsync(s, $"resourceType=order&resourceId={id}");
        Assert.Equal(["updated", "updated", "created"], events.Select(e => e.GetProperty("action").GetString()));
        var created = events[2];
        Assert.Equal("placeOrder", created.GetProperty("operation").GetString());
        Assert.Equal("pending", Change(created, "status").GetProperty("after").GetString());
        var moved = events[1];
        Assert.Equal(("person", email, "eva-" + s.Tag), (moved.GetProperty("actorKind").GetString(), moved.GetProperty("actorName").GetString(), moved.GetProperty("actorId").GetString()));
        Assert.Equal(("10117", "10115"), (Change(moved, "shippingAddress.postalCode").GetProperty("before").GetString(), Change(moved, "shippingAddress.postalCode").GetProperty("after").GetString()));
        Assert.DoesNotContain(moved.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() is "shippingAddress.city" or "shippingAddress.country");
        var street = Change(moved, "shippingAddress.line1");
        Assert.True(street.GetProperty("personal").GetBoolean());
        Assert.Equal(JsonValueKind.Null, street.GetProperty("before").ValueKind);
        Assert.Equal(JsonValueKind.Null, street.GetProperty("after").ValueKind);
        Assert.DoesNotContain("Neue Str", moved.ToString());
        var cancel = events[0];
        Assert.Equal("graphql:cancelOrder", cancel.GetProperty("operation").GetString());
        Assert.Equal("cancelled", Change(cancel, "status").GetProperty("after").GetString());

        var (_, graph) = await s.GraphQLAsync("query($id: String!) { auditEvents(resourceType: \"order\", resourceId: $id) { nodes { action operation changes { field before after personal } } } }", new { id });
        Assert.Equal(3, graph.GetProperty("data").GetProperty("auditEvents").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task A_change_that_rolled_back_has_no_event_and_the_trail_cannot_be_rewritten()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0);
        // Ten writers at once without If-Match: those that lose the version check are refused, and leave no event.
        var answers = await Task.WhenAll(Enumerable.Range(1, 10).Select(i => s.Admin.PatchAsJsonAsync($"/api/v1/products/{sku}", new { weightGrams = 100 + i })));
        var won = answers.Count(a => a.StatusCode == HttpStatusCode.OK);
        Assert.All(answers, a => Assert.Contains(a.StatusCode, new[] { HttpStatusCode.OK, HttpStatusCode.Conflict }));
        Assert.True(won < 10, "no writer lost: the test shows nothing");
        Assert.Equal(won, (await EventsAsync(s, $"resourceType=product&resourceId={sku}&action=updated")).Length);

        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("UPDATE audit_events SET action = 'deleted' WHERE resource_id = {0}", sku));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("DELETE FROM audit_events WHERE resource_id = {0}", sku));
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("TRUNCATE audit_events"));
        // The retention job removes nothing younger than its retention.
        Assert.Equal(0, await s.Factory.Services.GetServices<Microsoft.Extensions.Hosting.IHostedService>().OfType<Oms.Api.Audit.AuditRetention>().Single().RunAsync(default));
        Assert.Equal(won + 1, (await EventsAsync(s, $"resourceType=product&resourceId={sku}")).Length);
    }

    [Fact]
    public async Task Stock_changes_keys_and_roles_are_audited_and_bad_filters_name_the_field()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(stock: 0);
        var node = await s.WarehouseAsync();
        Assert.True((await s.Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode = node, delta = 7, reason = "received" })).IsSuccessStatusCode);
        var stock = (await EventsAsync(s, "resourceType=stock")).First(e => e.GetProperty("resourceId").GetString()!.StartsWith(sku + "@"));
        Assert.Equal(("0", "7"), (Change(stock, "onHand").GetProperty("before").GetString(), Change(stock, "onHand").GetProperty("after").GetString()));
        Assert.Equal("received", Change(stock, "reason").GetProperty("after").GetString());

        var role = "auditors_" + s.Tag;
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/roles", new { name = role, scopes = new[] { "reports:read" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.DeleteAsync($"/api/v1/roles/{role}")).StatusCode);
        Assert.Equal(["deleted", "created"], (await EventsAsync(s, $"resourceType=role&resourceId={role}")).Select(e => e.GetProperty("action").GetString()));
        var key = await s.Factory.KeyWithScopesAsync("k-" + s.Tag, "orders:read");
        var keyEvent = (await EventsAsync(s, "resourceType=api_key&action=created")).First(e => Change(e, "name").GetProperty("after").GetString() == "k-" + s.Tag);
        Assert.DoesNotContain(keyEvent.GetProperty("changes").EnumerateArray(), c => c.GetProperty("field").GetString() == "hash");
        Assert.DoesNotContain(key, keyEvent.ToString());

        foreach (var (query, field) in new[] { ("action=renamed", "action"), ("actorKind=robot", "actorKind"), ("from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z", "to") })
        {
            var bad = await s.Admin.GetAsync("/api/v1/audit-events?" + query);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }
        var reader = s.Factory.Client(key);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.GetAsync("/api/v1/audit-events")).StatusCode);
    }
}
