using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Oms.Domain.Webhooks;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Webhooks;

/// <summary>
/// Delivers the outbox. Two steps, both safe with several processes on one PostgreSQL:
/// fan-out takes committed events (FOR UPDATE SKIP LOCKED) and queues one delivery per matching subscription;
/// sending claims due deliveries with a conditional update (a lease no other sender can take), posts them, and
/// records the attempt. Deliveries with one ordering key (an order) to one subscription go out in commit order:
/// a delivery waits while an earlier one for the same key is pending or not yet fanned out.
/// </summary>
public sealed class WebhookDispatcher(IServiceScopeFactory scopes, WebhookSender sender, OutboxSignal signal, TimeProvider clock,
    IOptions<WebhookOptions> options, ILogger<WebhookDispatcher> logger, IEnumerable<IOutboxFollower> followers) : BackgroundService
{
    private readonly WebhookOptions _o = options.Value;
    private readonly IOutboxFollower[] _followers = [.. followers];
    private readonly SemaphoreSlim _slots = new(options.Value.Parallelism, options.Value.Parallelism);
    /// <summary>Deliveries in flight per subscription in this process (<see cref="WebhookOptions.MaxInFlightPerSubscription"/>).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, int> _inFlight = new();
    private readonly System.Threading.Channels.Channel<Outcome> _outcomes = System.Threading.Channels.Channel.CreateUnbounded<Outcome>(new() { SingleReader = true });
    private DateTimeOffset _nextCleanup = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_o.DispatcherEnabled) return;
        await Task.Yield();
        var recorder = RecordOutcomesAsync(stoppingToken);
        var limit = _o.BatchSize;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var pass = System.Diagnostics.Stopwatch.StartNew();
                var fanned = await FanOutAsync(stoppingToken, limit);
                var sent = await SendDueAsync(stoppingToken);
                await CleanupAsync(stoppingToken);
                if (fanned == 0 && sent == 0) await signal.WaitAsync(_o.PollInterval, stoppingToken);
                else if (fanned < limit && _o.CoalesceWindow - pass.Elapsed is { Ticks: > 0 } rest) await Task.Delay(rest, stoppingToken);
                // Behind (a full batch): the next pass takes twice as many, up to ten batches, so a pass's fixed cost
                // (its round trips, slow on a loaded machine) is spread over more events and the dispatcher keeps up
                // with the rate events are written; caught up, it is back to one batch.
                limit = fanned == limit ? Math.Min(limit * 2, _o.BatchSize * 10) : _o.BatchSize;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Webhook dispatch failed; retrying");
                await Task.Delay(_o.PollInterval, stoppingToken);
            }
        }
        await recorder.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>Queues deliveries for committed events; returns how many saves' events (pending entries) it took.</summary>
    public async Task<int> FanOutAsync(CancellationToken ct, int? limit = null)
    {
        var take = limit ?? _o.BatchSize;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The heads only: the payload is read when a delivery is sent, and most events have few or no subscribers.
        List<long> taken;
        List<PendingHead> batch;
        if (db is PostgresOmsDbContext)
        {
            batch = await db.Database.SqlQueryRaw<PendingHead>(
                "SELECT p.position, m.sequence, m.id, m.type, m.aggregate_id, m.target_subscription_id " +
                "FROM (SELECT position, message_ids FROM outbox_pending ORDER BY position LIMIT {0} FOR UPDATE SKIP LOCKED) p " +
                "JOIN outbox_messages m ON m.id = ANY (p.message_ids)", take).ToListAsync(ct);
            taken = batch.Select(m => m.Position).Distinct().ToList();
        }
        else
        {
            // One process only (SQLite): nothing to skip.
            var pending = await db.OutboxPending.OrderBy(p => p.Position).Take(take).Select(p => new { p.Position, p.MessageIds }).ToListAsync(ct);
            taken = pending.Select(p => p.Position).ToList();
            var ids = pending.SelectMany(p => p.MessageIds).ToList();
            batch = await db.OutboxMessages.Where(m => ids.Contains(m.Id))
                .Select(m => new PendingHead(0, m.Sequence, m.Id, m.Type, m.AggregateId, m.TargetSubscriptionId)).ToListAsync(ct);
        }
        if (taken.Count == 0) return 0;
        var subscriptions = await db.WebhookSubscriptions.AsNoTracking().Where(s => s.Active).ToListAsync(ct);
        var now = clock.GetUtcNow();
        var deliveries = new List<WebhookDelivery>();
        foreach (var message in batch)
        {
            foreach (var s in subscriptions)
            {
                if (message.TargetSubscriptionId is { } target ? target != s.Id : !s.Wants(message.Type)) continue;
                deliveries.Add(new WebhookDelivery(s.Id, message.Id, message.Sequence, message.Type, message.AggregateId, now));
            }
        }
        // HeadlessOms's own followers (documents to issue) queue their work in this transaction: taken once, like a delivery.
        if (_followers.Length > 0)
        {
            var events = batch.Where(m => m.TargetSubscriptionId is null).Select(m => new FollowedEvent(m.Type, m.AggregateId, m.Id)).ToList();
            foreach (var follower in _followers) await follower.FollowAsync(db, events, now, ct);
        }
        if (db is PostgresOmsDbContext)
        {
            // One round trip: every delivery by one INSERT of arrays, and the batch off the queue (its rows are locked by
            // this transaction). EF would send an INSERT per delivery, thousands a second under load.
            Persistence.FastPath.Statement dequeue = new(DeletePendingSql, [taken.ToArray()]);
            await using var write = deliveries.Count == 0
                ? db.RawBatch(dequeue) // nobody subscribes to these events
                : db.RawBatch(new(InsertDeliveriesSql, [deliveries.Select(d => d.Id).ToArray(), deliveries.Select(d => d.SubscriptionId).ToArray(),
                    deliveries.Select(d => d.MessageId).ToArray(), deliveries.Select(d => d.MessageSequence).ToArray(), deliveries.Select(d => d.EventType).ToArray(),
                    deliveries.Select(d => d.OrderingKey).ToArray(), now.ToUniversalTime(), DateTimeOffset.UnixEpoch]), dequeue);
            await write.ExecuteNonQueryAsync(ct);
        }
        else
        {
            db.WebhookDeliveries.AddRange(deliveries);
            await db.SaveChangesAsync(ct);
            await db.OutboxPending.Where(p => taken.Contains(p.Position)).ExecuteDeleteAsync(ct);
        }
        await tx.CommitAsync(ct);
        return taken.Count;
    }

    private const string InsertDeliveriesSql =
        "INSERT INTO webhook_deliveries (id, subscription_id, message_id, message_sequence, event_type, ordering_key, status, attempts, next_attempt_at, locked_until, created_at) " +
        "SELECT id, s, m, q, t, k, 'Pending', 0, $7, $8, $7 FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::bigint[], $5::text[], $6::uuid[]) AS u(id, s, m, q, t, k)";

    private const string DeletePendingSql = "DELETE FROM outbox_pending WHERE position = ANY ($1)";

    /// <summary>A batch of outcomes: each delivery as its attempt left it, where the claim that sent it still holds it.</summary>
    private const string RecordDeliveriesSql =
        "UPDATE webhook_deliveries d SET attempts = u.attempts, last_attempt_at = u.last_at, last_status_code = u.code, locked_until = u.locked, " +
        "claim_token = NULL, status = u.status, next_attempt_at = u.next " +
        "FROM unnest($1::uuid[], $2::uuid[], $3::int[], $4::timestamptz[], $5::int[], $6::timestamptz[], $7::text[], $8::timestamptz[]) " +
        "AS u(id, token, attempts, last_at, code, locked, status, next) WHERE d.id = u.id AND d.claim_token = u.token";

    private const string InsertAttemptsSql =
        "INSERT INTO webhook_attempts (delivery_id, number, at, status_code, latency_ms, response_excerpt, error) " +
        "SELECT * FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::int[], $5::int[], $6::text[], $7::text[])";

    /// <summary>
    /// Claims due deliveries up to the free sending slots and starts them; each records its own outcome, so one slow
    /// receiver holds one slot for at most the timeout and never the whole dispatcher. A slot takes a run: the first
    /// pending delivery of an ordering key and the ones after it (up to <see cref="WebhookOptions.RunLength"/>), sent
    /// one after the other, so an order's events do not each wait for a pass of their own. Returns how many it started.
    /// </summary>
    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var free = _slots.CurrentCount;
        if (free == 0) return 0;
        // Subscriptions with their share of slots already busy are not asked about: a dead receiver's backlog cannot
        // fill the batch while other subscribers' deliveries wait behind it.
        var busy = _inFlight.Where(kv => kv.Value >= _o.MaxInFlightPerSubscription).Select(kv => kv.Key).ToList();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        var perSlot = Math.Max(1, _o.RunsPerSlot);
        var maxRuns = Math.Min(free * perSlot, _o.BatchSize);
        // Due deliveries, oldest first, in the order of the pending deliveries' index (WebhookDeliveryConfiguration): the
        // query reads about as many as it takes. Which of them may go (the first pending of its key) is settled below from
        // the keys' pending deliveries, not by a subquery per row here: that one's plan depended on the statistics, and on
        // a table grown since they were taken PostgreSQL probed it through the wrong index (414 ms a pass, 52,000 rows a probe).
        var candidates = await Unblocked(db, db.WebhookDeliveries.AsNoTracking()
                .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptAt <= now && d.LockedUntil < now
                            && !busy.Contains(d.SubscriptionId)
                            && db.WebhookSubscriptions.Any(s => s.Id == d.SubscriptionId && s.Active)))
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.MessageSequence).Select(d => new { d.Id, d.SubscriptionId, d.OrderingKey })
            .Take(maxRuns * 4).ToListAsync(ct);
        if (candidates.Count == 0) return 0;

        // Every pending delivery of the candidates' keys, by the keys' index: a candidate goes when it is the first of its
        // key still pending, and takes the ones after it as its run as long as they are due too (one not yet due, claimed
        // by someone else, or behind an event still to fan out ends the run there).
        var keys = candidates.Select(c => c.OrderingKey).Distinct().ToList();
        var subscriptions = candidates.Select(c => c.SubscriptionId).Distinct().ToList();
        var pending = db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.Status == DeliveryStatus.Pending && subscriptions.Contains(d.SubscriptionId) && keys.Contains(d.OrderingKey));
        var ofKeys = (await pending.Select(d => new { d.Id, d.SubscriptionId, d.OrderingKey, d.MessageSequence, Due = d.NextAttemptAt <= now && d.LockedUntil < now })
                .ToListAsync(ct))
            .GroupBy(d => (d.SubscriptionId, d.OrderingKey)).ToDictionary(g => g.Key, g => g.OrderBy(d => d.MessageSequence).ToList());
        var unblocked = (await Unblocked(db, pending).Select(d => d.Id).ToListAsync(ct)).ToHashSet();

        // Oldest first, each subscription up to its share of the slots, each slot a few runs.
        var taken = new Dictionary<Guid, int>();
        var due = new List<Guid>();
        var planned = new List<List<Guid>>(); // each run as planned, first to last
        var started = 0;
        foreach (var c in candidates)
        {
            if (started == maxRuns) break;
            if (!ofKeys.TryGetValue((c.SubscriptionId, c.OrderingKey), out var run) || run[0].Id != c.Id) continue; // not the first of its key
            var share = (_o.MaxInFlightPerSubscription - _inFlight.GetValueOrDefault(c.SubscriptionId)) * perSlot - taken.GetValueOrDefault(c.SubscriptionId);
            if (share <= 0) continue;
            taken[c.SubscriptionId] = taken.GetValueOrDefault(c.SubscriptionId) + 1;
            started++;
            var ids = new List<Guid> { c.Id };
            for (var i = 1; i < run.Count && i < _o.RunLength && run[i].Due && unblocked.Contains(run[i].Id); i++) ids.Add(run[i].Id);
            due.AddRange(ids);
            planned.Add(ids);
        }

        if (due.Count == 0) return 0;

        // One conditional update claims the batch: of two senders, exactly one changes each row, and the token tells
        // each which rows it got. The claim also moves the next attempt to the lease's end: a claimed delivery leaves the
        // front of the due deliveries' index, and comes back to it by itself should its sender die.
        var token = Guid.NewGuid();
        await db.WebhookDeliveries
            .Where(d => due.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.LockedUntil < now)
            .ExecuteUpdateAsync(u => u.SetProperty(d => d.LockedUntil, now + _o.Lease).SetProperty(d => d.NextAttemptAt, now + _o.Lease)
                .SetProperty(d => d.ClaimToken, token), ct);
        var work = await (from d in db.WebhookDeliveries.AsNoTracking()
                          where d.ClaimToken == token
                          join s in db.WebhookSubscriptions.AsNoTracking() on d.SubscriptionId equals s.Id
                          join m in db.OutboxMessages.AsNoTracking() on d.MessageId equals m.Id
                          select new Work(d, s, m, m.Payload ?? db.OutboxMessages.Where(c => c.Id == m.PayloadFrom).Select(c => c.Payload).First()!))
                         .ToListAsync(ct);
        // A run goes only as far as this claim got it without a gap: another process may have claimed a delivery of it
        // between our read and our claim (its first, or one after), and what follows that one must wait for it.
        var claimed = work.ToDictionary(w => w.Delivery.Id);
        var runs = new List<List<Work>>();
        foreach (var ids in planned)
        {
            var whole = ids.TakeWhile(claimed.ContainsKey).Select(id => claimed[id]).ToList();
            foreach (var id in ids.Skip(whole.Count).Where(claimed.ContainsKey)) await _outcomes.Writer.WriteAsync(new Outcome(claimed[id], null, default, default), ct);
            if (whole.Count > 0) runs.Add(whole);
        }
        // Each subscription's runs are shared out over as many slots as it may use; a slot sends its runs one after the other.
        foreach (var bySubscription in runs.GroupBy(r => r[0].Subscription.Id))
        {
            var ofSubscription = bySubscription.ToList();
            var subscriptionId = bySubscription.Key;
            var slots = Math.Clamp(_o.MaxInFlightPerSubscription - _inFlight.GetValueOrDefault(subscriptionId), 1, ofSubscription.Count);
            for (var slot = 0; slot < slots; slot++)
            {
                var share = ofSubscription.Where((_, i) => i % slots == slot).ToList();
                await _slots.WaitAsync(ct);
                _inFlight.AddOrUpdate(subscriptionId, 1, (_, n) => n + 1);
                _ = Task.Run(async () =>
                {
                    try
                    {
                        await SendRunsAsync(share, ct);
                    }
                    catch (Exception e) when (!ct.IsCancellationRequested)
                    {
                        logger.LogError(e, "Webhook delivery {Delivery} failed to record; its lease will lapse and it is retried", share[0][0].Delivery.Id);
                    }
                    finally
                    {
                        if (_inFlight.AddOrUpdate(subscriptionId, 0, (_, n) => n - 1) <= 0) _inFlight.TryRemove(KeyValuePair.Create(subscriptionId, 0));
                        _slots.Release();
                    }
                }, CancellationToken.None);
            }
        }
        return work.Count;
    }

    /// <summary>
    /// Keeps the deliveries with no earlier event of their key still to fan out: no pending save names their key with
    /// an event numbered before theirs. On PostgreSQL most keys have no save pending at all, and one lookup in the pending
    /// saves' aggregates (hashed once per query) settles those first; SQLite cannot unnest them that way, and its queue
    /// is one process's.
    /// </summary>
    private static IQueryable<WebhookDelivery> Unblocked(OmsDbContext db, IQueryable<WebhookDelivery> deliveries) =>
        db is PostgresOmsDbContext
            ? deliveries.Where(d => !db.OutboxPending.SelectMany(p => p.AggregateIds).Contains(d.OrderingKey)
                                    || !db.OutboxPending.Any(p => p.AggregateIds.Contains(d.OrderingKey)
                                                                  && db.OutboxMessages.Any(m => p.MessageIds.Contains(m.Id) && m.Sequence < d.MessageSequence)))
            : deliveries.Where(d => !db.OutboxPending.Any(p => p.AggregateIds.Contains(d.OrderingKey)
                                                               && db.OutboxMessages.Any(m => p.MessageIds.Contains(m.Id) && m.Sequence < d.MessageSequence)));

    private sealed record PendingHead(long Position, long Sequence, Guid Id, string Type, Guid AggregateId, Guid? TargetSubscriptionId);

    private sealed record Work(WebhookDelivery Delivery, WebhookSubscription Subscription, OutboxMessage Message, string Payload);

    /// <summary>What became of a claimed delivery; a null <paramref name="Result"/> hands it back unsent (its run stopped before it).</summary>
    private sealed record Outcome(Work Work, SendResult? Result, DateTimeOffset At, DateTimeOffset Done);

    /// <summary>
    /// Sends a run of one key's deliveries in order. After a failure the rest of the run is not sent: it is handed back
    /// (its lease cleared) and waits behind the failed delivery's retry, as it would have without the run.
    /// </summary>
    /// <remarks>A slot's runs go one after the other; once one of them fails, the slot's remaining runs are handed back
    /// too, so a receiver that fails or times out costs one attempt per slot and pass, not one per run.</remarks>
    private async Task SendRunsAsync(List<List<Work>> runs, CancellationToken ct)
    {
        var failed = false;
        foreach (var run in runs)
        {
            for (var i = 0; i < run.Count; i++)
            {
                if (!failed && await SendOneAsync(run[i], ct)) continue;
                if (failed) await _outcomes.Writer.WriteAsync(new Outcome(run[i], null, default, default), ct);
                failed = true;
            }
        }
    }

    private async Task<bool> SendOneAsync(Work work, CancellationToken ct)
    {
        var (delivery, subscription, message, payload) = work;
        var at = clock.GetUtcNow();
        var id = EventId(message.Id);
        var body = Envelope(message, payload, _o.ApiVersion);
        var timestamp = at.ToUnixTimeSeconds();
        var signature = WebhookSigner.Sign(subscription.SigningSecrets(at), id, timestamp, body);
        var result = await sender.SendAsync(new Uri(subscription.Url), id, timestamp, signature, body, ct);
        // Recorded in batches by one writer: under load that is one round trip for many deliveries. Until it is
        // recorded the delivery stays claimed, so its ordering-key followers wait.
        await _outcomes.Writer.WriteAsync(new Outcome(work, result, at, clock.GetUtcNow()), ct);
        return result.Succeeded;
    }

    /// <summary>Writes attempts and delivery states as they come in, many per transaction.</summary>
    private async Task RecordOutcomesAsync(CancellationToken ct)
    {
        var batch = new List<Outcome>();
        while (await _outcomes.Reader.WaitToReadAsync(ct))
        {
            batch.Clear();
            while (batch.Count < _o.BatchSize && _outcomes.Reader.TryRead(out var outcome)) batch.Add(outcome);
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
                if (db is PostgresOmsDbContext) await RecordWithStatementsAsync(db, batch, ct);
                else await RecordWithEfAsync(db, batch, ct);
                foreach (var bySubscription in batch.Where(o => o.Result is not null).GroupBy(o => o.Work.Subscription.Id))
                {
                    var worst = bySubscription.FirstOrDefault(o => o.Result!.Gone) ?? bySubscription.FirstOrDefault(o => !o.Result!.Succeeded);
                    var last = bySubscription.Last();
                    if (worst is null && last.Work.Subscription.FailingSince is null) continue;
                    await RecordHealthAsync(db, bySubscription.Key, (worst ?? last).Result!, last.Done, ct);
                }
                signal.Notify(); // followers of these ordering keys may now be due
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogError(e, "Recording {Count} webhook attempts failed; their leases lapse and they are sent again", batch.Count);
            }
        }
    }

    /// <summary>
    /// PostgreSQL: the batch's deliveries by one UPDATE of arrays and its attempts by one INSERT, in one round trip. A
    /// delivery whose claim no longer holds (replayed, or reclaimed after its lease lapsed) is left as it is; its attempt is kept.
    /// </summary>
    private async Task RecordWithStatementsAsync(OmsDbContext db, List<Outcome> batch, CancellationToken ct)
    {
        var deliveries = new List<(WebhookDelivery Delivery, Guid Token)>(batch.Count);
        var attempts = new List<WebhookAttempt>(batch.Count);
        foreach (var outcome in batch)
        {
            var token = outcome.Work.Delivery.ClaimToken!.Value;
            if (Settle(outcome) is { } attempt) attempts.Add(attempt);
            deliveries.Add((outcome.Work.Delivery, token));
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await using (var write = db.RawBatch(
                         new(RecordDeliveriesSql, [deliveries.Select(d => d.Delivery.Id).ToArray(), deliveries.Select(d => d.Token).ToArray(),
                             deliveries.Select(d => d.Delivery.Attempts).ToArray(), deliveries.Select(d => d.Delivery.LastAttemptAt?.ToUniversalTime()).ToArray(),
                             deliveries.Select(d => d.Delivery.LastStatusCode).ToArray(), deliveries.Select(d => d.Delivery.LockedUntil.ToUniversalTime()).ToArray(),
                             deliveries.Select(d => d.Delivery.Status.ToString()).ToArray(), deliveries.Select(d => d.Delivery.NextAttemptAt.ToUniversalTime()).ToArray()]),
                         new(InsertAttemptsSql, [attempts.Select(a => a.DeliveryId).ToArray(), attempts.Select(a => a.Number).ToArray(), attempts.Select(a => a.At.ToUniversalTime()).ToArray(),
                             attempts.Select(a => a.StatusCode).ToArray(), attempts.Select(a => a.LatencyMs).ToArray(), attempts.Select(a => a.ResponseExcerpt).ToArray(),
                             attempts.Select(a => a.Error).ToArray()])))
        {
            await write.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }

    /// <summary>Applies an outcome to its delivery: handed back unsent, or attempted (the attempt for the log is the answer).</summary>
    private WebhookAttempt? Settle(Outcome outcome)
    {
        var (work, result, at, done) = outcome;
        var delivery = work.Delivery;
        if (result is null)
        {
            delivery.Release(clock.GetUtcNow());
            return null;
        }
        var attempt = new WebhookAttempt(delivery.Id, delivery.Attempts + 1, at, result.StatusCode, result.LatencyMs, result.ResponseExcerpt, result.Error);
        delivery.Attempted(result.Succeeded, result.StatusCode, result.Succeeded || result.Gone ? null : RetryAt(delivery.Attempts, result.RetryAfter, done), done);
        return attempt;
    }

    private async Task RecordWithEfAsync(OmsDbContext db, List<Outcome> batch, CancellationToken ct)
    {
        foreach (var outcome in batch)
        {
            db.WebhookDeliveries.Attach(outcome.Work.Delivery);
            if (Settle(outcome) is { } attempt) db.WebhookAttempts.Add(attempt);
        }
        for (var tries = 0; ; tries++)
        {
            try
            {
                await db.SaveChangesAsync(ct);
                break;
            }
            catch (DbUpdateConcurrencyException conflict) when (tries < 5)
            {
                // Replayed (or reclaimed after a lapsed lease) while we were sending: keep the attempt, leave the delivery be.
                foreach (var entry in conflict.Entries) entry.State = EntityState.Detached;
            }
        }
    }

    /// <summary>
    /// Subscription health, updated with single statements because many deliveries of one subscription finish at
    /// once; only disabling goes through the aggregate (and its version check), since it raises an event.
    /// </summary>
    private async Task RecordHealthAsync(OmsDbContext db, Guid subscriptionId, SendResult result, DateTimeOffset now, CancellationToken ct)
    {
        if (result.Succeeded)
        {
            await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId && s.FailingSince != null)
                .ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, (DateTimeOffset?)null), ct);
            return;
        }
        await db.WebhookSubscriptions.Where(s => s.Id == subscriptionId && s.FailingSince == null)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.FailingSince, now), ct);
        var cutoff = now - _o.DisableAfter;
        if (!result.Gone && !await db.WebhookSubscriptions.AnyAsync(s => s.Id == subscriptionId && s.Active && s.FailingSince <= cutoff, ct)) return;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            db.ChangeTracker.Clear();
            var subscription = await db.WebhookSubscriptions.SingleAsync(s => s.Id == subscriptionId, ct);
            if (!subscription.Active) return;
            subscription.DisableIfActive(result.Gone ? "The endpoint answered 410 Gone." : $"No successful delivery since {subscription.FailingSince:O}.", now);
            try
            {
                await db.SaveChangesAsync(ct);
                return;
            }
            catch (DbUpdateConcurrencyException)
            {
                // Another delivery of this subscription got there first: look again.
            }
        }
    }

    /// <summary>When to try again after <paramref name="attemptsSoFar"/> attempts; null when the schedule is used up.</summary>
    private DateTimeOffset? RetryAt(int attemptsSoFar, TimeSpan? retryAfter, DateTimeOffset now)
    {
        if (attemptsSoFar >= _o.Schedule.Count) return null;
        var delay = _o.Schedule[attemptsSoFar];
        delay += delay * (_o.Jitter * (Random.Shared.NextDouble() * 2 - 1));
        if (retryAfter is { } asked && asked > delay) delay = asked;
        return now + delay;
    }

    public static string EventId(Guid messageId) => "evt_" + messageId.ToString("N");

    /// <summary>The body every subscriber gets: id, type, occurred_at, api_version, and data (the resource as the REST API shows it).</summary>
    public static byte[] Envelope(OutboxMessage message, string payload, string apiVersion)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", EventId(message.Id));
            w.WriteString("type", message.Type);
            w.WriteString("occurred_at", message.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));
            w.WriteString("api_version", apiVersion);
            if (message.Detail is { } detail)
            {
                using var extra = JsonDocument.Parse(detail);
                foreach (var member in extra.RootElement.EnumerateObject()) member.WriteTo(w);
            }
            w.WritePropertyName("data");
            w.WriteRawValue(payload);
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private async Task CleanupAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (now < _nextCleanup) return;
        _nextCleanup = now + _o.CleanupInterval;
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var cutoff = now - _o.Retention;
        await db.WebhookDeliveries.Where(d => d.CreatedAt < cutoff && d.Status != DeliveryStatus.Pending).ExecuteDeleteAsync(ct);
        // Events go oldest first, by id (ids begin with their millisecond; an event's key on PostgreSQL, uniquely
        // indexed on SQLite: no index on their time), a chunk at a time, until a chunk has nothing old enough. An
        // event a little past the cutoff among them waits for the next cleanup. An event still queued stays, and with
        // it the one that carries its data (written in the same save, so pending with it).
        for (var chunk = 0; chunk < MaxCleanupChunks; chunk++)
        {
            var oldest = await db.OutboxMessages.OrderBy(m => m.Id).Select(m => new { m.Id, m.OccurredAt }).Take(CleanupChunk).ToListAsync(ct);
            if (oldest.Count == 0) break;
            // Within one millisecond ids fall in random order, so a save's event that carries the others' data may sort
            // before one of them: a full chunk leaves its last millisecond to the next, which takes it whole, and the
            // carrier never goes before the events that point to it (OutboxMessage.PayloadFrom).
            var last = oldest[^1].OccurredAt.ToUnixTimeMilliseconds();
            var ids = oldest.Count < CleanupChunk || oldest[0].OccurredAt.ToUnixTimeMilliseconds() == last
                ? oldest.Select(o => o.Id).ToList()
                : oldest.Where(o => o.OccurredAt.ToUnixTimeMilliseconds() < last).Select(o => o.Id).ToList();
            var removed = await db.OutboxMessages
                .Where(m => ids.Contains(m.Id) && m.OccurredAt < cutoff && !db.OutboxPending.Any(p => p.MessageIds.Contains(m.Id)))
                .ExecuteDeleteAsync(ct);
            if (removed == 0) break;
        }
    }

    private const int CleanupChunk = 1000;
    private const int MaxCleanupChunks = 1000; // a million events per cleanup; the next one goes on
}

public static class WebhookSetup
{
    public static IServiceCollection AddOmsWebhooks(this IServiceCollection services, Microsoft.Extensions.Configuration.IConfiguration config)
    {
        services.Configure<WebhookOptions>(config.GetSection("Webhooks"));
        services.AddSingleton<WebhookSender>();
        services.AddHostedService<WebhookDispatcher>();
        return services;
    }
}
