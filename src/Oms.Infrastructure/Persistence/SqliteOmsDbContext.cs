using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Oms.Infrastructure.Persistence;

/// <summary>The embedded default for trying the API on a laptop.</summary>
public sealed class SqliteOmsDbContext(DbContextOptions<SqliteOmsDbContext> options) : OmsDbContext(options)
{
    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        CustomerValueQueries.Map(modelBuilder, this, null, (value, currency, text, number) =>
            new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlFunctionExpression("json_extract",
                [value, new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlFunctionExpression("printf",
                    [new Microsoft.EntityFrameworkCore.Query.SqlExpressions.SqlConstantExpression("$.%s.amount", typeof(string), text), currency],
                    nullable: true, argumentsPropagateNullability: [false, true], typeof(string), text)],
                nullable: true, argumentsPropagateNullability: [false, false], typeof(string), text)); // NULL for a currency the customer has no value in
        modelBuilder.Entity<Counter>(b =>
        {
            b.ToTable("counters");
            b.HasKey(c => c.Name);
            b.HasData(Sequences.StartsAt.Select(kv => new Counter { Name = kv.Key, Value = kv.Value - 1 }).ToArray());
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        // SQLite cannot compare or order DateTimeOffset: store UTC ticks, which it can.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        builder.Properties<DateTimeOffset?>().HaveConversion<UtcTicksConverter>();
    }

    public override object StoreId(Guid id) => id.ToString().ToUpperInvariant();

    public override object StoreTime(DateTimeOffset time) => time.UtcTicks;

    public override async Task<long> NextNumberAsync(string sequence, CancellationToken ct) =>
        (await Database.SqlQueryRaw<long>(
            "UPDATE counters SET value = value + 1 WHERE name = {0} RETURNING value AS \"Value\"", sequence).ToListAsync(ct)).Single();

    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteErrorCode: 19 }; // SQLITE_CONSTRAINT

    private sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
        v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}

public sealed class Counter
{
    public string Name { get; set; } = "";
    public long Value { get; set; }
}
