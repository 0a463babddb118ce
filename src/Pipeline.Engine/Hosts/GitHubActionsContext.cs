namespace Pipeline.Engine.Hosts;

/// <summary>The slice of GitHub Actions' default environment variables and event payload the components need.</summary>
/// <param name="IsForkPullRequest">
/// The run is for a pull request whose head lives in another repository: GitHub gives it a read-only token and no OIDC
/// token, so targets that need a write scope are skipped. Read from the event payload (<c>GITHUB_EVENT_PATH</c>).
/// </param>
/// <param name="EventProblem">Why the event payload could not be read, when it could not; the run then assumes a
/// fork.</param>
/// <param name="EventShapeError">A field of the event payload has the wrong JSON type: the build does not
/// start.</param>
/// <param name="ChangeBase">
/// The commit this run's changes are measured against: a pull request's base (<c>pull_request.base.sha</c>) or the
/// commit before a push (<c>before</c>; null for a new branch); null when the payload says neither.
/// </param>
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
    string? StepSummaryFile,
    string? EventProblem = null,
    string? ChangeBase = null,
    string? EventShapeError = null
)
{
    public static GitHubActionsContext FromEnvironment(Func<string, string?> env)
    {
        var gitRef = env("GITHUB_REF") ?? "";
        var repository = env("GITHUB_REPOSITORY") ?? "";
        var eventName = env("GITHUB_EVENT_NAME") ?? "";
        var payload = GitHubEventPayload.Read(env("GITHUB_EVENT_PATH"), eventName);
        var fork =
            payload.PullRequest is { } pull
            && (
                pull.HeadRepository is not { Length: > 0 } head
                || !string.Equals(head, repository, StringComparison.OrdinalIgnoreCase)
            );
        return new GitHubActionsContext(
            eventName,
            gitRef,
            env("GITHUB_REF_NAME") ?? "",
            env("GITHUB_SHA") ?? "",
            repository,
            env("GITHUB_SERVER_URL") ?? "https://github.com",
            env("GITHUB_RUN_ID") ?? "",
            payload.PullRequest?.Number ?? NumberFromRef(gitRef),
            IsForkPullRequest: fork || payload.Problem is not null,
            env("GITHUB_OUTPUT"),
            env("GITHUB_STEP_SUMMARY"),
            payload.Problem,
            payload.ChangeBase,
            payload.ShapeError
        );
    }

    // refs/pull/<n>/merge is how a pull_request event names its ref.
    private static int? NumberFromRef(string gitRef)
    {
        var parts = gitRef.Split('/');
        return parts.Length >= 3 && parts[0] == "refs" && parts[1] == "pull" && int.TryParse(parts[2], out var n)
            ? n
            : null;
    }
}
