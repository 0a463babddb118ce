using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Results;
using Pipeline.Engine.Targets;
using Pipeline.Engine.Workflows;
using Pipeline.Git.CalVer;

namespace Pipeline.Components.Release;

/// <summary>
/// TagCalVer: puts <c>vYY.MM.DD.i</c> on HEAD (the i-th release of the day), numbered from the remote's tags,
/// pushed atomically when publishing (a lost race takes the next number), reused when HEAD is already tagged.
/// Dependents read <see cref="ReleaseTag"/>; <c>$GITHUB_OUTPUT</c> gets <c>release-tag</c>, <c>release-tag-created</c>,
/// <c>release-previous-tag</c>, <c>release-previous-commit</c>. Services released separately (every service has a
/// <c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>) each get their own tag, <c>&lt;prefix&gt;vYY.MM.DD.i</c>: <see
/// cref="ServiceReleaseTags"/>.
/// </summary>
public interface ITagCalVer : IReleaseFlow, IHazReleaseTag
{
    [Parameter("Push the CalVer tag (default: when publishing, i.e. a GitHub token is set)")]
    bool? PushTag => this.Get(() => PushTag);

    /// <summary>
    /// The tag TagCalVer put on HEAD in this run (or restored from <c>artifacts/results/</c>), for PushGar, Promote and
    /// Release; null before it ran. With services released separately: the <c>IMAGE_NAME</c> service's tag (each
    /// service's own is in <see cref="ServiceReleaseTags"/>).
    /// </summary>
    ReleaseTag? ReleaseTag => this.Result(() => ReleaseTag);

    /// <summary>Each service's tag when services are released separately (<c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>); null
    /// otherwise.</summary>
    IReadOnlyList<ServiceReleaseTag>? ServiceReleaseTags => this.Result(() => ServiceReleaseTags);

    Target TagCalVer =>
        _ =>
            _.Description("Tags HEAD vYY.MM.DD.i (from the remote's tags; pushed atomically when publishing)")
                // A tag only for code whose image built: the release chain's order. Pack, PushGar and Promote are
                // ordered here, by the layer above them: a release packs, pushes and promotes the tag TagCalVer just
                // made.
                .TryAfter<IBuildImage>(x => x.BuildImage)
                .TryBefore<Packages.IPack>(x => x.Pack)
                .TryBefore<Registry.IPushGar>(x => x.PushGar)
                .TryBefore<Registry.IPromote>(x => x.Promote)
                // services released separately: which of them get a tag
                .TryDependsOn<IServices>(x => x.AffectedServices)
                .Uses(SharedResources.GitIndex)
                .HasSideEffects("creates the CalVer tag, and pushes it when publishing")
                .Preflight(c => TagCalVerTarget.CheckInputs(this, c))
                .PreflightBeforeSideEffects(c => TagCalVerTarget.CheckTreeAsync(this, c))
                .Produces(() => ReleaseTag)
                .Produces(() => ServiceReleaseTags)
                .UsesPermissions(GitHubActionsPermission.ContentsWrite) // pushes the tag
                .PushesWithGit() // with the checkout's credentials: its job alone keeps them (persist-credentials)
                .Executes(() => TagCalVerTarget.RunAsync(this));

    /// <summary>
    /// The tag TagCalVer will put on HEAD in this run, computed now and creating nothing (the same tag listing, HEAD's
    /// own tag when it has one). BuildImage labels a release image with it (<c>org.opencontainers.image.version</c>)
    /// before the tag exists; TagCalVer then makes exactly that tag or refuses. Null when the listing fails.
    /// </summary>
    Task<string?> PlanReleaseTagAsync() => TagCalVerTarget.PlanReleaseTagAsync(this, "");

    bool IHazReleaseTag.TagsInThisRun => this.IsScheduled<ITagCalVer>(x => x.TagCalVer);

    string? IHazReleaseTag.ReleaseTagFor(string? service) => TagCalVerTarget.ReleaseTagFor(this, service)?.Tag;

    Task<string?> IHazReleaseTag.PlannedReleaseTagAsync(string tagPrefix) =>
        TagCalVerTarget.PlanReleaseTagAsync(this, tagPrefix);
}
