using System.Diagnostics;
using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Oms.Testing.Load;

/// <summary>
/// How fast this machine is at the moment, measured before the API starts: the time of one dependent memory read
/// through a working set that fits in a core's L2 and in a slice of L3 (256 KB, 4 MB) and one that does not (64 MB),
/// and one core's time per step of an integer loop; and what entering the kernel costs: one system call, and one round
/// trip of a byte between two threads over a Unix-domain socket (two sends, two receives, two wake-ups: what every hop
/// between the load generator, the API and PostgreSQL pays). On a shared virtual machine these move from hour to hour
/// with what the neighbours do, and the load figures move with them (docs/performance.md); printed with every run so
/// that two runs can be compared. The kernel figures are null where they cannot be taken (not Linux).
/// </summary>
public sealed record MachineProbe(double L2ReadNs, double L3ReadNs, double DramReadNs, double IntegerStepNs,
    double? SystemCallNs = null, double? SocketRoundTripUs = null)
{
    public static MachineProbe Measure() =>
        new(Math.Round(ChaseNs(256 << 10), 1), Math.Round(ChaseNs(4 << 20), 1), Math.Round(ChaseNs(64 << 20), 1), Math.Round(IntegerLoopNs(), 2),
            OperatingSystem.IsLinux() ? Math.Round(MeasureSystemCallNs(), 0) : null,
            OperatingSystem.IsLinux() ? Math.Round(MeasureSocketRoundTripUs(), 1) : null);

    public override string ToString() =>
        $"machine probe: dependent read {L2ReadNs:0.0} ns in 256 KB, {L3ReadNs:0.0} ns in 4 MB, {DramReadNs:0.0} ns in 64 MB; integer step {IntegerStepNs:0.00} ns" +
        (SystemCallNs is { } call ? $"; system call {call:0} ns" : "") +
        (SocketRoundTripUs is { } trip ? $"; socket round trip between threads {trip:0.0} µs" : "");

    [DllImport("libc", EntryPoint = "getppid")]
    private static extern int GetParentProcessId();

    /// <summary>Nanoseconds per call of the cheapest system call there is (<c>getppid</c>: no work but the way in and out).</summary>
    private static double MeasureSystemCallNs()
    {
        const int calls = 300_000;
        for (var i = 0; i < 1_000; i++) GetParentProcessId();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < calls; i++) GetParentProcessId();
        return Stopwatch.GetElapsedTime(started).TotalNanoseconds / calls;
    }

    /// <summary>Microseconds per round trip of one byte between two threads, over a connected pair of Unix-domain sockets (blocking calls).</summary>
    private static double MeasureSocketRoundTripUs()
    {
        var path = Path.Combine(Path.GetTempPath(), "oms-probe-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        try
        {
            using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            listener.Bind(new UnixDomainSocketEndPoint(path));
            listener.Listen(1);
            using var client = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            client.Connect(new UnixDomainSocketEndPoint(path));
            using var server = listener.Accept();
            const int warm = 2_000, trips = 20_000;
            var echo = new Thread(() =>
            {
                var b = new byte[1];
                for (var i = 0; i < warm + trips; i++)
                {
                    server.Receive(b);
                    server.Send(b);
                }
            }) { IsBackground = true };
            echo.Start();
            var one = new byte[1];
            long started = 0;
            for (var i = 0; i < warm + trips; i++)
            {
                if (i == warm) started = Stopwatch.GetTimestamp();
                client.Send(one);
                client.Receive(one);
            }
            var us = Stopwatch.GetElapsedTime(started).TotalMicroseconds / trips;
            echo.Join();
            return us;
        }
        finally
        {
            File.Delete(path);
        }
    }

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
