using Pipeline.Engine;

namespace Pipeline.Components.Services;

/// <summary>
/// The commit a run's changes are measured against: <c>--base-ref</c>; else, on GitHub Actions, the pull request's base
/// or the commit before a push (from the event payload); else none, and every service counts as affected.
/// </summary>
internal sealed record ChangeBase(string Revision, string Why)
{
    public static ChangeBase? Find(IServices build)
    {
        if (build.BaseRef is { Length: > 0 } given) return new(given, $"--base-ref {given}");
        return build.Host.GitHubActions is { ChangeBase: { Length: > 0 } sha } gh
            ? new(sha, gh.PullRequestNumber is null ? "the commit before this push" : "the pull request's base")
            : null;
    }
}
