using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>Personal data (issue 39, item 4): masked without customers:pii in both APIs, and reads of it recorded.</summary>
public sealed class PersonalDataTests
{
    private static async Task<HttpClient> KeyAsync(Scenario s, params string[] scopes)
    {
        var made = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "pii-" + s.Tag + "-" + Guid.NewGuid().ToString("N")[..4], scopes });
        Assert.Equal(HttpStatusCode.Created, made.StatusCode);
        return s.Factory.Client((await made.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString());
    }

    private static JsonObject Body(Scenario s, string sku)
    {
        var body = s.OrderBody(sku, email: s.Email("ada"));
        body["customer"]!["phone"] = "+49 30 1234567";
        body["shippingAddress"]!["phone"] = "+49 30 7654321";
        body["shippingAddress"]!["line2"] = "Hinterhaus";
        return body;
    }

    [Fact]
    public async Task Without_customers_pii_names_emails_phones_and_street_lines_are_masked_in_both_APIs_and_on_the_slip_and_document()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var order = await s.PaidOrderAsync(Body(s, sku));
        var id = order.GetProperty("id").GetString()!;
        var email = s.Email("ada");
        var desk = await KeyAsync(s, "orders:read", "customers:read", "fulfilment:read", "documents:read");
        var trusted = await KeyAsync(s, "orders:read", "customers:read", "customers:pii");

        var masked = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal("a***@example.com", masked.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("A*** L***", masked.GetProperty("customer").GetProperty("name").GetString());
        Assert.Equal("***67", masked.GetProperty("customer").GetProperty("phone").GetString());
        var ship = masked.GetProperty("shippingAddress");
        Assert.Equal(("A*** L***", "***", "***", "***21"), (ship.GetProperty("name").GetString(), ship.GetProperty("line1").GetString(), ship.GetProperty("line2").GetString(), ship.GetProperty("phone").GetString()));
        Assert.Equal(("Berlin", "10117", "DE"), (ship.GetProperty("city").GetString(), ship.GetProperty("postalCode").GetString(), ship.GetProperty("country").GetString()));
        Assert.DoesNotContain("Unter den Linden", masked.GetRawText());
        Assert.DoesNotContain(email, masked.GetRawText());

        var seen = await trusted.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
        Assert.Equal(email, seen.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("Unter den Linden 1", seen.GetProperty("shippingAddress").GetProperty("line1").GetString());

        // GraphQL masks the same fields, nested or not.
        const string query = "query($id: ID!) { order(id: $id) { customer { email name phone } shippingAddress { name line1 city postalCode } customerId } }";
        var graph = (await s.GraphQLDataAsync(query, new { id }, desk)).GetProperty("order");
        Assert.Equal("a***@example.com", graph.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("***", graph.GetProperty("shippingAddress").GetProperty("line1").GetString());
        Assert.Equal("10117", graph.GetProperty("shippingAddress").GetProperty("postalCode").GetString());
        var customerId = graph.GetProperty("customerId").GetString();
        var customer = (await s.GraphQLDataAsync("query($id: ID!) { customer(id: $id) { email name addresses { address { line1 city } } } }", new { id = customerId }, desk)).GetProperty("customer");
        Assert.Equal("a***@example.com", customer.GetProperty("email").GetString());
        Assert.All(customer.GetProperty("addresses").EnumerateArray(), a => Assert.Equal("***", a.GetProperty("address").GetProperty("line1").GetString()));
        Assert.Equal(email, (await s.GraphQLDataAsync("query($id: ID!) { customer(id: $id) { email } }", new { id = customerId }, trusted)).GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal("A*** L***", (await desk.GetFromJsonAsync<JsonElement>($"/api/v1/customers/{customerId}")).GetProperty("name").GetString());

        // The packing slip shows where the parcel goes, not to whom; the invoice is masked as JSON and as rendered.
        var fulfilment = (await s.FulfilmentOrdersAsync(id)).Single().GetProperty("id").GetString();
        var slip = await desk.GetStringAsync($"/api/v1/fulfilment-orders/{fulfilment}/packing-slip");
        Assert.Contains("10117 Berlin", slip);
        Assert.DoesNotContain("Unter den Linden", slip);
        Assert.DoesNotContain("Ada", slip);
        Assert.Contains("Unter den Linden", await s.Admin.GetStringAsync($"/api/v1/fulfilment-orders/{fulfilment}/packing-slip"));
        string? invoice = null;
        for (var i = 0; i < 200 && invoice is null; i++)
        {
            invoice = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/documents")).EnumerateArray()
                .Where(d => d.GetProperty("kind").GetString() == "invoice").Select(d => d.GetProperty("id").GetString()).FirstOrDefault();
            if (invoice is null) await Task.Delay(50);
        }
        var document = await desk.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{invoice}");
        Assert.Equal("A*** L***", document.GetProperty("buyer").GetProperty("name").GetString());
        Assert.Equal("***", document.GetProperty("shipTo").GetProperty("line1").GetString());
        Assert.NotEqual("***", document.GetProperty("seller").GetProperty("name").GetString());
        var page = await desk.GetStringAsync($"/api/v1/documents/{invoice}/html");
        Assert.DoesNotContain("Unter den Linden", page);
        Assert.DoesNotContain("Lovelace", page);
        Assert.Contains("Unter den Linden", await s.Admin.GetStringAsync($"/api/v1/documents/{invoice}/html"));

        // A report names a customer by name: masked too for an analyst, whose role has no customers:pii.
        await s.ReportsCurrentAsync();
        var analyst = await KeyAsync(s, "reports:read");
        var top = await analyst.GetStringAsync($"/api/v1/reports/top/customers?customer={customerId}");
        Assert.Contains("\"A*** L***\"", top);
        Assert.DoesNotContain("Lovelace", top);
        Assert.Contains("Ada Lovelace", await s.Admin.GetStringAsync($"/api/v1/reports/top/customers?customer={customerId}"));

        // An order placed by a key without the scope answers masked too; what it sent is stored as sent.
        var shopFront = await KeyAsync(s, "orders:write");
        var placed = await shopFront.PostAsync("/api/v1/orders", Scenario.Content(Body(s, sku)));
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var answer = await placed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("a***@example.com", answer.GetProperty("customer").GetProperty("email").GetString());
        Assert.Equal(email, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{answer.GetProperty("id").GetString()}")).GetProperty("customer").GetProperty("email").GetString());
    }

    [Fact]
    public async Task Reading_a_customers_personal_data_is_recorded_with_who_and_when_and_a_masked_read_is_not()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PlaceAsync(Body(s, await s.ProductAsync()));
        var customerId = order.GetProperty("customerId").GetString();
        var orderId = order.GetProperty("id").GetString();

        var masked = await KeyAsync(s, "customers:read", "orders:read");
        Assert.Equal(HttpStatusCode.OK, (await masked.GetAsync($"/api/v1/customers/{customerId}")).StatusCode);
        var person = s.Factory.Client(null);
        person.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestApp.Identity.Mint("desk-" + s.Tag, s.Email("desk"), ["customer_service"]));
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"/api/v1/customers/{customerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await person.GetAsync($"/api/v1/orders/{orderId}")).StatusCode);

        var customerViews = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit-events?resourceType=customer&resourceId={customerId}&action=viewed"))
            .GetProperty("data").EnumerateArray().ToList();
        var view = Assert.Single(customerViews);
        Assert.Equal(("person", s.Email("desk"), "getCustomer"), (view.GetProperty("actorKind").GetString(), view.GetProperty("actorName").GetString(), view.GetProperty("operation").GetString()));
        Assert.True(view.GetProperty("at").GetDateTimeOffset() >= before);
        var orderView = Assert.Single((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit-events?resourceType=order&resourceId={orderId}&action=viewed")).GetProperty("data").EnumerateArray());
        Assert.Equal("person", orderView.GetProperty("actorKind").GetString());
        // GraphQL reads are recorded as well.
        await s.GraphQLDataAsync("query($id: ID!) { customer(id: $id) { email } }", new { id = customerId }, person);
        Assert.Equal(2, (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/audit-events?resourceType=customer&resourceId={customerId}&action=viewed")).GetProperty("data").GetArrayLength());
    }
}
