using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;
using UglyToad.PdfPig;

namespace Oms.Api.Tests;

/// <summary>Documents (issue 37): invoices, credit notes, slips; numbers without gaps; renderings read back; the trail.</summary>
public sealed class DocumentTests
{
    private static readonly XNamespace Cbc = "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2";
    private static readonly XNamespace Cac = "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2";

    /// <summary>The order's documents of a kind once the issuer has issued <paramref name="count"/> of them (it runs after the change commits).</summary>
    private static async Task<List<JsonElement>> DocumentsAsync(HttpClient client, string orderId, string kind, int count = 1)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var all = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/documents");
            var found = all.EnumerateArray().Where(d => d.GetProperty("kind").GetString() == kind).ToList();
            if (found.Count >= count) return found;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), $"{count} {kind}(s) of order {orderId} were not issued within 30 s (found {found.Count})");
            await Task.Delay(50);
        }
    }

    private static async Task<HttpResponseMessage> OkAsync(Task<HttpResponseMessage> call)
    {
        var response = await call;
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response;
    }

    private static JsonObject BelgianOrder(Scenario s, string sku, int quantity, string? vatId = null, string country = "BE")
    {
        var body = s.OrderBody(sku, quantity);
        body["customer"]!["name"] = "Jan Peeters";
        if (vatId is not null) body["customer"]!["vatId"] = vatId;
        body["shippingAddress"] = new JsonObject
        {
            ["name"] = "Jan Peeters", ["company"] = vatId is null ? null : "Peeters Trading", ["line1"] = "Meir 1", ["city"] = country == "BE" ? "Antwerpen" : "Rotterdam",
            ["postalCode"] = country == "BE" ? "2000" : "3011", ["country"] = country,
        };
        return body;
    }

    [Fact]
    public async Task An_invoice_is_issued_at_confirmation_numbered_with_the_EU_fields_and_reads_back_from_its_PDF_and_UBL()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 1999, stock: 10);
        var order = await s.PaidOrderAsync(BelgianOrder(s, sku, 3));
        var orderId = order.GetProperty("id").GetString()!;
        var total = order.GetProperty("total").GetProperty("amount").GetInt64();
        // Worked out here from the order's own figures: 3 × 19.99 = 59.97 + shipping 4.99, 21 % on both.
        Assert.Equal(2100, order.GetProperty("taxRateBasisPoints").GetInt32());
        var net = 3 * 1999 + order.GetProperty("shippingTotal").GetProperty("amount").GetInt64();
        var tax = (long)Math.Round(net * 0.21m, MidpointRounding.AwayFromZero);
        Assert.Equal(net + tax, total);

        var invoice = (await DocumentsAsync(s.Admin, orderId, "invoice")).Single();
        Assert.Equal("issued", invoice.GetProperty("status").GetString());
        var number = invoice.GetProperty("number").GetString()!;
        Assert.Matches($@"^INV-{DateTimeOffset.UtcNow.Year}-\d{{6}}$", number);
        Assert.Equal(total, invoice.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(net, invoice.GetProperty("net").GetProperty("amount").GetInt64());
        Assert.Equal(tax, invoice.GetProperty("tax").GetProperty("amount").GetInt64());
        Assert.Equal(0, invoice.GetProperty("due").GetProperty("amount").GetInt64()); // paid by bank transfer before it was issued
        Assert.Equal(DateOnly.FromDateTime(DateTime.UtcNow), DateOnly.Parse(invoice.GetProperty("supplyDate").GetString()!)); // confirmed today, nothing shipped yet
        var line = invoice.GetProperty("lines").EnumerateArray().Single();
        Assert.Equal((sku, 3, 1999L, 3 * 1999L, 2100, "S"), (line.GetProperty("sku").GetString(), line.GetProperty("quantity").GetInt32(),
            line.GetProperty("unitPrice").GetProperty("amount").GetInt64(), line.GetProperty("net").GetProperty("amount").GetInt64(),
            line.GetProperty("taxRateBasisPoints").GetInt32(), line.GetProperty("taxCategory").GetString()));
        Assert.Equal("BE0123456749", invoice.GetProperty("seller").GetProperty("vatId").GetString());
        Assert.Equal("Jan Peeters", invoice.GetProperty("buyer").GetProperty("name").GetString());
        Assert.Equal(new[] { "created", "issued" }, invoice.GetProperty("trail").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToArray());
        Assert.All(invoice.GetProperty("trail").EnumerateArray(), a => Assert.Equal("system", a.GetProperty("actorKind").GetString()));
        var id = invoice.GetProperty("id").GetString()!;

        // The PDF, read back: the number, the line and the totals as the document prints them.
        var pdf = await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{id}/pdf"));
        Assert.Equal("application/pdf", pdf.Content.Headers.ContentType!.MediaType);
        using (var read = PdfDocument.Open(await pdf.Content.ReadAsByteArrayAsync()))
        {
            var text = string.Join("\n", read.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))));
            Assert.Contains("Invoice", text);
            Assert.Contains(number, text);
            Assert.Contains(sku, text);
            Assert.Contains($"{total / 100}.{total % 100:D2}", text);
            Assert.Contains($"{tax / 100}.{tax % 100:D2}", text);
            Assert.Contains("BE0123456749", text);
        }

        // The e-invoice: EN 16931's mandatory fields, Peppol's ids, and amounts that add up.
        var ubl = XDocument.Parse(await (await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{id}/ubl"))).Content.ReadAsStringAsync());
        var root = ubl.Root!;
        Assert.Equal("Invoice", root.Name.LocalName);
        string V(XElement e, params string[] path) => path.Aggregate(e, (x, name) => x.Element((name.StartsWith("cac:") ? Cac : Cbc) + name[4..])!).Value;
        Assert.Equal("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0", V(root, "cbc:CustomizationID"));
        Assert.Equal("urn:fdc:peppol.eu:2017:poacc:billing:01:1.0", V(root, "cbc:ProfileID"));
        Assert.Equal(number, V(root, "cbc:ID"));
        Assert.Equal(DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"), V(root, "cbc:IssueDate"));
        Assert.Equal("380", V(root, "cbc:InvoiceTypeCode"));
        Assert.Equal("EUR", V(root, "cbc:DocumentCurrencyCode"));
        Assert.NotEmpty(V(root, "cbc:BuyerReference"));
        var seller = root.Element(Cac + "AccountingSupplierParty")!.Element(Cac + "Party")!;
        Assert.Equal("9925", seller.Element(Cbc + "EndpointID")!.Attribute("schemeID")!.Value);
        Assert.Equal("Testshop BV", V(seller, "cac:PartyLegalEntity", "cbc:RegistrationName"));
        Assert.Equal("BE0123456749", V(seller, "cac:PartyTaxScheme", "cbc:CompanyID"));
        Assert.Equal("BE", V(seller, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode"));
        var buyer = root.Element(Cac + "AccountingCustomerParty")!.Element(Cac + "Party")!;
        Assert.Equal("Jan Peeters", V(buyer, "cac:PartyLegalEntity", "cbc:RegistrationName"));
        Assert.Equal("BE", V(buyer, "cac:PostalAddress", "cac:Country", "cbc:IdentificationCode"));
        Assert.NotEmpty(V(buyer, "cbc:EndpointID"));
        string Amount(long minor) => $"{minor / 100}.{minor % 100:D2}";
        var totals = root.Element(Cac + "LegalMonetaryTotal")!;
        Assert.Equal(Amount(3 * 1999), V(totals, "cbc:LineExtensionAmount"));
        Assert.Equal(Amount(net), V(totals, "cbc:TaxExclusiveAmount"));
        Assert.Equal(Amount(total), V(totals, "cbc:TaxInclusiveAmount"));
        Assert.Equal(Amount(total), V(totals, "cbc:PrepaidAmount"));
        Assert.Equal("0.00", V(totals, "cbc:PayableAmount"));
        var breakdown = root.Element(Cac + "TaxTotal")!;
        Assert.Equal(Amount(tax), V(breakdown, "cbc:TaxAmount"));
        Assert.Equal(Amount(net), V(breakdown, "cac:TaxSubtotal", "cbc:TaxableAmount"));
        Assert.Equal(("S", "21"), (V(breakdown, "cac:TaxSubtotal", "cac:TaxCategory", "cbc:ID"), V(breakdown, "cac:TaxSubtotal", "cac:TaxCategory", "cbc:Percent")));
        var ublLine = root.Element(Cac + "InvoiceLine")!;
        Assert.Equal("3", V(ublLine, "cbc:InvoicedQuantity"));
        Assert.Equal(Amount(3 * 1999), V(ublLine, "cbc:LineExtensionAmount"));
        Assert.Equal(Amount(1999), V(ublLine, "cac:Price", "cbc:PriceAmount"));
        Assert.Equal(sku, V(ublLine, "cac:Item", "cac:SellersItemIdentification", "cbc:ID"));

        // Asking again finds the same invoice.
        var again = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/documents", new { });
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(id, (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString());
    }

    [Fact]
    public async Task A_business_buyer_in_another_member_state_is_reverse_charged_and_a_Dutch_customer_reads_Dutch()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync(price: 10_000, stock: 10);
        var body = BelgianOrder(s, sku, 1, vatId: "nl 8546.21.490-B01", country: "NL");
        var placed = await s.PlaceAsync(body);
        Assert.Equal("NL854621490B01", placed.GetProperty("customer").GetProperty("vatId").GetString());
        Assert.Equal(0, placed.GetProperty("taxRateBasisPoints").GetInt32()); // NL would be 21 %: reverse charged
        Assert.Equal(0, placed.GetProperty("taxTotal").GetProperty("amount").GetInt64());
        var customerId = placed.GetProperty("customerId").GetString()!;
        await OkAsync(s.Admin.PatchAsJsonAsync($"/api/v1/customers/{customerId}", new { locale = "nl-NL" }));
        var order = await s.PaidOrderAsync(body); // a second order of the same buyer, now with a locale
        var invoice = (await DocumentsAsync(s.Admin, order.GetProperty("id").GetString()!, "invoice")).Single();
        Assert.True(invoice.GetProperty("reverseCharge").GetBoolean());
        Assert.Equal("nl", invoice.GetProperty("locale").GetString());
        Assert.Equal("AE", invoice.GetProperty("taxes")[0].GetProperty("category").GetString());
        Assert.Equal("NL854621490B01", invoice.GetProperty("buyer").GetProperty("vatId").GetString());
        var id = invoice.GetProperty("id").GetString();
        var ubl = XDocument.Parse(await (await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{id}/ubl"))).Content.ReadAsStringAsync());
        var category = ubl.Root!.Element(Cac + "TaxTotal")!.Element(Cac + "TaxSubtotal")!.Element(Cac + "TaxCategory")!;
        Assert.Equal("AE", category.Element(Cbc + "ID")!.Value);
        Assert.Equal("VATEX-EU-AE", category.Element(Cbc + "TaxExemptionReasonCode")!.Value);
        Assert.Equal("NL854621490B01", ubl.Root!.Element(Cac + "AccountingCustomerParty")!.Element(Cac + "Party")!.Element(Cac + "PartyTaxScheme")!.Element(Cbc + "CompanyID")!.Value);
        using var pdf = PdfDocument.Open(await (await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{id}/pdf"))).Content.ReadAsByteArrayAsync());
        var text = string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text));
        Assert.Contains("Factuur", text);
        Assert.Contains("verlegd", text);
        Assert.Contains("100,00", text); // Dutch decimals

        var bad = BelgianOrder(s, sku, 1, vatId: "not a vat id");
        var refused = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(bad));
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("customer.vatId", await refused.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_trail_shows_a_named_key_viewing_and_downloading_and_the_customer_opening_their_link_in_order()
    {
        var s = await Scenario.StartAsync();
        var factory = await TestApp.GetAsync();
        var order = await s.PaidOrderAsync(BelgianOrder(s, await s.ProductAsync(stock: 10), 1));
        var id = (await DocumentsAsync(s.Admin, order.GetProperty("id").GetString()!, "invoice")).Single().GetProperty("id").GetString()!;
        await using var receiver = await WebhookReceiver.StartAsync();
        var subscribed = await OkAsync(s.Admin.PostAsJsonAsync("/api/v1/webhook-subscriptions",
            new { url = receiver.Url.ToString(), eventFilters = new[] { "document.viewed" }, description = "documents " + s.Tag }));
        var subscription = await subscribed.Content.ReadFromJsonAsync<JsonElement>();
        receiver.Secrets[subscription.GetProperty("secret").GetString()!] = true;
        var keyName = "accounts-" + s.Tag;
        var accountsKey = await factory.KeyWithScopesAsync(keyName, "documents:write");
        var accounts = factory.Client(accountsKey);

        // The in-process server has no client address of its own: these two requests come from a given one, as through Kestrel.
        async Task<HttpContext> FromAsync(string address, string path, string? key) => await factory.Server.SendAsync(c =>
        {
            c.Request.Method = "GET";
            c.Request.Path = path.Split('?')[0];
            c.Request.QueryString = new QueryString(path.Contains('?') ? path[path.IndexOf('?')..] : "");
            if (key is not null) c.Request.Headers.Authorization = "Bearer " + key;
            c.Connection.RemoteIpAddress = IPAddress.Parse(address);
        });
        var page = await FromAsync("198.51.100.4", $"/api/v1/documents/{id}/html", accountsKey);
        Assert.Equal(200, page.Response.StatusCode);
        Assert.Contains("text/html", page.Response.ContentType);
        await OkAsync(accounts.GetAsync($"/api/v1/documents/{id}/pdf"));
        var link = await (await OkAsync(accounts.PostAsync($"/api/v1/documents/{id}/links", null))).Content.ReadFromJsonAsync<JsonElement>();
        var url = link.GetProperty("url").GetString()!;
        Assert.StartsWith("/api/v1/public/documents/", url);

        var anonymous = factory.Client(null);
        var opened = await OkAsync(anonymous.GetAsync(url));
        Assert.Equal("application/pdf", opened.Content.Headers.ContentType!.MediaType);
        Assert.Equal(200, (await FromAsync("203.0.113.9", url + "?format=html", null)).Response.StatusCode);
        // A forged or altered link opens nothing.
        var token = link.GetProperty("token").GetString()!;
        var forged = token[..^2] + (token[^2] == 'A' ? "B" : "A") + token[^1];
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/api/v1/public/documents/" + forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/v1/documents/{id}/pdf")).StatusCode);

        var document = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/documents/{id}");
        var trail = document.GetProperty("trail").EnumerateArray()
            .Select(a => (a.GetProperty("action").GetString(), a.GetProperty("actorKind").GetString(), a.GetProperty("actor").GetString(), a.GetProperty("detail").GetString()))
            .ToArray();
        Assert.Equal(new (string?, string?, string?, string?)[]
        {
            ("created", "system", "headlessoms", null), ("issued", "system", "headlessoms", null),
            ("viewed", "api_key", keyName, "html"), ("downloaded", "api_key", keyName, "pdf"),
            ("viewed", "customer", "customer", "pdf"), ("viewed", "customer", "customer", "html"),
        }, trail);
        Assert.Equal(("198.51.100.4", "203.0.113.9"), (document.GetProperty("trail")[2].GetProperty("address").GetString(), document.GetProperty("trail")[5].GetProperty("address").GetString()));
        Assert.NotEqual(JsonValueKind.Null, document.GetProperty("customerViewedAt").ValueKind);
        // document.viewed went out once: on the customer's first view, not on the key's or the second.
        await receiver.WaitForAsync(_ => receiver.AcceptedFor(id).Count > 0, what: "document.viewed");
        await OkAsync(s.Admin.PostAsync($"/api/v1/webhook-subscriptions/{subscription.GetProperty("subscription").GetProperty("id").GetString()}/test", null));
        await receiver.WaitForAsync(r => r.Any(x => x.Type == "webhook.ping"), what: "the ping sent after the views"); // deliveries go out in order
        var viewed = Assert.Single(receiver.AcceptedFor(id));
        Assert.Equal("document.viewed", viewed.Type);
        Assert.Equal("customer", viewed.Data.GetProperty("trail")[4].GetProperty("actorKind").GetString());
        await s.Admin.PatchAsJsonAsync($"/api/v1/webhook-subscriptions/{subscription.GetProperty("subscription").GetProperty("id").GetString()}", new { active = false });
    }

    [Fact]
    public async Task Credit_notes_follow_refunds_and_a_voided_invoice_with_the_right_amounts_in_both_APIs()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(BelgianOrder(s, await s.ProductAsync(price: 4_000, stock: 10), 2));
        var orderId = order.GetProperty("id").GetString()!;
        var total = order.GetProperty("total").GetProperty("amount").GetInt64();
        var invoice = (await DocumentsAsync(s.Admin, orderId, "invoice")).Single();
        var payments = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/payments");
        var paymentId = payments.EnumerateArray().Single().GetProperty("id").GetString();

        // REST: a partial refund; the credit note gives back exactly that, tax worked out at the invoice's 21 %.
        await OkAsync(s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments/{paymentId}/refund", new { amount = 1_210, reason = "goodwill" }));
        var credit = (await DocumentsAsync(s.Admin, orderId, "credit_note")).Single();
        Assert.Matches($@"^CN-{DateTimeOffset.UtcNow.Year}-\d{{6}}$", credit.GetProperty("number").GetString());
        Assert.Equal((1_210L, 1_000L, 210L), (credit.GetProperty("total").GetProperty("amount").GetInt64(), credit.GetProperty("net").GetProperty("amount").GetInt64(),
            credit.GetProperty("tax").GetProperty("amount").GetInt64()));
        Assert.Equal(invoice.GetProperty("id").GetString(), credit.GetProperty("correctsId").GetString());
        Assert.Equal(invoice.GetProperty("number").GetString(), credit.GetProperty("correctsNumber").GetString());
        Assert.Equal("goodwill", credit.GetProperty("reason").GetString());
        var creditUbl = XDocument.Parse(await (await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{credit.GetProperty("id").GetString()}/ubl"))).Content.ReadAsStringAsync());
        Assert.Equal("CreditNote", creditUbl.Root!.Name.LocalName);
        Assert.Equal("381", creditUbl.Root!.Element(Cbc + "CreditNoteTypeCode")!.Value);
        Assert.Equal(invoice.GetProperty("number").GetString(),
            creditUbl.Root!.Element(Cac + "BillingReference")!.Element(Cac + "InvoiceDocumentReference")!.Element(Cbc + "ID")!.Value);

        // GraphQL: void the invoice; it keeps its number and a credit note for all of it follows.
        var voided = await s.GraphQLDataAsync("mutation($id: ID!) { voidDocument(id: $id, reason: \"Wrong billing address\") { invoice { status number voidReason credited { amount } } creditNote { kind number total { amount } correctsId lines { sku } } } }",
            new { id = invoice.GetProperty("id").GetString() });
        var result = voided.GetProperty("voidDocument");
        Assert.Equal(("VOIDED", invoice.GetProperty("number").GetString(), "Wrong billing address"), (result.GetProperty("invoice").GetProperty("status").GetString(),
            result.GetProperty("invoice").GetProperty("number").GetString(), result.GetProperty("invoice").GetProperty("voidReason").GetString()));
        Assert.Equal(total - 1_210, result.GetProperty("creditNote").GetProperty("total").GetProperty("amount").GetInt64()); // the refund was credited already
        Assert.Equal(invoice.GetProperty("id").GetString(), result.GetProperty("creditNote").GetProperty("correctsId").GetString());
        Assert.Equal(total, result.GetProperty("invoice").GetProperty("credited").GetProperty("amount").GetInt64()); // 12.10 by the refund, the rest by the void
        var again = await s.GraphQLAsync("mutation($id: ID!) { voidDocument(id: $id, reason: \"again\") { invoice { status } } }", new { id = invoice.GetProperty("id").GetString() });
        Assert.Equal("document.invalid_transition", Scenario.ErrorCode(again.Body));

        var documents = await s.GraphQLDataAsync("query($id: ID!) { order(id: $id) { documents { kind status number total { amount } } } }", new { id = orderId });
        var kinds = documents.GetProperty("order").GetProperty("documents").EnumerateArray()
            .Select(d => (d.GetProperty("kind").GetString(), d.GetProperty("status").GetString(), d.GetProperty("total").GetProperty("amount").GetInt64())).ToArray();
        Assert.Equal(new (string?, string?, long)[] { ("INVOICE", "VOIDED", total), ("CREDIT_NOTE", "ISSUED", 1_210L), ("CREDIT_NOTE", "ISSUED", total - 1_210) }, kinds);

        // A new invoice can be drawn up after a void; a second one while one stands cannot be.
        var reissued = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/documents", new { });
        Assert.Equal(HttpStatusCode.Created, reissued.StatusCode);
        var next = await reissued.Content.ReadFromJsonAsync<JsonElement>();
        Assert.NotEqual(invoice.GetProperty("number").GetString(), next.GetProperty("number").GetString());
        Assert.Equal(new[] { "created", "issued" }, next.GetProperty("trail").EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToArray());
        Assert.Equal("api_key", next.GetProperty("trail")[0].GetProperty("actorKind").GetString());
    }

    [Fact]
    public async Task Packing_and_return_slips_are_issued_when_packed_and_when_a_return_is_approved()
    {
        var s = await Scenario.StartAsync();
        var order = await s.PaidOrderAsync(BelgianOrder(s, await s.ProductAsync(stock: 10), 2));
        var orderId = order.GetProperty("id").GetString()!;
        await s.DeliverAllAsync(orderId);
        var packing = (await DocumentsAsync(s.Admin, orderId, "packing_slip")).Single();
        Assert.Null(packing.GetProperty("number").GetString());
        Assert.Equal(2, packing.GetProperty("lines")[0].GetProperty("quantity").GetInt32());
        Assert.Equal(0, packing.GetProperty("total").GetProperty("amount").GetInt64());
        Assert.Equal(HttpStatusCode.Conflict, (await s.Admin.GetAsync($"/api/v1/documents/{packing.GetProperty("id").GetString()}/ubl")).StatusCode);

        var lineId = order.GetProperty("lines")[0].GetProperty("id").GetString();
        var rma = await (await OkAsync(s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/returns",
            new { lines = new[] { new { orderLineId = lineId, quantity = 1, reason = "damaged" } } }))).Content.ReadFromJsonAsync<JsonElement>();
        await OkAsync(s.Admin.PostAsJsonAsync($"/api/v1/returns/{rma.GetProperty("id").GetString()}/approve", new { }));
        var slip = (await DocumentsAsync(s.Admin, orderId, "return_slip")).Single();
        Assert.Equal(rma.GetProperty("number").GetString(), slip.GetProperty("returnNumber").GetString());
        Assert.Equal(("damaged", 1), (slip.GetProperty("lines")[0].GetProperty("note").GetString(), slip.GetProperty("lines")[0].GetProperty("quantity").GetInt32()));
        Assert.Equal("BE", slip.GetProperty("returnTo").GetProperty("country").GetString());
        using var pdf = PdfDocument.Open(await (await OkAsync(s.Admin.GetAsync($"/api/v1/documents/{slip.GetProperty("id").GetString()}/pdf"))).Content.ReadAsByteArrayAsync());
        Assert.Contains(rma.GetProperty("number").GetString()!, string.Join(" ", pdf.GetPages().SelectMany(p => p.GetWords()).Select(w => w.Text)));
    }

    [Fact]
    public async Task Invoice_numbers_have_no_gaps_under_50_concurrent_confirmations_over_two_API_processes()
    {
        var pg = await TestApp.DatabaseAsync();
        var connection = await pg.CreateDatabaseAsync();
        var bootstrap = "oms_test_admin_" + Guid.NewGuid().ToString("N");
        await using var a = new ApiFactory(connection, bootstrap);
        await using var b = new ApiFactory(connection, bootstrap);
        var s = new Scenario(a);
        var sku = await s.ProductAsync(stock: 1000);
        var placed = new List<string>();
        for (var i = 0; i < 50; i++) placed.Add((await s.PlaceAsync(s.OrderBody(sku, 1, s.Email("buyer" + i)))).GetProperty("id").GetString()!);
        var clients = new[] { a.Admin(), b.Admin() };
        var confirmations = placed.Select((id, i) => OkAsync(clients[i % 2].PostAsync($"/api/v1/orders/{id}/confirm", null)));
        await Task.WhenAll(confirmations);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        List<JsonElement> invoices;
        while (true)
        {
            invoices = (await a.Admin().GetFromJsonAsync<JsonElement>("/api/v1/documents?kind=invoice&limit=250")).GetProperty("data").EnumerateArray().ToList();
            if (invoices.Count >= 50) break;
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), $"only {invoices.Count} of 50 invoices were issued within 60 s");
            await Task.Delay(100);
        }
        Assert.Equal(50, invoices.Count);
        Assert.Equal(placed.Order(), invoices.Select(d => d.GetProperty("orderId").GetString()!).Order());
        var numbers = invoices.Select(d => d.GetProperty("number").GetString()!).ToList();
        Assert.Equal(50, numbers.Distinct().Count());
        var year = DateTimeOffset.UtcNow.Year;
        Assert.Equal(Enumerable.Range(1, 50).Select(n => $"INV-{year}-{n:D6}"), numbers.Order(StringComparer.Ordinal));
        // Issued in number order: a later number never has an earlier issue date.
        var byNumber = invoices.OrderBy(d => d.GetProperty("number").GetString(), StringComparer.Ordinal).Select(d => d.GetProperty("issuedAt").GetDateTimeOffset()).ToList();
        Assert.Equal(byNumber.Order(), byNumber);
    }

    [Fact]
    public async Task The_issuer_gives_way_while_the_process_answers_requests_until_the_oldest_order_has_waited_MaxDelay()
    {
        // The app's clock stands still unless the test moves it: the queued order's age is what the test says it is.
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new ApiFactory(await (await TestApp.DatabaseAsync()).CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"),
            ("Documents:YieldToRequests", "true"), ("Documents:BusyRequests", "1"), ("Documents:MaxDelay", "00:01:00")) { Clock = clock };
        var s = new Scenario(app);
        var order = await s.PlaceAsync(s.OrderBody(await s.ProductAsync(stock: 10)));
        var id = order.GetProperty("id").GetString()!;

        // A request in flight: its body arrives only when the test lets it.
        var release = new TaskCompletionSource();
        var busy = app.Admin().PostAsync("/api/v1/products", new HeldBody(release.Task, $"\"sku\":\"HELD-{s.Tag}\",\"name\":\"Held\",\"price\":{{\"amount\":100,\"currency\":\"EUR\"}}}}"));
        try
        {
            var inFlight = app.Services.GetRequiredService<Oms.Api.Platform.Observability.RequestsInFlight>();
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (inFlight.Count < 1 && started.Elapsed < TimeSpan.FromSeconds(10)) await Task.Delay(10); // the held request has reached the app
            Assert.True(inFlight.Count >= 1, "the held request never reached the app");
            await OkAsync(app.Admin().PostAsync($"/api/v1/orders/{id}/confirm", null));
            await Task.Delay(1500); // the issuer has had many chances: it waits while a request is in flight
            Assert.Empty((await app.Admin().GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/documents")).EnumerateArray());
            clock.Advance(TimeSpan.FromMinutes(1)); // the order has now waited MaxDelay: busy or not, it is issued
            Assert.Single(await DocumentsAsync(app.Admin(), id, "invoice"));
        }
        finally
        {
            release.TrySetResult();
            Assert.Equal(HttpStatusCode.Created, (await busy).StatusCode);
        }
    }

    /// <summary>A JSON request body whose rest (after the opening brace) is sent only when <paramref name="release"/> completes.</summary>
    private sealed class HeldBody : HttpContent
    {
        private readonly Task _release;
        private readonly string _rest;

        public HeldBody(Task release, string rest)
        {
            (_release, _rest) = (release, rest);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            await stream.WriteAsync("{"u8.ToArray());
            await stream.FlushAsync();
            await _release;
            await stream.WriteAsync(System.Text.Encoding.UTF8.GetBytes(_rest));
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    [Fact]
    public void A_signed_link_opens_only_what_it_was_signed_for_and_says_until_when()
    {
        var signer = new Oms.Infrastructure.Links.LinkSigner();
        signer.Use(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        var id = Guid.NewGuid();
        var expires = DateTimeOffset.FromUnixTimeSeconds(1_800_000_000);
        var token = signer.Sign(Oms.Infrastructure.Links.LinkPurpose.Document, id, expires);
        Assert.Equal((id, expires), signer.Read(Oms.Infrastructure.Links.LinkPurpose.Document, token));
        Assert.Null(signer.Read(Oms.Infrastructure.Links.LinkPurpose.Feedback, token)); // a document's link is no feedback link
        var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(token);
        for (var i = 0; i < bytes.Length; i++)
        {
            var altered = (byte[])bytes.Clone();
            altered[i] ^= 1;
            Assert.Null(signer.Read(Oms.Infrastructure.Links.LinkPurpose.Document, System.Buffers.Text.Base64Url.EncodeToString(altered)));
        }
        var other = new Oms.Infrastructure.Links.LinkSigner();
        other.Use(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        Assert.Null(other.Read(Oms.Infrastructure.Links.LinkPurpose.Document, token)); // another key
        Assert.Null(signer.Read(Oms.Infrastructure.Links.LinkPurpose.Document, "not-a-token"));
        Assert.Null(signer.Read(Oms.Infrastructure.Links.LinkPurpose.Document, new string('A', 300)));
    }
}
