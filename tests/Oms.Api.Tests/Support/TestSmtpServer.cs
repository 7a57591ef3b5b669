using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Oms.Api.Tests.Support;

/// <summary>
/// A real SMTP server on loopback (the SmtpServer package, speaking the protocol over TCP): what arrives is kept as
/// MimeKit messages for tests to read. It can be stopped and started again on the same port (an outage).
/// </summary>
public sealed class TestSmtpServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<MimeMessage> _received = new();
    private SmtpServer.SmtpServer? _server;
    private Task? _running;
    private CancellationTokenSource? _stop;

    public int Port { get; } = FreePort();

    public IReadOnlyCollection<MimeMessage> Received => _received;

    public IEnumerable<(string Key, string Value)> Settings =>
    [
        ("Notifications:SmtpHost", "127.0.0.1"), ("Notifications:SmtpPort", Port.ToString()), ("Notifications:SmtpSecurity", "None"),
        ("Notifications:From", "Testshop <orders@testshop.example>"), ("Notifications:Shop:Name", "Testshop"),
        ("Notifications:Shop:FeedbackUrl", "https://testshop.example/feedback/{token}"), ("Notifications:PollInterval", "00:00:00.050"),
        ("Notifications:YieldToRequests", "false"), // the tests run side by side: the app is never idle
        // A shop's point of sale: its own sender and reply-to, no "order received" (the shopper holds the receipt).
        ("Notifications:Channels:pos:From", "Testshop Store <store@testshop.example>"), ("Notifications:Channels:pos:ReplyTo", "store-desk@testshop.example"),
        ("Notifications:Channels:pos:Disabled:0", "OrderReceived"),
        ("Notifications:RetrySchedule:0", "00:00:00.200"), ("Notifications:RetrySchedule:1", "00:00:00.400"), ("Notifications:RetrySchedule:2", "00:00:00.800"),
        ("Notifications:RetrySchedule:3", "00:00:01.600"), ("Notifications:RetrySchedule:4", "00:00:03"), ("Notifications:RetrySchedule:5", "00:00:05"),
    ];

    public static async Task<TestSmtpServer> StartAsync()
    {
        var server = new TestSmtpServer();
        await server.StartAgainAsync();
        return server;
    }

    public async Task StartAgainAsync()
    {
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(e => e.Endpoint(new IPEndPoint(IPAddress.Loopback, Port))).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(_received));
        _server = new SmtpServer.SmtpServer(options, services);
        _stop = new CancellationTokenSource();
        _running = _server.StartAsync(_stop.Token);
        // Listening once a connection is accepted.
        for (var i = 0; i < 100; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(20);
            }
        }
        throw new InvalidOperationException("The test SMTP server did not start.");
    }

    /// <summary>Stops listening and drops every connection: the mail server is down.</summary>
    public async Task StopAsync()
    {
        _server?.Shutdown();
        await (_stop?.CancelAsync() ?? Task.CompletedTask);
        try { await (_running ?? Task.CompletedTask); } catch (OperationCanceledException) { }
        _server = null;
    }

    /// <summary>The messages to <paramref name="recipient"/>, once at least <paramref name="count"/> arrived (or the wait ran out).</summary>
    public async Task<List<MimeMessage>> WaitForAsync(string recipient, int count, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = _received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();
            if (found.Count >= count || DateTime.UtcNow > until) return found;
            await Task.Delay(50);
        }
    }

    /// <summary>The messages to <paramref name="recipient"/>, once one of each of <paramref name="kinds"/> (X-Oms-Notification) arrived (or the wait ran out).</summary>
    public async Task<List<MimeMessage>> WaitForKindsAsync(string recipient, params string[] kinds)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var found = _received.Where(m => m.To.Mailboxes.Any(a => string.Equals(a.Address, recipient, StringComparison.OrdinalIgnoreCase))).ToList();
            if (kinds.All(k => found.Any(m => m.Headers["X-Oms-Notification"] == k)) || DateTime.UtcNow > until) return found;
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private sealed class Store(ConcurrentQueue<MimeMessage> received) : MessageStore
    {
        public override async Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer, CancellationToken ct)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            received.Enqueue(await MimeMessage.LoadAsync(stream, ct));
            return SmtpResponse.Ok;
        }
    }
}
