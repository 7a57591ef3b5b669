namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>How often the fast path handed a checkout to EF, and why (the last reasons): zero in a healthy process.</summary>
public sealed class FastPathFallbacks
{
    private long _count;
    private string? _last;

    public long Count => Interlocked.Read(ref _count);

    public string? LastReason => Volatile.Read(ref _last);

    internal void Add(string reason)
    {
        Interlocked.Increment(ref _count);
        Volatile.Write(ref _last, reason);
    }
}
