using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Payments;

public enum PaymentMethod { Card, BankTransfer, CashOnDelivery, Invoice, Other }

public enum PaymentStatus { Pending, RequiresAction, Authorized, PartiallyCaptured, Captured, PartiallyRefunded, Refunded, Voided, Failed }

/// <summary>One thing that happened to a payment, kept for its history.</summary>
public sealed record PaymentEntry(DateTimeOffset At, string Kind, long Amount, string? Note);

/// <summary>
/// Money for one order by one method. Amounts are minor units: what is to be collected, what is authorised
/// (cards), captured or received, and refunded. Card payments move as the provider reports; offline ones as people
/// record money arriving.
/// </summary>
public sealed class Payment : AggregateRoot
{
    public static readonly Lifecycle<PaymentStatus> Lifecycle = new("payment", "payment", new Dictionary<PaymentStatus, PaymentStatus[]>
    {
        [PaymentStatus.Pending] = [PaymentStatus.RequiresAction, PaymentStatus.Authorized, PaymentStatus.PartiallyCaptured, PaymentStatus.Captured, PaymentStatus.Voided, PaymentStatus.Failed],
        [PaymentStatus.RequiresAction] = [PaymentStatus.Authorized, PaymentStatus.PartiallyCaptured, PaymentStatus.Captured, PaymentStatus.Voided, PaymentStatus.Failed],
        // Stripe may report a new authorised amount; money is captured in parts, one per shipment.
        [PaymentStatus.Authorized] = [PaymentStatus.Authorized, PaymentStatus.PartiallyCaptured, PaymentStatus.Captured, PaymentStatus.Voided, PaymentStatus.Failed],
        [PaymentStatus.PartiallyCaptured] = [PaymentStatus.PartiallyCaptured, PaymentStatus.Captured, PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded],
        // More offline money than asked for (an accepted over-payment) keeps a payment captured.
        [PaymentStatus.Captured] = [PaymentStatus.Captured, PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded],
        // A later shipment's capture may follow a refund of an earlier one.
        [PaymentStatus.PartiallyRefunded] = [PaymentStatus.PartiallyRefunded, PaymentStatus.Refunded, PaymentStatus.PartiallyCaptured, PaymentStatus.Captured],
        [PaymentStatus.Refunded] = [],
        [PaymentStatus.Voided] = [],
        [PaymentStatus.Failed] = [],
    });

    private Payment() { }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    public PaymentMethod Method { get; private set; }
    public PaymentStatus Status { get; private set; }
    public string Currency { get; private set; } = "";
    public long Amount { get; private set; }
    public long Authorized { get; private set; }
    public long Captured { get; private set; }
    public long Refunded { get; private set; }
    /// <summary>The provider's id (a Stripe PaymentIntent) or the payer's reference for offline money.</summary>
    public string? ProviderReference { get; private set; }
    /// <summary>For invoices: when payment is due.</summary>
    public DateOnly? DueDate { get; private set; }
    public string? FailureReason { get; private set; }
    /// <summary>Card money asked of the provider and not yet confirmed: the capture runs after the change that asked for it committed.</summary>
    public long CapturePending { get; private set; }
    /// <summary>
    /// Whether the card's authorisation can be captured in parts (Stripe's multicapture, offered on some pricing plans
    /// only); null until the provider said. Without it, a card payment is captured once, at the last shipment.
    /// </summary>
    public bool? Multicapture { get; private set; }
    /// <summary>The provider's reason for the last call about this payment that failed (a capture, cancellation or refund), until one succeeds.</summary>
    public string? ProviderFailure { get; private set; }
    public List<PaymentEntry> History { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public long Net => Captured - Refunded;

    /// <summary>What is authorised and neither captured nor asked for yet: what a capture may still take.</summary>
    public long CapturableLeft => Authorized - Captured - CapturePending;

    public bool IsOverdue(DateOnly today) => Method == PaymentMethod.Invoice && DueDate < today && Captured < Amount && Status is not (PaymentStatus.Voided or PaymentStatus.Failed);

    public static Payment Create(OrderId orderId, PaymentMethod method, Money amount, int? netTermsDays, DateTimeOffset now)
    {
        if (amount.Amount <= 0) throw new DomainException("payment.invalid_amount", "A payment is for more than zero.", "amount");
        if (method == PaymentMethod.Invoice && netTermsDays is not (>= 0 and <= 365))
            throw new DomainException("payment.net_terms_required", "An invoice needs net terms of 0 to 365 days.", "netTermsDays");
        var p = new Payment
        {
            Id = Uuid.V7(now), OrderId = orderId, Method = method, Status = PaymentStatus.Pending, Currency = amount.Currency,
            Amount = amount.Amount, CreatedAt = now, UpdatedAt = now,
            DueDate = method == PaymentMethod.Invoice ? DateOnly.FromDateTime(now.UtcDateTime).AddDays(netTermsDays!.Value) : null,
        };
        p.Log("created", amount.Amount, method.ToString(), now);
        p.Raise(new PaymentEvent("payment.created", p.Id, orderId.Value, now));
        return p;
    }

    public void Reference(string providerReference) => ProviderReference = providerReference;

    public void RequiresAction(DateTimeOffset now)
    {
        MoveTo(PaymentStatus.RequiresAction);
        Changed("requires_action", 0, null, now);
    }

    public bool CanMoveTo(PaymentStatus to) => Lifecycle.CanMove(Status, to);

    /// <summary>What the provider said about capturing this authorisation in parts.</summary>
    public void MulticaptureIs(bool available, DateTimeOffset now)
    {
        if (Multicapture == available) return;
        Multicapture = available;
        UpdatedAt = now;
    }

    /// <summary>The provider holds the money for us (card authorised, manual capture).</summary>
    public void Authorize(long amount, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.Authorized);
        Authorized = amount;
        Changed("authorized", amount, null, now);
    }

    /// <summary>Money taken: a card capture, or offline money that arrived (bank transfer, cash, invoice paid).</summary>
    public long Capture(long amount, DateTimeOffset now, string kind = "captured")
    {
        if (amount <= 0) throw new DomainException("payment.invalid_amount", "Capture more than zero.", "amount");
        var to = Captured + amount >= Amount ? PaymentStatus.Captured : PaymentStatus.PartiallyCaptured;
        Lifecycle.EnsureCanMove(Status, to);
        _moved = Transition.Of(Status, to);
        if (Method == PaymentMethod.Card && Captured + amount > Authorized)
            throw new DomainException("payment.over_capture", $"Only {Authorized - Captured} of the authorised amount is left to capture.", "amount");
        Captured += amount;
        Status = to;
        Changed(kind, amount, null, now);
        return amount;
    }

    /// <summary>
    /// Asks for <paramref name="amount"/> of the authorisation to be captured: the provider is called after this change
    /// commits (never while rows are locked), and <see cref="CaptureSucceeded"/> records the money once it answers.
    /// </summary>
    public void RequestCapture(long amount, DateTimeOffset now)
    {
        if (amount <= 0) throw new DomainException("payment.invalid_amount", "Capture more than zero.", "amount");
        if (Method != PaymentMethod.Card)
            throw new ConflictException("payment.not_card", "Only card payments are captured through the provider.");
        Lifecycle.EnsureCanMove(Status, Captured + CapturePending + amount >= Amount ? PaymentStatus.Captured : PaymentStatus.PartiallyCaptured);
        if (amount > CapturableLeft)
            throw new DomainException("payment.over_capture", $"Only {CapturableLeft} of the authorised amount is left to capture.", "amount");
        CapturePending += amount;
        UpdatedAt = now;
        Log("capture_requested", amount, null, now);
    }

    /// <summary>The provider captured what <see cref="RequestCapture"/> asked for: the money is ours.</summary>
    public long CaptureSucceeded(long amount, DateTimeOffset now)
    {
        CapturePending -= Math.Min(amount, CapturePending);
        ProviderFailure = null;
        return Capture(amount, now);
    }

    /// <summary>A later call about this payment succeeded at the provider (a cancellation or refund): any earlier failure is over.</summary>
    public void ProviderSucceeded(DateTimeOffset now)
    {
        if (ProviderFailure is null) return;
        ProviderFailure = null;
        UpdatedAt = now;
    }

    /// <summary>
    /// A call to the provider failed (<paramref name="operation"/>: capture, cancel or refund). It is retried; once
    /// <paramref name="givenUp"/>, a capture no longer counts as pending. Raises <c>payment.{operation}_failed</c>.
    /// </summary>
    public void ProviderFailed(string operation, long amount, string reason, bool givenUp, DateTimeOffset now)
    {
        ProviderFailure = FitReason($"{operation}: {reason}");
        if (givenUp && operation == "capture") CapturePending -= Math.Min(amount, CapturePending);
        Changed(operation + "_failed", amount, FitReason(reason) + (givenUp ? " (given up)" : " (will retry)"), now);
    }

    /// <summary>A reason cut to what is kept (a provider's answer can be a whole HTML page).</summary>
    public static string FitReason(string text) => text.Length > MaxReasonLength ? text[..(MaxReasonLength - 1)] + "…" : text;

    public void Refund(long amount, string? reason, DateTimeOffset now)
    {
        Lifecycle.EnsureCanMove(Status, Refunded + amount >= Captured ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded);
        if (amount <= 0 || amount > Captured - Refunded)
            throw new DomainException("payment.invalid_refund", $"Refund between 1 and {Captured - Refunded} (what was captured and not yet refunded).", "amount");
        MoveTo(Refunded + amount >= Captured ? PaymentStatus.Refunded : PaymentStatus.PartiallyRefunded);
        Refunded += amount;
        Changed("refunded", amount, reason, now);
    }

    /// <summary>Nothing more will be taken: an uncaptured authorisation or a pending offline payment is released.</summary>
    public void Void(string? reason, DateTimeOffset now)
    {
        MoveTo(PaymentStatus.Voided);
        Changed("voided", Authorized - Captured, reason, now);
    }

    /// <summary>The longest failure reason kept; a provider's answer can be a whole HTML page.</summary>
    public const int MaxReasonLength = 500;

    public void Fail(string reason, DateTimeOffset now)
    {
        reason = FitReason(reason);
        MoveTo(PaymentStatus.Failed);
        FailureReason = reason;
        Changed("failed", 0, reason, now);
    }

    private void Changed(string kind, long amount, string? note, DateTimeOffset now)
    {
        Log(kind, amount, note, now);
        UpdatedAt = now;
        Raise(new PaymentEvent("payment." + kind, Id, OrderId.Value, now, _moved is { From: var f, To: var t } && f != t ? _moved : null));
        _moved = null;
    }

    private void Log(string kind, long amount, string? note, DateTimeOffset now) => History.Add(new PaymentEntry(now, kind, amount, note));

    /// <summary>The status move of the change being made, for its event.</summary>
    private Transition? _moved;

    private void MoveTo(PaymentStatus to)
    {
        Lifecycle.EnsureCanMove(Status, to);
        _moved = Transition.Of(Status, to);
        Status = to;
    }
}

public sealed record PaymentEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}
