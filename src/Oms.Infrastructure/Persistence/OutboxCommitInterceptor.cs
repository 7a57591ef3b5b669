using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Oms.Infrastructure.Persistence;

/// <summary>Wakes the webhook dispatcher when a transaction that wrote outbox rows commits.</summary>
public sealed class OutboxCommitInterceptor : DbTransactionInterceptor
{
    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Wake(eventData.Context);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Wake(eventData.Context);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData)
    {
        if (eventData.Context is OmsDbContext db) db.NotifyOnCommit = false;
    }

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionRolledBack(transaction, eventData);
        return Task.CompletedTask;
    }

    private static void Wake(Microsoft.EntityFrameworkCore.DbContext? context)
    {
        if (context is not OmsDbContext { NotifyOnCommit: true } db) return;
        db.NotifyOnCommit = false;
        db.OutboxSignal?.Notify();
    }
}
