using Octokit;

namespace Pipeline.GitHub;

/// <summary>
/// One cheap authenticated call (list one release) before anything is changed: proves the API address answers, the
/// token is accepted and the repository is visible. Answers a problem line, or null when GitHub is usable.
/// </summary>
public static class GitHubAccessProbe
{
    public static async Task<string?> CheckAsync(
        IGitHubClient client,
        GitHubRepositoryName repository,
        string address,
        TimeSpan deadline,
        CancellationToken cancellationToken = default
    )
    {
        client.SetRequestTimeout(deadline);
        try
        {
            await client
                .Repository.Release.GetAll(
                    repository.Owner,
                    repository.Name,
                    new ApiOptions
                    {
                        PageSize = 1,
                        PageCount = 1,
                        StartPage = 1,
                    }
                )
                .WaitAsync(deadline, cancellationToken);
            return null;
        }
        catch (ApiException e)
        {
            return GitHubApiFailure.From(e, $"checking access to {repository}", repository).Message;
        }
        catch (HttpRequestException e)
        {
            return $"the GitHub API at {address} cannot be reached ({(e.InnerException ?? e).Message.TrimEnd('.')})";
        }
        catch (Exception e)
            when (e is TimeoutException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return $"the GitHub API at {address} did not answer within {deadline.TotalSeconds:0} s";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && e is not OutOfMemoryException)
        {
            // Something answered, but not as GitHub does (an HTML page, a proxy's error): say so in one line.
            return $"the server at {address} did not answer like GitHub's "
                + $"API ({e.Message.Split('\n')[0].TrimEnd('.')})";
        }
    }
}
