namespace Pipeline.Components.Services;

/// <summary>
/// The commit a run's changes are measured against: <c>--base-ref</c>; else, on GitHub Actions, the pull request's base
/// or the commit before a push (from the event payload); else none, and every service counts as affected.
/// </summary>
/// <param name="Given">Named with <c>--base-ref</c>: a name that is not there is a mistake to report, not a reason to
/// build all.</param>
internal sealed record ChangeBase(string Revision, string Why, bool Given = false)
{
    public static ChangeBase? Find(IServices build)
    {
        if (build.BaseRef is { Length: > 0 } given)
            return new(given, $"--base-ref {given}", Given: true);
        return build.Host.GitHubActions is { ChangeBase: { Length: > 0 } sha } gh
            ? new(sha, gh.PullRequestNumber is null ? "the commit before this push" : "the pull request's base")
            : null;
    }
}
