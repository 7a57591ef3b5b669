using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// Counts transaction control (BEGIN, COMMIT, ROLLBACK, SAVEPOINT, RELEASE) as statements too: they cost a round
/// trip or ride on one, and the figure per checkout should not look better than it is.
/// </summary>
public sealed class SqlTransactionCounter : DbTransactionInterceptor
{
    public override ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }

    public override InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    { SqlCommandCounter.CountOne(); return result; }

    public override ValueTask<InterceptionResult> TransactionCommittingAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }

    public override InterceptionResult TransactionCommitting(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result)
    { SqlCommandCounter.CountOne(); return result; }

    public override ValueTask<InterceptionResult> TransactionRollingBackAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }

    public override ValueTask<InterceptionResult> CreatingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }

    public override ValueTask<InterceptionResult> ReleasingSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }

    public override ValueTask<InterceptionResult> RollingBackToSavepointAsync(DbTransaction transaction, TransactionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default)
    { SqlCommandCounter.CountOne(); return ValueTask.FromResult(result); }
}
