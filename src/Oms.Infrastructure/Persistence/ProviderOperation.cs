namespace Oms.Infrastructure.Persistence;

public enum ProviderOperationKind { Capture, Cancel, Refund }

public enum ProviderOperationStatus { Pending, Succeeded, Failed }

/// <summary>
/// A call to a payment provider that a committed change asked for (capture what shipped, cancel an authorisation,
/// refund): written in that change's transaction, made after its commit with <see cref="IdempotencyKey"/>, retried
/// with backoff until it succeeds or the schedule is spent. No provider call runs while a transaction is open.
/// </summary>
public sealed class ProviderOperation
{
    public Guid Id { get; set; }
    public ProviderOperationKind Kind { get; set; }
    public Guid PaymentId { get; set; }
    /// <summary>The provider's object the call is about (a Stripe PaymentIntent).</summary>
    public string ProviderReference { get; set; } = "";
    public long Amount { get; set; }
    /// <summary>For captures: the last one, which releases what is left of the authorisation.</summary>
    public bool Final { get; set; }
    public string IdempotencyKey { get; set; } = "";
    public ProviderOperationStatus Status { get; set; }
    public int Attempts { get; set; }
    /// <summary>When the next attempt is due (a retry), or when one that was started and never finished may be taken over.</summary>
    public DateTimeOffset NextAttemptAt { get; set; }
    /// <summary>Held by whoever is calling the provider until then.</summary>
    public DateTimeOffset? LockedUntil { get; set; }
    public string? LastError { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
}
