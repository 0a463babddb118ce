using Pipeline.Components.Shared;
using Pipeline.Engine.Hosts;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Components.Packages;

/// <summary>
/// PublishPackages: pushes what Pack wrote to a NuGet feed: GitHub Packages' NuGet endpoint of the repository's owner
/// with <c>GITHUB_TOKEN</c> on GitHub Actions, a local folder feed elsewhere (<see cref="LocalPackageFeed"/>). Every
/// package is checked before the first push: a version already on the feed with the same bytes is skipped (packs are
/// reproducible), one with other bytes refuses the whole push in one line. Symbols (.snupkg) travel as release assets,
/// not to the feed.
/// </summary>
public interface IPublishPackages : IPack, IHazGitHub
{
    [Parameter(
        "NuGet feed to push to: a v3 index URL or a folder (default: GitHub Packages "
            + "of the repository's owner on GitHub Actions, else the local folder feed)"
    )]
    string? PackageFeed => this.Get(() => PackageFeed);

    [Parameter("API key of PackageFeed (default: GITHUB_TOKEN for GitHub Packages; a folder needs none)"), Secret]
    string? PackageFeedKey => this.Get(() => PackageFeedKey);

    /// <summary>The folder feed off GitHub Actions: one per user, shared by every repository
    /// (<c>~/.local/state/pipeline/packages</c>).</summary>
    AbsolutePath LocalPackageFeed =>
        StateFolder.Home(Environment.GetEnvironmentVariable) is { } home
            ? new AbsolutePath(home) / "packages"
            : TemporaryDirectory / "packages-feed";

    /// <summary>What PublishPackages pushed and skipped in this run; null before it ran.</summary>
    PublishedPackages? PublishedPackages => this.Result(() => PublishedPackages);

    Target PublishPackages =>
        _ =>
            _.Description(
                    "Pushes Pack's packages to the NuGet feed (GitHub Packages on Actions, "
                        + "a local folder feed elsewhere); same version and content: skipped"
                )
                .DependsOn<IPack>(x => x.Pack)
                .HasSideEffects("pushes packages to the NuGet feed")
                .Preflight(c => PublishPackagesTarget.Check(this, c))
                .UsesPermissions(GitHubActionsPermission.PackagesWrite)
                .Produces(() => PublishedPackages)
                .Executes(() => PublishPackagesTarget.RunAsync(this));
}
