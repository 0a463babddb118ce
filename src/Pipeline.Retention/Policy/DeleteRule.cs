namespace Pipeline.Retention;

/// <summary>
/// Selects versions to delete. Every condition that is set must hold (AND), as in Artifact Registry's cleanup policies;
/// <see cref="TagPrefixes"/> holds when any tag starts with any prefix. A rule with no condition is rejected.
/// </summary>
public sealed record DeleteRule(string Name)
{
    public TagState TagState { get; init; } = TagState.Any;

    public IReadOnlyList<string> TagPrefixes { get; init; } = [];

    /// <summary>Older than this (by the registry's creation time). A version of unknown age never matches.</summary>
    public TimeSpan? OlderThan { get; init; }

    /// <summary>Only versions tagged <c>pr-N</c> whose pull request N is known to be closed (unknown state never
    /// matches).</summary>
    public bool PullRequestClosed { get; init; }
}
