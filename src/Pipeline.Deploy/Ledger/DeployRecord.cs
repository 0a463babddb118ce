using System.Text.Json.Serialization;

namespace Pipeline.Deploy.Ledger;

/// <summary>
/// One line of the deploy ledger: a deploy, a canary decision or a rollback, with what ran it and how it ended.
/// </summary>
/// <param name="Action">deploy, rollback; unlock (a deploy lock taken over); repair (a half-done rollout of a run on
/// another machine, put right)</param>
/// <param name="Outcome">succeeded, failed (nothing changed: blue serves), rolled-back (canary failed, blue serves
/// again), interrupted (the run was cancelled or killed; green's traffic went back to 0 and green was removed, on the
/// way out or by the next run's repair), in-progress (only in the in-flight note of a running attempt); for action
/// unlock: taken-over, forced; for action repair: repaired</param>
/// <param name="Actor">Who ran it: GITHUB_ACTOR on Actions, else the user name.</param>
/// <param name="Trigger">What ran it: the GitHub run URL, or "local build on &lt;host&gt;".</param>
public sealed record DeployRecord(
    string Action,
    string Environment,
    string Service,
    string Digest,
    string? PreviousDigest,
    string Commit,
    string Tag,
    string Actor,
    string Trigger,
    DateTimeOffset StartedAt,
    DateTimeOffset EndedAt,
    string Outcome,
    string Detail
)
{
    /// <summary>Whether canary traffic ran, and at which weight (0: switched at once).</summary>
    public int CanaryWeight { get; init; }

    /// <summary>
    /// When <see cref="Digest"/> is a multi-platform index: the platform the host ran (<c>linux/arm64</c>); absent for
    /// a one-platform image and in records written before platforms were recorded.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Platform { get; init; }

    /// <summary>The digest of the index's image for <see cref="Platform"/>: what actually ran.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? PlatformDigest { get; init; }
}
