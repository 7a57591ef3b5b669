using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// Counts the SQL commands one logical operation (an HTTP request) sends, so tests can prove there is no N+1 and the
/// benchmark can report statements per checkout. The count follows the async flow that called <see cref="Begin"/>.
/// </summary>
public sealed class SqlCommandCounter : DbCommandInterceptor
{
    private static readonly AsyncLocal<Tally?> Current = new();

    public sealed class Tally
    {
        private int _count;
        public int Count => Volatile.Read(ref _count);
        internal void Increment() => Interlocked.Increment(ref _count);
    }

    public static Tally Begin() => Current.Value = new Tally();

    /// <summary>A statement sent outside EF's command pipeline (transaction control, a raw command).</summary>
    public static void CountOne() => Current.Value?.Increment();

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    { Current.Value?.Increment(); return result; }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    { Current.Value?.Increment(); return ValueTask.FromResult(result); }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    { Current.Value?.Increment(); return result; }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    { Current.Value?.Increment(); return ValueTask.FromResult(result); }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    { Current.Value?.Increment(); return result; }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    { Current.Value?.Increment(); return ValueTask.FromResult(result); }
}

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

/// <summary>
/// Inside our transactions PostgreSQL plans each prepared statement once (<c>plan_cache_mode = force_generic_plan</c>,
/// for the transaction only). The hot statements take arrays (<c>unnest</c>, <c>= ANY</c>): with the values in hand the
/// planner counts their elements and finds a custom plan a little cheaper than the generic one, so it planned them again
/// on every call (0.2-0.5 ms each per checkout, measured with <c>pg_stat_statements</c>) for the same plan. Our
/// transactions are short writes that find rows by key, whose plans do not depend on the values; list and report
/// queries run outside transactions and keep PostgreSQL's choice. The transaction EF opens for a save of its own is
/// left alone: it only writes, and the setting would cost it a statement. The setting is sent with the transaction's
/// first command (not one of EF's save batches), so it costs no round trip, and holds from that command on.
/// </summary>
public sealed class WriteTransactionSettings : DbTransactionInterceptor, IDbCommandInterceptor
{
    /// <summary>The setting as a statement of its own (<see cref="OmsDbContext.RawBatch"/>).</summary>
    internal const string Statement = "SET LOCAL plan_cache_mode = force_generic_plan";

    private const string Sql = Statement + "; ";

    // The setting rides on the transaction's first command (Npgsql sends both statements in one round trip, with
    // the lazily sent BEGIN, and its reader skips the setting's empty result) instead of a round trip of its own.
    public override ValueTask<DbTransaction> TransactionStartedAsync(DbConnection connection, TransactionEndEventData eventData, DbTransaction result, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(TransactionStarted(connection, eventData, result));

    public override DbTransaction TransactionStarted(DbConnection connection, TransactionEndEventData eventData, DbTransaction result)
    {
        if (eventData.Context is OmsDbContext { HasArrayParameters: true, Saving: false } db) db.TransactionSettingsPending = true;
        return result;
    }

    public override void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData);

    public override Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    public override void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Ended(eventData);

    public override Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Ended(eventData);
        return Task.CompletedTask;
    }

    private static void Ended(TransactionEndEventData e)
    {
        if (e.Context is OmsDbContext db) db.TransactionSettingsPending = false;
    }

    /// <summary>
    /// Puts the setting in front of <paramref name="command"/> when it is the first of a transaction that wants it. Not
    /// in front of EF's own save commands: EF reads their results statement by statement, by position.
    /// </summary>
    internal static void Apply(DbCommand command, Microsoft.EntityFrameworkCore.DbContext? context, CommandSource source = CommandSource.Unknown)
    {
        if (source == CommandSource.SaveChanges || context is not OmsDbContext { TransactionSettingsPending: true } db || command.Transaction is null) return;
        db.TransactionSettingsPending = false;
        command.CommandText = Sql + command.CommandText;
        SqlCommandCounter.CountOne(); // a statement of its own, in the same round trip
    }

    InterceptionResult<DbDataReader> IDbCommandInterceptor.ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    { Apply(command, eventData.Context, eventData.CommandSource); return result; }

    ValueTask<InterceptionResult<DbDataReader>> IDbCommandInterceptor.ReaderExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken)
    { Apply(command, eventData.Context, eventData.CommandSource); return ValueTask.FromResult(result); }

    InterceptionResult<int> IDbCommandInterceptor.NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    { Apply(command, eventData.Context, eventData.CommandSource); return result; }

    ValueTask<InterceptionResult<int>> IDbCommandInterceptor.NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken)
    { Apply(command, eventData.Context, eventData.CommandSource); return ValueTask.FromResult(result); }

    InterceptionResult<object> IDbCommandInterceptor.ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    { Apply(command, eventData.Context, eventData.CommandSource); return result; }

    ValueTask<InterceptionResult<object>> IDbCommandInterceptor.ScalarExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken)
    { Apply(command, eventData.Context, eventData.CommandSource); return ValueTask.FromResult(result); }
}
