using BenchmarkDotNet.Running;

namespace Oms.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Oms.Benchmarks -- --filter '*'     BenchmarkDotNet: routing decisions
/// dotnet run -c Release --project tests/Oms.Benchmarks -- webhooks        webhook dispatch under load
/// dotnet run -c Release --project tests/Oms.Benchmarks -- checkout        closed-loop checkouts (place, pay, confirm)
/// dotnet run -c Release --project tests/Oms.Benchmarks -- hot-sku         64 buyers race for 10 units
/// (Not top-level statements: the global <c>Program</c> is the API's, which the webhook benchmark hosts.)
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "webhooks": return await WebhookBenchmark.RunAsync(args[1..]);
            case "checkout": return await CheckoutBenchmark.RunAsync(args[1..]);
            case "hot-sku": return await CheckoutBenchmark.HotSkuAsync(args[1..]);
        }
        BenchmarkSwitcher.FromAssembly(typeof(RoutingBenchmark).Assembly).Run(args);
        return 0;
    }
}
