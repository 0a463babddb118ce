namespace Pipeline.Registry.Remote;

/// <summary>
/// How long a registry has been silent during one request's attempts: the clock starts when an attempt ends without
/// an answer (refused, reset, nothing within the idle time) or with a server error (5xx), and stops at the next answer
/// that is neither (a 429 included: the registry is there). Once the silence
/// reaches <see cref="RegistryClientOptions.UnavailableAfter"/> the request stops retrying and the registry counts as
/// down, so a dead registry costs a bounded time, never retries × timeout.
/// </summary>
internal sealed class SilenceClock(TimeSpan budget)
{
    private static readonly TimeSpan Floor = TimeSpan.FromMilliseconds(100);
    private long? _silentSince;

    public TimeSpan Remaining => _silentSince is { } since ? budget - TimeProvider.System.GetElapsedTime(since) : budget;

    /// <summary>Worth another attempt: more than a tenth of the budget is left.</summary>
    public bool MayRetry => Remaining > budget / 10;

    /// <summary>The idle time for the next attempt: never past the end of the budget.</summary>
    public TimeSpan IdleFor(TimeSpan idle)
    {
        var left = Remaining;
        var chosen = idle < left ? idle : left;
        return chosen > Floor ? chosen : Floor;
    }

    /// <summary>An attempt ended without an answer; a stall means the silence began <paramref name="silentFor"/> ago.</summary>
    public void Silent(TimeSpan silentFor)
        => _silentSince ??= TimeProvider.System.GetTimestamp() - (long)(silentFor.TotalSeconds * TimeProvider.System.TimestampFrequency);

    public void Answered() => _silentSince = null;
}
