using System.ComponentModel.DataAnnotations;
using Oms.Domain.Webhooks;

namespace Oms.Api.Webhooks;

/// <summary>A new webhook subscription.</summary>
public sealed record CreateWebhookSubscriptionRequest
{
    /// <summary>Where events are POSTed; https (http only where configuration allows).</summary>
    [Required, StringLength(2000)] public required string Url { get; init; }
    /// <summary>Event types, exact (order.shipped) or with a trailing wildcard (order.*, or * for everything).</summary>
    [MinLength(1), MaxLength(WebhookSubscription.MaxFilters)] public required List<string> EventFilters { get; init; }
    [StringLength(500)] public string? Description { get; init; }
}

/// <summary>Changes to a subscription; fields left out stay as they are. Setting active re-enables a disabled one.</summary>
public sealed record UpdateWebhookSubscriptionRequest
{
    [StringLength(2000)] public string? Url { get; init; }
    [MinLength(1), MaxLength(WebhookSubscription.MaxFilters)] public List<string>? EventFilters { get; init; }
    [StringLength(500)] public string? Description { get; init; }
    public bool? Active { get; init; }
}

/// <summary>A webhook subscription, without its secret.</summary>
public sealed record WebhookSubscriptionDto
{
    public required Guid Id { get; init; }
    public required string Url { get; init; }
    public required IReadOnlyList<string> EventFilters { get; init; }
    public required string? Description { get; init; }
    public required bool Active { get; init; }
    public required string? DisabledReason { get; init; }
    /// <summary>When deliveries started failing without a success since; null while healthy.</summary>
    public required DateTimeOffset? FailingSince { get; init; }
    /// <summary>Until when the previous secret still signs, after a rotation.</summary>
    public required DateTimeOffset? PreviousSecretExpiresAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static WebhookSubscriptionDto From(WebhookSubscription s, DateTimeOffset now) => new()
    {
        Id = s.Id, Url = s.Url, EventFilters = s.EventFilters, Description = s.Description, Active = s.Active, DisabledReason = s.DisabledReason,
        FailingSince = s.FailingSince, PreviousSecretExpiresAt = s.PreviousSecretExpiresAt > now ? s.PreviousSecretExpiresAt : null,
        CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt, Version = s.Version,
    };
}

/// <summary>A subscription with its signing secret: shown this once.</summary>
public sealed record WebhookSecretDto
{
    public required WebhookSubscriptionDto Subscription { get; init; }
    /// <summary>whsec_… — verify webhook-signature with it (Standard Webhooks).</summary>
    public required string Secret { get; init; }
}

public sealed record WebhookAttemptDto
{
    public required int Number { get; init; }
    public required DateTimeOffset At { get; init; }
    public required int? StatusCode { get; init; }
    public required int LatencyMs { get; init; }
    /// <summary>The start of the response body (at most 1 KiB).</summary>
    public required string? ResponseExcerpt { get; init; }
    public required string? Error { get; init; }
}

/// <summary>One event's delivery to one subscription, with every attempt.</summary>
public sealed record WebhookDeliveryDto
{
    public required Guid Id { get; init; }
    /// <summary>The webhook-id header: the same on every retry and replay.</summary>
    public required string EventId { get; init; }
    public required string EventType { get; init; }
    public required DeliveryStatus Status { get; init; }
    public required int Attempts { get; init; }
    public required DateTimeOffset? NextAttemptAt { get; init; }
    public required DateTimeOffset? LastAttemptAt { get; init; }
    public required int? LastStatusCode { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required IReadOnlyList<WebhookAttemptDto> AttemptLog { get; init; }
}

/// <summary>Send events again: one by its id, or every failed delivery whose event happened in a time range.</summary>
public sealed record ReplayRequest
{
    /// <summary>An event id (evt_…), as in the webhook-id header.</summary>
    [StringLength(100)] public string? EventId { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
}

public sealed record ReplayResultDto
{
    /// <summary>How many deliveries were queued again.</summary>
    public required int Queued { get; init; }
}

/// <summary>The test event queued for a subscription; its deliveries show up in the delivery log.</summary>
public sealed record TestEventDto
{
    public required string EventId { get; init; }
}
