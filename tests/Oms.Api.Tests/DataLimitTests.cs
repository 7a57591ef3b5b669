using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>
/// Keys limited to fulfilment nodes or channels (issue 39, item 3): outside their limits every resource answers as if
/// it did not exist, in every list and lookup of both APIs. Two of everything are made, one inside and one outside
/// the limits; the walk reads every GET operation of the served OpenAPI document and every root field of the served
/// GraphQL schema with each limited key, and finds none of the outside one's ids anywhere.
/// </summary>
public sealed class DataLimitTests
{
    private static readonly string[] ReadScopes =
        ["orders:read", "catalog:read", "inventory:read", "routing:read", "payments:read", "fulfilment:read", "returns:read", "customers:read", "documents:read"];

    /// <summary>Operations that reach every node and channel at once: a limited key is refused them (403), never served a part.</summary>
    private static bool ReachesEverything(string path) =>
        (path.StartsWith("/api/v1/reports", StringComparison.Ordinal) && path != "/api/v1/reports/returns") || path.StartsWith("/api/v1/exchange-rates", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/api-keys", StringComparison.Ordinal) || path.StartsWith("/api/v1/audit-events", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/roles", StringComparison.Ordinal) || path.StartsWith("/api/v1/webhook", StringComparison.Ordinal)
        || path.StartsWith("/api/v1/notification-templates", StringComparison.Ordinal);

    private static readonly HashSet<string> GraphFieldsReachingEverything =
        ["reports", "exchangeRates", "apiKeys", "roles", "role", "auditEvents", "webhookEventTypes", "webhookSubscriptions", "webhookDeliveries",
         "notificationTemplates", "previewNotification"];

    /// <summary>One side of the world: an order and everything hanging off it, at one node.</summary>
    private sealed record Side(string NodeCode, string NodeId, string Sku, string OrderId, string OrderNumber, string CustomerId, string Email,
        string FulfilmentId, string ShipmentId, string PaymentId, string ReturnId, string AllocationId, string DocumentId, string PurchaseOrderId)
    {
        /// <summary>What must never show to a key that cannot see this side, quoted as JSON writes it.</summary>
        public IEnumerable<string> Markers(bool nodeToo) =>
            new[] { OrderId, OrderNumber, CustomerId, Email, FulfilmentId, ShipmentId, PaymentId, ReturnId, AllocationId, DocumentId }
                .Concat(nodeToo ? [NodeId, NodeCode, PurchaseOrderId] : []).Select(m => $"\"{m}\"");
    }

    private sealed record World(Scenario S, Side In, Side Out, string Supplier);

    private static async Task<World> BuildAsync()
    {
        var s = await Scenario.StartAsync();
        var supplier = ("SUP-" + s.Tag).ToUpperInvariant();
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.PostAsJsonAsync("/api/v1/suppliers", new { code = supplier, name = "Supplier " + s.Tag, leadTimeDays = 3 })).StatusCode);
        var inside = await SideAsync(s, "IN", 52.52, 13.40, "marketplace", supplier);
        var outside = await SideAsync(s, "OUT", 48.14, 11.58, "web", supplier);
        return new World(s, inside, outside, supplier);
    }

    private static async Task<Side> SideAsync(Scenario s, string name, double lat, double lon, string channel, string supplier)
    {
        var code = await s.NodeAsync(name, lat, lon, "DE");
        var nodeId = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/fulfilment-nodes/{code}")).GetProperty("id").GetString()!;
        var sku = await s.ProductAsync(stock: 0);
        await s.StockAsync(sku, code, 50);
        var email = s.Email(name.ToLowerInvariant());
        var order = await s.PaidOrderAsync(s.OrderBody(sku, email: email, channel: channel));
        var orderId = order.GetProperty("id").GetString()!;
        var fulfilment = Assert.Single(await s.FulfilmentOrdersAsync(orderId));
        Assert.Equal(code, fulfilment.GetProperty("nodeCode").GetString());
        var fulfilmentId = fulfilment.GetProperty("id").GetString()!;
        await s.DeliverAllAsync(orderId);
        var shipment = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/shipments"))[0];
        var line = order.GetProperty("lines")[0].GetProperty("id").GetString();
        var requested = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "other" } } });
        Assert.True(requested.StatusCode == HttpStatusCode.Created, await requested.Content.ReadAsStringAsync());
        var rma = await requested.Content.ReadFromJsonAsync<JsonElement>();
        var returnId = rma.GetProperty("id").GetString()!;
        Assert.True((await s.Admin.PostAsJsonAsync($"/api/v1/returns/{returnId}/approve", new { })).IsSuccessStatusCode);
        var received = await s.Admin.PostAsJsonAsync($"/api/v1/returns/{returnId}/receive", new { nodeCode = code });
        Assert.True(received.IsSuccessStatusCode, await received.Content.ReadAsStringAsync());
        var payment = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/payments"))[0].GetProperty("id").GetString()!;
        var allocation = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/routing")).GetProperty("allocations")[0].GetProperty("id").GetString()!;
        var po = await s.Admin.PostAsJsonAsync("/api/v1/purchase-orders", new { supplierCode = supplier, nodeCode = code, lines = new[] { new { sku, quantity = 10 } } });
        Assert.True(po.StatusCode == HttpStatusCode.Created, await po.Content.ReadAsStringAsync());
        // The invoice is issued at confirmation, by the document issuer in the background.
        string? document = null;
        for (var i = 0; i < 200 && document is null; i++)
        {
            var docs = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/documents");
            document = docs.EnumerateArray().Where(d => d.GetProperty("kind").GetString() == "invoice" && d.GetProperty("status").GetString() != "draft")
                .Select(d => d.GetProperty("id").GetString()).FirstOrDefault();
            if (document is null) await Task.Delay(50);
        }
        Assert.NotNull(document);
        return new Side(code, nodeId, sku, orderId, order.GetProperty("number").GetString()!, order.GetProperty("customerId").GetString()!, email,
            fulfilmentId, shipment.GetProperty("id").GetString()!, payment, returnId, allocation, document,
            (await po.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!);
    }

    private static async Task<HttpClient> KeyAsync(Scenario s, object limits)
    {
        var body = JsonSerializer.SerializeToNode(limits)!.AsObject();
        body["name"] = "limited-" + s.Tag + "-" + Guid.NewGuid().ToString("N")[..4];
        var extra = body["scopes"]?.AsArray().Select(n => n!.GetValue<string>()) ?? [];
        body["scopes"] = JsonSerializer.SerializeToNode(ReadScopes.Concat(extra).ToArray());
        var made = await s.Admin.PostAsync("/api/v1/api-keys", Scenario.Content(body));
        Assert.True(made.StatusCode == HttpStatusCode.Created, await made.Content.ReadAsStringAsync());
        var created = await made.Content.ReadFromJsonAsync<JsonElement>();
        return s.Factory.Client(created.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Keys_limited_to_a_node_or_a_channel_find_nothing_outside_in_any_list_or_lookup_of_either_API()
    {
        var w = await BuildAsync();
        var s = w.S;
        var byNode = await KeyAsync(s, new { nodes = new[] { w.In.NodeId } });
        var byChannel = await KeyAsync(s, new { channels = new[] { "marketplace" } });

        foreach (var (client, nodesToo) in new[] { (byNode, true), (byChannel, false) })
        {
            var markers = w.Out.Markers(nodesToo).ToList();
            await WalkRestAsync(w, client, nodesToo, markers);
            await WalkGraphAsync(w, client, nodesToo, markers);
        }
    }

    [Fact]
    public async Task Limited_keys_and_people_act_only_inside_their_limits_and_keys_cannot_be_given_what_reaches_everything()
    {
        var w = await BuildAsync();
        var s = w.S;
        // A picker at the inside node: the outside node's work is unknown to it, its own is not.
        var picker = await KeyAsync(s, new { nodes = new[] { w.In.NodeId }, roles = new[] { "warehouse" } });
        var outsideWork = await picker.PostAsJsonAsync($"/api/v1/fulfilment-orders/{w.Out.FulfilmentId}/pack", new { packages = new[] { new { weightGrams = 100, lengthMm = 10, widthMm = 10, heightMm = 10 } } });
        Assert.Equal(HttpStatusCode.NotFound, outsideWork.StatusCode);
        var moved = await picker.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku = w.Out.Sku, nodeCode = w.Out.NodeCode, reason = "correction", delta = -1 });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, moved.StatusCode);
        Assert.Equal("nodeCode", (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Single().Name);
        Assert.Equal(50 - 1, (await s.StockAtAsync(w.Out.Sku, w.Out.NodeCode)).GetProperty("onHand").GetInt32()); // shipped one, nothing more
        var counted = await picker.PostAsJsonAsync("/api/v1/inventory/adjustments", new { sku = w.In.Sku, nodeCode = w.In.NodeCode, reason = "correction", delta = 2 });
        Assert.True(counted.IsSuccessStatusCode, await counted.Content.ReadAsStringAsync());
        var received = await picker.PostAsJsonAsync($"/api/v1/returns/{w.Out.ReturnId}/inspect", new { lines = new[] { new { orderLineId = Guid.NewGuid(), disposition = "restock" } } });
        Assert.Equal(HttpStatusCode.NotFound, received.StatusCode);

        // A marketplace connector places marketplace orders only, and cannot touch a web order.
        var connector = await KeyAsync(s, new { channels = new[] { "marketplace" }, scopes = new[] { "orders:write" } });
        var web = await connector.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(w.In.Sku, channel: "web")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, web.StatusCode);
        var refused = await web.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("access.channel_not_allowed", refused.GetProperty("code").GetString());
        Assert.True(refused.GetProperty("errors").TryGetProperty("channel", out _));
        Assert.Equal(HttpStatusCode.Created, (await connector.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody(w.In.Sku, channel: "marketplace")))).StatusCode);
        var cancel = await connector.PostAsJsonAsync($"/api/v1/orders/{w.Out.OrderId}/cancel", new { reason = "not mine" });
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        var (_, graph) = await s.GraphQLAsync("mutation($id: ID!) { holdOrder(id: $id, reason: \"x\") { id } }", new { id = w.Out.OrderId }, connector);
        Assert.Equal("not_found", Scenario.ErrorCode(graph));

        // Keys: what reaches every node and channel is not given to a limited key; unknown nodes and channels are named.
        foreach (var (body, code, field) in new (object, string, string)[]
                 {
                     (new { name = "x", scopes = new[] { "reports:read" }, nodes = new[] { w.In.NodeId } }, "api_key.limits_exclude_scope", "nodes"),
                     (new { name = "x", roles = new[] { "owner" }, channels = new[] { "web" } }, "api_key.limits_exclude_scope", "channels"),
                     (new { name = "x", scopes = new[] { "orders:read" }, nodes = new[] { Guid.NewGuid().ToString() } }, "api_key.unknown_node", "nodes[0]"),
                     (new { name = "x", scopes = new[] { "orders:read" }, channels = new[] { "web", "kiosk" } }, "access.unknown_channel", "channels[1]"),
                 })
        {
            var made = await s.Admin.PostAsJsonAsync("/api/v1/api-keys", body);
            Assert.Equal(HttpStatusCode.UnprocessableEntity, made.StatusCode);
            var problem = await made.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }

        // People: the identity provider's claim limits them the same way (node codes or ids); a claim naming nothing known limits to nothing.
        HttpClient Person(string subject, IEnumerable<string>? nodes = null, IEnumerable<string>? channels = null)
        {
            var client = s.Factory.Client(null);
            client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer",
                TestApp.Identity.Mint(subject + "-" + s.Tag, null, ["customer_service", "warehouse"], nodes: nodes, channels: channels));
            return client;
        }
        var storeClerk = Person("clerk", nodes: [w.In.NodeCode.ToLowerInvariant()]);
        Assert.Equal(HttpStatusCode.OK, (await storeClerk.GetAsync($"/api/v1/fulfilment-orders/{w.In.FulfilmentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storeClerk.GetAsync($"/api/v1/fulfilment-orders/{w.Out.FulfilmentId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await storeClerk.GetAsync($"/api/v1/orders/{w.Out.OrderId}")).StatusCode);
        var marketDesk = Person("desk", channels: ["marketplace"]);
        Assert.Equal(HttpStatusCode.OK, (await marketDesk.GetAsync($"/api/v1/orders/{w.In.OrderId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await marketDesk.GetAsync($"/api/v1/customers/{w.Out.CustomerId}")).StatusCode);
        var nowhere = Person("nowhere", nodes: ["NO-SUCH-NODE"]);
        Assert.Equal(HttpStatusCode.NotFound, (await nowhere.GetAsync($"/api/v1/fulfilment-orders/{w.In.FulfilmentId}")).StatusCode);
        Assert.DoesNotContain(w.In.OrderId, await nowhere.GetStringAsync("/api/v1/orders?limit=250"));
    }

    private static async Task WalkRestAsync(World w, HttpClient client, bool nodesToo, List<string> markers)
    {
        var document = await w.S.Admin.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var walked = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            if (!path.Value.TryGetProperty("get", out _)) continue;
            var template = path.Name;
            // Public pages (a customer's document link, the tracking page) are opened without a key.
            if (template.Contains("/public/") || template.StartsWith("/api/v1/tracking/", StringComparison.Ordinal)) continue;
            var inside = Fill(template, w, w.In);
            var answer = await client.GetAsync(inside);
            var text = await answer.Content.ReadAsStringAsync();
            if (ReachesEverything(template))
            {
                Assert.True(answer.StatusCode == HttpStatusCode.Forbidden, $"GET {inside}: {(int)answer.StatusCode} {text}");
                continue;
            }
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"GET {inside}: {(int)answer.StatusCode} {text}");
            AssertNone(markers, text, "GET " + inside);
            walked++;

            if (!template.Contains('{')) continue;
            var outside = Fill(template, w, w.Out);
            var limited = Limited(template, nodesToo);
            var other = await client.GetAsync(outside);
            var otherText = await other.Content.ReadAsStringAsync();
            if (limited)
            {
                Assert.True(other.StatusCode == HttpStatusCode.NotFound, $"GET {outside} should be unknown to a limited key: {(int)other.StatusCode} {otherText}");
                Assert.Equal("not_found", JsonDocument.Parse(otherText).RootElement.GetProperty("code").GetString());
            }
            else
            {
                Assert.True(other.StatusCode == HttpStatusCode.OK, $"GET {outside}: {(int)other.StatusCode} {otherText}");
                AssertNone(markers, otherText, "GET " + outside);
            }
        }
        Assert.True(walked >= 40, $"only {walked} operations walked");

        // Lists filtered to the outside: empty (or the filter's node unknown), never the outside's rows.
        foreach (var url in new[]
                 {
                     $"/api/v1/orders?customerEmail={Uri.EscapeDataString(w.Out.Email)}", $"/api/v1/orders?sku={w.Out.Sku}", "/api/v1/orders?channel=web&limit=250",
                     $"/api/v1/fulfilment-orders?orderId={w.Out.OrderId}", $"/api/v1/fulfilment-orders?nodeCode={w.Out.NodeCode}",
                     $"/api/v1/allocations?nodeCode={w.Out.NodeCode}", $"/api/v1/documents?orderId={w.Out.OrderId}", $"/api/v1/purchase-orders?nodeCode={w.Out.NodeCode}",
                     $"/api/v1/inventory?nodeCode={w.Out.NodeCode}", $"/api/v1/inventory?sku={w.Out.Sku}", $"/api/v1/inventory/{w.Out.Sku}/ledger?nodeCode={w.Out.NodeCode}",
                     $"/api/v1/customers?email={Uri.EscapeDataString(w.Out.Email)}", "/api/v1/returns?status=received&limit=250",
                 })
        {
            var answer = await client.GetAsync(url);
            var text = await answer.Content.ReadAsStringAsync();
            Assert.True(answer.StatusCode is HttpStatusCode.OK or HttpStatusCode.BadRequest, $"GET {url}: {(int)answer.StatusCode} {text}");
            AssertNone(markers, text, "GET " + url);
        }

        // And the inside is there: the limits hide the outside, not everything.
        foreach (var (url, marker) in new[]
                 {
                     ("/api/v1/orders?limit=250", w.In.OrderId), ("/api/v1/fulfilment-orders?limit=250", w.In.FulfilmentId), ("/api/v1/returns?limit=250", w.In.ReturnId),
                     ($"/api/v1/documents?orderId={w.In.OrderId}", w.In.DocumentId), ($"/api/v1/allocations?nodeCode={w.In.NodeCode}", w.In.AllocationId),
                     ($"/api/v1/customers?email={Uri.EscapeDataString(w.In.Email)}", w.In.CustomerId), ($"/api/v1/inventory/{w.In.Sku}", w.In.NodeCode),
                 })
            Assert.Contains($"\"{marker}\"", await client.GetStringAsync(url));
    }

    /// <summary>Whether the resource a template names is one the limits hide when outside (not products or suppliers; nor nodes and their purchase orders for a channel limit).</summary>
    private static bool Limited(string template, bool nodesToo) =>
        !template.StartsWith("/api/v1/products/", StringComparison.Ordinal) && !template.StartsWith("/api/v1/suppliers/", StringComparison.Ordinal)
        && !template.StartsWith("/api/v1/inventory/", StringComparison.Ordinal)
        && (nodesToo || !(template.StartsWith("/api/v1/fulfilment-nodes/", StringComparison.Ordinal) || template.StartsWith("/api/v1/purchase-orders/", StringComparison.Ordinal)));

    private static string Fill(string template, World w, Side side) => Regex.Replace(template, @"(?<resource>[a-z-]+)/(?:by-number/)?\{(?<name>\w+)\}", m =>
    {
        var resource = m.Groups["resource"].Value;
        var prefix = m.Value[..m.Value.IndexOf('{')];
        var value = (resource, m.Groups["name"].Value) switch
        {
            ("customers", _) => side.CustomerId,
            ("orders", "id" or "orderId") => side.OrderId,
            ("orders", "number") => side.OrderNumber,
            ("documents", _) => side.DocumentId,
            ("fulfilment-nodes", _) => side.NodeCode,
            ("fulfilment-orders", _) => side.FulfilmentId,
            ("purchase-orders", _) => side.PurchaseOrderId,
            ("returns", _) => side.ReturnId,
            ("allocations", _) => side.AllocationId,
            ("shipments", _) => side.ShipmentId,
            ("products" or "inventory", _) => side.Sku,
            ("suppliers", _) => w.Supplier,
            ("top", _) => "customers",
            ("roles", _) => "owner",
            ("webhook-subscriptions", _) => Guid.NewGuid().ToString(),
            var other => throw new InvalidOperationException($"The walk does not know what to put in {template} ({other}): teach it."),
        };
        return prefix + Uri.EscapeDataString(value);
    });

    private static void AssertNone(IEnumerable<string> markers, string text, string where)
    {
        foreach (var marker in markers)
            Assert.False(text.Contains(marker, StringComparison.Ordinal), $"{where} shows {marker}, which is outside the key's limits: {text[..Math.Min(text.Length, 2000)]}");
    }

    private static async Task WalkGraphAsync(World w, HttpClient client, bool nodesToo, List<string> markers)
    {
        var schema = new GraphSchema(await w.S.GraphQLDataAsync(GraphSchema.Introspection));
        var walked = 0;
        foreach (var field in schema.Fields("Query"))
        {
            var name = field.GetProperty("name").GetString()!;
            if (name == "tracking") continue; // public, by order number and e-mail
            var required = field.GetProperty("args").EnumerateArray().Where(a => a.GetProperty("type").GetProperty("kind").GetString() == "NON_NULL").ToList();
            var selection = schema.Selection(field, depth: 1);
            foreach (var side in required.Count == 0 ? [w.In] : new[] { w.In, w.Out })
            {
                var args = required.Count == 0 ? (field.GetProperty("args").EnumerateArray().Any(a => a.GetProperty("name").GetString() == "first") ? "(first: 40)" : "")
                    : "(" + string.Join(", ", required.Select(a => $"{a.GetProperty("name").GetString()}: {GraphArgument(name, a.GetProperty("name").GetString()!, w, side)}")) + ")";
                var query = $"{{ {name}{args} {selection} }}";
                var (_, body) = await w.S.GraphQLAsync(query, client: client);
                var text = body.GetRawText();
                var code = Scenario.ErrorCode(body);
                if (GraphFieldsReachingEverything.Contains(name))
                {
                    Assert.True(code == "forbidden", $"{query}: {text}");
                    break;
                }
                var outside = side == w.Out && GraphLimited(name, nodesToo);
                if (outside) Assert.True(code == "not_found", $"{query} should be unknown to a limited key: {text}");
                else
                {
                    Assert.True(code is null, $"{query}: {text}");
                    AssertNone(markers, text, query);
                    walked++;
                }
            }
        }
        Assert.True(walked >= 30, $"only {walked} GraphQL fields walked");
    }

    private static bool GraphLimited(string field, bool nodesToo) =>
        field is not ("product" or "inventory" or "inventoryLedger" or "simulateRouting") && (nodesToo || field is not ("fulfilmentNode" or "pickList" or "purchaseOrder"));

    private static string GraphArgument(string field, string argument, World w, Side side) => (field, argument) switch
    {
        (_, "orderId") or ("order", "id") => Quote(side.OrderId),
        ("orderByNumber", _) => Quote(side.OrderNumber),
        ("fulfilmentOrder", _) or (_, "fulfilmentOrderId") => Quote(side.FulfilmentId),
        ("shipment", _) => Quote(side.ShipmentId),
        ("return", _) => Quote(side.ReturnId),
        ("customer" or "customerExport", _) or (_, "customerId") => Quote(side.CustomerId),
        ("document", _) => Quote(side.DocumentId),
        ("purchaseOrder", _) => Quote(side.PurchaseOrderId),
        (_, "sku") => Quote(side.Sku),
        (_, "code" or "nodeCode") => Quote(side.NodeCode),
        ("role", _) => Quote("owner"),
        (_, "subscriptionId") => Quote(Guid.NewGuid().ToString()),
        ("previewNotification", "input") => $"{{ kind: ORDER_RECEIVED, orderId: {Quote(side.OrderId)} }}",
        ("simulateRouting", "input") => $"{{ lines: [{{ sku: {Quote(side.Sku)}, quantity: 1 }}], shippingAddress: {{ name: \"Ada\", line1: \"Marienplatz 1\", city: \"Munich\", postalCode: \"80331\", country: \"DE\" }} }}",
        _ => throw new InvalidOperationException($"The walk does not know what to pass as {field}({argument}): teach it."),
    };

    private static string Quote(string value) => JsonSerializer.Serialize(value);

    /// <summary>The served schema, and selections of every field a few levels deep (nested pages kept small).</summary>
    private sealed class GraphSchema(JsonElement data)
    {
        public const string Introspection = """
            { __schema { types { name kind fields(includeDeprecated: true) { name args { name type { kind name ofType { kind name } } }
              type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }
            """;

        private readonly Dictionary<string, JsonElement> _types = data.GetProperty("__schema").GetProperty("types").EnumerateArray()
            .ToDictionary(t => t.GetProperty("name").GetString()!);

        public IEnumerable<JsonElement> Fields(string type) => _types[type].GetProperty("fields").EnumerateArray();

        private static string Named(JsonElement type)
        {
            while (type.GetProperty("name").ValueKind == JsonValueKind.Null) type = type.GetProperty("ofType");
            return type.GetProperty("name").GetString()!;
        }

        public string Selection(JsonElement field, int depth)
        {
            var type = _types[Named(field.GetProperty("type"))];
            if (type.GetProperty("kind").GetString() is "SCALAR" or "ENUM") return "";
            var parts = new List<string>();
            foreach (var f in type.GetProperty("fields").EnumerateArray())
            {
                var args = f.GetProperty("args").EnumerateArray().ToList();
                if (args.Any(a => a.GetProperty("type").GetProperty("kind").GetString() == "NON_NULL")) continue;
                var kind = _types[Named(f.GetProperty("type"))].GetProperty("kind").GetString();
                var name = f.GetProperty("name").GetString()!;
                if (name == "edges") continue; // the same rows as nodes, twice the cost
                if (kind is "SCALAR" or "ENUM") parts.Add(name);
                else if (kind == "OBJECT" && depth < 4)
                {
                    var inner = Selection(f, depth + 1);
                    if (inner.Length > 0) parts.Add(name + (args.Any(a => a.GetProperty("name").GetString() == "first") ? "(first: 3)" : "") + " " + inner);
                }
            }
            return parts.Count == 0 ? "" : "{ " + string.Join(" ", parts) + " }";
        }
    }
}
