using Pipeline.Git.History;

namespace Pipeline.GitHub.Notes;

/// <param name="Commits">Commits since the previous release (<c>git log previous..tag</c>), newest first, merges included.</param>
/// <param name="RepositoryUrl">Web address of the repository (<c>https://github.com/owner/name</c>) for the compare link; null offline.</param>
/// <param name="MainBranch">Merges of this branch are release vehicles (main → prod), not changes of their own.</param>
public sealed record ReleaseNotesInput(string Tag, string? PreviousTag, IReadOnlyList<GitCommit> Commits, string? RepositoryUrl, string MainBranch = "main");
