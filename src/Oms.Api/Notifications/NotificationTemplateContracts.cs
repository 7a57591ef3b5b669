using System.ComponentModel.DataAnnotations;
using Oms.Domain.Notifications;

namespace Oms.Api.Notifications;

/// <summary>A shop's own wording of one kind of e-mail in one locale: Liquid, with the model described in docs/notifications.md.</summary>
public sealed record NotificationTemplateRequest
{
    [Required, StringLength(NotificationTemplate.MaxSubject)] public required string Subject { get; init; }
    /// <summary>The HTML part; empty for a text-only e-mail.</summary>
    [StringLength(NotificationTemplate.MaxBody)] public string Html { get; init; } = "";
    /// <summary>The plain-text part; empty for an HTML-only e-mail.</summary>
    [StringLength(NotificationTemplate.MaxBody)] public string Text { get; init; } = "";
}

/// <summary>A template saved for a kind, a locale and a channel (or every channel).</summary>
public sealed record NotificationTemplateDto
{
    public required Guid Id { get; init; }
    public required NotificationKind Kind { get; init; }
    public required string Locale { get; init; }
    /// <summary>The channel it is for; null for every channel without one of its own.</summary>
    public required string? Channel { get; init; }
    public required string Subject { get; init; }
    public required string Html { get; init; }
    public required string Text { get; init; }
    public required int Version { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }

    public static NotificationTemplateDto From(NotificationTemplate t) => new()
    {
        Id = t.Id, Kind = t.Kind, Locale = t.Locale, Channel = t.Channel, Subject = t.Subject, Html = t.Html, Text = t.Text, Version = t.Version, UpdatedAt = t.UpdatedAt,
    };
}

/// <summary>What to preview: a kind of e-mail for a real order, with the saved (or built-in) template, or with a draft given here.</summary>
public sealed record NotificationPreviewRequest
{
    [Required] public required NotificationKind Kind { get; init; }
    [Required] public required Guid OrderId { get; init; }
    /// <summary>en, nl, de or fr; the customer's when left out.</summary>
    [StringLength(10)] public string? Locale { get; init; }
    /// <summary>A template to try instead of the saved one (not saved).</summary>
    public NotificationTemplateRequest? Draft { get; init; }
}

/// <summary>An e-mail as it would be sent now (nothing is sent or logged).</summary>
public sealed record NotificationPreviewDto
{
    public required string Subject { get; init; }
    public required string? Html { get; init; }
    public required string? Text { get; init; }
    public required string Locale { get; init; }
    /// <summary>Who it would go to.</summary>
    [Platform.Auth.Personal(Oms.Domain.Common.PersonalField.Email)] public required string? Recipient { get; init; }
}
