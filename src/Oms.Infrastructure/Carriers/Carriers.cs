using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using Oms.Domain.Common;
using Oms.Domain.Fulfilment;

namespace Oms.Infrastructure.Carriers;

public sealed class CarrierOptions
{
    /// <summary>Shared secrets for the carrier tracking webhook, by carrier code (<c>Carriers:WebhookSecrets:manual</c>).</summary>
    public Dictionary<string, string> WebhookSecrets { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Tracking page per carrier code, <c>{trackingNumber}</c> replaced; used when a shipment gives no URL of its own.</summary>
    public Dictionary<string, string> TrackingUrls { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    /// <summary>Seconds a carrier webhook's signature timestamp may be old (replay protection).</summary>
    public long SignatureToleranceSeconds { get; set; } = 300;
    /// <summary>
    /// How far in the future a tracking event may be dated (clocks differ). A later one is refused: the latest event
    /// time decides a shipment's status, so an event dated 2062 for 2026 would freeze it.
    /// </summary>
    public TimeSpan FutureEventTolerance { get; set; } = TimeSpan.FromHours(1);
}

/// <summary>
/// What a label is bought for. <see cref="IdempotencyKey"/> names the parcel as packed: a carrier that is asked again
/// with the same key returns the label it sold, never a second one (pass it as the carrier API's idempotency key).
/// </summary>
public sealed record LabelRequest(string OrderNumber, string NodeCode, string? Service, string? TrackingNumber, string? TrackingUrl,
    IReadOnlyList<Package> Packages, Address? ShipTo, string IdempotencyKey);

public sealed record Label(string TrackingNumber, string? TrackingUrl);

/// <summary>
/// The carrier seam: buy a label (a tracking number) and read the carrier's event codes. Adding a carrier is one
/// class implementing this, registered in DI; the built-in <see cref="ManualCarrier"/> takes the tracking number the
/// warehouse typed in.
/// </summary>
public interface ICarrier
{
    string Code { get; }
    /// <summary>Buys (or, for the same <see cref="LabelRequest.IdempotencyKey"/>, finds again) the label. Called with no transaction open.</summary>
    Task<Label> CreateLabelAsync(LabelRequest request, CancellationToken ct);
    /// <summary>The carrier's own event code in our terms; null when the code is unknown.</summary>
    TrackingStatus? Normalise(string carrierCode);
}

/// <summary>Labels printed elsewhere: the tracking number comes with the request; codes are ours or common courier ones.</summary>
public sealed class ManualCarrier(IOptions<CarrierOptions> options) : ICarrier
{
    private static readonly Dictionary<string, TrackingStatus> Codes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["INFO_RECEIVED"] = TrackingStatus.LabelCreated, ["LC"] = TrackingStatus.LabelCreated,
        ["PU"] = TrackingStatus.InTransit, ["PICKED_UP"] = TrackingStatus.InTransit, ["ACCEPTED"] = TrackingStatus.InTransit,
        ["DEPARTED"] = TrackingStatus.InTransit, ["ARRIVED"] = TrackingStatus.InTransit, ["IT"] = TrackingStatus.InTransit,
        ["OFD"] = TrackingStatus.OutForDelivery,
        ["DL"] = TrackingStatus.Delivered, ["POD"] = TrackingStatus.Delivered,
        ["DF"] = TrackingStatus.DeliveryFailed, ["NOT_HOME"] = TrackingStatus.DeliveryFailed, ["ATTEMPT_FAIL"] = TrackingStatus.DeliveryFailed,
        ["EX"] = TrackingStatus.Exception, ["DAMAGED"] = TrackingStatus.Exception, ["DELAYED"] = TrackingStatus.Exception, ["LOST"] = TrackingStatus.Exception,
        ["RTS"] = TrackingStatus.ReturnedToSender, ["RETURNED"] = TrackingStatus.ReturnedToSender,
    };

    public string Code => "manual";

    public Task<Label> CreateLabelAsync(LabelRequest request, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.TrackingNumber))
            throw new DomainException("shipment.tracking_number_required", "The manual carrier takes the tracking number from the request.", "trackingNumber");
        var number = request.TrackingNumber.Trim();
        var url = request.TrackingUrl
                  ?? (options.Value.TrackingUrls.TryGetValue(Code, out var template) ? template.Replace("{trackingNumber}", Uri.EscapeDataString(number)) : null);
        return Task.FromResult(new Label(number, url));
    }

    public TrackingStatus? Normalise(string carrierCode) =>
        Shipment.ParseStatus(carrierCode) ?? (Codes.TryGetValue(carrierCode.Trim(), out var s) ? s : null);
}

/// <summary>The registered carriers by code.</summary>
public sealed class CarrierRegistry(IEnumerable<ICarrier> carriers)
{
    private readonly Dictionary<string, ICarrier> _byCode = carriers.ToDictionary(c => c.Code, StringComparer.OrdinalIgnoreCase);

    public ICarrier Get(string code, string field = "carrier") =>
        _byCode.GetValueOrDefault(code)
        ?? throw new DomainException("shipment.unknown_carrier", $"'{code}' is not a carrier here. Known: {string.Join(", ", _byCode.Keys.Order())}.", field);
}

/// <summary>
/// Carrier webhooks carry <c>Carrier-Signature: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "t.body"&gt;</c> with the
/// carrier's shared secret (several v1 entries allowed while a secret rotates). Signing the timestamp makes a replayed
/// old body fail.
/// </summary>
public static class CarrierSignature
{
    public static string Sign(string secret, long timestamp, string body) =>
        $"t={timestamp},v1={Convert.ToHexStringLower(Mac(secret, timestamp, body))}";

    public static bool Verify(string? header, string body, string secret, DateTimeOffset now, long toleranceSeconds)
    {
        if (string.IsNullOrWhiteSpace(header)) return false;
        long? timestamp = null;
        var signatures = new List<byte[]>();
        foreach (var part in header.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) continue;
            var (key, value) = (part[..eq], part[(eq + 1)..]);
            if (key == "t" && long.TryParse(value, out var t)) timestamp = t;
            else if (key == "v1" && value.Length == 64)
            {
                try { signatures.Add(Convert.FromHexString(value)); }
                catch (FormatException) { }
            }
        }
        if (timestamp is not { } ts || signatures.Count == 0) return false;
        // Compared without subtracting the sender's number, which may be anything a long holds (t=-9223372036854775808).
        var seconds = now.ToUnixTimeSeconds();
        if (ts < seconds - toleranceSeconds || ts > seconds + toleranceSeconds) return false;
        var expected = Mac(secret, ts, body);
        return signatures.Any(s => CryptographicOperations.FixedTimeEquals(s, expected));
    }

    private static byte[] Mac(string secret, long timestamp, string body) =>
        HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{timestamp}.{body}"));
}
