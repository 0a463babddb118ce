using Microsoft.Extensions.Logging;
using Octokit;

namespace Pipeline.Retention;

/// <summary>Pull request states from the GitHub REST API; a pull request that cannot be read counts as not closed (its
/// images stay).</summary>
public sealed class GitHubPullRequestStates(IGitHubClient github, string owner, string repository, ILogger logger)
    : IPullRequestStates
{
    public async Task<IReadOnlySet<int>> ClosedAsync(
        IReadOnlyCollection<int> numbers,
        CancellationToken cancellationToken = default
    )
    {
        var closed = new HashSet<int>();
        foreach (var number in numbers.Order())
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var pull = await github.PullRequest.Get(owner, repository, number).ConfigureAwait(false);
                if (pull.State.Value == ItemState.Closed)
                    closed.Add(number);
            }
            catch (ApiException e)
            {
                logger.LogWarning(
                    "pull request #{Number} of {Owner}/{Repository}: {Status} {Message}; its images are kept",
                    number,
                    owner,
                    repository,
                    (int)e.StatusCode,
                    e.Message
                );
            }
        }

        return closed;
    }
}
