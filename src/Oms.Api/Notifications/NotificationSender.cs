using Microsoft.EntityFrameworkCore;
using Oms.Domain.Notifications;
using Oms.Infrastructure.Notifications;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Notifications;

/// <summary>
/// Sends the queued e-mails after the changes that queued them committed. A batch is claimed in a short transaction of
/// its own (PostgreSQL: SKIP LOCKED, so every process can run a sender; each claim counts a try and hides the e-mail
/// for a lease), then rendered and sent with no transaction open, then marked sent. A mail server that fails leaves
/// the e-mail queued for the next wait of <see cref="MailSettings.RetrySchedule"/>; after the last it is failed.
/// A sender that dies after the server took an e-mail and before marking it sends it again after the lease (the
/// Message-Id stays the same, so a receiver can tell).
/// </summary>
public sealed class NotificationSender(IServiceScopeFactory scopes, MailSettings settings, IMailer mailer, NotificationRequests requests, TimeProvider clock,
    Platform.Observability.RequestsInFlight load, ILogger<NotificationSender> logger) : BackgroundService
{
    public const int BatchSize = 20;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled) return;
        requests.Queued += Wake;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var sent = 0;
                try
                {
                    await GiveWayAsync(stoppingToken);
                    sent = await SendDueAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(e, "Sending e-mails failed; trying again shortly");
                }
                if (sent < BatchSize) await _wake.WaitAsync(settings.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            requests.Queued -= Wake;
        }
    }

    /// <summary>
    /// Waits while the process is busy answering requests (<see cref="MailSettings.YieldToRequests"/>), unless the oldest
    /// e-mail due has waited <see cref="MailSettings.MaxDelay"/>: then it sends, busy or not (as the document issuer does).
    /// </summary>
    private async Task GiveWayAsync(CancellationToken ct)
    {
        if (!settings.YieldToRequests) return;
        while (load.Count >= settings.BusyRequests)
        {
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
                var now = clock.GetUtcNow();
                var oldest = await db.Notifications.AsNoTracking().Where(n => n.Status == NotificationStatus.Queued && n.NextAttemptAt <= now)
                    .OrderBy(n => n.NextAttemptAt).Select(n => (DateTimeOffset?)n.CreatedAt).FirstOrDefaultAsync(ct);
                if (oldest is { } since && now - since >= settings.MaxDelay) return;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), ct);
        }
    }

    private void Wake()
    {
        if (_wake.CurrentCount == 0) try { _wake.Release(); } catch (SemaphoreFullException) { }
    }

    /// <summary>Sends one batch of what is due; returns how many were taken.</summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var claimed = await ClaimAsync(ct);
        foreach (var id in claimed)
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
            var n = await db.Notifications.SingleAsync(x => x.Id == id, ct);
            if (n.Status != NotificationStatus.Queued) continue;
            var now = clock.GetUtcNow();
            try
            {
                var mail = await scope.ServiceProvider.GetRequiredService<NotificationRenderer>().RenderAsync(n, ct);
                if (mail.NotAnEmail) db.Notifications.Remove(n);
                else if (mail.Message is null) n.Skip(mail.SkipReason!, now);
                else
                {
                    await mailer.SendAsync(mail.Message, ct);
                    n.MarkSent(mail.Recipient!, mail.Subject!, mail.Locale, clock.GetUtcNow());
                }
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                n.MarkAttemptFailed($"{e.GetType().Name}: {e.Message}", settings.Retries, now);
                logger.LogWarning("E-mail {Notification} ({Kind}) not sent, try {Attempt}: {Error}", n.Id, n.Kind, n.Attempts, e.Message);
            }
            // The outcome is recorded under the erasure gate (shared), as the document issuer writes: an erasure that
            // committed while the e-mail was on its way has scrubbed the log, so what is recorded is the order's
            // address as it stands now (the placeholder), never the erased one again.
            await using var tx = await db.Database.BeginTransactionAsync(CancellationToken.None);
            await db.EnterErasureGateAsync(exclusive: false, CancellationToken.None);
            if (n.Status == NotificationStatus.Sent
                && await db.Orders.AsNoTracking().Where(o => o.Id == new Oms.Domain.Orders.OrderId(n.OrderId)).Select(o => o.Customer.Email).SingleOrDefaultAsync(CancellationToken.None) is { } current
                && current != n.Recipient)
                n.ErasePersonalData(current, _ => Oms.Domain.Orders.Order.Erased);
            await db.SaveChangesAsync(CancellationToken.None);
            await tx.CommitAsync(CancellationToken.None);
        }
        return claimed.Count;
    }

    private async Task<List<Guid>> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        if (db is PostgresOmsDbContext)
            return await db.Database.SqlQueryRaw<Guid>(
                "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = {0} WHERE id IN (" +
                "SELECT id FROM notifications WHERE status = 'Queued' AND next_attempt_at <= {1} ORDER BY next_attempt_at LIMIT {2} FOR UPDATE SKIP LOCKED) RETURNING id AS \"Value\"",
                (now + Lease).ToUniversalTime(), now.ToUniversalTime(), BatchSize).ToListAsync(ct);
        // SQLite: one process, one sender.
        var due = await db.Notifications.Where(n => n.Status == NotificationStatus.Queued && n.NextAttemptAt <= now)
            .OrderBy(n => n.NextAttemptAt).Take(BatchSize).ToListAsync(ct);
        foreach (var n in due) n.Claim(now, Lease);
        await db.SaveChangesAsync(ct);
        return due.Select(n => n.Id).ToList();
    }
}
