namespace Oms.Infrastructure.Persistence;

/// <summary>
/// One Idempotency-Key as one caller used it: the fingerprint of the first request, and once it finished,
/// the response to replay. A row without a response is a request still running (or one that died or failed: see
/// LockedUntil). <see cref="ResourceId"/> is the id reserved for what the request creates, kept across retries.
/// </summary>
public sealed class IdempotencyRecord
{
    public string Owner { get; set; } = "";
    public string Key { get; set; } = "";
    public string Fingerprint { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LockedUntil { get; set; }
    public Guid? ResourceId { get; set; }
    public int? StatusCode { get; set; }
    public string? ContentType { get; set; }
    public string? Location { get; set; }
    public string? ETag { get; set; }
    public byte[]? Body { get; set; }
}

/// <summary>A provider webhook event already handled: a replay of the same id is acknowledged and ignored.</summary>
public sealed class ProcessedProviderEvent
{
    public string Provider { get; set; } = "";
    public string EventId { get; set; } = "";
    public DateTimeOffset ReceivedAt { get; set; }
}
