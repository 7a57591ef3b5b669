using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>
/// Makes a connection forget its prepared statements after a failed command or round trip, before it goes back to the
/// pool. Npgsql (10.0.3) loses track of the statements a batch was preparing when the batch fails before they ran (a
/// value PostgreSQL refuses as it binds it, such as a NUL in text, in the batch that reached the automatic preparation):
/// the connection's next batch of the same statements then misreads its results after its COMMIT ran, and an order that
/// was stored is answered 500 (docs/decisions/0005). Forgetting them (<c>DEALLOCATE ALL</c>) cannot run inside the failed
/// transaction, so it runs when the connection closes, after the rollback; the statements are prepared again as they are
/// used. A connection that broke is kept out of the pool by Npgsql, so there is nothing to forget.
/// </summary>
public sealed class PreparedStatementsReset : DbConnectionInterceptor, IDbCommandInterceptor
{
    private static readonly ConditionalWeakTable<DbConnection, object> Marked = new();

    /// <summary>A command or round trip on <paramref name="connection"/> failed: reset it before it is closed.</summary>
    public static void Mark(DbConnection connection) => Marked.AddOrUpdate(connection, Marked);

    /// <summary>An EF command failed, other than by our own refusal (a statement that raises as it runs leaves the connection as it was).</summary>
    public void CommandFailed(DbCommand command, CommandErrorEventData eventData)
    {
        if (command.Connection is { } connection && !PostgresOmsDbContext.IsRefusal(eventData.Exception)) Mark(connection);
    }

    public Task CommandFailedAsync(DbCommand command, CommandErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        CommandFailed(command, eventData);
        return Task.CompletedTask;
    }

    public override InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Reset(connection);
        return result;
    }

    public override ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Reset(connection);
        return ValueTask.FromResult(result);
    }

    private static void Reset(DbConnection connection)
    {
        if (!Marked.Remove(connection) || connection is not Npgsql.NpgsqlConnection { State: ConnectionState.Open } npgsql) return;
        try
        {
            npgsql.UnprepareAll();
        }
        catch (Exception e) when (e is DbException or InvalidOperationException)
        {
            // The connection broke meanwhile: Npgsql keeps it out of the pool.
        }
    }
}
