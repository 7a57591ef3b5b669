using System.Text.Encodings.Web;
using System.Text.Json;
using Fluid;
using Microsoft.EntityFrameworkCore;
using MimeKit;
using Oms.Domain.Common;
using Oms.Domain.Notifications;
using Oms.Domain.Orders;
using Oms.Infrastructure.Notifications;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Notifications;

/// <summary>The shop as e-mails show it (<c>Notifications:Shop:*</c>): its name, logo and colour, and where shoppers give feedback.</summary>
public sealed class ShopLook
{
    public string Name { get; set; } = "HeadlessOms Shop";
    public string? LogoUrl { get; set; }
    /// <summary>The header's colour (CSS).</summary>
    public string Color { get; set; } = "#1f6feb";
    /// <summary>The shop front's feedback page, with <c>{token}</c> where the order's feedback token goes; no link when empty.</summary>
    public string? FeedbackUrl { get; set; }
}

/// <summary>An e-mail ready to send, or why there is none; <see cref="NotAnEmail"/> when the event turned out to tell the shopper nothing (a slip issued).</summary>
public sealed record RenderedMail(MimeMessage? Message, string? Recipient, string? Subject, string Locale, string? SkipReason, bool NotAnEmail = false)
{
    public string? Html { get; init; }
    public string? Text { get; init; }
}

/// <summary>A template's three parts (Liquid), saved or being tried.</summary>
public sealed record TemplateDraft(string Subject, string Html, string Text);

/// <summary>
/// Turns a queued notification into an e-mail: the order (and the shipment it is about) as a model, the built-in
/// Liquid templates (Fluid) with the locale's words (<see cref="NotificationTexts"/>), an HTML and a plain-text part.
/// </summary>
public sealed class NotificationRenderer(OmsDbContext db, MailSettings mail, Microsoft.Extensions.Options.IOptions<ShopLook> shop)
{
    private static readonly FluidParser Parser = new();
    // Bounded: templates may come from shop staff later (per channel); a loop over a huge list stops, never hangs a sender.
    private static readonly TemplateOptions Options = new TemplateOptionsBuilder()
        .WithCultureInfo(System.Globalization.CultureInfo.InvariantCulture).WithMaxSteps(100_000).WithMaxOutputSize(1_000_000).Build();
    // Templates parsed once: the built-in words and the shop's own templates are a few hundred sources at most.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, IFluidTemplate> Parsed = new(StringComparer.Ordinal);

    private static readonly IFluidTemplate Html = Parse(NotificationTemplates.Html);
    private static readonly IFluidTemplate Text = Parse(NotificationTemplates.Text);

    private static IFluidTemplate Parse(string source)
    {
        if (Parsed.TryGetValue(source, out var known)) return known;
        if (!Parser.TryParse(source, out var template, out var error)) throw new InvalidOperationException("An e-mail template is broken: " + error);
        if (Parsed.Count > 2_000) Parsed.Clear();
        return Parsed[source] = template;
    }

    /// <summary>
    /// The e-mail for <paramref name="n"/>: in the customer's locale (or <paramref name="locale"/>), with the shop's own
    /// template for the order's channel or all channels when there is one, else the built-in one; or with
    /// <paramref name="draft"/> (a preview of a template not saved yet).
    /// </summary>
    public async Task<RenderedMail> RenderAsync(Notification n, CancellationToken ct, TemplateDraft? draft = null, string? locale = null)
    {
        var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == new OrderId(n.OrderId), ct);
        if (order is null) return Skip("the order is gone");
        if (order.Customer.Name == Order.Erased || order.Customer.Email.Length == 0) return Skip("the customer was erased");
        var channel = Oms.Domain.Access.DataLimits.WireOf(order.Channel);
        if (draft is null && !mail.Sends(n.Kind, channel)) return Skip($"switched off for the {channel} channel");
        var customerLocale = order.CustomerId is { } cid ? await db.Customers.AsNoTracking().Where(c => c.Id == cid).Select(c => c.Locale).SingleOrDefaultAsync(ct) : null;
        locale = NotificationTexts.LocaleOf(locale ?? customerLocale);
        var model = new Dictionary<string, object?>
        {
            ["locale"] = locale,
            ["shop"] = new Dictionary<string, object?> { ["name"] = shop.Value.Name, ["logo_url"] = shop.Value.LogoUrl, ["color"] = shop.Value.Color },
            ["customer"] = new Dictionary<string, object?> { ["name"] = order.Customer.Name ?? order.Customer.Email.Split('@')[0], ["email"] = order.Customer.Email },
            ["order"] = new Dictionary<string, object?>
            {
                ["number"] = Order.FormatNumber(order.Number), ["total"] = Money(order.Total, order.Currency), ["currency"] = order.Currency,
                ["pickup_location"] = order.Delivery.PickupLocation,
                ["lines"] = order.Lines.Select(l => new Dictionary<string, object?>
                {
                    ["name"] = l.Name, ["sku"] = l.Sku, ["quantity"] = l.Quantity, ["total"] = Money(l.UnitPrice * l.Quantity, order.Currency),
                }).ToList(),
            },
        };
        if (n.Kind is NotificationKind.Shipped or NotificationKind.OutForDelivery or NotificationKind.Delivered or NotificationKind.DeliveryProblem)
        {
            var shipmentId = await SubjectOfAsync(n.EventId, ct);
            var shipment = await db.Shipments.AsNoTracking().Where(s => s.OrderId == order.Id && (shipmentId == null || s.Id == shipmentId))
                .OrderByDescending(s => s.CreatedAt).FirstOrDefaultAsync(ct);
            if (shipment is not null)
                model["shipment"] = new Dictionary<string, object?> { ["carrier"] = shipment.Carrier, ["tracking_number"] = shipment.TrackingNumber, ["tracking_url"] = shipment.TrackingUrl };
        }
        if (n.Kind == NotificationKind.RefundIssued)
        {
            // The refund this event tells of: the payment's latest refund (each refund raises its own event); a preview shows the order's latest.
            var paymentId = await SubjectOfAsync(n.EventId, ct);
            var histories = await db.Payments.AsNoTracking().Where(p => p.OrderId == order.Id && (paymentId == null || p.Id == paymentId)).Select(p => p.History).ToListAsync(ct);
            if (histories.SelectMany(h => h).Where(h => h.Kind == "refunded").OrderBy(h => h.At).LastOrDefault() is { } refund)
                model["refund"] = new Dictionary<string, object?> { ["amount"] = Money(refund.Amount, order.Currency) };
        }
        if (n.Kind == NotificationKind.Delivered && order.Feedback is { } feedback && shop.Value.FeedbackUrl is { Length: > 0 } page)
            model["feedback_url"] = page.Replace("{token}", Uri.EscapeDataString(feedback.Token), StringComparison.Ordinal);

        Oms.Domain.Documents.Document? invoice = null;
        if (n.Kind == NotificationKind.InvoiceIssued)
        {
            var documentId = await SubjectOfAsync(n.EventId, ct);
            invoice = documentId is { } d ? await db.Documents.AsNoTracking().SingleOrDefaultAsync(x => x.Id == new Oms.Domain.Documents.DocumentId(d), ct)
                : n.EventId == Guid.Empty ? await db.Documents.AsNoTracking().Where(x => x.OrderId == order.Id && x.Kind == Oms.Domain.Documents.DocumentKind.Invoice)
                    .OrderByDescending(x => x.Id).FirstOrDefaultAsync(ct) : null;
            if (invoice is not { Kind: Oms.Domain.Documents.DocumentKind.Invoice }) return new RenderedMail(null, null, null, locale, "not an invoice", NotAnEmail: true);
            model["document"] = new Dictionary<string, object?> { ["number"] = invoice.Number, ["total"] = Money(invoice.Total, invoice.Currency) };
        }
        Oms.Domain.Documents.Document? slip = null;
        if (n.Kind == NotificationKind.ReturnApproved && await SubjectOfAsync(n.EventId, ct) is { } returnId)
        {
            var key = $"return:{returnId}";
            slip = await db.Documents.AsNoTracking().SingleOrDefaultAsync(d => d.SourceKey == key, ct);
            // Documents are issued for this order (it has one) but not the slip yet: the e-mail waits for it, for a few tries.
            if (slip is null && n.Attempts <= 4 && await db.Documents.AsNoTracking().AnyAsync(d => d.OrderId == order.Id, ct))
                throw new InvalidOperationException("The return slip is still being drawn up.");
        }
        var words = NotificationTexts.For(n.Kind, locale);
        model["greeting"] = await RenderAsync(Parse(NotificationTexts.Labels(locale)["greeting"]), model, NullEncoder.Default, ct);
        model["intro"] = await RenderAsync(Parse(words.Intro), model, NullEncoder.Default, ct);
        model["labels"] = NotificationTexts.Labels(locale).ToDictionary(kv => kv.Key, kv => (object?)kv.Value);
        var own = draft ?? await OwnTemplateAsync(channel, n.Kind, locale, ct);
        var subject = (await RenderAsync(Parse(own?.Subject ?? words.Subject), model, NullEncoder.Default, ct)).Trim();
        model["subject"] = subject;
        string? text, html;
        if (own is null)
        {
            text = await RenderAsync(Text, model, NullEncoder.Default, ct);
            html = await RenderAsync(Html, model, HtmlEncoder.Default, ct);
        }
        else
        {
            text = string.IsNullOrWhiteSpace(own.Text) ? null : await RenderAsync(Parse(own.Text), model, NullEncoder.Default, ct);
            html = string.IsNullOrWhiteSpace(own.Html) ? null : await RenderAsync(Parse(own.Html), model, HtmlEncoder.Default, ct);
        }

        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(mail.FromFor(channel)));
        message.To.Add(new MailboxAddress(order.Customer.Name, order.Customer.Email));
        if (mail.ReplyToFor(channel) is { Length: > 0 } replyTo) message.ReplyTo.Add(MailboxAddress.Parse(replyTo));
        if (mail.BccFor(channel) is { Length: > 0 } bcc) message.Bcc.Add(MailboxAddress.Parse(bcc));
        message.Subject = subject;
        // The notification's id: a receiver that sees a retry of a send whose answer was lost can tell it is the same e-mail.
        message.MessageId = $"{n.Id:N}@headlessoms";
        message.Headers.Add("X-Oms-Notification", n.Kind.ToString());
        var body = new BodyBuilder { TextBody = text, HtmlBody = html };
        // The invoice itself, as the PDF GET /documents/{id}/pdf gives.
        if (slip is not null) body.Attachments.Add($"return-slip-{order.Number}.pdf", Oms.Infrastructure.Documents.PdfRenderer.Render(slip), new ContentType("application", "pdf"));
        if (invoice is not null) body.Attachments.Add($"invoice-{invoice.Number}.pdf", Oms.Infrastructure.Documents.PdfRenderer.Render(invoice), new ContentType("application", "pdf"));
        message.Body = body.ToMessageBody();
        return new RenderedMail(message, order.Customer.Email, subject, locale, null) { Html = html, Text = text };

        RenderedMail Skip(string reason) => new(null, null, null, "en", reason);
    }

    /// <summary>The shop's own template of this kind and locale: the channel's, else the one for all channels; null when there is none.</summary>
    private async Task<TemplateDraft?> OwnTemplateAsync(string channel, NotificationKind kind, string locale, CancellationToken ct)
    {
        var found = await db.NotificationTemplates.AsNoTracking()
            .Where(t => (t.ChannelKey == channel || t.ChannelKey == "") && t.Kind == kind && t.Locale == locale).ToListAsync(ct);
        return found.OrderByDescending(t => t.ChannelKey.Length).Select(t => new TemplateDraft(t.Subject, t.Html, t.Text)).FirstOrDefault();
    }

    /// <summary>Why <paramref name="source"/> is not a template, as "line L, column C: …"; null when it parses.</summary>
    public static string? Problem(string source)
    {
        if (Parser.TryParse(source, out _, out var error)) return null;
        var at = System.Text.RegularExpressions.Regex.Match(error ?? "", @"\((\d+):(\d+)\)");
        return at.Success ? $"line {at.Groups[1].Value}, column {at.Groups[2].Value}: {error}" : error ?? "not a Liquid template";
    }

    private static async Task<string> RenderAsync(IFluidTemplate template, Dictionary<string, object?> model, TextEncoder encoder, CancellationToken ct)
    {
        var context = new TemplateContext(Options);
        foreach (var (key, value) in model)
            if (value is not null) context.SetValue(key, value);
        return await template.RenderAsync(context, encoder);
    }

    private static string Money(long amount, string currency) => $"{Currencies.Format(amount, currency)} {currency}";

    /// <summary>The id of the resource an event's data shows (a shipment's), read from the outbox while it keeps the event.</summary>
    private async Task<Guid?> SubjectOfAsync(Guid eventId, CancellationToken ct)
    {
        var message = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == eventId).Select(m => new { m.Payload, m.PayloadFrom }).SingleOrDefaultAsync(ct);
        var payload = message?.Payload;
        if (payload is null && message?.PayloadFrom is { } from)
            payload = await db.OutboxMessages.AsNoTracking().Where(m => m.Id == from).Select(m => m.Payload).SingleOrDefaultAsync(ct);
        if (payload is null) return null;
        using var json = JsonDocument.Parse(payload);
        return json.RootElement.TryGetProperty("id", out var id) && id.TryGetGuid(out var guid) ? guid : null;
    }
}
