using Oms.Domain.Common;

namespace Oms.Domain.Notifications;

/// <summary>What an e-mail to a shopper is about; each follows one kind of event.</summary>
public enum NotificationKind
{
    OrderReceived, OrderConfirmed, Shipped, OutForDelivery, Delivered, DeliveryProblem, ReadyForPickup,
    BackorderDelayed, ReturnApproved, ReturnReceived, RefundIssued, InvoiceIssued,
}

/// <summary>Queued until sent; retried with backoff while the mail server fails; failed after the last try; skipped when there is nobody to tell.</summary>
public enum NotificationStatus { Queued, Sent, Failed, Skipped, Bounced }

/// <summary>
/// One e-mail to a shopper about one event: queued once per event (the event's id is its key), sent after the change
/// committed, retried with backoff while the mail server fails. The recipient and subject are recorded when it is sent.
/// </summary>
public sealed class Notification
{
    private Notification() { }

    public Guid Id { get; private set; }
    /// <summary>The event it tells of (the outbox event's id): an event is told once.</summary>
    public Guid EventId { get; private set; }
    public NotificationKind Kind { get; private set; }
    public Guid OrderId { get; private set; }
    /// <summary>What within the order it is about: the shipment, return, payment or document; null for the order itself.</summary>
    public Guid? SubjectId { get; private set; }
    public NotificationStatus Status { get; private set; }
    public string? Recipient { get; private set; }
    public string? Subject { get; private set; }
    public string? Locale { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    public string? LastError { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }

    public static Notification Queue(Guid eventId, NotificationKind kind, Guid orderId, Guid? subjectId, DateTimeOffset now) => new()
    {
        Id = Uuid.V7(now), EventId = eventId, Kind = kind, OrderId = orderId, SubjectId = subjectId, Status = NotificationStatus.Queued,
        NextAttemptAt = now, CreatedAt = now,
    };

    /// <summary>Taken for a try: counted, and not taken again before <paramref name="lease"/> has passed (a sender that died mid-way).</summary>
    public void Claim(DateTimeOffset now, TimeSpan lease)
    {
        Attempts++;
        NextAttemptAt = now + lease;
    }

    public void MarkSent(string recipient, string subject, string locale, DateTimeOffset now)
    {
        Status = NotificationStatus.Sent;
        (Recipient, Subject, Locale, SentAt, LastError) = (recipient, subject, locale, now, null);
    }

    /// <summary>
    /// A try failed: tried again after the next delay of <paramref name="schedule"/>, or failed for good once the
    /// schedule is used up (<see cref="Attempts"/> counts the tries).
    /// </summary>
    public void MarkAttemptFailed(string error, IReadOnlyList<TimeSpan> schedule, DateTimeOffset now)
    {
        LastError = error.Length > 500 ? error[..500] : error;
        if (Attempts > schedule.Count) Status = NotificationStatus.Failed;
        else NextAttemptAt = now + schedule[Math.Max(0, Attempts - 1)];
    }

    /// <summary>Nobody to tell (no e-mail address, an erased customer, this kind switched off): recorded, not sent.</summary>
    public void Skip(string reason, DateTimeOffset now)
    {
        Status = NotificationStatus.Skipped;
        (LastError, SentAt) = (reason, null);
        NextAttemptAt = now;
    }

    /// <summary>Erasure (GDPR): the recipient gives way to <paramref name="placeholderEmail"/>; the subject and error are passed through <paramref name="scrub"/>.</summary>
    public void ErasePersonalData(string placeholderEmail, Func<string, string> scrub)
    {
        if (Recipient is not null) Recipient = placeholderEmail;
        if (Subject is { } subject) Subject = scrub(subject);
        if (LastError is { } error) LastError = scrub(error);
    }

    /// <summary>The kind of e-mail an event sends the shopper, if any (<paramref name="eventType"/> as webhooks name it).</summary>
    public static NotificationKind? KindOf(string eventType) => eventType switch
    {
        "order.placed" => NotificationKind.OrderReceived,
        "order.confirmed" => NotificationKind.OrderConfirmed,
        "order.ready_for_pickup" => NotificationKind.ReadyForPickup,
        "shipment.label_created" => NotificationKind.Shipped,
        "shipment.out_for_delivery" => NotificationKind.OutForDelivery,
        "shipment.delivered" => NotificationKind.Delivered,
        "shipment.delivery_failed" or "shipment.exception" or "shipment.returned_to_sender" => NotificationKind.DeliveryProblem,
        "return.approved" => NotificationKind.ReturnApproved,
        "return.received" => NotificationKind.ReturnReceived,
        "payment.refunded" or "payment.partially_refunded" => NotificationKind.RefundIssued,
        // Every document issued: the sender keeps invoices and drops the rest (slips, credit notes) unsent.
        "document.issued" => NotificationKind.InvoiceIssued,
        _ => null,
    };
}

/// <summary>
/// A shop's own wording of one kind of e-mail in one locale, for one channel or (no channel) all of them: a subject, an
/// HTML and a plain-text part in Liquid, rendered with the same model as the built-in ones. Checked as Liquid before
/// it is saved (by the application, which holds the template engine).
/// </summary>
public sealed class NotificationTemplate : AggregateRoot
{
    public const int MaxSubject = 500, MaxBody = 100_000;

    private NotificationTemplate() { }

    public Guid Id { get; private set; }
    /// <summary>The channel it is for (<c>web</c>, <c>marketplace</c>…); empty for every channel without one of its own (kept so, not null, so the key is unique).</summary>
    public string ChannelKey { get; private set; } = "";

    /// <summary>The channel it is for; null for every channel without one of its own.</summary>
    public string? Channel => ChannelKey.Length == 0 ? null : ChannelKey;
    public NotificationKind Kind { get; private set; }
    /// <summary>Two letters: en, nl, de, fr.</summary>
    public string Locale { get; private set; } = "";
    public string Subject { get; private set; } = "";
    public string Html { get; private set; } = "";
    public string Text { get; private set; } = "";
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static NotificationTemplate Create(string? channel, NotificationKind kind, string locale, string subject, string html, string text, DateTimeOffset now)
    {
        var t = new NotificationTemplate { Id = Uuid.V7(now), ChannelKey = channel ?? "", Kind = kind, Locale = locale, CreatedAt = now };
        t.Change(subject, html, text, now);
        return t;
    }

    public void Change(string subject, string html, string text, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(subject)) throw new DomainException("notification_template.empty", "A template needs a subject.", "subject");
        if (string.IsNullOrWhiteSpace(html) && string.IsNullOrWhiteSpace(text))
            throw new DomainException("notification_template.empty", "A template needs an HTML part, a text part or both.", "html");
        (Subject, Html, Text, UpdatedAt) = (subject, html, text, now);
    }
}
