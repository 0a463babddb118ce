using Pipeline.Git.History;

namespace Pipeline.GitHub.Notes;

/// <param name="Commits">Commits since the previous release (<c>git log previous..tag</c>), newest first, merges
/// included.</param>
/// <param name="RepositoryUrl">Web address of the repository (<c>https://github.com/owner/name</c>) for the compare
/// link; null offline.</param>
/// <param name="MainBranch">Merges of this branch are release vehicles (main → prod), not changes of their own.</param>
/// <param name="Relevant">
/// For a release of part of the repository (one service): the commits of the range that touch its files; a pull request
/// is listed when one of its commits is. Null: every change counts.
/// </param>
public sealed record ReleaseNotesInput(
    string Tag,
    string? PreviousTag,
    IReadOnlyList<GitCommit> Commits,
    string? RepositoryUrl,
    string MainBranch = "main",
    IReadOnlySet<string>? Relevant = null
);
