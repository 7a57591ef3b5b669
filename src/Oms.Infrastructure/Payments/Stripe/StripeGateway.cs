using Microsoft.Extensions.Options;
using Stripe;

namespace Oms.Infrastructure.Payments.Stripe;

/// <summary>
/// Card payments through Stripe.net: manual-capture PaymentIntents (multicapture requested, so parts can be captured
/// as they ship), captures, cancellations and refunds, each with an idempotency key derived from ours.
/// Stripe objects never leave this class: callers get our records.
/// </summary>
public sealed class StripeGateway(IOptions<StripeOptions> options, IHttpClientFactory httpClients) : IPaymentGateway
{
    private readonly StripeOptions _o = options.Value;

    // One client for the process, as Stripe.net asks: building one reads Newtonsoft.Json's file version for its user
    // agent (a memory-mapped read of the assembly), which was 8 % of the API's CPU in the card checkout when every call
    // built its own. Its HttpClient is kept too; the "stripe" handler renews its connections (Program.cs).
    private readonly Lazy<StripeClient> _client = new(() => new StripeClient(new StripeClientOptions
    {
        ApiKey = options.Value.SecretKey ?? throw new InvalidOperationException("Stripe:SecretKey is not configured."),
        ApiBase = options.Value.ApiBase,
        HttpClient = new SystemNetHttpClient(httpClients.CreateClient("stripe")),
    }));

    private StripeClient Client() => _client.Value;

    public async Task<IntentCreated> CreateAsync(long amount, string currency, Guid orderId, string orderNumber, Guid paymentId, string idempotencyKey, CancellationToken ct)
    {
        var create = new PaymentIntentCreateOptions
        {
            Amount = amount,
            Currency = currency.ToLowerInvariant(),
            CaptureMethod = "manual",
            Metadata = new Dictionary<string, string> { ["order_id"] = orderId.ToString(), ["order_number"] = orderNumber, ["payment_id"] = paymentId.ToString() },
            PaymentMethodOptions = new PaymentIntentPaymentMethodOptionsOptions
            {
                Card = new PaymentIntentPaymentMethodOptionsCardOptions { RequestMulticapture = "if_available" },
            },
        };
        if (_o.AllowedPaymentMethodTypes.Length > 0) create.AllowedPaymentMethodTypes = [.. _o.AllowedPaymentMethodTypes];
        else create.AutomaticPaymentMethods = new PaymentIntentAutomaticPaymentMethodsOptions { Enabled = true };
        var intent = await Call(() => new PaymentIntentService(Client()).CreateAsync(create, new RequestOptions { IdempotencyKey = idempotencyKey }, ct));
        return new IntentCreated(intent.Id, intent.ClientSecret, intent.Status);
    }

    public Task CaptureAsync(string intentId, long amount, bool final, string idempotencyKey, CancellationToken ct) =>
        Call(() => new PaymentIntentService(Client()).CaptureAsync(intentId, new PaymentIntentCaptureOptions { AmountToCapture = amount, FinalCapture = final },
            new RequestOptions { IdempotencyKey = idempotencyKey }, ct));

    public Task CancelAsync(string intentId, string idempotencyKey, CancellationToken ct) =>
        Call(() => new PaymentIntentService(Client()).CancelAsync(intentId, new PaymentIntentCancelOptions(), new RequestOptions { IdempotencyKey = idempotencyKey }, ct));

    public Task RefundAsync(string intentId, long amount, string idempotencyKey, CancellationToken ct) =>
        Call(() => new RefundService(Client()).CreateAsync(new RefundCreateOptions { PaymentIntent = intentId, Amount = amount },
            new RequestOptions { IdempotencyKey = idempotencyKey }, ct));

    public async Task<bool?> MulticaptureAsync(string intentId, CancellationToken ct)
    {
        var intent = await Call(() => new PaymentIntentService(Client()).GetAsync(intentId, new PaymentIntentGetOptions { Expand = ["latest_charge"] }, null, ct));
        return intent.LatestCharge?.PaymentMethodDetails?.Card?.Multicapture?.Status switch
        {
            "available" => true,
            "unavailable" => false,
            _ => null,
        };
    }

    private static async Task<T> Call<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (StripeException e)
        {
            // A proxy's or an outage's answer can be a whole HTML page: keep what a person can read in one line.
            var message = "Stripe: " + (e.StripeError?.Message ?? e.Message).ReplaceLineEndings(" ");
            throw new PaymentProviderException(message.Length > 300 ? message[..299] + "…" : message, e);
        }
    }

    public ProviderEvent? ReadWebhook(string json, string? signatureHeader)
    {
        if (string.IsNullOrEmpty(_o.WebhookSecret) || string.IsNullOrEmpty(signatureHeader)) return null;
        try
        {
            EventUtility.ValidateSignature(json, signatureHeader, _o.WebhookSecret, _o.SignatureTolerance);
        }
        catch (StripeException)
        {
            return null;
        }
        // Signed, so from Stripe (or from whoever holds the secret): a body that is not an event is refused as such, not
        // answered 500, which Stripe would retry for days.
        Event stripeEvent;
        try
        {
            // An account's webhook endpoint may be pinned to another API version; the fields read below are stable across them.
            stripeEvent = EventUtility.ConstructEventWithoutVerification(json, throwOnApiVersionMismatch: false);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            throw new MalformedProviderEventException("The body is not a Stripe event object.");
        }
        if (string.IsNullOrEmpty(stripeEvent.Id) || string.IsNullOrEmpty(stripeEvent.Type) || stripeEvent.Data is null)
            throw new MalformedProviderEventException("The event has no id, type or data.");
        return stripeEvent.Data.Object switch
        {
            PaymentIntent pi => new ProviderEvent(stripeEvent.Id, stripeEvent.Type, pi.Id, pi.AmountCapturable, pi.AmountReceived, null,
                pi.LastPaymentError?.Message, pi.LatestCharge?.Outcome?.RiskLevel),
            Charge charge => new ProviderEvent(stripeEvent.Id, stripeEvent.Type, charge.PaymentIntentId, null, charge.AmountCaptured, charge.AmountRefunded,
                charge.FailureMessage, charge.Outcome?.RiskLevel),
            Dispute dispute => new ProviderEvent(stripeEvent.Id, stripeEvent.Type, dispute.PaymentIntentId, null, null, null, dispute.Reason, null),
            _ => new ProviderEvent(stripeEvent.Id, stripeEvent.Type, null, null, null, null, null, null),
        };
    }
}
