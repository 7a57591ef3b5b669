using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Access;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// The one unit of work. Provider differences (order-number sequence, unique-violation detection, time storage)
/// live in <see cref="PostgresOmsDbContext"/> and <see cref="SqliteOmsDbContext"/>, each with its own migrations.
/// </summary>
public abstract class OmsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();

    /// <summary>Takes the next human-friendly order number; never rolled back, so numbers may have gaps.</summary>
    public abstract Task<long> NextOrderNumberAsync(CancellationToken ct);

    /// <summary>True when the save failed on a unique index (a duplicate SKU, channel reference or idempotency key).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OmsDbContext).Assembly, t => t.Namespace == typeof(OmsDbContext).Namespace + ".Configurations");

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // The outbox rows ride in the same transaction as the change that raised them.
        var roots = ChangeTracker.Entries<AggregateRoot>().Select(e => e.Entity).Where(a => a.DomainEvents.Count > 0).ToList();
        foreach (var root in roots)
        {
            foreach (var e in root.DomainEvents)
                OutboxMessages.Add(OutboxMessage.From(e));
        }
        var written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        foreach (var root in roots) root.ClearDomainEvents();
        return written;
    }

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
