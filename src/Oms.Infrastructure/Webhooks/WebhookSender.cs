using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Oms.Infrastructure.Webhooks;

public sealed record SendResult(bool Succeeded, int? StatusCode, TimeSpan? RetryAfter, int LatencyMs, string? ResponseExcerpt, string? Error)
{
    /// <summary>410 Gone: the receiver says the endpoint is gone for good.</summary>
    public bool Gone => StatusCode == 410;
}

/// <summary>
/// Sends one signed POST. No redirects, a hard timeout, a capped read of the response, and (unless configuration
/// allows it) no connections to loopback, private or link-local addresses, checked on the address actually dialled.
/// </summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient _client;
    private readonly WebhookOptions _options;

    public WebhookSender(IOptions<WebhookOptions> options)
    {
        _options = options.Value;
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxConnectionsPerServer = 64,
            ConnectCallback = ConnectAsync,
        };
        _client = new HttpClient(handler) { Timeout = _options.Timeout };
        _client.DefaultRequestHeaders.UserAgent.ParseAdd("HeadlessOms-Webhooks/1.0");
    }

    public async Task<SendResult> SendAsync(Uri url, string id, long timestamp, string signature, byte[] body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("webhook-id", id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add("webhook-signature", signature);
        var started = Stopwatch.GetTimestamp();
        // One deadline for the whole attempt: a receiver that sends its headers and then nothing (or drips its body)
        // holds the attempt no longer than one that never answers.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.Timeout);
        int? status = null;
        try
        {
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            status = (int)response.StatusCode;
            TimeSpan? retryAfter = status is 429 or 503 ? RetryAfter(response) : null;
            var excerpt = await ExcerptAsync(response, deadline.Token);
            var latency = (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            return new SendResult(status is >= 200 and < 300, status, retryAfter, latency, excerpt, null);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException && !ct.IsCancellationRequested)
        {
            // The status decides when it came (the receiver has answered; only its body was late).
            var reason = e is OperationCanceledException
                ? status is null ? $"No response within {_options.Timeout.TotalSeconds:0} s." : $"The response body did not arrive within {_options.Timeout.TotalSeconds:0} s."
                : e.Message;
            return new SendResult(status is >= 200 and < 300, status, null, (int)Stopwatch.GetElapsedTime(started).TotalMilliseconds, null, Truncate(reason, 500));
        }
    }

    private async Task<string?> ExcerptAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var buffer = new byte[_options.ResponseExcerptBytes];
        await using var stream = await response.Content.ReadAsStreamAsync(ct);
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), ct)) > 0) total += read;
        return total == 0 ? null : System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };

    private async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var addresses = await Dns.GetHostAddressesAsync(context.DnsEndPoint.Host, ct);
        var allowed = _options.AllowPrivateTargets ? addresses : addresses.Where(a => !IsInternal(a)).ToArray();
        if (allowed.Length == 0)
            throw new HttpRequestException($"Refused: {context.DnsEndPoint.Host} resolves only to loopback, private or link-local addresses.");
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>Loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT and unspecified addresses.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) return true;
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6UniqueLocal;
        var b = address.GetAddressBytes();
        return b[0] == 10 || (b[0] == 172 && b[1] >= 16 && b[1] <= 31) || (b[0] == 192 && b[1] == 168) || (b[0] == 169 && b[1] == 254)
               || (b[0] == 100 && b[1] >= 64 && b[1] <= 127) || b[0] == 0;
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    public void Dispose() => _client.Dispose();
}
