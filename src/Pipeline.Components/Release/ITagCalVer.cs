using Pipeline.Components.Containers;
using Pipeline.Engine;
using Pipeline.Git.CalVer;

namespace Pipeline.Components.Release;

/// <summary>
/// TagCalVer: puts <c>vYY.MM.DD.i</c> on HEAD (the i-th release of the day), numbered from the remote's tags,
/// pushed atomically when publishing (a lost race takes the next number), reused when HEAD is already tagged.
/// Dependents read <see cref="ReleaseTag"/>; <c>$GITHUB_OUTPUT</c> gets <c>release-tag</c>, <c>release-tag-created</c>,
/// <c>release-previous-tag</c>, <c>release-previous-commit</c>.
/// </summary>
public interface ITagCalVer : IReleaseFlow
{
    [Parameter("Time zone of the CalVer date, as an IANA id (e.g. Europe/Paris)")]
    string ReleaseTimeZone => this.Get(() => ReleaseTimeZone, "UTC");

    [Parameter("Push the CalVer tag (default: when publishing, i.e. a GitHub token is set)")]
    bool? PushTag => this.Get(() => PushTag);

    /// <summary>The tag TagCalVer put on HEAD in this run (or restored from <c>artifacts/results/</c>), for PushGar, Promote and Release; null before it ran.</summary>
    ReleaseTag? ReleaseTag => this.Result(() => ReleaseTag);

    Target TagCalVer => _ => _
        .Description("Tags HEAD vYY.MM.DD.i (from the remote's tags; pushed atomically when publishing)")
        .TryAfter<IBuildImage>(x => x.BuildImage) // a tag only for code whose image built: the release chain's order
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
        })
        .PreflightBeforeSideEffects(async c =>
        {
            if (await TagCalVerTarget.DirtyTreeAsync(this) is { } dirty && (PushTag ?? IsPublishing)) c.Fail(dirty);
        })
        .Produces(() => ReleaseTag)
        .UsesPermissions(GitHubActionsPermission.ContentsWrite) // pushes the tag
        .Executes(() => TagCalVerTarget.RunAsync(this));

    /// <summary>
    /// The tag TagCalVer will put on HEAD in this run, computed now and creating nothing (the same tag listing, HEAD's
    /// own tag when it has one). BuildImage labels a release image with it (<c>org.opencontainers.image.version</c>)
    /// before the tag exists; TagCalVer then makes exactly that tag or refuses. Null when the listing fails.
    /// </summary>
    Task<string?> PlanReleaseTagAsync() => TagCalVerTarget.PlanReleaseTagAsync(this);
}
