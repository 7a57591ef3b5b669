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
    public List<PaymentEntry> History { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public long Net => Captured - Refunded;

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
        if (Method == PaymentMethod.Card && Captured + amount > Authorized)
            throw new DomainException("payment.over_capture", $"Only {Authorized - Captured} of the authorised amount is left to capture.", "amount");
        Captured += amount;
        Status = to;
        Changed(kind, amount, null, now);
        return amount;
    }

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
        if (reason.Length > MaxReasonLength) reason = reason[..(MaxReasonLength - 1)] + "…";
        MoveTo(PaymentStatus.Failed);
        FailureReason = reason;
        Changed("failed", 0, reason, now);
    }

    private void Changed(string kind, long amount, string? note, DateTimeOffset now)
    {
        Log(kind, amount, note, now);
        UpdatedAt = now;
        Raise(new PaymentEvent("payment." + kind, Id, OrderId.Value, now));
    }

    private void Log(string kind, long amount, string? note, DateTimeOffset now) => History.Add(new PaymentEntry(now, kind, amount, note));

    private void MoveTo(PaymentStatus to)
    {
        Lifecycle.EnsureCanMove(Status, to);
        Status = to;
    }
}

public sealed record PaymentEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt) : IDomainEvent;
