using Oms.Api.Platform.Auth;
using Oms.Domain.Common;
using Oms.Domain.Notifications;

namespace Oms.Api.Notifications;

/// <summary>An e-mail to a shopper about one event: queued, sent, failed (after its last retry), skipped (nobody to tell) or bounced.</summary>
public sealed record NotificationDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required NotificationKind Kind { get; init; }
    public required NotificationStatus Status { get; init; }
    /// <summary>Who it went to; null until sent.</summary>
    [Personal(PersonalField.Email)] public required string? Recipient { get; init; }
    public required string? Subject { get; init; }
    /// <summary>The language it was written in (en, nl, de, fr).</summary>
    public required string? Locale { get; init; }
    /// <summary>Tries so far (a try the mail server refused is retried later).</summary>
    public required int Attempts { get; init; }
    /// <summary>Why the last try failed, or why it was skipped.</summary>
    public required string? LastError { get; init; }
    /// <summary>When the next try is due, while queued.</summary>
    public required DateTimeOffset? NextAttemptAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset? SentAt { get; init; }

    public static NotificationDto From(Notification n) => new()
    {
        Id = n.Id, OrderId = n.OrderId, Kind = n.Kind, Status = n.Status, Recipient = n.Recipient, Subject = n.Subject, Locale = n.Locale,
        Attempts = n.Attempts, LastError = n.LastError, NextAttemptAt = n.Status == NotificationStatus.Queued ? n.NextAttemptAt : null,
        CreatedAt = n.CreatedAt, SentAt = n.SentAt,
    };
}
