using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class CatalogTests
{
    [Fact]
    public async Task Products_are_unique_per_SKU_and_update_with_If_Match()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1234);

        var duplicate = await s.Admin.PostAsJsonAsync("/api/v1/products", new { sku, name = "Again", price = new { amount = 1, currency = "EUR" } });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Equal("catalog.duplicate_sku", (await duplicate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());

        var read = await s.Admin.GetAsync($"/api/v1/products/{sku}");
        var patch = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/products/{sku}") { Content = Scenario.Content(new { price = new { amount = 999, currency = "EUR" }, active = false }) };
        patch.Headers.IfMatch.Add(read.Headers.ETag!);
        var updated = await (await s.Admin.SendAsync(patch)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(999, updated.GetProperty("price").GetProperty("amount").GetInt64());
        Assert.False(updated.GetProperty("active").GetBoolean());
        Assert.Equal("Acme", updated.GetProperty("brand").GetString()); // untouched fields stay

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/products/{sku}") { Content = Scenario.Content(new { name = "x" }) };
        stale.Headers.IfMatch.Add(read.Headers.ETag!);
        Assert.Equal(HttpStatusCode.PreconditionFailed, (await s.Admin.SendAsync(stale)).StatusCode);

        var order = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(sku)));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, order.StatusCode); // inactive now
    }

    [Fact]
    public async Task Products_list_filters_and_pages_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var brand = "Brand-" + s.Tag;
        for (var i = 0; i < 5; i++)
            await s.Admin.PostAsJsonAsync("/api/v1/products", new { sku = $"L-{s.Tag}-{i}", name = $"Lamp {i}", brand, category = "Home", price = new { amount = 100 + i, currency = "EUR" } });

        var first = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/products?brand={brand}&limit=3");
        Assert.Equal(3, first.GetProperty("data").GetArrayLength());
        var second = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/products?brand={brand}&limit=3&cursor={first.GetProperty("next").GetString()}");
        Assert.Equal(2, second.GetProperty("data").GetArrayLength());
        Assert.False(second.GetProperty("hasMore").GetBoolean());

        var search = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/products?search=l-{s.Tag.ToUpperInvariant()}-3");
        Assert.Equal($"L-{s.Tag}-3", search.GetProperty("data")[0].GetProperty("sku").GetString());

        var data = await s.GraphQLDataAsync("query($b: String) { products(filter: { brand: $b }, first: 10) { nodes { sku price { amount currency } } } }", new { b = brand });
        Assert.Equal(5, data.GetProperty("products").GetProperty("nodes").GetArrayLength());

        var created = await s.GraphQLDataAsync("mutation { createProduct(input: { sku: \"G-" + s.Tag + "\", name: \"Via GraphQL\", price: { amount: 500, currency: \"EUR\" } }) { sku active weightGrams } }");
        Assert.True(created.GetProperty("createProduct").GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.GetAsync($"/api/v1/products/G-{s.Tag}")).StatusCode);
    }

    [Fact]
    public async Task Bad_products_are_rejected_with_the_field_named()
    {
        var s = await Scenario.StartAsync();
        var response = await s.Admin.PostAsJsonAsync("/api/v1/products", new { sku = "has space", name = "", price = new { amount = -1, currency = "XXX" }, weightGrams = -5 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        foreach (var field in new[] { "sku", "name", "price.currency", "weightGrams" })
            Assert.True(errors.TryGetProperty(field, out _), $"{field} missing in {errors}");
    }
}
