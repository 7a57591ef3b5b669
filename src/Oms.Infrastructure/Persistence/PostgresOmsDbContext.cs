using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Oms.Infrastructure.Persistence;

public sealed class PostgresOmsDbContext(DbContextOptions<PostgresOmsDbContext> options) : OmsDbContext(options)
{
    public const string OrderNumberSequence = "order_numbers";

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        modelBuilder.HasSequence<long>(OrderNumberSequence).StartsAt(100001);
    }

    public override async Task<long> NextOrderNumberAsync(CancellationToken ct) =>
        (await Database.SqlQueryRaw<long>($"SELECT nextval('{OrderNumberSequence}') AS \"Value\"").ToListAsync(ct)).Single();

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };
}
