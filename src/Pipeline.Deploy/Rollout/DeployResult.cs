using Pipeline.Deploy.Environments;

namespace Pipeline.Deploy.Rollout;

/// <summary>How a deploy that reached full traffic went, with the times the bench and the summary report.</summary>
public sealed record DeployResult(
    DeployRelease Release,
    Slot Slot,
    string ContainerId,
    string? PreviousDigest,
    bool ReusedContainer
)
{
    /// <summary>From the start until green answered its health check.</summary>
    public TimeSpan Healthy { get; init; }

    /// <summary>From the start until green took its first share of traffic (the canary, or everything).</summary>
    public TimeSpan Serving { get; init; }

    /// <summary>From the start until green took all traffic.</summary>
    public TimeSpan Promoted { get; init; }

    public int CanaryWeight { get; init; }
}
