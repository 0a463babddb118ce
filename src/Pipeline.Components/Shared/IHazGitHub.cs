using Pipeline.Engine;
using Pipeline.Engine.Parameters;

namespace Pipeline.Components.Shared;

/// <summary>The GitHub repository the build publishes to and the token it uses, declared once for GHCR pushes, releases
/// and Retention.</summary>
public interface IHazGitHub : IPipelineBuild
{
    [
        Parameter(
            "GitHub token: packages: write for GHCR (read-only on fork pull requests), "
                + "contents: write for the tag push and GitHub Release; absent in the local profile"
        ),
        Secret
    ]
    string? GithubToken => this.Get(() => GithubToken);

    [Parameter("GitHub repository (owner/name); default: GITHUB_REPOSITORY or the origin URL")]
    string? GithubRepository => this.Get(() => GithubRepository);

    [Parameter("GitHub API address (GitHub Enterprise: https://HOST/); default: GITHUB_API_URL or api.github.com")]
    string? GithubApiUrl => this.Get(() => GithubApiUrl);
}
