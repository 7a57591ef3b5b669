using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Oms.Testing.Load;

/// <summary>What one run measured: latencies per request kind, errors, SQL statements, CPU and memory.</summary>
public sealed class Metrics
{
    /// <summary>Per request kind, each latency with when it was recorded (for <see cref="Windows"/>).</summary>
    private readonly ConcurrentDictionary<string, ConcurrentBag<(long At, double Ms)>> _latencies = new();
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private readonly ConcurrentBag<int> _sqlPerUnit = [];
    private long _origin = System.Diagnostics.Stopwatch.GetTimestamp();

    public void Latency(string kind, double ms) => _latencies.GetOrAdd(kind, _ => []).Add((System.Diagnostics.Stopwatch.GetTimestamp(), ms));
    public void Error(string what) => _errors.AddOrUpdate(what, 1, (_, n) => n + 1);
    public void Sql(int statements) => _sqlPerUnit.Add(statements);
    public int Errors => _errors.Values.Sum();
    public IReadOnlyDictionary<string, int> ErrorKinds => _errors;

    public void Reset()
    {
        _latencies.Clear();
        _errors.Clear();
        _sqlPerUnit.Clear();
        _origin = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    /// <summary>
    /// <paramref name="kind"/> over consecutive windows of the run (by when each finished): whether a run's tail comes
    /// from all of it or from a slow stretch (this VM's speed changes while a run lasts).
    /// </summary>
    public IReadOnlyList<WindowRow> Windows(string kind, double seconds)
    {
        if (!_latencies.TryGetValue(kind, out var timed) || timed.IsEmpty) return [];
        var width = (long)(seconds * System.Diagnostics.Stopwatch.Frequency);
        return timed.GroupBy(t => Math.Max(0, t.At - _origin) / width).OrderBy(g => g.Key).Select(g =>
        {
            var sorted = g.Select(t => t.Ms).Order().ToArray();
            return new WindowRow(Math.Round(g.Key * seconds, 1), Math.Round(sorted.Length / seconds, 1), P(sorted, 0.50), P(sorted, 0.99));
        }).ToList();
    }

    public IReadOnlyList<LatencyRow> Rows(string unit) => _latencies.OrderBy(kv => kv.Key == unit).ThenBy(kv => kv.Key).Select(kv =>
    {
        var sorted = kv.Value.Select(t => t.Ms).Order().ToArray();
        return new LatencyRow(kv.Key, sorted.Length, P(sorted, 0.50), P(sorted, 0.95), P(sorted, 0.99));
    }).ToList();

    public double SqlPerUnit => _sqlPerUnit.IsEmpty ? 0 : _sqlPerUnit.Average();

    private static double P(double[] sorted, double q) => sorted.Length == 0 ? double.NaN : Math.Round(sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)], 2);
}

public sealed record LatencyRow(string Request, int Count, double P50Ms, double P95Ms, double P99Ms);

/// <summary>One window of a run: when it started (seconds into the measured run), units finished per second in it, their p50 and p99.</summary>
public sealed record WindowRow(double StartSeconds, double PerSecond, double P50Ms, double P99Ms);

/// <summary>The printed table and the JSON file carry the same figures.</summary>
public sealed record LoadResult
{
    public required string Scenario { get; init; }
    public required string Flow { get; init; }
    public required int Users { get; init; }
    public required int Replicas { get; init; }
    public required double Seconds { get; init; }
    public required double WarmupSeconds { get; init; }
    public required int Skus { get; init; }
    public required int Nodes { get; init; }
    public required int Completed { get; init; }
    public required double PerSecond { get; init; }
    public required IReadOnlyList<LatencyRow> Latencies { get; init; }
    public required int Errors { get; init; }
    public required IReadOnlyDictionary<string, int> ErrorKinds { get; init; }
    public required double? ApiCpuMsPerUnit { get; init; }
    public required double? PostgresCpuMsPerUnit { get; init; }
    /// <summary>CPU of the program generating the load, which shares the machine's cores with the API and PostgreSQL.</summary>
    public double? LoadGeneratorCpuMsPerUnit { get; init; }
    public required double SqlStatementsPerUnit { get; init; }
    public required double? MemoryStartMb { get; init; }
    public required double? MemoryMaxMb { get; init; }
    public required double? MemoryEndMb { get; init; }
    public required IReadOnlyList<double> MemorySamplesMb { get; init; }
    /// <summary>Webhook events not yet fanned out when the measured run started and ended (null: database unknown).</summary>
    public long? WebhookBacklogStart { get; init; }
    public long? WebhookBacklogEnd { get; init; }
    /// <summary>Documents issued during the run (the invoices of confirmed orders), and orders still waiting for theirs at its end.</summary>
    public long? DocumentsIssued { get; init; }
    public long? DocumentRequestsEnd { get; init; }
    /// <summary>
    /// Write-ahead log PostgreSQL wrote per unit during the measured run, whoever wrote it (the units, the webhook
    /// dispatchers, autovacuum, checkpoints' full-page images); null when the database is unknown. Unlike the CPU
    /// figures it hardly varies between runs of one build, so it shows what a change to the write path did.
    /// </summary>
    public double? WalKbPerUnit { get; init; }
    /// <summary>The whole unit over consecutive windows of the measured run (the last one may be partial).</summary>
    public IReadOnlyList<WindowRow> Windows { get; init; } = [];
    public required bool DurableCommits { get; init; }
    public required string Machine { get; init; }
    /// <summary>The machine's speed just before the run (<see cref="MachineProbe"/>); null when not measured.</summary>
    public MachineProbe? Probe { get; init; }

    public void Print(string unit)
    {
        Console.WriteLine();
        Console.WriteLine($"{Scenario} ({Flow}): {Users} users over {Replicas} API process(es), {Seconds:0} s after {WarmupSeconds:0} s warm-up, {Skus} SKUs over {Nodes} nodes; {Machine}");
        if (Probe is not null) Console.WriteLine(Probe);
        Console.WriteLine("| request | count | p50 ms | p95 ms | p99 ms |");
        Console.WriteLine("|---|---:|---:|---:|---:|");
        foreach (var r in Latencies) Console.WriteLine($"| {r.Request} | {r.Count} | {r.P50Ms:0.0} | {r.P95Ms:0.0} | {r.P99Ms:0.0} |");
        Console.WriteLine();
        Console.WriteLine($"| {Plural(unit)}/s | errors | API CPU ms/{unit} | PostgreSQL CPU ms/{unit} | load generator CPU ms/{unit} | SQL statements/{unit} | API memory MB (start / max / end) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---|");
        Console.WriteLine($"| {PerSecond:0.0} | {Errors}{(Errors > 0 ? " (" + string.Join(", ", ErrorKinds.Select(e => $"{e.Key}×{e.Value}")) + ")" : "")} | {Fmt(ApiCpuMsPerUnit)} | {Fmt(PostgresCpuMsPerUnit)} | {Fmt(LoadGeneratorCpuMsPerUnit)} | {SqlStatementsPerUnit:0.0} | {Fmt(MemoryStartMb)} / {Fmt(MemoryMaxMb)} / {Fmt(MemoryEndMb)} |");
        if (WebhookBacklogStart is { } b0 && WebhookBacklogEnd is { } b1)
            Console.WriteLine($"webhook events not yet fanned out: {b0} at the start, {b1} at the end of the run");
        if (DocumentsIssued is { } issued && DocumentRequestsEnd is { } waiting)
            Console.WriteLine($"documents issued during the run: {issued}; orders waiting for theirs at the end: {waiting}");
        if (WalKbPerUnit is { } wal)
            Console.WriteLine($"PostgreSQL write-ahead log: {wal:0.0} KB per {unit}");
        if (Windows.Count > 1)
        {
            var width = Windows[1].StartSeconds - Windows[0].StartSeconds;
            Console.WriteLine($"per {width:0.#}-s window, {Plural(unit)}/s: {string.Join(" ", Windows.Select(w => w.PerSecond.ToString("0")))}");
            Console.WriteLine($"per {width:0.#}-s window, p99 ms: {string.Join(" ", Windows.Select(w => w.P99Ms.ToString("0.0")))}");
        }
    }

    private static string Fmt(double? v) => v is { } x ? x.ToString("0.00") : "n/a";

    /// <summary>"checkout" → "checkouts", "read mix" → "read mixes".</summary>
    private static string Plural(string unit) => unit.EndsWith('x') || unit.EndsWith('s') ? unit + "es" : unit + "s";

    public async Task WriteAsync(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        await File.WriteAllTextAsync(path, JsonSerializer.Serialize(this, new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = true, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        }));
        Console.WriteLine($"written: {path}");
    }
}
