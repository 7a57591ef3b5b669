using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;
using Oms.Api.Tests.Support;
using Oms.Testing;

namespace Oms.Api.Tests;

/// <summary>
/// Reports read from a streaming replica when <c>ConnectionStrings:PostgresReadOnly</c> names one (issue 38): the
/// suite starts a PostgreSQL of its own and a hot standby of it. While the standby's replay is paused, reports keep
/// showing what the standby has, however much the primary moves on; resumed, they catch up. Writes still go to the primary.
/// </summary>
public sealed class ReportReplicaTests
{
    [Fact]
    public async Task Reports_and_exports_read_from_the_replica_and_writes_go_to_the_primary()
    {
        await TestApp.DatabaseAsync(); // the run's fakes (Stripe) are up
        var primary = await PostgresServer.StartAsync(own: true);
        PostgresServer? replica = null;
        try
        {
            replica = await primary.StartReplicaAsync();
            await using var app = new ApiFactory(primary.ConnectionString, "oms_test_admin_" + Guid.NewGuid().ToString("N"),
                ("ConnectionStrings:PostgresReadOnly", replica.ConnectionString));
            var s = new Scenario(app);
            var sku = await s.ProductAsync(price: 1000);
            for (var i = 0; i < 3; i++) await s.PaidOrderAsync(s.OrderBody(sku));
            await CountedAsync(s, 3);

            // The standby stops replaying: the reports stay where it stopped while the primary takes two more orders.
            await using (var standby = new NpgsqlDataSourceBuilder(replica.ConnectionString).Build())
                await standby.CreateCommand("SELECT pg_wal_replay_pause()").ExecuteNonQueryAsync();
            for (var i = 0; i < 2; i++) await s.PaidOrderAsync(s.OrderBody(sku));
            await using (var writer = new NpgsqlDataSourceBuilder(primary.ConnectionString).Build())
            {
                var folded = System.Diagnostics.Stopwatch.StartNew();
                while ((long)(await writer.CreateCommand("SELECT count(*) FROM report_orders").ExecuteScalarAsync())! < 5)
                {
                    Assert.True(folded.Elapsed < TimeSpan.FromSeconds(30), "the primary's rollups did not count the new orders in 30 s");
                    await Task.Delay(50);
                }
            }
            Assert.Equal(3, await OrdersAsync(s));
            var csv = new HttpRequestMessage(HttpMethod.Get, "/api/v1/reports/top/products");
            csv.Headers.Accept.ParseAdd("text/csv");
            var rows = (await (await s.Admin.SendAsync(csv)).Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(sku, rows[1].Split(',')[2]);
            Assert.Equal("3", rows[1].Split(',')[4]); // orders, as the standby has them

            // Writes of the report endpoints go to the primary (a standby refuses them), and the standby catches up.
            var rate = await s.Admin.PostAsJsonAsync("/api/v1/exchange-rates", new { rates = new[] { new { @base = "GBP", quote = "EUR", date = "2026-01-01", rate = 1.17m } } });
            Assert.True(rate.IsSuccessStatusCode, await rate.Content.ReadAsStringAsync());
            await using (var standby = new NpgsqlDataSourceBuilder(replica.ConnectionString).Build())
                await standby.CreateCommand("SELECT pg_wal_replay_resume()").ExecuteNonQueryAsync();
            await CountedAsync(s, 5);
            var replayed = System.Diagnostics.Stopwatch.StartNew();
            JsonElement rates;
            while ((rates = (await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/exchange-rates")).GetProperty("data")).GetArrayLength() == 0)
            {
                Assert.True(replayed.Elapsed < TimeSpan.FromSeconds(30), "the standby did not replay the rate in 30 s");
                await Task.Delay(50);
            }
            Assert.Equal(1.17m, rates[0].GetProperty("rate").GetDecimal());
        }
        finally
        {
            replica?.Stop();
            primary.Stop();
        }
    }

    private static async Task<long> OrdersAsync(Scenario s)
    {
        var kpis = await s.Admin.GetFromJsonAsync<JsonElement>("/api/v1/reports/kpis");
        var figures = kpis.GetProperty("figures");
        return figures.GetArrayLength() == 0 ? 0 : figures[0].GetProperty("orders").GetInt64();
    }

    /// <summary>Waits until the reports (on the standby) count <paramref name="orders"/> orders.</summary>
    private static async Task CountedAsync(Scenario s, long orders)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        while (await OrdersAsync(s) != orders)
        {
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(30), $"the reports did not count {orders} orders in 30 s (they count {await OrdersAsync(s)})");
            await Task.Delay(50);
        }
    }
}
