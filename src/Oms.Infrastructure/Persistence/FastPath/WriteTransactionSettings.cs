using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Oms.Infrastructure.Persistence.FastPath;

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
