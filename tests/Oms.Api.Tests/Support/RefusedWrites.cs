using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Tests.Support;

/// <summary>
/// Makes PostgreSQL refuse new rows of one order in one table until disposed: an outage of exactly that write, in the
/// real database, so a test can show what a failure after some step leaves behind and what a retry does.
/// </summary>
public sealed class RefusedWrites : IAsyncDisposable
{
    private readonly ApiFactory _factory;
    private readonly string _name;
    private readonly string _table;

    private RefusedWrites(ApiFactory factory, string name, string table) => (_factory, _name, _table) = (factory, name, table);

    public static async Task<RefusedWrites> OfOrderAsync(ApiFactory factory, string table, string orderId)
    {
        var name = "refuse_" + Guid.NewGuid().ToString("N")[..12];
        await ExecuteAsync(factory, $"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN IF NEW.order_id = '{Guid.Parse(orderId)}' THEN RAISE EXCEPTION 'simulated failure'; END IF; RETURN NEW; END $$;
            CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}();
            """);
        return new RefusedWrites(factory, name, table);
    }

    public async ValueTask DisposeAsync() => await ExecuteAsync(_factory, $"DROP TRIGGER {_name} ON {_table}; DROP FUNCTION {_name}();");

    private static async Task ExecuteAsync(ApiFactory factory, string sql)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<OmsDbContext>().Database.ExecuteSqlRawAsync(sql);
    }
}
