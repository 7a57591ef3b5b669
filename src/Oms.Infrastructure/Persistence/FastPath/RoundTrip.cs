using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>
/// Hand-written statements sent in one round trip (<see cref="OmsDbContext.RawBatch"/>), each with positional
/// parameters, on the context's connection and transaction. Read each statement's result in turn with
/// <see cref="DbDataReader.NextResultAsync(CancellationToken)"/>; call <see cref="Completed"/> once the results are read,
/// so that reused parameters go back for the next round trip (after a failure they are dropped, whatever state they are in).
/// </summary>
public sealed class RoundTrip : IAsyncDisposable
{
    private static readonly ConditionalWeakTable<string, ConcurrentBag<DbParameter[]>> Kept = new();

    private readonly DbBatch _batch;
    private List<(DbBatchCommand Command, DbParameter[] Parameters, ConcurrentBag<DbParameter[]> Bag)>? _reused;
    private bool _completed, _refused;

    internal RoundTrip(DbConnection connection, DbTransaction transaction, string? settings, Statement[] statements)
    {
        _batch = connection.CreateBatch();
        _batch.Transaction = transaction;
        if (settings is not null) Add(new Statement(settings, []));
        foreach (var statement in statements) Add(statement);
    }

    private void Add(Statement statement)
    {
        var command = _batch.CreateBatchCommand();
        command.CommandText = statement.Sql;
        var values = statement.Parameters;
        ConcurrentBag<DbParameter[]>? bag = null;
        if (!statement.Reused || !(bag = Kept.GetValue(statement.Sql, static _ => [])).TryTake(out var parameters) || parameters.Length != values.Length)
        {
            parameters = new DbParameter[values.Length];
            for (var i = 0; i < parameters.Length; i++)
            {
                parameters[i] = command.CreateParameter(); // unnamed: positional
                if (statement.Types?[i] is { } type) parameters[i].DbType = type;
            }
        }
        for (var i = 0; i < values.Length; i++)
        {
            parameters[i].Value = values[i] ?? DBNull.Value;
            command.Parameters.Add(parameters[i]);
        }
        if (bag is not null) (_reused ??= []).Add((command, parameters, bag));
        _batch.BatchCommands.Add(command);
        SqlCommandCounter.CountOne();
    }

    public Task<DbDataReader> ExecuteReaderAsync(CancellationToken ct) => _batch.ExecuteReaderAsync(ct);

    public async Task<int> ExecuteNonQueryAsync(CancellationToken ct)
    {
        var rows = await _batch.ExecuteNonQueryAsync(ct);
        Completed();
        return rows;
    }

    /// <summary>The results are read: reused parameters may go back (see <see cref="Statement.Reused"/>).</summary>
    public void Completed() => _completed = true;

    /// <summary>
    /// The round trip failed on purpose: a statement refused as it ran (<see cref="PostgresOmsDbContext.RefusedSqlState"/>),
    /// which leaves the connection as it was. Any other failure makes the connection forget its prepared statements.
    /// </summary>
    public void Refused() => _refused = true;

    public async ValueTask DisposeAsync()
    {
        if (!_completed && !_refused && _batch.Connection is { } connection) PreparedStatementsReset.Mark(connection);
        await _batch.DisposeAsync();
        if (!_completed || _reused is not { } reused) return;
        foreach (var (command, parameters, bag) in reused)
        {
            command.Parameters.Clear(); // a parameter belongs to one collection at a time
            foreach (var p in parameters) p.Value = null; // nothing of this round trip stays reachable
            bag.Add(parameters);
        }
    }
}
