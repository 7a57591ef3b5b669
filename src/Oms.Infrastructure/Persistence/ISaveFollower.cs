namespace Oms.Infrastructure.Persistence;

/// <summary>
/// Work a save sets off in its own transaction once its rows are written: a customer's figures follow their orders
/// being cancelled, refunded or returned (issue 36), whichever use case moved them. The composition root sets one.
/// </summary>
public interface ISaveFollower
{
    /// <summary>Before the save: the ids (of orders) whose change must be followed, or null. Reads the change tracker only.</summary>
    IReadOnlyCollection<Guid>? Touched(OmsDbContext db);

    /// <summary>After the save, in its transaction: follows <paramref name="touched"/> and saves what that changed. Returns the rows written.</summary>
    Task<int> FollowAsync(OmsDbContext db, IReadOnlyCollection<Guid> touched, CancellationToken ct);
}
