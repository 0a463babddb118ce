using Pipeline.Components.Shared;
using Pipeline.Engine;
using Pipeline.Engine.Execution;
using Pipeline.GitHub;

namespace Pipeline.Components.Packages;

/// <summary>Where PublishPackages pushes, and with which key: the parameter, else GitHub Packages on Actions, else the
/// local folder feed.</summary>
/// <param name="Source">A v3 index URL or a full folder path.</param>
/// <param name="ApiKey">The push key (and the password a GitHub Packages read needs); null for a folder.</param>
/// <param name="IsGitHubPackages">True for GitHub Packages' NuGet endpoint, whose refusals name <c>packages:
/// write</c>.</param>
internal sealed record PackageFeedAddress(string Source, string? ApiKey, bool IsGitHubPackages)
{
    public bool IsFolder =>
        !Source.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
        && !Source.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Resolves the feed; a problem is one line naming the parameter to set.</summary>
    public static PackageFeedAddress Resolve(IPublishPackages build)
    {
        if (build.PackageFeed is { Length: > 0 } feed)
        {
            var isUrl =
                feed.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
                || feed.StartsWith("https://", StringComparison.OrdinalIgnoreCase);
            var gitHub =
                isUrl
                && Uri.TryCreate(feed, UriKind.Absolute, out var uri)
                && uri.Host.StartsWith("nuget.pkg.", StringComparison.OrdinalIgnoreCase);
            return new PackageFeedAddress(
                isUrl ? feed : Path.GetFullPath(feed, build.RootDirectory),
                build.PackageFeedKey ?? (gitHub ? build.GithubToken : null),
                gitHub
            );
        }

        if (build.Host.GitHubActions is null)
            return new PackageFeedAddress(build.LocalPackageFeed, build.PackageFeedKey, false);
        var repository = build.GithubRepository is { Length: > 0 } named ? named : build.Host.GitHubActions.Repository;
        if (string.IsNullOrEmpty(repository))
            throw new BuildFailure(
                "PublishPackages: set --github-repository (owner/name) or --package-feed; GITHUB_REPOSITORY is empty"
            );
        var owner = GitHubRepositoryName.Parse(repository, "--github-repository").Owner;
        return new PackageFeedAddress(
            $"https://nuget.pkg.github.com/{owner}/index.json",
            build.PackageFeedKey ?? build.GithubToken,
            true
        );
    }
}
