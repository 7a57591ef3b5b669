using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using MimeKit;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

/// <summary>E-mails to shoppers (issue 40): sent through a real SMTP server after the change committed, in the customer's language, logged, retried.</summary>
public sealed class NotificationTests
{
    private static async Task SetLocaleAsync(Scenario s, HttpClient admin, string customerId, string locale)
    {
        var changed = await admin.PatchAsync($"/api/v1/customers/{customerId}", Scenario.Content(new { locale }));
        Assert.True(changed.IsSuccessStatusCode, await changed.Content.ReadAsStringAsync());
    }

    private static MimeMessage Single(List<MimeMessage> messages, string kind) =>
        Assert.Single(messages, m => m.Headers["X-Oms-Notification"] == kind);

    [Fact]
    public async Task A_shopper_gets_an_email_at_each_step_in_their_language_with_both_parts_and_the_tracking_link()
    {
        var s = await Scenario.StartAsync();
        var email = s.Email("mail");
        var sku = await s.ProductAsync();
        var placed = await s.PlaceAsync(s.OrderBody(sku, email: email));
        var orderId = placed.GetProperty("id").GetString()!;
        var number = placed.GetProperty("number").GetString()!;
        var received = Single(await TestApp.Smtp.WaitForAsync(email, 1), "OrderReceived");
        Assert.Equal($"We received your order {number}", received.Subject);
        Assert.Equal("orders@testshop.example", received.From.Mailboxes.Single().Address);

        // From here on the customer reads Dutch.
        await SetLocaleAsync(s, s.Admin, placed.GetProperty("customerId").GetString()!, "nl-NL");
        var payment = await (await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments", new { method = "bank_transfer" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await s.MarkReceivedAsync(orderId, payment.GetProperty("id").GetString()!, new { amount = payment.GetProperty("amount").GetProperty("amount").GetInt64() })).IsSuccessStatusCode);
        var fulfilment = (await s.FulfilmentOrdersAsync(orderId)).Single().GetProperty("id").GetString()!;
        var shipment = await s.ShipFulfilmentAsync(fulfilment, "TRK-" + s.Tag);
        var shipmentId = shipment.GetProperty("id").GetString();
        foreach (var status in new[] { "out_for_delivery", "delivered" })
            Assert.True((await s.Admin.PostAsJsonAsync($"/api/v1/shipments/{shipmentId}/tracking-events", new { status, occurredAt = DateTimeOffset.UtcNow })).IsSuccessStatusCode);

        var all = await TestApp.Smtp.WaitForKindsAsync(email, "OrderConfirmed", "Shipped", "OutForDelivery", "Delivered", "InvoiceIssued");
        Assert.Equal($"Je bestelling {number} is bevestigd", Single(all, "OrderConfirmed").Subject);
        var shipped = Single(all, "Shipped");
        Assert.Equal($"Je bestelling {number} is onderweg", shipped.Subject);
        Assert.Contains("TRK-" + s.Tag, shipped.TextBody);
        Assert.Contains($"https://track.example/TRK-{s.Tag}", shipped.TextBody);
        Assert.Contains($"href=\"https://track.example/TRK-{s.Tag}\"", shipped.HtmlBody);
        Assert.Contains("Volg je pakket", shipped.HtmlBody);
        Assert.Contains("Testshop", shipped.HtmlBody);
        Assert.Contains("Ada Lovelace", shipped.TextBody);
        Assert.Equal($"Je pakket voor {number} komt vandaag", Single(all, "OutForDelivery").Subject);
        var delivered = Single(all, "Delivered");
        Assert.Contains("https://testshop.example/feedback/", delivered.HtmlBody);
        // The invoice, issued at confirmation, with its PDF; the packing slip issued meanwhile sends nothing.
        var invoice = Single(all, "InvoiceIssued");
        Assert.StartsWith("Je factuur ", invoice.Subject);
        var pdf = Assert.Single(invoice.Attachments.OfType<MimePart>());
        Assert.Equal("application/pdf", pdf.ContentType.MimeType);
        Assert.StartsWith("invoice-", pdf.FileName);
        using (var bytes = new MemoryStream())
        {
            await pdf.Content!.DecodeToAsync(bytes);
            Assert.Equal("%PDF", System.Text.Encoding.ASCII.GetString(bytes.ToArray(), 0, 4));
        }
        Assert.Equal(6, all.Count); // once per event: nothing twice

        // An approved return comes with its slip.
        var line = placed.GetProperty("lines")[0].GetProperty("id").GetString();
        var rma = await (await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/returns", new { lines = new[] { new { orderLineId = line, quantity = 1, reason = "other" } } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.True((await s.Admin.PostAsJsonAsync($"/api/v1/returns/{rma.GetProperty("id").GetString()}/approve", new { })).IsSuccessStatusCode);
        var approved = Single(await TestApp.Smtp.WaitForKindsAsync(email, "ReturnApproved"), "ReturnApproved");
        Assert.Equal($"Je retour voor {number} is goedgekeurd", approved.Subject);
        Assert.StartsWith("return-slip-", Assert.Single(approved.Attachments.OfType<MimePart>()).FileName);

        // A refund tells its amount.
        var refunded = await s.Admin.PostAsJsonAsync($"/api/v1/orders/{orderId}/payments/{payment.GetProperty("id").GetString()}/refund", new { amount = 500, reason = "goodwill" });
        Assert.True(refunded.IsSuccessStatusCode, await refunded.Content.ReadAsStringAsync());
        var refund = Single(await TestApp.Smtp.WaitForKindsAsync(email, "RefundIssued"), "RefundIssued");
        Assert.Equal($"Je terugbetaling voor {number}", refund.Subject);
        Assert.Contains("5.00 EUR", refund.TextBody);

        // The log, per order and per customer, in both APIs (once the credit note's event, which sends nothing, was looked at).
        JsonElement log;
        for (var i = 0; ; i++)
        {
            log = await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{orderId}/notifications");
            if (log.EnumerateArray().All(n => n.GetProperty("status").GetString() != "queued") || i == 200) break;
            await Task.Delay(50);
        }
        Assert.True(log.GetArrayLength() == 8, log.GetRawText());
        Assert.All(log.EnumerateArray(), n => Assert.Equal(("sent", email), (n.GetProperty("status").GetString(), n.GetProperty("recipient").GetString())));
        Assert.Contains(log.EnumerateArray(), n => n.GetProperty("kind").GetString() == "shipped" && n.GetProperty("locale").GetString() == "nl");
        var byCustomer = await s.GraphQLDataAsync("query($id: ID!) { customerNotifications(customerId: $id) { kind status subject } }",
            new { id = placed.GetProperty("customerId").GetString() });
        // (a document issued since, which sends nothing, may still be queued there)
        Assert.Equal(8, byCustomer.GetProperty("customerNotifications").EnumerateArray().Count(n => n.GetProperty("status").GetString() != "QUEUED"));
    }

    [Fact]
    public async Task The_confirmation_speaks_each_of_the_four_languages()
    {
        var s = await Scenario.StartAsync();
        var sku = await s.ProductAsync();
        var expected = new Dictionary<string, string>
        {
            ["en-GB"] = "Your order {0} is confirmed", ["nl-BE"] = "Je bestelling {0} is bevestigd",
            ["de-AT"] = "Ihre Bestellung {0} ist bestätigt", ["fr-FR"] = "Votre commande {0} est confirmée",
        };
        foreach (var (locale, subject) in expected)
        {
            var email = s.Email("lang-" + locale);
            var placed = await s.PlaceAsync(s.OrderBody(sku, email: email));
            await SetLocaleAsync(s, s.Admin, placed.GetProperty("customerId").GetString()!, locale);
            var id = placed.GetProperty("id").GetString()!;
            var payment = await (await s.Admin.PostAsJsonAsync($"/api/v1/orders/{id}/payments", new { method = "bank_transfer" })).Content.ReadFromJsonAsync<JsonElement>();
            Assert.True((await s.MarkReceivedAsync(id, payment.GetProperty("id").GetString()!, new { amount = payment.GetProperty("amount").GetProperty("amount").GetInt64() })).IsSuccessStatusCode);
            var confirmed = Single(await TestApp.Smtp.WaitForKindsAsync(email, "OrderConfirmed"), "OrderConfirmed");
            Assert.Equal(string.Format(subject, placed.GetProperty("number").GetString()), confirmed.Subject);
            Assert.False(string.IsNullOrWhiteSpace(confirmed.TextBody));
            Assert.Contains($"lang=\"{locale[..2]}\"", confirmed.HtmlBody);
        }
    }

    [Fact]
    public async Task With_the_mail_server_down_every_email_waits_and_arrives_once_when_it_returns_and_a_refused_order_sends_none()
    {
        var pg = await TestApp.DatabaseAsync();
        await using var smtp = await TestSmtpServer.StartAsync();
        const string adminKey = "oms_test_admin_smtp_outage_0123456789";
        await using var factory = new ApiFactory(await pg.CreateDatabaseAsync(), adminKey, [.. smtp.Settings]);
        var s = new Scenario(factory);
        var sku = await s.ProductAsync();

        await smtp.StopAsync();
        var emails = Enumerable.Range(0, 3).Select(i => s.Email($"outage{i}")).ToList();
        var orders = new List<string>();
        foreach (var email in emails) orders.Add((await s.PlaceAsync(s.OrderBody(sku, email: email))).GetProperty("id").GetString()!);
        var refused = await s.Admin.PostAsync("/api/v1/orders", Scenario.Content(s.OrderBody("NO-SUCH-SKU", email: s.Email("refused"))));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, refused.StatusCode);

        // While it is down: queued, tried, the error kept, nothing lost.
        var until = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var logs = new List<JsonElement>();
            foreach (var id in orders) logs.AddRange((await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/notifications")).EnumerateArray());
            if (logs.Count == 3 && logs.All(n => n.GetProperty("attempts").GetInt32() >= 2)) 
            {
                Assert.All(logs, n => Assert.Equal("queued", n.GetProperty("status").GetString()));
                Assert.All(logs, n => Assert.False(string.IsNullOrEmpty(n.GetProperty("lastError").GetString())));
                break;
            }
            Assert.True(DateTime.UtcNow < until, "the e-mails were not tried while the server was down: " + string.Join(", ", logs.Select(l => l.GetRawText())));
            await Task.Delay(100);
        }

        await smtp.StartAgainAsync();
        foreach (var email in emails) Assert.Single(await smtp.WaitForAsync(email, 1));
        await Task.Delay(1500); // a second delivery would arrive within the retry schedule's first steps
        foreach (var email in emails) Assert.Single(await smtp.WaitForAsync(email, 1));
        Assert.Equal(3, smtp.Received.Select(m => m.MessageId).Distinct().Count());
        Assert.DoesNotContain(smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == s.Email("refused")));
        foreach (var id in orders)
            Assert.Equal("sent", (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{id}/notifications"))[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_shop_writes_its_own_template_for_a_channel_previews_it_with_a_real_order_and_a_broken_one_is_refused_with_line_and_column()
    {
        var s = await Scenario.StartAsync();
        var broken = await s.Admin.PutAsJsonAsync("/api/v1/notification-templates/order_confirmed/en?channel=phone",
            new { subject = "Order {{ order.number }}", html = "<p>Hi</p>\n<p>{% if order.number %}no end</p>", text = "" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, broken.StatusCode);
        var problem = await broken.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("notification_template.invalid", problem.GetProperty("code").GetString());
        var message = problem.GetProperty("errors").GetProperty("html")[0].GetString()!;
        Assert.Matches(@"line \d+, column \d+", message);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await s.Admin.PutAsJsonAsync("/api/v1/notification-templates/order_shouted/en", new { subject = "x", text = "x" })).StatusCode);

        var saved = await s.Admin.PutAsJsonAsync("/api/v1/notification-templates/order_confirmed/en?channel=phone", new
        {
            subject = "{{ shop.name }}: {{ order.number }} is confirmed by phone",
            html = "<h1>Thanks {{ customer.name }}</h1><p>{{ order.total }}</p>",
            text = "Thanks {{ customer.name }}, {{ order.total }}",
        });
        Assert.Equal(HttpStatusCode.Created, saved.StatusCode);
        Assert.Equal("\"1\"", saved.Headers.ETag!.Tag);

        var email = s.Email("phone");
        var sku = await s.ProductAsync(price: 1999);
        var order = await s.PaidOrderAsync(s.OrderBody(sku, email: email, channel: "phone"));
        var number = order.GetProperty("number").GetString();
        var confirmed = Single(await TestApp.Smtp.WaitForKindsAsync(email, "OrderConfirmed"), "OrderConfirmed");
        Assert.Equal($"Testshop: {number} is confirmed by phone", confirmed.Subject);
        Assert.Contains("<h1>Thanks Ada Lovelace</h1>", confirmed.HtmlBody);
        Assert.Matches(@"^Thanks Ada Lovelace, \d+\.\d\d EUR$", confirmed.TextBody?.Trim());

        // Previews: the built-in one for another kind, and a draft, with the real order; nothing is sent.
        var preview = await (await s.Admin.PostAsJsonAsync("/api/v1/notification-templates/preview", new { kind = "order_received", orderId = order.GetProperty("id").GetString(), locale = "fr" }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"Nous avons reçu votre commande {number}", preview.GetProperty("subject").GetString());
        Assert.Contains("Testshop", preview.GetProperty("html").GetString());
        var draft = await s.GraphQLDataAsync("query($id: ID!) { previewNotification(input: { kind: ORDER_CONFIRMED, orderId: $id, draft: { subject: \"Draft {{ order.number }}\", text: \"{{ customer.email }}\" } }) { subject text html } }",
            new { id = order.GetProperty("id").GetString() });
        Assert.Equal($"Draft {number}", draft.GetProperty("previewNotification").GetProperty("subject").GetString());
        Assert.Equal(email, draft.GetProperty("previewNotification").GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, draft.GetProperty("previewNotification").GetProperty("html").ValueKind);
        Assert.Equal(2, (await TestApp.Smtp.WaitForAsync(email, 3, TimeSpan.FromSeconds(1))).Count(m => m.Headers["X-Oms-Notification"] != "InvoiceIssued"));

        Assert.Equal(HttpStatusCode.NoContent, (await s.Admin.DeleteAsync("/api/v1/notification-templates/order_confirmed/en?channel=phone")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.DeleteAsync("/api/v1/notification-templates/order_confirmed/en?channel=phone")).StatusCode);
    }

    [Fact]
    public async Task A_channel_has_its_own_sender_and_reply_to_and_a_kind_switched_off_is_logged_as_skipped()
    {
        var s = await Scenario.StartAsync();
        var email = s.Email("store");
        var order = await s.PaidOrderAsync(s.OrderBody(await s.ProductAsync(), email: email, channel: "pos"));
        var confirmed = Single(await TestApp.Smtp.WaitForKindsAsync(email, "OrderConfirmed"), "OrderConfirmed");
        Assert.Equal("store@testshop.example", confirmed.From.Mailboxes.Single().Address);
        Assert.Equal("store-desk@testshop.example", confirmed.ReplyTo.Mailboxes.Single().Address);
        Assert.DoesNotContain(TestApp.Smtp.Received, m => m.To.Mailboxes.Any(a => a.Address == email) && m.Headers["X-Oms-Notification"] == "OrderReceived");
        var received = (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders/{order.GetProperty("id").GetString()}/notifications"))
            .EnumerateArray().Single(n => n.GetProperty("kind").GetString() == "order_received");
        Assert.Equal(("skipped", "switched off for the pos channel"), (received.GetProperty("status").GetString(), received.GetProperty("lastError").GetString()));
    }
}
