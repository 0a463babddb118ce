namespace Pipeline.Git.Refs;

/// <summary>What the remote said about one pushed ref.</summary>
/// <param name="Rejection">The porcelain summary, e.g. "[rejected] (already exists)" or "[remote rejected] (pre-receive
/// hook declined)".</param>
/// <param name="RemoteMessage">What the remote printed ("remote: ..." lines, e.g. a hook's explanation), or
/// null.</param>
public sealed record RefPushResult(bool Accepted, string? Rejection, string? RemoteMessage = null)
{
    public static readonly RefPushResult Created = new(true, null);

    /// <summary>
    /// The name was taken meanwhile (another runner won the race): worth re-reading and taking the next number.
    /// Anything else (a hook, a protection rule, permissions) is the remote's decision and will not change on retry.
    /// </summary>
    public bool LostRace =>
        !Accepted
        && !IsHookDecision
        && RaceSignals.Any(signal =>
            (Rejection ?? "").Contains(signal, StringComparison.Ordinal)
            || (RemoteMessage ?? "").Contains(signal, StringComparison.Ordinal)
        );

    // What git says when the ref appeared between our listing and our push (directly, or as the reason an atomic push
    // failed).
    private static readonly string[] RaceSignals =
    [
        "already exists",
        "cannot lock ref",
        "failed to update ref",
        "stale info",
        "fetch first",
    ];

    private bool IsHookDecision => (Rejection ?? "").Contains("hook declined", StringComparison.Ordinal);

    public static RefPushResult Rejected(string reason, string? remoteMessage = null) =>
        new(false, reason, remoteMessage);
}
