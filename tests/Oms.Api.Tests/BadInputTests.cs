using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Inputs a hostile or careless client sends: each answers a 4xx problem naming what is wrong, never a 500.</summary>
public sealed class BadInputTests
{
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(Scenario s, string method, string url, string? json)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), url);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await s.Admin.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Nulls_in_lists_overflowing_numbers_and_extreme_offsets_are_refused_not_crashed_on()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var node = await s.WarehouseAsync();
        var order = Scenario.NewOrderBody(sku, s.Email());
        JsonObject With(Action<JsonObject> change) { var o = (JsonObject)order.DeepClone(); change(o); return o; }
        var nodeBody = new JsonObject
        {
            ["code"] = "BAD-" + s.Tag, ["kind"] = "warehouse", ["name"] = "Bad", ["timeZone"] = "Europe/Berlin",
            ["address"] = new JsonObject { ["name"] = "B", ["line1"] = "L", ["city"] = "Berlin", ["country"] = "DE" },
            ["shippingCost"] = new JsonObject { ["base"] = 300, ["perKg"] = 50, ["per100Km"] = 20, ["currency"] = "EUR" },
        };
        JsonObject Node(Action<JsonObject> change) { var o = (JsonObject)nodeBody.DeepClone(); change(o); return o; }

        var expensive = "EXP-" + s.Tag;
        Assert.True((await s.Admin.PostAsJsonAsync("/api/v1/products", new { sku = expensive, name = "Dear", price = new { amount = 1_000_000_000_000L, currency = "EUR" } })).IsSuccessStatusCode);
        await s.StockAsync(expensive, node, 1_000_000);

        var cases = new (string Method, string Url, string? Body, string Field)[]
        {
            ("POST", "/api/v1/orders", With(o => o["lines"] = new JsonArray((JsonNode?)null)).ToJsonString(), "lines[0]"),
            ("POST", "/api/v1/fulfilment-nodes", Node(n => n["servesCountries"] = new JsonArray((JsonNode?)null)).ToJsonString(), "servesCountries[0]"),
            ("POST", "/api/v1/fulfilment-nodes", Node(n => n["shippingCost"]!["base"] = 2147483648L).ToJsonString(), "shippingCost.base"),
            ("POST", "/api/v1/products", JsonSerializer.Serialize(new { sku = "MAX-" + s.Tag, name = "Max", price = new { amount = long.MaxValue, currency = "EUR" } }), "price.amount"),
            ("POST", "/api/v1/orders", With(o => o["lines"] = new JsonArray(Enumerable.Range(0, 93).Select(_ => (JsonNode?)new JsonObject { ["sku"] = expensive, ["quantity"] = 100_000 }).ToArray())).ToJsonString(), "lines"),
            ("POST", "/api/v1/webhook-subscriptions", """{"url":"https://example.com/h","eventFilters":[null]}""", "eventFilters[0]"),
            ("POST", "/api/v1/inventory/adjustments", JsonSerializer.Serialize(new { sku, nodeCode = node, reason = "received", delta = int.MaxValue }), "delta"),
            ("GET", "/api/v1/reports/returns?to=2026-12-31T23:59:59%2B14:00", null, ""),
        };
        await RefusedNamingAsync(s, cases);
    }

    [Fact]
    public async Task Nulls_in_the_lists_of_every_workflow_and_stock_or_weight_past_what_a_row_holds_are_refused()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var node = await s.WarehouseAsync();
        var order = await s.PaidOrderAsync(s.OrderBody(sku));
        var orderId = order.GetProperty("id").GetString()!;
        var fulfilment = (await s.FulfilmentOrdersAsync(orderId))[0].GetProperty("id").GetString()!;
        var huge = new JsonArray(Enumerable.Range(0, 100).Select(_ => (JsonNode?)new JsonObject { ["weightGrams"] = 1_000_000, ["lengthMm"] = 10_000, ["widthMm"] = 10_000, ["heightMm"] = 10_000 }).ToArray());
        // A row that already holds almost all a node may: one more adjustment would pass it (and, repeated, the integer column).
        var full = "FULL-" + s.Tag;
        Assert.True((await s.Admin.PostAsJsonAsync("/api/v1/products", new { sku = full, name = "Full", price = new { amount = 100, currency = "EUR" } })).IsSuccessStatusCode);
        await s.StockAsync(full, node, 1);
        await using (var scope = s.Factory.Services.CreateAsyncScope())
            await scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>().Database
                .ExecuteSqlInterpolatedAsync($"UPDATE stock_items SET on_hand = {Oms.Domain.Inventory.StockItem.MaxOnHand - 10} WHERE sku = {full}");

        var cases = new (string Method, string Url, string? Body, string Field)[]
        {
            ("POST", $"/api/v1/fulfilment-orders/{fulfilment}/picks", """{"lines":[null]}""", "lines[0]"),
            ("POST", $"/api/v1/fulfilment-orders/{fulfilment}/pack", """{"packages":[null]}""", "packages[0]"),
            ("POST", $"/api/v1/fulfilment-orders/{fulfilment}/pack", new JsonObject { ["packages"] = huge }.ToJsonString(), "packages"),
            ("POST", "/api/v1/purchase-orders", JsonSerializer.Serialize(new { supplierCode = "ANY", nodeCode = node, lines = new object?[] { null } }), "lines[0]"),
            ("POST", $"/api/v1/orders/{orderId}/returns", """{"lines":[null]}""", "lines[0]"),
            ("PATCH", $"/api/v1/orders/{orderId}", """{"lines":[null]}""", "lines[0]"),
            ("POST", "/api/v1/inventory/adjustments", JsonSerializer.Serialize(new { sku = full, nodeCode = node, reason = "received", delta = 11 }), "delta"),
        };
        await RefusedNamingAsync(s, cases);

        // Nothing moved: the fulfilment order is still open, the stock row as it was.
        Assert.Equal("open", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-orders/{fulfilment}")).GetProperty("status").GetString());
        var level = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{full}");
        Assert.Equal(Oms.Domain.Inventory.StockItem.MaxOnHand - 10, level.GetProperty("onHand").GetInt32());
    }

    /// <summary>Each case answers 4xx naming its field in <c>errors</c> (a case without a field: anything but 5xx).</summary>
    private static async Task RefusedNamingAsync(Scenario s, (string Method, string Url, string? Body, string Field)[] cases)
    {
        var wrong = new List<string>();
        foreach (var (method, url, body, field) in cases)
        {
            var (status, text) = await SendAsync(s, method, url, body);
            if (field == "") { if ((int)status >= 500) wrong.Add($"{method} {url}: {(int)status} {text}"); continue; }
            if ((int)status is < 400 or >= 500) { wrong.Add($"{method} {url} [{field}]: {(int)status} {text[..Math.Min(300, text.Length)]}"); continue; }
            var errors = JsonDocument.Parse(text).RootElement.TryGetProperty("errors", out var e) ? e : default;
            if (errors.ValueKind != JsonValueKind.Object || !errors.EnumerateObject().Any(p => p.Name.StartsWith(field, StringComparison.Ordinal)))
                wrong.Add($"{method} {url}: {(int)status} does not name {field}: {text[..Math.Min(300, text.Length)]}");
        }
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
