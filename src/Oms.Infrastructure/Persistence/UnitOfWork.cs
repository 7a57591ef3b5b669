using Microsoft.EntityFrameworkCore;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// One change, one unit of work: what a use case loads and changes is saved and committed together, or nothing is
/// written and nothing it touched stays in the context for the next use case.
/// </summary>
public static class UnitOfWork
{
    /// <summary>
    /// Runs <paramref name="change"/> (load aggregates, call their methods) in a transaction, saves and commits. On any
    /// failure the transaction rolls back and the change tracker is cleared, so a later save in the same context (the
    /// next field of a GraphQL document, say) cannot write half of this one. Inside a caller's transaction it joins it
    /// and leaves the commit to the caller.
    /// </summary>
    public static async Task<T> ChangeAsync<T>(this OmsDbContext db, Func<Task<T>> change, CancellationToken ct)
    {
        var own = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(ct) : null;
        try
        {
            var result = await change();
            await db.SaveChangesAsync(ct); // the version checks, conditional stock updates and outbox rows commit together
            if (own is not null) await own.CommitAsync(ct);
            return result;
        }
        catch
        {
            db.Abandon();
            throw;
        }
        finally
        {
            if (own is not null) await own.DisposeAsync(); // rolls back unless committed
        }
    }

    /// <summary>Forgets every tracked change after a failure: the rows in the database are what counts.</summary>
    public static void Abandon(this OmsDbContext db)
    {
        db.ChangeTracker.Clear();
        db.StopCollecting();
        db.ForgetWithSave();
    }
}
