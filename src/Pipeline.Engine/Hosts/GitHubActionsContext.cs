namespace Pipeline.Engine;

/// <summary>The slice of GitHub Actions' default environment variables the components need.</summary>
public sealed record GitHubActionsContext(
    string EventName,
    string Ref,
    string RefName,
    string Sha,
    string Repository,
    string ServerUrl,
    string RunId,
    int? PullRequestNumber,
    bool IsForkPullRequest,
    string? OutputFile,
    string? StepSummaryFile)
{
    public static GitHubActionsContext FromEnvironment(Func<string, string?> env)
    {
        var gitRef = env("GITHUB_REF") ?? "";
        int? pr = null;
        // refs/pull/<n>/merge is how a pull_request event names its ref.
        var parts = gitRef.Split('/');
        if (parts.Length >= 3 && parts[0] == "refs" && parts[1] == "pull" && int.TryParse(parts[2], out var n)) pr = n;
        var headRepo = env("PIPELINE_PR_HEAD_REPOSITORY");
        var repo = env("GITHUB_REPOSITORY") ?? "";
        return new GitHubActionsContext(
            env("GITHUB_EVENT_NAME") ?? "",
            gitRef,
            env("GITHUB_REF_NAME") ?? "",
            env("GITHUB_SHA") ?? "",
            repo,
            env("GITHUB_SERVER_URL") ?? "https://github.com",
            env("GITHUB_RUN_ID") ?? "",
            pr,
            IsForkPullRequest: pr is not null && !string.IsNullOrEmpty(headRepo) && !string.Equals(headRepo, repo, StringComparison.OrdinalIgnoreCase),
            env("GITHUB_OUTPUT"),
            env("GITHUB_STEP_SUMMARY"));
    }
}
