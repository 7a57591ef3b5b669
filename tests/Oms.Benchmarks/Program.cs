using BenchmarkDotNet.Running;

// dotnet run -c Release --project tests/Oms.Benchmarks -- --filter '*'
BenchmarkSwitcher.FromAssembly(typeof(Oms.Benchmarks.RoutingBenchmark).Assembly).Run(args);
