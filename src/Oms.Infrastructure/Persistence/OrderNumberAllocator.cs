namespace Oms.Infrastructure.Persistence;

/// <summary>Human-friendly numbers: orders from OMS-100001, purchase orders from PO-1001.</summary>
public static class Sequences
{
    public const string OrderNumbers = "order_numbers";
    public const string PurchaseOrderNumbers = "purchase_order_numbers";

    public static readonly IReadOnlyDictionary<string, long> StartsAt = new Dictionary<string, long>
    {
        [OrderNumbers] = 100001,
        [PurchaseOrderNumbers] = 1001,
    };

    /// <summary>
    /// On PostgreSQL each API process takes order numbers in blocks of this many (one sequence call per block, not per
    /// order): numbers stay unique across replicas, but replicas interleave and a restart leaves a gap.
    /// </summary>
    public const int OrderNumberBlock = 20;
}

/// <summary>
/// Hands out order numbers: from in-memory blocks on PostgreSQL (hi-lo), one at a time on SQLite. The next block is
/// fetched ahead, by the request that takes a number once half of the current block is gone, so nobody queues behind
/// a fetch: with one block at a time, the requests arriving while it was fetched waited for it (in a checkout profile,
/// a fifth of the API's CPU ran in requests resumed by a finished fetch).
/// </summary>
public sealed class OrderNumberAllocator
{
    private readonly Lock _sync = new();
    private long _next = 1, _end;
    /// <summary>Starts of blocks fetched ahead, ascending: numbers keep ascending in the order they are handed out.</summary>
    private readonly List<long> _ahead = [];
    private int _fetching;

    public async Task<long> NextAsync(OmsDbContext db, CancellationToken ct)
    {
        // SQLite's counter row lives in the caller's transaction: a block kept in memory could be handed out twice
        // after a rollback, so the embedded database takes numbers one by one.
        if (db is not PostgresOmsDbContext) return await db.NextNumberAsync(Sequences.OrderNumbers, ct);
        long number;
        bool taken;
        lock (_sync)
        {
            taken = TryTake(out number);
            // Fetch now when nothing is left (rare: only when numbers go faster than a fetch), or ahead when half the
            // block is gone and no block waits or is on its way.
            if (taken && (_ahead.Count > 0 || _fetching > 0 || _end - _next >= Sequences.OrderNumberBlock / 2)) return number;
            _fetching++;
        }
        try
        {
            // nextval is outside any transaction's rollback, so a block, once taken, is ours.
            var start = await db.NextNumberAsync(Sequences.OrderNumbers, ct);
            lock (_sync)
            {
                _ahead.Add(start);
                _ahead.Sort();
                if (!taken) TryTake(out number); // cannot fail: a block was just added
                return number;
            }
        }
        finally
        {
            lock (_sync) _fetching--;
        }
    }

    /// <summary>The next number of the current block, moving on to the lowest block fetched ahead when it is used up.</summary>
    private bool TryTake(out long number)
    {
        if (_next > _end && _ahead.Count > 0)
        {
            (_next, _end) = (_ahead[0], _ahead[0] + Sequences.OrderNumberBlock - 1);
            _ahead.RemoveAt(0);
        }
        number = _next <= _end ? _next++ : 0;
        return number != 0;
    }
}
