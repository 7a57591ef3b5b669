using System.Diagnostics;

namespace Oms.Testing.Load;

/// <summary>
/// How fast this machine is at the moment, measured before the API starts: the time of one dependent memory read
/// through a working set that fits in a core's L2 and in a slice of L3 (256 KB, 4 MB) and one that does not (64 MB),
/// and one core's time per step of an integer loop. On a shared virtual machine the memory figures move from hour to
/// hour with what the neighbours do, and the load figures move with them (README: Benchmarks); printed with every
/// run so that two runs can be compared.
/// </summary>
public sealed record MachineProbe(double L2ReadNs, double L3ReadNs, double DramReadNs, double IntegerStepNs)
{
    public static MachineProbe Measure() =>
        new(Math.Round(ChaseNs(256 << 10), 1), Math.Round(ChaseNs(4 << 20), 1), Math.Round(ChaseNs(64 << 20), 1), Math.Round(IntegerLoopNs(), 2));

    public override string ToString() =>
        $"machine probe: dependent read {L2ReadNs:0.0} ns in 256 KB, {L3ReadNs:0.0} ns in 4 MB, {DramReadNs:0.0} ns in 64 MB; integer step {IntegerStepNs:0.00} ns";

    /// <summary>Nanoseconds per read, following one random cycle through <paramref name="bytes"/> (Sattolo's shuffle).</summary>
    private static double ChaseNs(int bytes)
    {
        var next = new int[bytes / sizeof(int)];
        for (var i = 0; i < next.Length; i++) next[i] = i;
        var random = new Random(42);
        for (var i = next.Length - 1; i > 0; i--)
        {
            var j = random.Next(i);
            (next[i], next[j]) = (next[j], next[i]);
        }
        var p = 0;
        for (var i = 0; i < next.Length; i++) p = next[p]; // once round, so the pages are touched before timing
        const int reads = 4_000_000;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < reads; i++) p = next[p];
        var ns = Stopwatch.GetElapsedTime(started).TotalNanoseconds / reads;
        GC.KeepAlive(p);
        return ns;
    }

    private static double IntegerLoopNs()
    {
        const int steps = 100_000_000;
        var x = 1UL;
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < steps; i++)
        {
            x = x * 6364136223846793005UL + 1442695040888963407UL;
            x ^= x >> 13;
        }
        var ns = Stopwatch.GetElapsedTime(started).TotalNanoseconds / steps;
        GC.KeepAlive(x);
        return ns;
    }
}
