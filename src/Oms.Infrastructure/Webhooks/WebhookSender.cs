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
            // One text for a refused, unreachable, closed or silent target: the log must not map a network's open ports.
            var reason = status is null
                ? $"The receiver could not be reached, or did not answer within {_options.Timeout.TotalSeconds:0} s."
                : $"The response body did not arrive within {_options.Timeout.TotalSeconds:0} s.";
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
            throw new HttpRequestException("The receiver could not be reached.");
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

    /// <summary>
    /// Every address a webhook must not reach: all that the IANA special-purpose registries (IPv4 and IPv6) do not
    /// mark globally reachable (loopback, private, shared, link-local, documentation, benchmarking, reserved,
    /// multicast, broadcast), the IPv6 forms that carry an IPv4 address or lead to one through a translator (mapped,
    /// compatible, translated, NAT64, 6to4, Teredo), and this machine's own addresses.
    /// </summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (HostAddresses.Value.Contains(address)) return true;
        return address.AddressFamily == AddressFamily.InterNetwork ? !IsGlobalV4(address.GetAddressBytes()) : !IsGlobalV6(address.GetAddressBytes());
    }

    private static readonly (byte[] Prefix, int Bits)[] SpecialV4 = Ranges(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24", "192.0.2.0/24",
        "192.31.196.0/24", "192.52.193.0/24", "192.88.99.0/24", "192.168.0.0/16", "192.175.48.0/24", "198.18.0.0/15", "198.51.100.0/24",
        "203.0.113.0/24", "224.0.0.0/4", "240.0.0.0/4");

    private static readonly (byte[] Prefix, int Bits)[] SpecialV6 = Ranges(
        "::/96", "::ffff:0:0/96", "::ffff:0:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/23", "2001:db8::/32", "2002::/16",
        "3fff::/20", "5f00::/16", "fc00::/7", "fe80::/10", "fec0::/10", "ff00::/8");

    private static bool IsGlobalV4(byte[] bytes) => !SpecialV4.Any(r => Matches(bytes, r));

    private static bool IsGlobalV6(byte[] bytes) => !SpecialV6.Any(r => Matches(bytes, r));

    private static bool Matches(byte[] bytes, (byte[] Prefix, int Bits) range)
    {
        if (bytes.Length != range.Prefix.Length) return false;
        for (var bit = 0; bit < range.Bits; bit++)
        {
            var mask = 0x80 >> (bit % 8);
            if ((bytes[bit / 8] & mask) != (range.Prefix[bit / 8] & mask)) return false;
        }
        return true;
    }

    private static (byte[], int)[] Ranges(params string[] cidrs) =>
        cidrs.Select(c => (IPAddress.Parse(c[..c.IndexOf('/')]).GetAddressBytes(), int.Parse(c[(c.IndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture))).ToArray();

    /// <summary>This machine's own addresses (its host name and every interface): a webhook to them reaches the API itself.</summary>
    private static readonly Lazy<HashSet<IPAddress>> HostAddresses = new(() =>
    {
        var own = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses) own.Add(unicast.Address);
            foreach (var a in Dns.GetHostAddresses(Dns.GetHostName())) own.Add(a);
        }
        catch (Exception e) when (e is System.Net.NetworkInformation.NetworkInformationException or SocketException) { }
        return own;
    });

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];

    public void Dispose() => _client.Dispose();
}
