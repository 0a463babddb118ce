using Pipeline.Git.History;

namespace Pipeline.Git.Flow;

/// <param name="Branch">The branch the run is on (null when detached and nothing said otherwise).</param>
/// <param name="Refusal">Why the release must not run, as one line; null when allowed.</param>
/// <param name="MissingBackports">Hotfix commits on the release branch with no equivalent change in main.</param>
/// <param name="MainRef">The ref main was compared through, e.g. <c>refs/remotes/origin/main</c>.</param>
public sealed record ReleaseFlowVerdict(
    string? Branch,
    string? Refusal,
    IReadOnlyList<GitCommit> MissingBackports,
    string? MainRef
)
{
    public bool Allowed => Refusal is null;

    public bool IsHotfix => MissingBackports.Count > 0;
}
