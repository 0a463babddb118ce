namespace Pipeline.Registry.Remote;

/// <summary>
/// How long a registry has been silent: one clock per registry client (one per operation: a push, a promotion), shared
/// by every request to that registry, so a follow-up request (the status GET after a stalled PATCH, a retry of the
/// blob) spends the same budget instead of starting a fresh one. The clock starts when an attempt ends without an
/// answer (refused, reset, nothing within the idle time, a transfer below the rate floor), with a server error (5xx)
/// or a 429, and stops at the next answer that is none of these. Once the silence reaches
/// <see cref="RegistryClientOptions.UnavailableAfter"/> the registry counts as down, so a dead registry costs a bounded
/// time, never retries × timeout. A silence last seen more than a whole budget ago belongs to an earlier operation and
/// is forgotten.
/// </summary>
internal sealed class SilenceClock(TimeSpan budget)
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(100);
    private readonly Lock _gate = new();
    private long? _silentSince;
    private long _lastSeen;

    public TimeSpan Budget => budget;

    public TimeSpan Remaining
    {
        get
        {
            lock (_gate)
            {
                Expire();
                return _silentSince is { } since ? budget - TimeProvider.System.GetElapsedTime(since) : budget;
            }
        }
    }

    /// <summary>Worth another attempt: more than a tenth of the budget is left.</summary>
    public bool MayRetry => Remaining > budget / 10;

    /// <summary>The idle time for the next attempt: never past the end of the budget.</summary>
    public TimeSpan IdleFor(TimeSpan idle)
    {
        var left = Remaining;
        var chosen = idle < left ? idle : left;
        return chosen > Floor ? chosen : Floor;
    }

    /// <summary>An attempt ended without an answer; a stall means the silence began <paramref name="silentFor"/>
    /// ago.</summary>
    public void Silent(TimeSpan silentFor)
    {
        lock (_gate)
        {
            Expire();
            var now = TimeProvider.System.GetTimestamp();
            _silentSince ??= now - (long)(silentFor.TotalSeconds * TimeProvider.System.TimestampFrequency);
            _lastSeen = now;
        }
    }

    public void Answered()
    {
        lock (_gate)
            _silentSince = null;
    }

    private void Expire()
    {
        if (_silentSince is not null && TimeProvider.System.GetElapsedTime(_lastSeen) > budget)
            _silentSince = null;
    }
}
