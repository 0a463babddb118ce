using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Engine;
using Pipeline.Git.CalVer;

namespace Pipeline.Components.Release;

/// <summary>
/// TagCalVer: puts <c>vYY.MM.DD.i</c> on HEAD (the i-th release of the day), numbered from the remote's tags,
/// pushed atomically when publishing (a lost race takes the next number), reused when HEAD is already tagged.
/// Dependents read <see cref="ReleaseTag"/>; <c>$GITHUB_OUTPUT</c> gets <c>release-tag</c>, <c>release-tag-created</c>,
/// <c>release-previous-tag</c>, <c>release-previous-commit</c>. Services released separately (every service has a
/// <c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>) each get their own tag, <c>&lt;prefix&gt;vYY.MM.DD.i</c>: <see cref="ServiceReleaseTags"/>.
/// </summary>
public interface ITagCalVer : IReleaseFlow
{
    [Parameter("Time zone of the CalVer date, as an IANA id (e.g. Europe/Paris)")]
    string ReleaseTimeZone => this.Get(() => ReleaseTimeZone, "UTC");

    [Parameter("Push the CalVer tag (default: when publishing, i.e. a GitHub token is set)")]
    bool? PushTag => this.Get(() => PushTag);

    /// <summary>
    /// The tag TagCalVer put on HEAD in this run (or restored from <c>artifacts/results/</c>), for PushGar, Promote and
    /// Release; null before it ran. With services released separately: the <c>IMAGE_NAME</c> service's tag, and inside a
    /// service's build or push (its <see cref="ServiceScope"/>) that service's own, so its image carries its tag.
    /// </summary>
    ReleaseTag? ReleaseTag => ServiceScope.Active is { Service.TagPrefix: not null } scope
        ? ServiceReleaseTags?.FirstOrDefault(t => t.Service == scope.Service.Name)?.Tag
        : this.Result(() => ReleaseTag);

    /// <summary>Each service's tag when services are released separately (<c>SERVICE_&lt;NAME&gt;_TAG_PREFIX</c>); null otherwise.</summary>
    IReadOnlyList<ServiceReleaseTag>? ServiceReleaseTags => this.Result(() => ServiceReleaseTags);

    Target TagCalVer => _ => _
        .Description("Tags HEAD vYY.MM.DD.i (from the remote's tags; pushed atomically when publishing)")
        .TryAfter<IBuildImage>(x => x.BuildImage) // a tag only for code whose image built: the release chain's order
        .TryDependsOn<IServices>(x => x.AffectedServices) // services released separately: which of them get a tag
        .Uses(SharedResources.GitIndex)
        .HasSideEffects("creates the CalVer tag, and pushes it when publishing")
        .Preflight(c =>
        {
            try
            {
                ReleaseCalendar.ResolveZone(ReleaseTimeZone, c.Describe(nameof(ReleaseTimeZone)));
            }
            catch (ArgumentException e)
            {
                c.Fail(e.Message);
            }

            SeparateReleases.Check(this, c);
        })
        .PreflightBeforeSideEffects(async c =>
        {
            if (await TagCalVerTarget.DirtyTreeAsync(this) is { } dirty && (PushTag ?? IsPublishing)) c.Fail(dirty);
        })
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
    Task<string?> PlanReleaseTagAsync() => TagCalVerTarget.PlanReleaseTagAsync(this);
}
