namespace Oms.Infrastructure.Persistence;

/// <summary>
/// The system clock cut to whole microseconds, the precision PostgreSQL stores: a timestamp a write returns is
/// then exactly the one a later read returns.
/// </summary>
public sealed class MicrosecondClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = base.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}
