using System.Security.Cryptography;
using Oms.Domain.Common;

namespace Oms.Domain.Webhooks;

/// <summary>
/// Where to send which events. The signing secret is generated here (Standard Webhooks' <c>whsec_</c> + base64 of
/// 32 random bytes) and returned once; after a rotation the previous one stays valid for an overlap period, and
/// deliveries are signed with both meanwhile.
/// </summary>
public sealed class WebhookSubscription : AggregateRoot
{
    public const string SecretPrefix = "whsec_";
    public const int MaxFilters = 50;

    private WebhookSubscription() { }

    public Guid Id { get; private set; }
    public string Url { get; private set; } = "";
    public string? Description { get; private set; }
    /// <summary>Event types, exact (<c>order.shipped</c>) or with a trailing wildcard (<c>order.*</c>, <c>*</c>).</summary>
    public List<string> EventFilters { get; private set; } = [];
    public bool Active { get; private set; }
    public string Secret { get; private set; } = "";
    public string? PreviousSecret { get; private set; }
    public DateTimeOffset? PreviousSecretExpiresAt { get; private set; }
    public DateTimeOffset? FailingSince { get; private set; }
    public string? DisabledReason { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static (WebhookSubscription Subscription, string Secret) Create(Uri url, IReadOnlyList<string> filters, string? description, bool allowHttp, DateTimeOffset now)
    {
        var s = new WebhookSubscription { Id = Uuid.V7(now), Active = true, CreatedAt = now };
        s.Change(url, filters, description, active: true, allowHttp, now);
        s.Secret = NewSecret();
        return (s, s.Secret);
    }

    public void Change(Uri url, IReadOnlyList<string> filters, string? description, bool active, bool allowHttp, DateTimeOffset now)
    {
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && !(allowHttp && url.Scheme == Uri.UriSchemeHttp)))
            throw new DomainException("webhook.invalid_url", allowHttp ? "The URL must be absolute http or https." : "The URL must be absolute https.", "url");
        if (!string.IsNullOrEmpty(url.UserInfo))
            throw new DomainException("webhook.invalid_url", "Credentials in the URL are not allowed; verify our signature instead.", "url");
        if (filters.Count is 0 or > MaxFilters)
            throw new DomainException("webhook.invalid_filters", $"Give 1 to {MaxFilters} event filters, e.g. order.* or inventory.low_stock.", "eventFilters");
        if (filters.FirstOrDefault(f => !IsValidFilter(f)) is { } bad)
            throw new DomainException("webhook.invalid_filters", $"'{bad}' is not an event type or a prefix ending in '.*'.", "eventFilters");
        Url = url.ToString();
        EventFilters = filters.Distinct(StringComparer.Ordinal).ToList();
        Description = description;
        if (active && !Active) { FailingSince = null; DisabledReason = null; }
        Active = active;
        UpdatedAt = now;
    }

    public bool Wants(string eventType) => EventFilters.Any(f => Matches(f, eventType));

    public static bool Matches(string filter, string eventType) =>
        filter == "*" || filter == eventType || (filter.EndsWith(".*", StringComparison.Ordinal) && eventType.StartsWith(filter[..^1], StringComparison.Ordinal));

    /// <summary>Issues a new secret; the current one keeps verifying until <paramref name="overlap"/> has passed.</summary>
    public string RotateSecret(TimeSpan overlap, DateTimeOffset now)
    {
        PreviousSecret = Secret;
        PreviousSecretExpiresAt = now + overlap;
        Secret = NewSecret();
        UpdatedAt = now;
        return Secret;
    }

    /// <summary>The secrets to sign with now: the current one, and the previous one during its overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(DateTimeOffset now) =>
        PreviousSecret is { } previous && PreviousSecretExpiresAt > now ? [Secret, previous] : [Secret];

    /// <summary>
    /// The dispatcher gives up on the endpoint (410 Gone, or failing for too long). One already inactive (disabled by
    /// another process meanwhile, or by its owner) stays as it is: the one move this tolerates, as its name says.
    /// </summary>
    public void DisableIfActive(string reason, DateTimeOffset now)
    {
        if (!Active) return;
        Active = false;
        DisabledReason = reason;
        UpdatedAt = now;
        Raise(new WebhookSubscriptionDisabled(Id, Url, reason, now));
    }

    private static bool IsValidFilter(string f) =>
        f == "*" || (f.Length is > 0 and <= 100 && f.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '*')
                     && (!f.Contains('*') || (f.EndsWith(".*", StringComparison.Ordinal) && f.IndexOf('*') == f.Length - 1)));

    private static string NewSecret() => SecretPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}

public sealed record WebhookSubscriptionDisabled(Guid AggregateId, string Url, string Reason, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "webhook_subscription.disabled";
}

public enum DeliveryStatus { Pending, Succeeded, Failed }

/// <summary>One event on its way to one subscription. Its <see cref="MessageId"/> is the <c>webhook-id</c>, the same on every retry.</summary>
public sealed class WebhookDelivery
{
    private WebhookDelivery() { }

    public WebhookDelivery(Guid subscriptionId, Guid messageId, long messageSequence, string eventType, Guid orderingKey, DateTimeOffset now)
    {
        Id = Uuid.V7(now);
        SubscriptionId = subscriptionId;
        MessageId = messageId;
        MessageSequence = messageSequence;
        EventType = eventType;
        OrderingKey = orderingKey;
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        LockedUntil = DateTimeOffset.UnixEpoch;
        CreatedAt = now;
    }

    public Guid Id { get; private set; }
    public Guid SubscriptionId { get; private set; }
    public Guid MessageId { get; private set; }
    /// <summary>The event's position in commit order: deliveries with one ordering key go out in this order.</summary>
    public long MessageSequence { get; private set; }
    public string EventType { get; private set; } = "";
    /// <summary>The aggregate the event is about (an order): its events reach a subscriber in the order they happened.</summary>
    public Guid OrderingKey { get; private set; }
    public DeliveryStatus Status { get; private set; }
    public int Attempts { get; private set; }
    public DateTimeOffset NextAttemptAt { get; private set; }
    /// <summary>A sender's lease: while it is in the future, no one else sends this delivery.</summary>
    public DateTimeOffset LockedUntil { get; private set; }
    /// <summary>The claim that holds the lease, so a sender can read back exactly the deliveries it claimed.</summary>
    public Guid? ClaimToken { get; private set; }
    public DateTimeOffset? LastAttemptAt { get; private set; }
    public int? LastStatusCode { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }

    /// <summary>Records an attempt's outcome. <paramref name="retryAt"/> null means no more retries.</summary>
    public void Attempted(bool succeeded, int? statusCode, DateTimeOffset? retryAt, DateTimeOffset now)
    {
        Attempts++;
        LastAttemptAt = now;
        LastStatusCode = statusCode;
        LockedUntil = DateTimeOffset.UnixEpoch;
        ClaimToken = null;
        if (succeeded) Status = DeliveryStatus.Succeeded;
        else if (retryAt is { } at) { Status = DeliveryStatus.Pending; NextAttemptAt = at; }
        else Status = DeliveryStatus.Failed;
    }

    /// <summary>Hands a claimed delivery back unsent: due again at once, behind whatever of its key is still pending.</summary>
    public void Release(DateTimeOffset now)
    {
        NextAttemptAt = now;
        LockedUntil = DateTimeOffset.UnixEpoch;
        ClaimToken = null;
    }

    /// <summary>Sends it again from now on, with the same webhook-id.</summary>
    public void Replay(DateTimeOffset now)
    {
        Status = DeliveryStatus.Pending;
        NextAttemptAt = now;
        LockedUntil = DateTimeOffset.UnixEpoch;
        ClaimToken = null;
    }
}

/// <summary>One HTTP attempt of a delivery, for the delivery log.</summary>
public sealed class WebhookAttempt
{
    private WebhookAttempt() { }

    public WebhookAttempt(Guid deliveryId, int number, DateTimeOffset at, int? statusCode, int latencyMs, string? responseExcerpt, string? error)
    {
        DeliveryId = deliveryId;
        Number = number;
        At = at;
        StatusCode = statusCode;
        LatencyMs = latencyMs;
        ResponseExcerpt = responseExcerpt;
        Error = error;
    }

    public long Id { get; private set; }
    public Guid DeliveryId { get; private set; }
    public int Number { get; private set; }
    public DateTimeOffset At { get; private set; }
    public int? StatusCode { get; private set; }
    public int LatencyMs { get; private set; }
    public string? ResponseExcerpt { get; private set; }
    public string? Error { get; private set; }
}
