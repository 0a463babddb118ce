namespace Pipeline.Engine.Workflows;

/// <summary>The <c>permissions:</c> key and level a <see cref="GitHubActionsPermission"/> stands for.</summary>
public static class GitHubActionsPermissionScope
{
    public static (string Scope, string Level) Scope(this GitHubActionsPermission permission) =>
        permission switch
        {
            GitHubActionsPermission.ContentsWrite => ("contents", "write"),
            GitHubActionsPermission.PackagesRead => ("packages", "read"),
            GitHubActionsPermission.PackagesWrite => ("packages", "write"),
            GitHubActionsPermission.IdTokenWrite => ("id-token", "write"),
            GitHubActionsPermission.PullRequestsRead => ("pull-requests", "read"),
            GitHubActionsPermission.PullRequestsWrite => ("pull-requests", "write"),
            GitHubActionsPermission.IssuesWrite => ("issues", "write"),
            GitHubActionsPermission.ChecksWrite => ("checks", "write"),
            GitHubActionsPermission.StatusesWrite => ("statuses", "write"),
            GitHubActionsPermission.DeploymentsWrite => ("deployments", "write"),
            GitHubActionsPermission.AttestationsWrite => ("attestations", "write"),
            GitHubActionsPermission.SecurityEventsWrite => ("security-events", "write"),
            GitHubActionsPermission.ActionsRead => ("actions", "read"),
            _ => throw new ArgumentOutOfRangeException(nameof(permission), permission, "unknown permission"),
        };

    /// <summary>"packages: write", as GitHub's docs and error messages spell it.</summary>
    public static string Describe(this GitHubActionsPermission permission) =>
        permission.Scope() is var (scope, level) ? $"{scope}: {level}" : "";

    public static bool IsWrite(this GitHubActionsPermission permission) => permission.Scope().Level == "write";
}
