using Pipeline.Components.Containers;
using Pipeline.Engine;
using Pipeline.Git.CalVer;
using Pipeline.Git.Cli;

namespace Pipeline.Components.Release;

/// <summary>What the TagCalVer target does.</summary>
internal static class TagCalVerTarget
{
    public static async Task RunAsync(ITagCalVer build)
    {
        var zone = Parse(() => ReleaseCalendar.ResolveZone(build.ReleaseTimeZone, "--release-time-zone"));
        var verdict = await build.CheckReleaseFlowAsync("TagCalVer");
        var push = build.PushTag ?? build.IsPublishing;
        if (await DirtyTreeAsync(build) is { } dirty)
        {
            // A release tag names a commit; an image built from a tree that differs from it would be mislabelled.
            if (push) throw new BuildFailure(dirty);
            Log.Warn($"{dirty} (local rehearsal: tagging anyway)");
        }

        CalVerTagResult result;
        try
        {
            result = await new CalVerTagger(build.ReleaseRepository, Log.Logger).TagAsync(TaggerOptions(build, zone) with { Expected = LabelledVersion(build) });
        }
        catch (Exception e) when (e is GitException or InvalidOperationException)
        {
            throw new BuildFailure($"TagCalVer: {e.Message}", inner: e);
        }

        var tag = result.Tag.ToString();
        build.SetResult(() => build.ReleaseTag, new ReleaseTag(tag, result.Commit, !result.Reused, result.Pushed, result.Previous?.ToString(), result.PreviousCommit));
        StepOutputs.Set("release-tag", tag);
        StepOutputs.Set("release-tag-created", result.Reused ? "false" : "true");
        if (result.Previous is { } previous)
        {
            StepOutputs.Set("release-previous-tag", previous.ToString());
            StepOutputs.Set("release-previous-commit", result.PreviousCommit!);
        }

        // CalVerTagger has already logged what it did; the summary keeps the result for the run page.
        var where = result.Pushed ? $"on {build.GitRemote}" : "local only, not pushed";
        var hotfix = verdict.IsHotfix ? $" Hotfix: {verdict.MissingBackports.Count} commit(s) not yet in `{build.MainBranch}`." : "";
        Summary.Append($"**Release tag** `{tag}` on `{result.Commit[..7]}` ({(result.Reused ? "reused" : "new")}, {where}).{hotfix}");
    }

    /// <summary>See <see cref="ITagCalVer.PlanReleaseTagAsync"/>.</summary>
    public static async Task<string?> PlanReleaseTagAsync(ITagCalVer build)
    {
        try
        {
            var zone = ReleaseCalendar.ResolveZone(build.ReleaseTimeZone, "--release-time-zone");
            return (await new CalVerTagger(build.ReleaseRepository, Log.Logger).PlanAsync(TaggerOptions(build, zone))).ToString();
        }
        catch (Exception e) when (e is GitException or InvalidOperationException or ArgumentException)
        {
            Log.Warn($"could not work out the next CalVer tag ({e.Message}); the image's version label falls back to its first tag");
            return null;
        }
    }

    private static CalVerTagOptions TaggerOptions(ITagCalVer build, TimeZoneInfo zone)
        => new() { Remote = build.GitRemote, Push = build.PushTag ?? build.IsPublishing, TimeZone = zone };

    /// <summary>The CalVer tag the image of this build was labelled with, which the tag must match; null for any other label.</summary>
    private static string? LabelledVersion(ITagCalVer build)
        => (build as IBuildImage)?.BuiltImage?.Version is { } version && CalVerTag.TryParse(version, out _) ? version : null;

    /// <summary>A line naming what is uncommitted, or null for a clean tree.</summary>
    internal static async Task<string?> DirtyTreeAsync(ITagCalVer build)
    {
        var changes = await build.ReleaseRepository.UncommittedChangesAsync("artifacts", ".nuke/temp", ".nuke/build.schema.json");
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
