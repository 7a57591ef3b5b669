using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Oms.Infrastructure.Persistence.FastPath;

namespace Oms.Infrastructure.Persistence;

public enum DatabaseProvider { Postgres, Sqlite }

/// <summary>Reads <c>Database:Provider</c> and the connection strings; PostgreSQL whenever a connection string for it is given.</summary>
/// <param name="CheckoutWriter"><c>Database:CheckoutWriter</c>: how a checkout writes (<see cref="ICheckoutWriter"/>); Fast by default on PostgreSQL, Ef on SQLite.</param>
/// <param name="ReadOnlyConnectionString"><c>ConnectionStrings:PostgresReadOnly</c>: a streaming replica reports read from (PostgreSQL only).</param>
public sealed record DatabaseSettings(DatabaseProvider Provider, string ConnectionString, CheckoutWriters CheckoutWriter = CheckoutWriters.Ef,
    string? ReadOnlyConnectionString = null)
{
    public const string DefaultSqlite = "Data Source=data/headlessoms.db";

    public static DatabaseSettings From(IConfiguration config)
    {
        var pg = config.GetConnectionString("Postgres");
        var named = config["Database:Provider"];
        var provider = named is not null
            ? Enum.Parse<DatabaseProvider>(named, ignoreCase: true)
            : string.IsNullOrWhiteSpace(pg) ? DatabaseProvider.Sqlite : DatabaseProvider.Postgres;
        var cs = provider == DatabaseProvider.Postgres
            ? pg ?? throw new InvalidOperationException("Database:Provider is Postgres but ConnectionStrings:Postgres is not set.")
            : config.GetConnectionString("Sqlite") ?? DefaultSqlite;
        var writer = config["Database:CheckoutWriter"] is { Length: > 0 } w
            ? Enum.TryParse<CheckoutWriters>(w, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) ? parsed
                : throw new InvalidOperationException($"Database:CheckoutWriter is '{w}': use Fast or Ef.")
            : provider == DatabaseProvider.Postgres ? CheckoutWriters.Fast : CheckoutWriters.Ef;
        if (writer == CheckoutWriters.Fast && provider != DatabaseProvider.Postgres)
            throw new InvalidOperationException("Database:CheckoutWriter=Fast needs PostgreSQL; SQLite's checkout writes through EF (Ef).");
        var readOnly = config.GetConnectionString("PostgresReadOnly") is { Length: > 0 } ro ? ro : null;
        if (readOnly is not null && provider != DatabaseProvider.Postgres)
            throw new InvalidOperationException("ConnectionStrings:PostgresReadOnly is a PostgreSQL replica: it needs Database:Provider Postgres.");
        return new DatabaseSettings(provider, cs, writer, readOnly);
    }
}

public static class PersistenceSetup
{
    public static IServiceCollection AddOmsPersistence(this IServiceCollection services, IConfiguration config)
    {
        var db = DatabaseSettings.From(config);
        services.AddSingleton(db);
        services.AddSingleton<SqlCommandCounter>().AddSingleton<SqlTransactionCounter>().AddSingleton<OrderNumberAllocator>();
        services.AddSingleton<OutboxCommitInterceptor>().AddSingleton<PreparedStatementsReset>();
        services.AddSingleton<WriteTransactionSettings>();
        services.AddSingleton<OutboxSignal>();
        if (db.Provider == DatabaseProvider.Postgres)
        {
            services.AddDbContextPool<PostgresOmsDbContext>((sp, o) => ConfigurePostgres(o, db.ConnectionString).AddInterceptors(Interceptors(sp)));
            services.AddScoped<OmsDbContext>(sp => Hooked(sp, sp.GetRequiredService<PostgresOmsDbContext>()));
        }
        else
        {
            services.AddDbContextPool<SqliteOmsDbContext>((sp, o) => ConfigureSqlite(o, db.ConnectionString).AddInterceptors(Interceptors(sp)));
            services.AddScoped<OmsDbContext>(sp => Hooked(sp, sp.GetRequiredService<SqliteOmsDbContext>()));
        }
        if (db.ReadOnlyConnectionString is { } ro)
            services.AddSingleton(new ReadOnlyDatabase((DbContextOptions<PostgresOmsDbContext>)ConfigurePostgres(new DbContextOptionsBuilder<PostgresOmsDbContext>(), ro)
                .UseQueryTrackingBehavior(QueryTrackingBehavior.NoTracking).Options));
        services.AddScoped(sp => new ReportDatabase(sp.GetRequiredService<OmsDbContext>(), sp.GetService<ReadOnlyDatabase>()));
        // The checkout's one performance seam (docs/performance.md): the fast path on PostgreSQL unless configured otherwise.
        services.AddSingleton<FastPathFallbacks>();
        if (db.CheckoutWriter == CheckoutWriters.Fast) services.AddScoped<ICheckoutWriter, FastCheckoutWriter>();
        else services.AddScoped<ICheckoutWriter, EfCheckoutWriter>();
        return services;
    }

    private static Microsoft.EntityFrameworkCore.Diagnostics.IInterceptor[] Interceptors(IServiceProvider sp) =>
        [sp.GetRequiredService<SqlCommandCounter>(), sp.GetRequiredService<SqlTransactionCounter>(), sp.GetRequiredService<OutboxCommitInterceptor>(), sp.GetRequiredService<WriteTransactionSettings>(), sp.GetRequiredService<PreparedStatementsReset>()];

    private static OmsDbContext Hooked(IServiceProvider sp, OmsDbContext db)
    {
        db.EventMapper ??= sp.GetService<IEventDataMapper>();
        db.OutboxSignal ??= sp.GetService<OutboxSignal>();
        db.SaveFollower ??= sp.GetService<ISaveFollower>();
        db.AuditActors ??= sp.GetService<Audit.IAuditActorSource>();
        return db;
    }

    internal static DbContextOptionsBuilder ConfigurePostgres(DbContextOptionsBuilder o, string cs) =>
        o.UseNpgsql(WithDefaults(cs), n => n.MigrationsHistoryTable("__ef_migrations_history")).UseSnakeCaseNamingConvention();

    /// <summary>
    /// Npgsql settings the hot paths want, unless the connection string says otherwise: statements used more than
    /// once on a connection are prepared (PostgreSQL skips parsing and planning them), and a pooled connection is not
    /// reset with DISCARD ALL on every reuse (we keep no session state), which would also drop those statements; and
    /// PostgreSQL's JIT compiler is off. Inside our transactions statements run on generic plans
    /// (<see cref="FastPath.WriteTransactionSettings"/>), whose row estimates for <c>= ANY($1)</c> over joined tables
    /// can pass <c>jit_above_cost</c>: PostgreSQL then compiled the document issuer's read of 100 orders on every
    /// execution, 600 ms of compiling for 1 ms of work (measured with pg_stat_statements and EXPLAIN ANALYZE). Short
    /// queries that find rows by key never gain from it.
    /// </summary>
    internal static string WithDefaults(string cs)
    {
        var b = new Npgsql.NpgsqlConnectionStringBuilder(cs);
        if (!cs.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase) && !cs.Contains("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase))
            b.MaxAutoPrepare = 100;
        if (!cs.Contains("Reset On Close", StringComparison.OrdinalIgnoreCase) && !cs.Contains("NoResetOnClose", StringComparison.OrdinalIgnoreCase))
            b.NoResetOnClose = true;
        if (!cs.Contains("jit", StringComparison.OrdinalIgnoreCase))
            b.Options = string.IsNullOrEmpty(b.Options) ? "-c jit=off" : b.Options + " -c jit=off";
        return b.ConnectionString;
    }

    internal static DbContextOptionsBuilder ConfigureSqlite(DbContextOptionsBuilder o, string cs) =>
        o.UseSqlite(cs, s => s.MigrationsHistoryTable("__ef_migrations_history")).UseSnakeCaseNamingConvention();

    /// <summary>Applies the provider's migrations; EF takes a migration lock, so replicas starting together are safe.</summary>
    public static async Task MigrateAsync(OmsDbContext db, CancellationToken ct)
    {
        if (db is SqliteOmsDbContext)
        {
            var path = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var dir = Path.GetDirectoryName(Path.GetFullPath(path));
            if (!string.IsNullOrEmpty(dir)) Directory.CreateDirectory(dir);
        }
        // Npgsql's migrator reads the history table without checking that it exists and catches the error, which EF
        // logs as a failure on every first start (npgsql/efcore.pg#3407): create it first, as the migrator would.
        if (db is PostgresOmsDbContext)
            await db.Database.ExecuteSqlRawAsync(db.GetService<Microsoft.EntityFrameworkCore.Migrations.IHistoryRepository>().GetCreateIfNotExistsScript(), ct);
        // Each provider's history was squashed into one migration before anything was deployed (docs/decisions/0006):
        // a database made before that says so, rather than failing on a table that already exists.
        var unknown = (await db.Database.GetAppliedMigrationsAsync(ct)).Except(db.Database.GetMigrations()).ToList();
        if (unknown.Count > 0)
            throw new InvalidOperationException(
                $"This database was made by an earlier HeadlessOms ({unknown.Count} migrations this version does not have, such as {unknown[0]}), whose " +
                "migrations were squashed into one. Start from a new database: for the development default, delete the data folder (data/headlessoms.db).");
        await db.Database.MigrateAsync(ct);
        if (db is SqliteOmsDbContext)
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct); // readers no longer wait for the writer
    }
}

/// <summary>Used by <c>dotnet ef</c> only: builds each context without the app.</summary>
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresOmsDbContext>
{
    public PostgresOmsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<PostgresOmsDbContext>)PersistenceSetup.ConfigurePostgres(new DbContextOptionsBuilder<PostgresOmsDbContext>(), "Host=localhost;Database=oms").Options);
}

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteOmsDbContext>
{
    public SqliteOmsDbContext CreateDbContext(string[] args) =>
        new((DbContextOptions<SqliteOmsDbContext>)PersistenceSetup.ConfigureSqlite(new DbContextOptionsBuilder<SqliteOmsDbContext>(), DatabaseSettings.DefaultSqlite).Options);
}
