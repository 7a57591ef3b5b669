using System.Diagnostics;
using Oms.Testing.Load;

namespace Oms.Benchmarks.Load;

/// <summary>
/// The load benchmark over real HTTP. Starts its own API process(es) on a throwaway PostgreSQL with durable commits
/// (or on --postgres), or drives a running API (--url, --key). Prints a table and writes the same figures as JSON.
/// </summary>
public static class LoadCommand
{
    public static async Task<int> RunAsync(string scenario, string[] args)
    {
        var users = Int(args, "--users", 16);
        var seconds = Int(args, "--seconds", 20);
        var warmup = Int(args, "--warmup", Math.Max(3, seconds / 4));
        var replicas = Int(args, "--replicas", 1);
        var skus = Int(args, "--skus", 200);
        var nodes = Int(args, "--nodes", 4);
        var flow = Text(args, "--flow") ?? "single";
        var read = Text(args, "--read") ?? "mix";
        if (!LoadScenarios.Reads.Contains(read)) throw new ArgumentException($"--read is one of {string.Join(", ", LoadScenarios.Reads)}");
        if (!LoadScenarios.Flows.Contains(flow)) throw new ArgumentException($"--flow is one of {string.Join(", ", LoadScenarios.Flows)}");
        var urls = Text(args, "--url")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var settings = Texts(args, "--set").Select(s => s.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
        var output = Text(args, "--out") ?? Path.Combine(ApiCluster.RepositoryRoot(), "artifacts", "bench", $"{scenario}-{flow}-{users}u-{replicas}r.json");

        // The card flow's Stripe: on loopback in this process, the API processes pointed at it.
        await using var stripe = flow == "card" && scenario == "checkout" ? await Oms.Testing.FakeStripe.StartAsync() : null;
        if (stripe is not null)
        {
            if (urls is { Length: > 0 }) throw new ArgumentException("--flow card starts the API processes itself (with a fake Stripe): no --url");
            settings["Stripe:SecretKey"] = Oms.Testing.FakeStripe.SecretKey;
            settings["Stripe:WebhookSecret"] = Oms.Testing.FakeStripe.WebhookSecret;
            settings["Stripe:ApiBase"] = stripe.Url;
        }
        // Before anything else runs: the machine's own speed at this hour, for comparing runs.
        var probe = scenario == "hot-sku" ? null : MachineProbe.Measure(); // the race is judged on counts, not speed
        await using var cluster = urls is { Length: > 0 }
            ? await ApiCluster.ExistingAsync(urls, Text(args, "--key") ?? throw new ArgumentException("--url needs an admin key: --key"))
            : await ApiCluster.StartAsync(replicas, Text(args, "--postgres") ?? Environment.GetEnvironmentVariable("OMS_BENCH_POSTGRES"), args.Contains("--request-logs"), settings,
                postgresOverTcp: args.Contains("--pg-tcp"), poolSize: Text(args, "--pool") is { } pool ? int.Parse(pool, System.Globalization.CultureInfo.InvariantCulture) : null);
        var load = new LoadScenarios(cluster.Clients, cluster.Setup, stripe);
        var machine = $"{Environment.ProcessorCount} cores, {ApiCluster.Configuration} build, {(cluster.OwnsPostgres ? $"throwaway PostgreSQL with fsync and synchronous_commit on, reached over {(cluster.PostgresOverUnixSocket ? "its Unix socket" : "TCP on 127.0.0.1")}, {cluster.PoolSize} connections per API process" : "given PostgreSQL")}";

        if (scenario == "hot-sku")
        {
            var result = await load.HotSkuAsync();
            Console.WriteLine(result);
            await WriteAsync(output, result);
            return result.Exact ? 0 : 1;
        }

        var stock = await load.SeedAsync(skus, nodes, stockPerNode: 1_000_000);
        var metrics = new Metrics();
        Func<int, Random, Task<bool>> unit;
        string unitName;
        if (scenario == "reads")
        {
            await LoadScenarios.LoopAsync(Math.Min(users, 16), long.MaxValue, 1000, (u, r) => load.CheckoutAsync(metrics, u, r, stock, "single"));
            var orders = await load.RecentOrdersAsync(1000);
            unit = (u, r) => load.ReadAsync(metrics, u, r, orders, read);
            unitName = read == "mix" ? "read mix" : "read";
        }
        else
        {
            unit = (u, r) => load.CheckoutAsync(metrics, u, r, stock, flow);
            unitName = "checkout";
        }

        await LoadScenarios.LoopAsync(users, Deadline(warmup), int.MaxValue, unit);
        // Statistics as autovacuum keeps them on a running database, not those of the empty one the run started with.
        if (await cluster.AnalyzeAsync()) machine += "; ANALYZE after the warm-up";
        metrics.Reset();
        var samples = new List<double>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                if (cluster.WorkingSetsMb() is { Count: > 0 } sets) lock (samples) samples.Add(Math.Round(sets.Max(), 1));
                try { await Task.Delay(TimeSpan.FromSeconds(Math.Clamp(seconds / 60.0, 1, 10)), sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        var backlogBefore = await cluster.WebhookBacklogAsync();
        var documentsBefore = await cluster.DocumentsAsync();
        var walBefore = await cluster.WalPositionAsync();
        var cpuBefore = cluster.CpuSeconds();
        var ownBefore = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        var started = Stopwatch.GetTimestamp();
        var completed = await LoadScenarios.LoopAsync(users, Deadline(seconds), int.MaxValue, unit);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpuAfter = cluster.CpuSeconds();
        var ownAfter = Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        var backlogAfter = await cluster.WebhookBacklogAsync();
        var documentsAfter = await cluster.DocumentsAsync();
        var walAfter = await cluster.WalPositionAsync();

        var report = new LoadResult
        {
            Scenario = scenario, Flow = scenario == "reads" ? (read == "mix" ? "read mix" : "read " + read) : flow, Users = users, Replicas = cluster.Clients.Count, Seconds = Math.Round(elapsed, 1),
            WarmupSeconds = warmup, Skus = skus, Nodes = nodes, Completed = completed, PerSecond = Math.Round(completed / elapsed, 1),
            Latencies = metrics.Rows("whole " + unitName), Errors = metrics.Errors, ErrorKinds = metrics.ErrorKinds.ToDictionary(),
            ApiCpuMsPerUnit = PerUnit(cpuBefore.Api, cpuAfter.Api, completed), PostgresCpuMsPerUnit = PerUnit(cpuBefore.Postgres, cpuAfter.Postgres, completed),
            LoadGeneratorCpuMsPerUnit = PerUnit(ownBefore, ownAfter, completed),
            SqlStatementsPerUnit = Math.Round(metrics.SqlPerUnit, 2),
            MemoryStartMb = samples.FirstOrDefault() is > 0 and var a ? a : null, MemoryMaxMb = samples.Count > 0 ? samples.Max() : null,
            MemoryEndMb = samples.LastOrDefault() is > 0 and var z ? z : null, MemorySamplesMb = samples,
            WebhookBacklogStart = backlogBefore, WebhookBacklogEnd = backlogAfter,
            DocumentsIssued = documentsAfter?.Issued - documentsBefore?.Issued, DocumentRequestsEnd = documentsAfter?.Waiting,
            WalKbPerUnit = walBefore is { } w0 && walAfter is { } w1 && completed > 0 ? Math.Round((double)(w1 - w0) / 1024 / completed, 1) : null,
            DurableCommits = cluster.OwnsPostgres, Machine = machine, Probe = probe,
            // About eight windows per run, at least 5 s each.
            Windows = metrics.Windows("whole " + unitName, Math.Max(5, Math.Round(seconds / 8.0))),
        };
        report.Print(unitName);
        await report.WriteAsync(output);
        return report.Errors == 0 ? 0 : 1;
    }

    private static double? PerUnit(double? before, double? after, int units) =>
        before is { } b && after is { } a && units > 0 ? Math.Round((a - b) * 1000 / units, 3) : null;

    private static long Deadline(int seconds) => Stopwatch.GetTimestamp() + (long)(seconds * (double)Stopwatch.Frequency);

    private static async Task WriteAsync(string path, object value)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, System.Text.Json.JsonSerializer.Serialize(value, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web) { WriteIndented = true }));
        Console.WriteLine($"written: {path}");
    }

    private static int Int(string[] args, string name, int fallback) => int.TryParse(Text(args, name), out var v) ? v : fallback;

    private static string? Text(string[] args, string name)
    {
        var i = Array.LastIndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }

    private static IEnumerable<string> Texts(string[] args, string name)
    {
        for (var i = 0; i < args.Length - 1; i++)
            if (args[i] == name) yield return args[i + 1];
    }
}
