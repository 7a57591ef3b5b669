using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Infrastructure.Payments;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Payments;

public sealed class ProviderCallOptions
{
    /// <summary>Waits before each retry of a failed call; once spent, the call is given up and shows as failed on the payment. Empty: <see cref="DefaultSchedule"/>.</summary>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    public static readonly TimeSpan[] DefaultSchedule =
        [TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromHours(1), TimeSpan.FromHours(6)];

    /// <summary>The schedule in force (configuration binds arrays by appending to a default, so the default lives apart).</summary>
    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Length > 0 ? RetrySchedule : DefaultSchedule;
    /// <summary>How long a call recorded by a change is left to that request (made right after its commit) before the retry worker takes it.</summary>
    public TimeSpan Grace { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>How long one attempt holds a call; an attempt that died (the process stopped) is taken over after it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromMinutes(2);
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>
/// Makes the payment provider calls that committed changes recorded (<see cref="ProviderOperation"/>): right after the
/// commit, from the request that made the change, and again with backoff from <see cref="ProviderCallWorker"/> while
/// they fail. Each call carries the idempotency key recorded with it, so a repeated attempt never charges twice; the
/// outcome is recorded on the payment (money captured, or the provider's reason and a <c>payment.*_failed</c> event).
/// </summary>
public sealed class ProviderCalls(IServiceScopeFactory scopes, IPaymentGateway gateway, TimeProvider clock, IOptions<ProviderCallOptions> options,
    ILogger<ProviderCalls> log)
{
    private readonly ProviderCallOptions _o = options.Value;

    /// <summary>Records a call for after the current change commits; <paramref name="work"/> makes it then.</summary>
    public ProviderOperation Record(OmsDbContext db, UnitOfWork work, ProviderOperationKind kind, Oms.Domain.Payments.Payment payment, long amount, bool final,
        string idempotencyKey)
    {
        var now = clock.GetUtcNow();
        var operation = new ProviderOperation
        {
            Id = Oms.Domain.Common.Uuid.V7(now), Kind = kind, PaymentId = payment.Id, ProviderReference = payment.ProviderReference!, Amount = amount, Final = final,
            IdempotencyKey = idempotencyKey, Status = ProviderOperationStatus.Pending, NextAttemptAt = now + _o.Grace, CreatedAt = now,
        };
        db.ProviderOperations.Add(operation);
        work.AfterCommit(() => RunAsync(operation.Id, CancellationToken.None));
        return operation;
    }

    /// <summary>Ids of the calls due now (retries, and calls whose request never made them).</summary>
    public async Task<List<Guid>> DueAsync(int max, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        return await db.ProviderOperations.AsNoTracking()
            .Where(o => o.Status == ProviderOperationStatus.Pending && o.NextAttemptAt <= now && (o.LockedUntil == null || o.LockedUntil < now))
            .OrderBy(o => o.NextAttemptAt).Select(o => o.Id).Take(max).ToListAsync(ct);
    }

    /// <summary>
    /// Makes the call unless someone else holds it or it is done, and records the outcome. Never throws (but for
    /// cancellation): whatever fails, the call stays recorded and is retried.
    /// </summary>
    public async Task RunAsync(Guid id, CancellationToken ct)
    {
        try
        {
            if (await ClaimAsync(id, ct) is not { } operation) return;
            string? error = null;
            try
            {
                await CallAsync(operation, ct);
            }
            catch (PaymentProviderException e)
            {
                error = e.Message;
            }
            await RecordAsync(id, error, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The call stays pending; the worker takes it again once its lease is over.
            log.LogWarning(e, "Payment provider call {Operation} could not be completed now; it will be retried", id);
        }
    }

    private async Task<ProviderOperation?> ClaimAsync(Guid id, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        var now = clock.GetUtcNow();
        var until = now + _o.Lease;
        var claimed = await db.ProviderOperations
            .Where(o => o.Id == id && o.Status == ProviderOperationStatus.Pending && (o.LockedUntil == null || o.LockedUntil < now))
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.LockedUntil, until), ct);
        return claimed == 0 ? null : await db.ProviderOperations.AsNoTracking().SingleAsync(o => o.Id == id, ct);
    }

    private Task CallAsync(ProviderOperation o, CancellationToken ct) => o.Kind switch
    {
        ProviderOperationKind.Capture => gateway.CaptureAsync(o.ProviderReference, o.Amount, o.Final, o.IdempotencyKey, ct),
        ProviderOperationKind.Cancel => gateway.CancelAsync(o.ProviderReference, o.IdempotencyKey, ct),
        ProviderOperationKind.Refund => gateway.RefundAsync(o.ProviderReference, o.Amount, o.IdempotencyKey, ct),
        _ => throw new InvalidOperationException($"Unknown provider operation {o.Kind}."),
    };

    private async Task RecordAsync(Guid id, string? error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<OmsDbContext>();
        await scope.ServiceProvider.GetRequiredService<UnitOfWork>().ChangeAsync(async () =>
        {
            var now = clock.GetUtcNow();
            var operation = await db.ProviderOperations.SingleAsync(o => o.Id == id, ct);
            var payment = await db.Payments.SingleAsync(p => p.Id == operation.PaymentId, ct);
            var kind = operation.Kind.ToString().ToLowerInvariant();
            operation.LockedUntil = null;
            operation.Attempts++;
            if (error is null)
            {
                operation.Status = ProviderOperationStatus.Succeeded;
                operation.CompletedAt = now;
                if (operation.Kind == ProviderOperationKind.Capture)
                {
                    var order = await db.Orders.SingleAsync(o => o.Id == payment.OrderId, ct);
                    order.PaymentMoved(payment.CaptureSucceeded(operation.Amount, now), now);
                }
                else payment.ProviderSucceeded(now);
                return true;
            }
            var givenUp = operation.Attempts > _o.Schedule.Count;
            operation.LastError = Oms.Domain.Payments.Payment.FitReason(error);
            if (givenUp)
            {
                operation.Status = ProviderOperationStatus.Failed;
                operation.CompletedAt = now;
            }
            else operation.NextAttemptAt = now + _o.Schedule[operation.Attempts - 1];
            payment.ProviderFailed(kind, operation.Amount, error, givenUp, now);
            log.LogWarning("Payment provider {Operation} of payment {Payment} failed (attempt {Attempt}{Outcome}): {Error}", kind, payment.Id,
                operation.Attempts, givenUp ? ", given up" : ", will retry", error);
            return true;
        }, ct);
    }
}

/// <summary>Retries the provider calls that failed or whose request never made them, as they fall due.</summary>
public sealed class ProviderCallWorker(ProviderCalls calls, IOptions<ProviderCallOptions> options, ILogger<ProviderCallWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.PollInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                foreach (var id in await calls.DueAsync(20, stoppingToken)) await calls.RunAsync(id, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.LogWarning(e, "Could not look for payment provider calls to retry; trying again shortly");
            }
        }
    }
}
