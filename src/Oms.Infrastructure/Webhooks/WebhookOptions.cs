namespace Oms.Infrastructure.Webhooks;

public sealed class WebhookOptions
{
    /// <summary>Run the dispatcher in this process (every API replica may; they share the work safely).</summary>
    public bool DispatcherEnabled { get; set; } = true;
    /// <summary>Allow http:// targets (local development); https is required otherwise.</summary>
    public bool AllowHttp { get; set; }
    /// <summary>Allow targets on loopback, private or link-local addresses (tests, local development).</summary>
    public bool AllowPrivateTargets { get; set; }
    /// <summary>Delay before each retry; after the last one the delivery has failed for good. Empty means <see cref="DefaultSchedule"/>.</summary>
    /// <remarks>No default here: configuration binding appends to an array that already has items.</remarks>
    public TimeSpan[] RetrySchedule { get; set; } = [];

    /// <summary>About three days in all: 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 24 h.</summary>
    public static readonly TimeSpan[] DefaultSchedule =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(20), TimeSpan.FromHours(24),
    ];

    public IReadOnlyList<TimeSpan> Schedule => RetrySchedule.Length > 0 ? RetrySchedule : DefaultSchedule;
    /// <summary>Random spread around each retry delay, as a fraction of it.</summary>
    public double Jitter { get; set; } = 0.1;
    /// <summary>One attempt, whole: resolving the host, connecting, sending, the response's headers and its (capped) body.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>
    /// At most this many of one subscription's deliveries are in flight in one process, so a slow or dead receiver (or one
    /// with a backlog of thousands) holds a few sending slots, never all of them: the others are served meanwhile.
    /// </summary>
    public int MaxInFlightPerSubscription { get; set; } = 16;
    /// <summary>A subscription with no successful delivery for this long is disabled.</summary>
    public TimeSpan DisableAfter { get; set; } = TimeSpan.FromDays(5);
    /// <summary>How long the previous secret keeps signing after a rotation.</summary>
    public TimeSpan SecretOverlap { get; set; } = TimeSpan.FromHours(24);
    /// <summary>Events and their delivery log are kept at least this long.</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(30);
    /// <summary>How often the dispatcher removes what is past <see cref="Retention"/>.</summary>
    public TimeSpan CleanupInterval { get; set; } = TimeSpan.FromHours(1);
    /// <summary>Polling interval when nothing woke the dispatcher.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>A sender's claim on a delivery; after it lapses (a crashed process) another sender retries it.</summary>
    public TimeSpan Lease { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>
    /// Under load, a pass that found work is followed by the next one no sooner than this: events committing meanwhile
    /// are fanned out together (one claim, one mark) instead of one small pass per commit. Adds at most this much to
    /// delivery latency under load; a lone event is still taken at once.
    /// </summary>
    public TimeSpan CoalesceWindow { get; set; } = TimeSpan.FromMilliseconds(20);
    /// <summary>
    /// How many saves' events one fan-out pass takes (a checkout's save holds seven), how many deliveries one pass
    /// starts at most, and how many outcomes are recorded together.
    /// </summary>
    public int BatchSize { get; set; } = 200;
    public int Parallelism { get; set; } = 64;
    /// <summary>
    /// How many deliveries of one ordering key (an order's placed, confirmed and allocated) one sending slot takes and
    /// sends one after the other, instead of one per pass of the dispatcher.
    /// </summary>
    public int RunLength { get; set; } = 16;
    /// <summary>
    /// How many runs one sending slot takes per pass, sent one after the other: a pass claims up to this many times the
    /// free slots (at most <see cref="BatchSize"/>), so fast receivers are not held to one delivery per slot and pass.
    /// </summary>
    public int RunsPerSlot { get; set; } = 4;
    public int ResponseExcerptBytes { get; set; } = 1024;
    public string ApiVersion { get; set; } = "v1";
}
