namespace Oms.Infrastructure.Payments;

public sealed class StripeOptions
{
    /// <summary>sk_… from configuration; without it card payments answer a clear error and offline ones still work.</summary>
    public string? SecretKey { get; set; }
    /// <summary>whsec_… of the webhook endpoint, for Stripe-Signature.</summary>
    public string? WebhookSecret { get; set; }
    public string ApiBase { get; set; } = "https://api.stripe.com";
    /// <summary>When to capture: at shipment (the shipped value, as parts ship), or the whole amount at confirmation.</summary>
    public string CaptureAt { get; set; } = "shipment";
    /// <summary>Payment method types offered, passed through to Stripe (card, paypal, klarna, …).</summary>
    public string[] AllowedPaymentMethodTypes { get; set; } = [];
    /// <summary>Seconds a Stripe-Signature timestamp may be old.</summary>
    public long SignatureTolerance { get; set; } = 300;

    public bool Configured => !string.IsNullOrWhiteSpace(SecretKey);
    public bool CaptureAtConfirmation => string.Equals(CaptureAt, "confirmation", StringComparison.OrdinalIgnoreCase);
    /// <summary>
    /// When a card cannot be captured in parts (no multicapture on the account's plan): <c>last_shipment</c> (one capture
    /// of everything when the last part ships) or <c>confirmation</c> (everything at once when the order is confirmed).
    /// </summary>
    public string CaptureWithoutMulticapture { get; set; } = "last_shipment";
    public bool CaptureAtConfirmationWithoutMulticapture => string.Equals(CaptureWithoutMulticapture, "confirmation", StringComparison.OrdinalIgnoreCase);
}

/// <summary>The provider refused or could not be reached; the message is the provider's.</summary>
public sealed class PaymentProviderException(string message, Exception? inner = null) : Exception(message, inner);

public sealed record IntentCreated(string Id, string ClientSecret, string Status);

/// <summary>What a verified provider webhook says, in our terms.</summary>
/// <summary>A webhook body that verified but is not an event the provider sends (refused with 400, nothing recorded).</summary>
public sealed class MalformedProviderEventException(string message) : Exception(message);

public sealed record ProviderEvent(string Id, string Type, string? IntentId, long? AmountCapturable, long? AmountReceived, long? AmountRefunded, string? FailureMessage, string? RiskLevel);

/// <summary>The payment provider seam: Stripe in production, a fake Stripe server (HTTP) in tests.</summary>
public interface IPaymentGateway
{
    Task<IntentCreated> CreateAsync(long amount, string currency, Guid orderId, string orderNumber, Guid paymentId, string idempotencyKey, CancellationToken ct);
    Task CaptureAsync(string intentId, long amount, bool final, string idempotencyKey, CancellationToken ct);
    Task CancelAsync(string intentId, string idempotencyKey, CancellationToken ct);
    Task RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct);
    /// <summary>Whether the authorisation can be captured in parts (multicapture); null when the provider does not say.</summary>
    Task<bool?> MulticaptureAsync(string intentId, CancellationToken ct);
    /// <summary>Verifies the signature and reads the event; null when the signature does not hold.</summary>
    ProviderEvent? ReadWebhook(string json, string? signatureHeader);
}
