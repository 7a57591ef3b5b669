using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Oms.Api.Tests.Support;

/// <summary>Builds the data a test needs through the public API; every name is unique, so tests run in parallel.</summary>
public sealed class Scenario(ApiFactory factory)
{
    public ApiFactory Factory { get; } = factory;
    public HttpClient Admin { get; } = factory.Admin();
    public string Tag { get; } = Guid.NewGuid().ToString("N")[..10];

    public static async Task<Scenario> StartAsync() => new(await TestApp.GetAsync());

    public string Email(string who = "buyer") => $"{who}.{Tag}@example.com";

    /// <summary>A product with <paramref name="stock"/> units at this scenario's own warehouse (made on first use).</summary>
    public async Task<string> ProductAsync(long price = 2500, string currency = "EUR", bool active = true, string? sku = null, int stock = 1000,
        string backorderPolicy = "deny")
    {
        sku ??= $"T-{Tag}-{Guid.NewGuid().ToString("N")[..6]}";
        var response = await Admin.PostAsJsonAsync("/api/v1/products", new
        {
            sku, name = $"Test product {sku}", brand = "Acme", category = "Tests",
            price = new { amount = price, currency }, weightGrams = 400, active, backorderPolicy,
        });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        if (stock > 0) await StockAsync(sku, await WarehouseAsync(), stock);
        return sku;
    }

    private string? _warehouse;

    /// <summary>This scenario's default warehouse in Berlin, serving everywhere.</summary>
    public async Task<string> WarehouseAsync() => _warehouse ??= await NodeAsync("WH", 52.52, 13.40, "DE");

    /// <summary>Creates a node with a unique code built from <paramref name="name"/>; returns the code.</summary>
    public async Task<string> NodeAsync(string name, double latitude, double longitude, string country, string kind = "warehouse",
        int priority = 0, int? dailyCapacity = null, bool canPickup = false, string[]? serves = null)
    {
        var code = $"{name}-{Tag}".ToUpperInvariant();
        var response = await Admin.PostAsJsonAsync("/api/v1/fulfilment-nodes", new
        {
            code, kind, name = $"{name} {Tag}", timeZone = "Europe/Berlin", priority, dailyCapacity, canPickup, servesCountries = serves,
            address = new { name, line1 = "Depot 1", city = name, country, latitude, longitude },
            shippingCost = new { @base = 300, perKg = 50, per100Km = 20, currency = "EUR" },
        });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return code;
    }

    /// <summary>Adds <paramref name="quantity"/> units of a SKU at a node.</summary>
    public async Task StockAsync(string sku, string nodeCode, int quantity)
    {
        var response = await Admin.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku, nodeCode, reason = "received", delta = quantity });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public JsonObject OrderBody(string sku, int quantity = 1, string? email = null, string channel = "web", string? channelRef = null) =>
        NewOrderBody(sku, email ?? Email(), quantity, channel, channelRef);

    public static JsonObject NewOrderBody(string sku, string email, int quantity = 1, string channel = "web", string? channelRef = null) => new()
    {
        ["channel"] = channel,
        ["channelOrderRef"] = channelRef,
        ["customer"] = new JsonObject { ["email"] = email, ["name"] = "Ada Lovelace" },
        ["shippingAddress"] = new JsonObject
        {
            ["name"] = "Ada Lovelace", ["line1"] = "Unter den Linden 1", ["city"] = "Berlin", ["postalCode"] = "10117", ["country"] = "DE",
        },
        ["currency"] = "EUR",
        ["lines"] = new JsonArray(new JsonObject { ["sku"] = sku, ["quantity"] = quantity }),
    };

    public async Task<JsonElement> PlaceAsync(JsonObject body, HttpClient? client = null)
    {
        var response = await (client ?? Admin).PostAsync("/api/v1/orders", Content(body));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<JsonElement> PlaceAsync(string? sku = null, int quantity = 1) => await PlaceAsync(OrderBody(sku ?? await ProductAsync(), quantity));

    /// <summary>Places an order, pays it by bank transfer in full (which confirms and routes it); returns the order as it is then.</summary>
    public async Task<JsonElement> PaidOrderAsync(JsonObject body)
    {
        var id = (await PlaceAsync(body)).GetProperty("id").GetString();
        var payment = await (await Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer" })).Content.ReadFromJsonAsync<JsonElement>();
        var received = await MarkReceivedAsync(id!, payment.GetProperty("id").GetString()!, new { amount = payment.GetProperty("amount").GetProperty("amount").GetInt64() });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
        return await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}");
    }

    /// <summary>Offline money arrived: sent with a new Idempotency-Key (or <paramref name="ifMatch"/>), one of which the call requires.</summary>
    public async Task<HttpResponseMessage> MarkReceivedAsync(string orderId, string paymentId, object body, string? idempotencyKey = null, int? ifMatch = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/orders/{orderId}/payments/{paymentId}/mark-received") { Content = Content(body) };
        if (ifMatch is { } version) request.Headers.IfMatch.ParseAdd($"\"{version}\"");
        else request.Headers.Add("Idempotency-Key", idempotencyKey ?? Guid.NewGuid().ToString("N"));
        return await Admin.SendAsync(request);
    }

    public async Task<List<JsonElement>> FulfilmentOrdersAsync(string orderId) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-orders?orderId={orderId}")).GetProperty("data").EnumerateArray().ToList();

    /// <summary>Ships every open fulfilment order of the order and reports each shipment delivered; returns the order.</summary>
    public async Task<JsonElement> DeliverAllAsync(string orderId, DateTimeOffset? deliveredAt = null)
    {
        foreach (var f in await FulfilmentOrdersAsync(orderId))
        {
            if (f.GetProperty("status").GetString() != "open") continue;
            var shipment = await ShipFulfilmentAsync(f.GetProperty("id").GetString()!);
            var delivered = await Admin.PostAsJsonAsync($"/api/v1/shipments/{shipment.GetProperty("id").GetString()}/tracking-events",
                new { status = "delivered", occurredAt = deliveredAt ?? DateTimeOffset.UtcNow });
            Assert.True(delivered.IsSuccessStatusCode, await delivered.Content.ReadAsStringAsync());
        }
        var order = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}");
        Assert.Equal("delivered", order.GetProperty("status").GetString());
        return order;
    }

    /// <summary>Waits until the reports count every change (their scope says none is pending).</summary>
    public async Task ReportsCurrentAsync()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var kpis = await Admin.GetFromJsonAsync<JsonElement>("/api/v1/reports/kpis");
            if (kpis.GetProperty("scope").GetProperty("pendingChanges").GetInt32() == 0) return;
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), "the rollups did not catch up in 30 s");
            await Task.Delay(50);
        }
    }

    public async Task<JsonElement> StockAtAsync(string sku, string nodeCode) =>
        (await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("nodes").EnumerateArray()
        .Single(n => n.GetProperty("nodeCode").GetString() == nodeCode);

    /// <summary>Packs and ships the fulfilment order of an allocation (as returned by the routing endpoints); returns the shipment.</summary>
    public async Task<JsonElement> ShipAllocationAsync(JsonElement allocation)
    {
        var orderId = allocation.GetProperty("orderId").GetString();
        var list = await Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-orders?orderId={orderId}");
        var fulfilment = list.GetProperty("data").EnumerateArray().Single(f => f.GetProperty("allocationId").GetString() == allocation.GetProperty("id").GetString());
        return await ShipFulfilmentAsync(fulfilment.GetProperty("id").GetString()!);
    }

    public async Task<JsonElement> ShipFulfilmentAsync(string fulfilmentOrderId, string? trackingNumber = null)
    {
        var packed = await Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{fulfilmentOrderId}/pack",
            new { packages = new[] { new { weightGrams = 1200, lengthMm = 300, widthMm = 200, heightMm = 100 } } });
        Assert.True(packed.IsSuccessStatusCode, await packed.Content.ReadAsStringAsync());
        var shipped = await Admin.PostAsJsonAsync($"/api/v1/fulfilment-orders/{fulfilmentOrderId}/ship",
            new { carrier = "manual", service = "standard", trackingNumber = trackingNumber ?? $"TRK-{Guid.NewGuid():N}"[..24] });
        Assert.True(shipped.StatusCode == System.Net.HttpStatusCode.Created, await shipped.Content.ReadAsStringAsync());
        return await shipped.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static StringContent Content(JsonNode body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    public static StringContent Content(object body) => new(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");

    /// <summary>POSTs a GraphQL operation; returns the HTTP response and the parsed body.</summary>
    public async Task<(HttpResponseMessage Response, JsonElement Body)> GraphQLAsync(string query, object? variables = null, HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/graphql") { Content = Content(new { query, variables }) };
        request.Headers.Accept.ParseAdd("application/graphql-response+json");
        var response = await (client ?? Admin).SendAsync(request);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (response, body);
    }

    public async Task<JsonElement> GraphQLDataAsync(string query, object? variables = null, HttpClient? client = null)
    {
        var (_, body) = await GraphQLAsync(query, variables, client);
        Assert.False(body.TryGetProperty("errors", out var errors), errors.ToString());
        return body.GetProperty("data");
    }

    public static string? ErrorCode(JsonElement graphQLBody) =>
        graphQLBody.TryGetProperty("errors", out var errors) ? errors[0].GetProperty("extensions").GetProperty("code").GetString() : null;
}
