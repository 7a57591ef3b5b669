using Microsoft.Data.Sqlite;
using Npgsql;

namespace Oms.Infrastructure.Persistence;

/// <summary>Failures that say the database cannot be reached or is not taking work now, rather than that a request was wrong.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// A connection that failed or was cut (PostgreSQL restarting, shutting down, refusing connections, a full pool,
    /// a network timeout: what Npgsql calls transient), or a SQLite database busy or locked. Anywhere in the chain:
    /// EF Core wraps them.
    /// </summary>
    public static bool IsUnavailable(Exception exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true }) return true;
            if (e is PostgresException { SqlState: "57P01" or "57P02" or "57P03" or "53300" or "08000" or "08001" or "08003" or "08004" or "08006" }) return true;
            if (e is SqliteException { SqliteErrorCode: 5 or 6 }) return true; // SQLITE_BUSY, SQLITE_LOCKED
        }
        return false;
    }
}
