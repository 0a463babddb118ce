using Pipeline.Components.Packages;
using Pipeline.Components.Quality;
using Pipeline.Components.Registry;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;

namespace Pipeline.Components.Release;

/// <summary>
/// Release: the GitHub Release of the CalVer tag (created or updated, so re-runs are safe), with notes from the commits
/// and merged pull requests since the previous CalVer tag, and the files targets declare as products attached.
/// Draft first, assets, then publish (what immutable releases require). Without a GitHub token it writes the same
/// release to <c>artifacts/releases/&lt;tag&gt;/</c> (notes.md, assets/, release.json).
/// </summary>
public interface IRelease : ITagCalVer
{
    [Parameter("Leave the GitHub Release as a draft")]
    bool ReleaseDraft => this.Get(() => ReleaseDraft, false);

    [Parameter("Mark the GitHub Release as a pre-release")]
    bool ReleasePrerelease => this.Get(() => ReleasePrerelease, false);

    [Parameter("More files to attach, as globs relative to the root (targets' Produces(...) are attached anyway)")]
    string[] ReleaseAssets => this.Get(() => ReleaseAssets, []);

    [Parameter(
        "Targets whose declared products (Produces) are attached: by default the "
            + "coverage summary, the image push records (digests) and the NuGet packages"
    )]
    string[] ReleaseAssetTargets => this.Get(() => ReleaseAssetTargets, ["Coverage", "PushGar", "Pack"]);

    AbsolutePath ReleasesDirectory => ArtifactsDirectory / "releases";

    /// <summary>The releases this run published: one, or one per service released separately (the run report's release
    /// section links them).</summary>
    IReadOnlyList<PublishedRelease>? PublishedReleases => this.Result(() => PublishedReleases);

    Target Release =>
        _ =>
            _.Description(
                    "Publishes the GitHub Release of the CalVer tag (or artifacts/releases/<tag>/ without a token)"
                )
                .DependsOn<ITagCalVer>(x => x.TagCalVer)
                .TryDependsOn<ILint>(x => x.Lint)
                .TryDependsOn<ICoverage>(x => x.Coverage)
                .TryDependsOn<IPushGar>(x => x.PushGar)
                .TryDependsOn<IPack>(x => x.Pack) // the packages of the tag are attached to its release
                .Uses(SharedResources.GitIndex)
                .HasSideEffects("publishes the GitHub Release (or writes artifacts/releases/<tag>/ without a token)")
                .Preflight(c => ReleasePreflight.Inputs(this, c))
                .PreflightBeforeSideEffects(c => ReleasePreflight.GitHubAsync(this, c))
                // the release; its notes read merged pull requests
                .UsesPermissions(GitHubActionsPermission.ContentsWrite, GitHubActionsPermission.PullRequestsRead)
                .Produces(() => PublishedReleases)
                .Executes(() => ReleaseTarget.RunAsync(this));
}
