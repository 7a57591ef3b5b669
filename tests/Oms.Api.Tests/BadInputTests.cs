using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
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
