using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Domain.Payments;

namespace Oms.Api.Payments;

/// <summary>A new payment on an order.</summary>
public sealed record CreatePaymentRequest
{
    /// <summary>card (through Stripe), bank_transfer, cash_on_delivery, invoice or other.</summary>
    public required PaymentMethod Method { get; init; }
    /// <summary>Minor units to collect; defaults to what is outstanding on the order.</summary>
    [Range(typeof(long), "1", MoneyLimits.Max)] public long? Amount { get; init; }
    /// <summary>For invoices: days until payment is due.</summary>
    [Range(0, 365)] public int? NetTermsDays { get; init; }
    /// <summary>Your reference for offline money (a bank transfer's remittance text, say).</summary>
    [StringLength(200)] public string? Reference { get; init; }
    /// <summary>True to accept an amount beyond what is outstanding on the order (it shows as the order's amountOverpaid).</summary>
    public bool AllowOverpayment { get; init; }
}

/// <summary>Offline money that arrived; partial amounts are fine.</summary>
public sealed record MarkReceivedRequest
{
    [Range(typeof(long), "1", MoneyLimits.Max)] public required long Amount { get; init; }
    [StringLength(200)] public string? Reference { get; init; }
    /// <summary>True to accept money beyond what is outstanding on the order (it shows as the order's amountOverpaid).</summary>
    public bool AllowOverpayment { get; init; }
}

/// <summary>Money to give back; the whole captured amount when left out.</summary>
public sealed record RefundPaymentRequest
{
    [Range(typeof(long), "1", MoneyLimits.Max)] public long? Amount { get; init; }
    [StringLength(500)] public string? Reason { get; init; }
}

public sealed record PaymentEntryDto
{
    public required DateTimeOffset At { get; init; }
    public required string Kind { get; init; }
    public required long Amount { get; init; }
    public required string? Note { get; init; }
}

/// <summary>A payment on an order; amounts in minor units of its currency.</summary>
public sealed record PaymentDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required PaymentMethod Method { get; init; }
    public required PaymentStatus Status { get; init; }
    public required MoneyDto Amount { get; init; }
    public required MoneyDto Authorized { get; init; }
    public required MoneyDto Captured { get; init; }
    public required MoneyDto Refunded { get; init; }
    public required string? ProviderReference { get; init; }
    /// <summary>For card payments: what the front end passes to Stripe.js to confirm. Only in the response that created it.</summary>
    public required string? ClientSecret { get; init; }
    public required DateOnly? DueDate { get; init; }
    public required bool Overdue { get; init; }
    public required string? FailureReason { get; init; }
    /// <summary>Card money asked of the provider and not yet confirmed (a capture being made, or retried after a failure).</summary>
    public required MoneyDto CapturePending { get; init; }
    /// <summary>The provider's reason for the last call about this payment that failed (capture, cancel or refund), until one succeeds; failed calls are retried.</summary>
    public required string? ProviderFailure { get; init; }
    public required IReadOnlyList<PaymentEntryDto> History { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static PaymentDto From(Payment p, DateOnly today, string? clientSecret = null) => new()
    {
        Id = p.Id, OrderId = p.OrderId.Value, Method = p.Method, Status = p.Status,
        Amount = MoneyDto.From(p.Amount, p.Currency), Authorized = MoneyDto.From(p.Authorized, p.Currency),
        Captured = MoneyDto.From(p.Captured, p.Currency), Refunded = MoneyDto.From(p.Refunded, p.Currency),
        ProviderReference = p.ProviderReference, ClientSecret = clientSecret, DueDate = p.DueDate, Overdue = p.IsOverdue(today),
        FailureReason = p.FailureReason, CapturePending = MoneyDto.From(p.CapturePending, p.Currency), ProviderFailure = p.ProviderFailure,
        History = p.History.Select(h => new PaymentEntryDto { At = h.At, Kind = h.Kind, Amount = h.Amount, Note = h.Note }).ToList(),
        CreatedAt = p.CreatedAt, UpdatedAt = p.UpdatedAt, Version = p.Version,
    };
}

/// <summary>What Stripe is told about an event it sent.</summary>
public sealed record StripeWebhookResult
{
    public required bool Received { get; init; }
    /// <summary>The event id was seen before: acknowledged, not applied again.</summary>
    public required bool Duplicate { get; init; }
}
