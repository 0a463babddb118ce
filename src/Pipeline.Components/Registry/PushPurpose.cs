namespace Pipeline.Components.Registry;

/// <summary>What a pushed image is for; each purpose has its own failover list (<c>REGISTRIES_PR</c>, <c>_STAGING</c>,
/// <c>_RELEASE</c>).</summary>
public enum PushPurpose
{
    /// <summary>A pull request's image (pr-N), to GHCR.</summary>
    PullRequest,

    /// <summary>Merged code (staging-&lt;sha&gt;, latest), to Artifact Registry.</summary>
    Staging,

    /// <summary>A release: exactly the CalVer tag, to Artifact Registry.</summary>
    Release,
}
