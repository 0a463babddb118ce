namespace Pipeline.Engine.Workflows;

/// <summary>
/// Write (or read) scopes a generated workflow asks for beyond <c>contents: read</c>; every scope not listed is
/// <c>none</c>. Typical: <see cref="PackagesWrite"/> to push to GHCR, <see cref="ContentsWrite"/> to tag and release,
/// <see cref="IdTokenWrite"/> for GAR through OIDC workload identity federation.
/// </summary>
public enum GitHubActionsPermission
{
    ContentsWrite,
    PackagesRead,
    PackagesWrite,
    IdTokenWrite,
    PullRequestsRead,
    PullRequestsWrite,
    IssuesWrite,
    ChecksWrite,
    StatusesWrite,
    DeploymentsWrite,
    AttestationsWrite,
    SecurityEventsWrite,
    ActionsRead,
}
