using Microsoft.EntityFrameworkCore;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// Where reports read: a read-only PostgreSQL (a streaming replica, <c>ConnectionStrings:PostgresReadOnly</c>) when one
/// is configured, so analytics never compete with the checkout on the primary; else the request's own context.
/// Only reads go through it: whatever a report endpoint writes (exchange rates) goes to the primary.
/// </summary>
public sealed class ReportDatabase : IAsyncDisposable, IDisposable
{
    private readonly PostgresOmsDbContext? _replica;

    public ReportDatabase(OmsDbContext primary, ReadOnlyDatabase? readOnly)
    {
        if (readOnly is not null) _replica = new PostgresOmsDbContext(readOnly.Options);
        Db = _replica ?? primary;
    }

    public OmsDbContext Db { get; }

    public void Dispose() => _replica?.Dispose();

    public ValueTask DisposeAsync() => _replica?.DisposeAsync() ?? ValueTask.CompletedTask;
}

/// <summary>The options of contexts on the read-only connection (no change tracking: nothing is saved through them).</summary>
public sealed class ReadOnlyDatabase(DbContextOptions<PostgresOmsDbContext> options)
{
    public DbContextOptions<PostgresOmsDbContext> Options => options;
}
