using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Configuration;
using MimeKit;
using Oms.Domain.Notifications;

namespace Oms.Infrastructure.Notifications;

/// <summary>
/// How HeadlessOms sends e-mail (<c>Notifications:*</c>): through an SMTP server (<see cref="SmtpHost"/>), or into a
/// folder of <c>.eml</c> files (<see cref="PickupDirectory"/>: the embedded default, so a newcomer sees them without a
/// mail server). Off when neither is set.
/// </summary>
public sealed class MailSettings
{
    public const string Section = "Notifications";

    public string? SmtpHost { get; set; }
    public int SmtpPort { get; set; } = 587;
    public string? SmtpUserName { get; set; }
    public string? SmtpPassword { get; set; }
    /// <summary><c>Auto</c> (STARTTLS when offered), <c>None</c>, <c>StartTls</c> or <c>SslOnConnect</c>.</summary>
    public string SmtpSecurity { get; set; } = "Auto";
    public string? PickupDirectory { get; set; }
    /// <summary>The sender shoppers see.</summary>
    public string From { get; set; } = "HeadlessOms <orders@example.com>";
    public string? ReplyTo { get; set; }
    /// <summary>A copy of every e-mail, blind (an archive or the shop's own inbox).</summary>
    public string? Bcc { get; set; }
    /// <summary>Kinds not sent (e.g. <c>OrderReceived</c>), by name.</summary>
    public string[] Disabled { get; set; } = [];
    /// <summary>The waits between tries while the mail server fails; after the last, the e-mail is marked failed. Empty: <see cref="DefaultRetries"/>.</summary>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    public static readonly TimeSpan[] DefaultRetries =
        [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(8)];

    public IReadOnlyList<TimeSpan> Retries => RetrySchedule.Length > 0 ? RetrySchedule : DefaultRetries;
    /// <summary>
    /// Whether the sender gives way while its process answers <see cref="BusyRequests"/> or more requests, for at most
    /// <see cref="MaxDelay"/> after an e-mail was queued: a checkout peak is not slowed by its e-mails, which follow it.
    /// </summary>
    public bool YieldToRequests { get; set; } = true;
    public int BusyRequests { get; set; } = 4;
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>How often the sender looks for e-mails due when nothing woke it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Per channel (<c>Notifications:Channels:pos:From</c>…): its own sender, reply-to, blind copy and kinds switched off, over the ones above.</summary>
    public Dictionary<string, ChannelMailSettings> Channels { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool Enabled => !string.IsNullOrWhiteSpace(SmtpHost) || !string.IsNullOrWhiteSpace(PickupDirectory);

    public bool Sends(NotificationKind kind) => !Disabled.Contains(kind.ToString(), StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether e-mails of <paramref name="kind"/> go out for orders of <paramref name="channel"/>.</summary>
    public bool Sends(NotificationKind kind, string channel) =>
        Sends(kind) && !(Channels.TryGetValue(channel, out var own) && own.Disabled.Contains(kind.ToString(), StringComparer.OrdinalIgnoreCase));

    public string FromFor(string channel) => Channels.TryGetValue(channel, out var own) && !string.IsNullOrWhiteSpace(own.From) ? own.From : From;

    public string? ReplyToFor(string channel) => Channels.TryGetValue(channel, out var own) && !string.IsNullOrWhiteSpace(own.ReplyTo) ? own.ReplyTo : ReplyTo;

    public string? BccFor(string channel) => Channels.TryGetValue(channel, out var own) && !string.IsNullOrWhiteSpace(own.Bcc) ? own.Bcc : Bcc;

    public static MailSettings Read(IConfiguration configuration) => configuration.GetSection(Section).Get<MailSettings>() ?? new MailSettings();
}

/// <summary>One channel's own e-mail settings; what is left empty is the shop's.</summary>
public sealed class ChannelMailSettings
{
    public string? From { get; set; }
    public string? ReplyTo { get; set; }
    public string? Bcc { get; set; }
    /// <summary>Kinds not sent for this channel's orders (e.g. <c>OrderReceived</c> for a point of sale, where the shopper holds the receipt).</summary>
    public string[] Disabled { get; set; } = [];
}

/// <summary>Where e-mail goes: the one seam between HeadlessOms and a mail server.</summary>
public interface IMailer
{
    Task SendAsync(MimeMessage message, CancellationToken ct);
}

/// <summary>Sends through the configured SMTP server (MailKit), one connection per batch of e-mails.</summary>
public sealed class SmtpMailer(MailSettings settings) : IMailer, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private SmtpClient? _client;

    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    var client = await ConnectedAsync(ct);
                    await client.SendAsync(message, ct);
                    return;
                }
                catch (Exception) when (attempt == 0 && _client is { IsConnected: false })
                {
                    // A kept connection the server closed meanwhile: once more on a new one.
                    await DropAsync();
                }
                catch
                {
                    await DropAsync();
                    throw;
                }
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<SmtpClient> ConnectedAsync(CancellationToken ct)
    {
        if (_client is { IsConnected: true } kept) return kept;
        await DropAsync();
        var client = new SmtpClient { Timeout = 30_000 };
        var security = Enum.TryParse<SecureSocketOptions>(settings.SmtpSecurity, true, out var s) ? s : SecureSocketOptions.Auto;
        await client.ConnectAsync(settings.SmtpHost!, settings.SmtpPort, security, ct);
        if (!string.IsNullOrEmpty(settings.SmtpUserName)) await client.AuthenticateAsync(settings.SmtpUserName, settings.SmtpPassword ?? "", ct);
        return _client = client;
    }

    private async Task DropAsync()
    {
        if (_client is null) return;
        try { if (_client.IsConnected) await _client.DisconnectAsync(true); } catch { /* already gone */ }
        _client.Dispose();
        _client = null;
    }

    public async ValueTask DisposeAsync() => await DropAsync();
}

/// <summary>Writes each e-mail as an <c>.eml</c> file into a folder (the embedded default): named by time and id, never overwritten.</summary>
public sealed class PickupFolderMailer(MailSettings settings) : IMailer
{
    public async Task SendAsync(MimeMessage message, CancellationToken ct)
    {
        Directory.CreateDirectory(settings.PickupDirectory!);
        var name = $"{DateTimeOffset.UtcNow:yyyyMMdd-HHmmss}-{(message.MessageId ?? Guid.NewGuid().ToString("N")).Split('@')[0].Trim('<')}.eml";
        var path = Path.Combine(settings.PickupDirectory!, name);
        var temp = path + ".tmp";
        await using (var file = File.Create(temp)) await message.WriteToAsync(file, ct);
        File.Move(temp, path, overwrite: true);
    }
}
