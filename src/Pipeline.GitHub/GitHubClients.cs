using Octokit;

namespace Pipeline.GitHub;

/// <summary>Builds Octokit clients for github.com or a GitHub Enterprise Server base address (tests use a local server
/// the same way).</summary>
public static class GitHubClients
{
    public static readonly Uri PublicApi = new("https://api.github.com/");

    /// <param name="apiBaseAddress">
    /// <c>https://api.github.com/</c>, or an Enterprise host such as <c>https://github.example.com/</c>: Octokit
    /// appends <c>api/v3/</c> for non-github.com hosts, and takes upload addresses from each release's
    /// <c>upload_url</c>.
    /// </param>
    public static GitHubClient Create(string token, Uri? apiBaseAddress = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        var client = new GitHubClient(new ProductHeaderValue("pipeline-build"), apiBaseAddress ?? PublicApi)
        {
            Credentials = new Credentials(token),
        };
        return client;
    }
}
