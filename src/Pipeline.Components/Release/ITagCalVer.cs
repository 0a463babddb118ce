using Pipeline.Components.Containers;
using Pipeline.Engine;
using Pipeline.Git.CalVer;
using Pipeline.Git.Cli;

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
            if (await DirtyTreeAsync() is { } dirty && (PushTag ?? IsPublishing)) c.Fail(dirty);
        })
        .Produces(() => ReleaseTag)
        .UsesPermissions(GitHubActionsPermission.ContentsWrite) // pushes the tag
        .Executes(async () =>
        {
            var zone = Parse(() => ReleaseCalendar.ResolveZone(ReleaseTimeZone, "--release-time-zone"));
            var verdict = await CheckReleaseFlowAsync("TagCalVer");
            var push = PushTag ?? IsPublishing;
            if (await DirtyTreeAsync() is { } dirty)
            {
                // A release tag names a commit; an image built from a tree that differs from it would be mislabelled.
                if (push) throw new BuildFailure(dirty);
                Log.Warn($"{dirty} (local rehearsal: tagging anyway)");
            }
            CalVerTagResult result;
            try
            {
                result = await new CalVerTagger(ReleaseRepository, Log.Logger).TagAsync(TaggerOptions(zone) with { Expected = LabelledVersion() });
            }
            catch (Exception e) when (e is GitException or InvalidOperationException)
            {
                throw new BuildFailure($"TagCalVer: {e.Message}", inner: e);
            }

            var tag = result.Tag.ToString();
            this.SetResult(() => ReleaseTag, new ReleaseTag(tag, result.Commit, !result.Reused, result.Pushed, result.Previous?.ToString(), result.PreviousCommit));
            StepOutputs.Set("release-tag", tag);
            StepOutputs.Set("release-tag-created", result.Reused ? "false" : "true");
            if (result.Previous is { } previous)
            {
                StepOutputs.Set("release-previous-tag", previous.ToString());
                StepOutputs.Set("release-previous-commit", result.PreviousCommit!);
            }

            // CalVerTagger has already logged what it did; the summary keeps the result for the run page.
            var where = result.Pushed ? $"on {GitRemote}" : "local only, not pushed";
            var hotfix = verdict.IsHotfix ? $" Hotfix: {verdict.MissingBackports.Count} commit(s) not yet in `{MainBranch}`." : "";
            Summary.Append($"**Release tag** `{tag}` on `{result.Commit[..7]}` ({(result.Reused ? "reused" : "new")}, {where}).{hotfix}");
        });

    /// <summary>
    /// The tag TagCalVer will put on HEAD in this run, computed now and creating nothing (the same tag listing, HEAD's
    /// own tag when it has one). BuildImage labels a release image with it (<c>org.opencontainers.image.version</c>)
    /// before the tag exists; TagCalVer then makes exactly that tag or refuses. Null when the listing fails.
    /// </summary>
    async Task<string?> PlanReleaseTagAsync()
    {
        try
        {
            var zone = ReleaseCalendar.ResolveZone(ReleaseTimeZone, "--release-time-zone");
            return (await new CalVerTagger(ReleaseRepository, Log.Logger).PlanAsync(TaggerOptions(zone))).ToString();
        }
        catch (Exception e) when (e is GitException or InvalidOperationException or ArgumentException)
        {
            Log.Warn($"could not work out the next CalVer tag ({e.Message}); the image's version label falls back to its first tag");
            return null;
        }
    }

    private CalVerTagOptions TaggerOptions(TimeZoneInfo zone) => new() { Remote = GitRemote, Push = PushTag ?? IsPublishing, TimeZone = zone };

    /// <summary>The CalVer tag the image of this build was labelled with, which the tag must match; null for any other label.</summary>
    private string? LabelledVersion()
        => (this as IBuildImage)?.BuiltImage?.Version is { } version && CalVerTag.TryParse(version, out _) ? version : null;

    /// <summary>A line naming what is uncommitted, or null for a clean tree.</summary>
    private async Task<string?> DirtyTreeAsync()
    {
        var changes = await ReleaseRepository.UncommittedChangesAsync("artifacts", ".nuke/temp", ".nuke/build.schema.json");
        if (changes.Count == 0) return null;
        var shown = string.Join(", ", changes.Take(5)) + (changes.Count > 5 ? $" and {changes.Count - 5} more" : "");
        return $"the working tree has uncommitted changes ({shown}); a release tag must name exactly what was built — commit or stash them";
    }

    private static T Parse<T>(Func<T> parse)
    {
        try
        {
            return parse();
        }
        catch (ArgumentException e)
        {
            throw new BuildFailure(e.Message);
        }
    }
}
