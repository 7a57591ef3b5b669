using BenchmarkDotNet.Running;

namespace Oms.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Oms.Benchmarks -- --filter '*'     BenchmarkDotNet: routing decisions
/// dotnet run -c Release --project tests/Oms.Benchmarks -- checkout [--users 64] [--replicas 2] [--seconds 30] [--flow single|separate]
/// dotnet run -c Release --project tests/Oms.Benchmarks -- reads [--users 16]   order lookups, lists and a GraphQL page
/// dotnet run -c Release --project tests/Oms.Benchmarks -- hot-sku [--replicas 2]  64 buyers race for 10 units
/// dotnet run -c Release --project tests/Oms.Benchmarks -- webhooks        webhook delivery under load (through the API processes)
/// dotnet run -c Release --project tests/Oms.Benchmarks -- reports [--orders 1000000]   every report over 90 days and two years of orders
/// checkout, reads and hot-sku go over real HTTP to API processes they start (or --url a,b --key k); see docs/performance.md.
/// (Not top-level statements: the global <c>Program</c> is the API's, which the webhook benchmark hosts.)
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "webhooks": return await WebhookBenchmark.RunAsync(args[1..]);
            case "reports": return await ReportBenchmark.RunAsync(args[1..]);
            case "checkout" or "reads" or "hot-sku": return await Load.LoadCommand.RunAsync(args[0], args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(RoutingBenchmark).Assembly).Run(args);
        return 0;
    }
}
