using Microsoft.EntityFrameworkCore;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// One change, one unit of work: what a use case loads and changes is saved and committed together, or nothing is
/// written and nothing it touched stays in the context for the next use case. Calls to outside providers that the
/// change asks for run after its commit (<see cref="AfterCommit"/>), never while its transaction is open.
/// One per request scope.
/// </summary>
public sealed class UnitOfWork(OmsDbContext db)
{
    private List<Func<Task>>? _afterCommit;

    /// <summary>
    /// Runs <paramref name="change"/> (load aggregates, call their methods) in a transaction, saves and commits, then
    /// runs what was queued with <see cref="AfterCommit"/>. On any failure the transaction rolls back, the change
    /// tracker is cleared and the queue dropped, so a later save in the same scope (the next field of a GraphQL
    /// document, say) cannot write half of this one. Inside a caller's transaction it joins it and leaves the commit,
    /// and what follows it, to the caller.
    /// </summary>
    public async Task<T> ChangeAsync<T>(Func<Task<T>> change, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        T result;
        try
        {
            result = await change();
            await db.SaveChangesAsync(ct); // the version checks, conditional stock updates and outbox rows commit together
            if (own is null) return result;
            await own.CommitAsync(ct);
        }
        catch
        {
            db.Abandon();
            _afterCommit = null;
            throw;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync(); // rolls back unless committed
        }
        var after = _afterCommit;
        _afterCommit = null;
        foreach (var action in after ?? []) await action();
        return result;
    }

    /// <summary>
    /// Queues work for after the current change commits (a provider call whose intent the change recorded). Each action
    /// must record its own outcome and not throw: the change has committed whatever happens to it.
    /// </summary>
    public void AfterCommit(Func<Task> action) => (_afterCommit ??= []).Add(action);
}

public static class UnitOfWorkExtensions
{
    /// <summary>Forgets every tracked change after a failure: the rows in the database are what counts.</summary>
    public static void Abandon(this OmsDbContext db)
    {
        db.ChangeTracker.Clear();
    }
}
