using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Validation;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Domain.Notifications;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Notifications;

/// <summary>The shop's own e-mail templates: saved only when they parse (the line and column of the first fault otherwise), previewed with real orders.</summary>
public sealed class NotificationTemplateService(OmsDbContext db, TimeProvider clock, NotificationRenderer renderer, Visibility seen)
{
    public async Task<IReadOnlyList<NotificationTemplateDto>> ListAsync(CancellationToken ct) =>
        (await db.NotificationTemplates.AsNoTracking().OrderBy(t => t.Kind).ThenBy(t => t.Locale).ThenBy(t => t.ChannelKey).ToListAsync(ct))
        .Select(NotificationTemplateDto.From).ToList();

    /// <summary>Creates or replaces the template of <paramref name="kind"/> in <paramref name="locale"/> for <paramref name="channel"/> (null: every channel).</summary>
    public async Task<(NotificationTemplateDto Template, bool Created)> SaveAsync(string kind, string locale, string? channel, NotificationTemplateRequest r, int? expectedVersion,
        CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        r = Filled(r);
        var (k, l, c) = Key(kind, locale, channel);
        EnsureLiquid(r, "");
        var now = clock.GetUtcNow();
        var existing = await db.NotificationTemplates.SingleOrDefaultAsync(t => t.ChannelKey == (c ?? "") && t.Kind == k && t.Locale == l, ct);
        if (existing is null)
        {
            var created = NotificationTemplate.Create(c, k, l, r.Subject, r.Html, r.Text, now);
            db.NotificationTemplates.Add(created);
            await db.SaveUniqueAsync("notification_template.exists", "This template was just saved by someone else: read it and try again.", ct);
            return (NotificationTemplateDto.From(created), true);
        }
        existing.EnsureVersion(expectedVersion);
        existing.Change(r.Subject, r.Html, r.Text, now);
        await db.SaveChangesAsync(ct);
        return (NotificationTemplateDto.From(existing), false);
    }

    public async Task DeleteAsync(string kind, string locale, string? channel, CancellationToken ct)
    {
        var (k, l, c) = Key(kind, locale, channel);
        var existing = await db.NotificationTemplates.SingleOrDefaultAsync(t => t.ChannelKey == (c ?? "") && t.Kind == k && t.Locale == l, ct)
                       ?? throw new NotFoundException("notification template", $"{kind}/{locale}" + (c is null ? "" : $"?channel={c}"));
        db.NotificationTemplates.Remove(existing);
        await db.SaveChangesAsync(ct);
    }

    public async Task<NotificationPreviewDto> PreviewAsync(NotificationPreviewRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        if (r.Draft is { } given)
        {
            RequestValidator.ThrowIfInvalid(given);
            var draft = Filled(given);
            r = r with { Draft = draft };
            EnsureLiquid(draft, "draft.");
        }
        var locale = r.Locale is null ? null : Locale(r.Locale, "locale");
        await seen.EnsureOrderAsync(new OrderId(r.OrderId), ct);
        var mail = await renderer.RenderAsync(Notification.Queue(Guid.Empty, r.Kind, r.OrderId, null, clock.GetUtcNow()), ct,
            r.Draft is { } d ? new TemplateDraft(d.Subject, d.Html, d.Text) : null, locale);
        if (mail.Message is null)
            throw new ConflictException("notification.nothing_to_send", $"This order has nothing to show in this e-mail: {mail.SkipReason}.");
        return new NotificationPreviewDto { Subject = mail.Subject!, Html = mail.Html, Text = mail.Text, Locale = mail.Locale, Recipient = mail.Recipient };
    }

    /// <summary>Refuses a part that is not Liquid, naming it (under <paramref name="prefix"/>) and the line and column of the fault.</summary>
    private static void EnsureLiquid(NotificationTemplateRequest r, string prefix)
    {
        foreach (var (field, source) in new[] { ("subject", r.Subject), ("html", r.Html), ("text", r.Text) })
            if (NotificationRenderer.Problem(source) is { } problem)
                throw new DomainException("notification_template.invalid", $"The {prefix}{field} is not a Liquid template: {problem}", prefix + field);
    }

    /// <summary>Parts left out (GraphQL passes null for an input field left out) are empty.</summary>
    private static NotificationTemplateRequest Filled(NotificationTemplateRequest r) => r with { Html = r.Html ?? "", Text = r.Text ?? "" };

    private static (NotificationKind Kind, string Locale, string? Channel) Key(string kind, string locale, string? channel)
    {
        var k = WireKind(kind);
        var c = channel is null ? null : DataLimits.ValidatedChannels([channel], "channel")[0];
        return (k, Locale(locale, "locale"), c);
    }

    private static NotificationKind WireKind(string kind) =>
        Enum.GetValues<NotificationKind>().FirstOrDefault(k => WireEnum.Name(k) == kind) is var found && WireEnum.Name(found) == kind
            ? found
            : throw new DomainException("notification_template.unknown_kind",
                $"'{kind}' is not a kind of e-mail. Kinds: {string.Join(", ", Enum.GetValues<NotificationKind>().Select(k => WireEnum.Name(k)))}.", "kind");

    private static string Locale(string locale, string field) =>
        NotificationTexts.Locales.Contains(locale) ? locale
            : throw new DomainException("notification_template.unknown_locale", $"'{locale}' is not a locale e-mails are written in: {string.Join(", ", NotificationTexts.Locales)}.", field);
}
