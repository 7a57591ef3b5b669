using Microsoft.Extensions.Logging;
using Npgsql;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// Listens on a PostgreSQL NOTIFY channel (<see cref="OmsDbContext.NotifyAsync"/>) on a connection of its own, for what
/// other API processes on the same database changed. <c>listening</c> is told true once it listens and false when the
/// connection is lost, since notifications sent meanwhile are missed: the caller then trusts nothing it kept. It
/// reconnects every <see cref="RetryDelay"/>. On SQLite (one process) it returns at once without listening.
/// </summary>
public static class DatabaseListener
{
    public static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);

    public static async Task RunAsync(DatabaseSettings db, string channel, Action<string> notified, Action<bool> listening, ILogger logger, CancellationToken ct)
    {
        if (db.Provider != DatabaseProvider.Postgres) return;
        // Not from the pool (the connection stays open and busy for as long as the process runs), with keepalives so a
        // silently dropped connection is noticed.
        var cs = new NpgsqlConnectionStringBuilder(db.ConnectionString) { Pooling = false, KeepAlive = 15 }.ConnectionString;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(cs);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) => notified(e.Payload);
                await using (var listen = new NpgsqlCommand($"LISTEN \"{channel}\"", connection)) await listen.ExecuteNonQueryAsync(ct);
                listening(true);
                while (true) await connection.WaitAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException or InvalidOperationException)
            {
                listening(false);
                logger.LogWarning("Lost the database notifications on {Channel} ({Reason}); listening again in {Delay}", channel, e.Message, RetryDelay);
            }
            try { await Task.Delay(RetryDelay, ct); }
            catch (OperationCanceledException) { return; }
        }
    }
}
