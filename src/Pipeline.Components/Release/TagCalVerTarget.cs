using Pipeline.Components.Containers;
using Pipeline.Components.Services;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Preflight;
using Pipeline.Engine.Results;
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
            if (push)
                throw new BuildFailure(dirty);
            Log.Warn($"{dirty} (local rehearsal: tagging anyway)");
        }

        var hotfix = verdict.IsHotfix
            ? $" Hotfix: {verdict.MissingBackports.Count} commit(s) not yet in `{build.MainBranch}`."
            : "";
        if (SeparateReleases.ToTag(build) is { } services)
        {
            await TagServicesAsync(build, zone, services, hotfix);
            return;
        }

        var result = await TagAsync(() =>
            new CalVerTagger(build.ReleaseRepository, Log.Logger).TagAsync(
                TaggerOptions(build, zone) with
                {
                    Expected = LabelledVersion(build),
                }
            )
        );
        var tag = ToReleaseTag(result);
        build.SetResult(() => build.ReleaseTag, tag);
        SetOutputs("", tag);

        // CalVerTagger has already logged what it did; the summary keeps the result for the run page.
        Summary.Append(
            $"**Release tag** `{tag}` on `{result.Commit[..7]}` "
                + $"({(result.Reused ? "reused" : "new")}, {Where(build, result)}).{hotfix}"
        );
    }

    /// <summary>Services released separately: each its own tag (own prefix, own per-day counter), all pushed in one
    /// atomic push.</summary>
    private static async Task TagServicesAsync(
        ITagCalVer build,
        TimeZoneInfo zone,
        IReadOnlyList<ServiceDefinition> services,
        string hotfix
    )
    {
        if (services.Count == 0)
        {
            Log.Info("TagCalVer: no service is affected in this run; nothing to tag");
            build.SetResult(() => build.ServiceReleaseTags, []);
            return;
        }

        var prefixes = services.Select(s => s.TagPrefix!).ToList();
        var expected = services.ToDictionary(s => s.TagPrefix!, s => LabelledVersion(build, s));
        var results = await TagAsync(() =>
            new CalVerTagger(build.ReleaseRepository, Log.Logger).TagEachAsync(
                prefixes,
                TaggerOptions(build, zone),
                expected
            )
        );
        var tags = services
            .Zip(results, (service, result) => new ServiceReleaseTag(service.Name, ToReleaseTag(result)))
            .ToList();
        build.SetResult(() => build.ServiceReleaseTags, tags);
        foreach (var tag in tags)
            SetOutputs(tag.Service + "-", tag.Tag);
        if (PrimaryService.Of(build, tags, t => t.Service) is { } primary)
        {
            build.SetResult(() => build.ReleaseTag, primary.Tag);
            SetOutputs("", primary.Tag);
        }

        var where = Where(build, results[0]);
        var written = tags.Zip(results, (t, r) => $"`{t.Tag}` ({(r.Reused ? "reused" : "new")})");
        Summary.Append(
            $"**Release tags** on `{results[0].Commit[..7]}` ({where}): {string.Join(", ", written)}.{hotfix}"
        );
    }

    private static async Task<T> TagAsync<T>(Func<Task<T>> tag)
    {
        try
        {
            return await tag();
        }
        catch (Exception e) when (e is GitException or InvalidOperationException)
        {
            throw new BuildFailure($"TagCalVer: {e.Message}", inner: e);
        }
    }

    private static ReleaseTag ToReleaseTag(CalVerTagResult result) =>
        new(result.Name, result.Commit, !result.Reused, result.Pushed, result.PreviousName, result.PreviousCommit);

    /// <summary><c>release-tag</c>, <c>release-tag-created</c>, <c>release-previous-tag</c>/<c>-commit</c>, after
    /// <paramref name="prefix"/> (a service's name and '-').</summary>
    private static void SetOutputs(string prefix, ReleaseTag tag)
    {
        StepOutputs.Set($"{prefix}release-tag", tag.Tag);
        StepOutputs.Set($"{prefix}release-tag-created", tag.Created ? "true" : "false");
        if (tag.PreviousTag is { } previous)
        {
            StepOutputs.Set($"{prefix}release-previous-tag", previous);
            StepOutputs.Set($"{prefix}release-previous-commit", tag.PreviousCommit!);
        }
    }

    private static string Where(ITagCalVer build, CalVerTagResult result) =>
        result.Pushed ? $"on {build.GitRemote}" : "local only, not pushed";

    /// <summary>
    /// The tag one image carries: with services released separately a service's own (null when it got none in this
    /// run), else the repository's.
    /// </summary>
    public static ReleaseTag? ReleaseTagFor(ITagCalVer build, string? service) =>
        service is not null && build.ServiceReleaseTags is { } tags
            ? tags.FirstOrDefault(t => t.Service == service)?.Tag
            : build.ReleaseTag;

    /// <summary>See <see cref="ITagCalVer.PlanReleaseTagAsync"/>; <paramref name="prefix"/>: a service's own tag prefix
    /// (its own counter), or none.</summary>
    public static async Task<string?> PlanReleaseTagAsync(ITagCalVer build, string prefix)
    {
        try
        {
            var zone = ReleaseCalendar.ResolveZone(build.ReleaseTimeZone, "--release-time-zone");
            return prefix
                + await new CalVerTagger(build.ReleaseRepository, Log.Logger).PlanAsync(
                    TaggerOptions(build, zone) with
                    {
                        Prefix = prefix,
                    }
                );
        }
        catch (Exception e) when (e is GitException or InvalidOperationException or ArgumentException)
        {
            Log.Warn(
                $"could not work out the next CalVer tag ({e.Message}); "
                    + $"the image's version label falls back to its first tag"
            );
            return null;
        }
    }

    private static CalVerTagOptions TaggerOptions(ITagCalVer build, TimeZoneInfo zone) =>
        new()
        {
            Remote = build.GitRemote,
            Push = build.PushTag ?? build.IsPublishing,
            TimeZone = zone,
        };

    /// <summary>The CalVer tag the image of this build was labelled with, which the tag must match; null for any other
    /// label.</summary>
    private static string? LabelledVersion(ITagCalVer build) =>
        (build as IBuildImage)?.BuiltImage?.Version is { } version && CalVerTag.TryParse(version, out _)
            ? version
            : null;

    /// <summary>The same for one service's image and its prefixed tag.</summary>
    private static string? LabelledVersion(ITagCalVer build, ServiceDefinition service) =>
        (build as IBuildImage)?.ServiceImages?.FirstOrDefault(i => i.Service == service.Name)?.Image.Version
            is { } version
        && version.StartsWith(service.TagPrefix!, StringComparison.Ordinal)
        && CalVerTag.TryParse(version[service.TagPrefix!.Length..], out _)
            ? version
            : null;

    /// <summary>Before anything runs: the time zone is known, and separately released services each have a
    /// prefix.</summary>
    internal static void CheckInputs(ITagCalVer build, PreflightChecks checks)
    {
        try
        {
            ReleaseCalendar.ResolveZone(build.ReleaseTimeZone, checks.Describe(nameof(build.ReleaseTimeZone)));
        }
        catch (ArgumentException e)
        {
            checks.Fail(e.Message);
        }

        SeparateReleases.Check(build, checks);
    }

    /// <summary>Just before the first side effect: a tag that will be pushed names a clean tree.</summary>
    internal static async Task CheckTreeAsync(ITagCalVer build, PreflightChecks checks)
    {
        if (await DirtyTreeAsync(build) is { } dirty && (build.PushTag ?? build.IsPublishing))
            checks.Fail(dirty);
    }

    /// <summary>A line naming what is uncommitted, or null for a clean tree.</summary>
    internal static async Task<string?> DirtyTreeAsync(ITagCalVer build)
    {
        var changes = await build.ReleaseRepository.UncommittedChangesAsync(
            "artifacts",
            ".nuke/temp",
            ".nuke/build.schema.json"
        );
        if (changes.Count == 0)
            return null;
        var shown = string.Join(", ", changes.Take(5)) + (changes.Count > 5 ? $" and {changes.Count - 5} more" : "");
        return $"the working tree has uncommitted changes ({shown}); a release "
            + $"tag must name exactly what was built — commit or stash them";
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
