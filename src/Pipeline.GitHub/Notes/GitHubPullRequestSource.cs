using Octokit;

namespace Pipeline.GitHub.Notes;

/// <summary>Pull request titles, authors and labels from <c>GET /repos/{owner}/{repo}/pulls/{number}</c>.</summary>
public sealed class GitHubPullRequestSource(IGitHubClient client, GitHubRepositoryName repository) : IPullRequestSource
{
    public async Task<PullRequestInfo?> FindAsync(int number, CancellationToken cancellationToken = default)
    {
        try
        {
            var pull = await client.PullRequest.Get(repository.Owner, repository.Name, number);
            return new PullRequestInfo(
                pull.Number,
                pull.Title,
                pull.User?.Login,
                pull.Labels?.Select(l => l.Name).ToList() ?? []
            );
        }
        catch (NotFoundException)
        {
            return null;
        }
        catch (ApiException e)
        {
            throw GitHubApiFailure.From(
                e,
                $"reading pull request #{number} for the release notes",
                repository,
                permission: "pull-requests: read"
            );
        }
    }
}
