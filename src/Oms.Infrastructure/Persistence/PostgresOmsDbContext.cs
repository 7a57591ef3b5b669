using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Oms.Infrastructure.Persistence;

public sealed class PostgresOmsDbContext(DbContextOptions<PostgresOmsDbContext> options) : OmsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        // jsonb: the checkout's fast path adds to one currency's value in SQL, and lists read one currency's amount.
        modelBuilder.Entity<Oms.Domain.Customers.Customer>().Property(c => c.Value).HasColumnType("jsonb");
        CustomerValueQueries.Map(modelBuilder, this, "jsonb", (value, currency, text, number) =>
            new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlFunctionExpression("jsonb_extract_path_text",
                [value, currency, new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlConstantExpression("amount", typeof(string), text)],
                nullable: true, argumentsPropagateNullability: [false, false, false], typeof(string), text)); // NULL for a currency the customer has no value in
        // Events are found by their id (fan-out, sending, a payload's carrier, retention), so on PostgreSQL the id is
        // their key, and their number (an identity column: the order an aggregate's events are delivered in) has no
        // index: a checkout's seven events write seven index entries fewer. SQLite keeps the number as its key, the
        // rowid that numbers them, with a unique index on the id.
        modelBuilder.Entity<OutboxMessage>(b =>
        {
            b.Metadata.RemoveIndex(b.Metadata.FindIndex(b.Metadata.FindProperty(nameof(OutboxMessage.Id))!)!);
            b.HasKey(m => m.Id);
            b.Property(m => m.Id).ValueGeneratedNever();
            b.Property(m => m.Sequence).UseIdentityByDefaultColumn();
        });
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

    public override async Task LockCustomersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var sorted = ids.Order().ToArray();
        await Database.ExecuteSqlAsync($"SELECT 1 FROM customers WHERE id = ANY({sorted}) ORDER BY id FOR UPDATE", ct);
    }

    public override async Task EnterErasureGateAsync(bool exclusive, CancellationToken ct)
    {
        if (exclusive) await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({ErasureGate})", ct);
        else await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock_shared({ErasureGate})", ct);
    }

    /// <summary>The advisory lock key of the erasure gate (any fixed number no other lock of ours uses).</summary>
    private const long ErasureGate = 0x4F4D535F45524153; // "OMS_ERAS"

    public override bool IsUniqueViolationOn(DbUpdateException exception, string table) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && p.TableName == table;

    public override async Task NotifyAsync(string channel, string payload, CancellationToken ct) =>
        await Database.ExecuteSqlInterpolatedAsync($"SELECT pg_notify({channel}, {payload})", ct);

    /// <summary>The SQLSTATE our own functions raise to refuse (oms_reserve_stock).</summary>
    public const string RefusedSqlState = "OMS01";

    /// <summary>Our own refusal (<see cref="RefusedSqlState"/>): raised by a statement as it ran, the connection is as it was.</summary>
    public static bool IsRefusal(Exception? exception) => exception is PostgresException { SqlState: RefusedSqlState };
}
