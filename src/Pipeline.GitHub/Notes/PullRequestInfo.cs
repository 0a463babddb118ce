namespace Pipeline.GitHub.Notes;

/// <summary>What release notes use from a merged pull request.</summary>
public sealed record PullRequestInfo(int Number, string Title, string? Author, IReadOnlyList<string> Labels);
