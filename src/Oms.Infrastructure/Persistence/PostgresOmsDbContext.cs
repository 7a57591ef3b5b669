using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Oms.Infrastructure.Persistence;

public sealed class PostgresOmsDbContext(DbContextOptions<PostgresOmsDbContext> options) : OmsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var (name, start) in Sequences.StartsAt)
            modelBuilder.HasSequence<long>(name).StartsAt(start).IncrementsBy(name == Sequences.OrderNumbers ? Sequences.OrderNumberBlock : 1);
    }

    public override async Task<long> NextNumberAsync(string sequence, CancellationToken ct) =>
        (await Database.SqlQueryRaw<long>("SELECT nextval({0}::regclass) AS \"Value\"", sequence).ToListAsync(ct)).Single();

    public override object StoreId(Guid id) => id;

    public override bool HasArrayParameters => true;

    public override object StoreTime(DateTimeOffset time) => time.ToUniversalTime();

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    public override bool IsRefusedWithSave(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: RefusedSqlState };

    /// <summary>The SQLSTATE our own functions raise to refuse (oms_reserve_stock).</summary>
    public const string RefusedSqlState = "OMS01";
}
