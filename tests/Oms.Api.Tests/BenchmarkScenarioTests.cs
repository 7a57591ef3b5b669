using Oms.Api.Tests.Support;
using Oms.Testing.Load;

namespace Oms.Api.Tests;

/// <summary>The load scenarios run tiny here, for correctness only (counts, no errors); their figures come from tests/Oms.Benchmarks.</summary>
public sealed class BenchmarkScenarioTests
{
    [Fact]
    public async Task Checkouts_in_both_flows_and_the_read_mix_run_without_errors()
    {
        var factory = await TestApp.GetAsync();
        var load = new LoadScenarios([factory.Admin(), factory.Admin()], stripe: TestApp.Stripe);
        var skus = await load.SeedAsync(skuCount: 5, nodeCount: 2, stockPerNode: 100);
        var statements = new Dictionary<string, double>();
        foreach (var flow in LoadScenarios.Flows)
        {
            var metrics = new Metrics();
            var done = await LoadScenarios.LoopAsync(users: 3, until: long.MaxValue, limit: 12, (u, r) => load.CheckoutAsync(metrics, u, r, skus, flow));
            Assert.True(done >= 12, $"{flow}: {done} checkouts");
            Assert.Equal(0, metrics.Errors);
            statements[flow] = metrics.SqlPerUnit; // read from each answer's Oms-Sql-Commands
            Assert.Contains(metrics.Rows("whole checkout"), r => r.Request == "whole checkout" && r.Count == done);
            // Two targets: each one's share is reported too, and the shares add up.
            var shares = metrics.Rows("whole checkout").Where(r => r.Request.StartsWith("whole checkout, API process ", StringComparison.Ordinal)).ToList();
            Assert.Equal(2, shares.Count);
            Assert.Equal(done, shares.Sum(r => r.Count));
        }
        // What the benchmark prints as statements per checkout: the one-request checkout's seven (more while three users
        // race for five SKUs and a refused reservation is tried again), and three requests' worth for the other flows.
        Assert.InRange(statements["single"], 7, 12);
        Assert.True(statements["separate"] > statements["single"] + 7, $"separate {statements["separate"]}, single {statements["single"]}");
        Assert.True(statements["card"] > statements["single"] + 7, $"card {statements["card"]}, single {statements["single"]}");
        var reads = new Metrics();
        var orders = await load.RecentOrdersAsync(20);
        Assert.True(await LoadScenarios.LoopAsync(2, long.MaxValue, 4, (u, r) => load.ReadAsync(reads, u, r, orders)) >= 4);
        Assert.Equal(0, reads.Errors);
    }

    [Fact]
    public async Task The_hot_SKU_race_confirms_exactly_the_stock()
    {
        var factory = await TestApp.GetAsync();
        var result = await new LoadScenarios([factory.Admin(), factory.Admin()]).HotSkuAsync(buyers: 24, units: 10);
        Assert.True(result.Exact, result.ToString());
    }
}
