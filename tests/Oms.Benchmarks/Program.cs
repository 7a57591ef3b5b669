using BenchmarkDotNet.Running;

namespace Oms.Benchmarks;

/// <summary>
/// dotnet run -c Release --project tests/Oms.Benchmarks -- --filter '*'     BenchmarkDotNet: routing decisions
/// dotnet run -c Release --project tests/Oms.Benchmarks -- webhooks        webhook dispatch under load
/// (Not top-level statements: the global <c>Program</c> is the API's, which the webhook benchmark hosts.)
/// </summary>
public static class BenchmarkProgram
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "webhooks") return await WebhookBenchmark.RunAsync(args[1..]);
        BenchmarkSwitcher.FromAssembly(typeof(RoutingBenchmark).Assembly).Run(args);
        return 0;
    }
}
