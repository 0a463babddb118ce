namespace Pipeline.GitHub.Notes;

/// <summary>Looks up merged pull requests by number; null when unknown. Without GitHub, notes fall back to commit
/// messages.</summary>
public interface IPullRequestSource
{
    Task<PullRequestInfo?> FindAsync(int number, CancellationToken cancellationToken = default);
}
