using Pipeline.Components.Services;
using Pipeline.Containers.Build;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Parameters;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Preflight;

namespace Pipeline.Components.Containers;

/// <summary>
/// What one image is built from. The repository's image: the parameters as they read. A service's: its own
/// <c>SERVICE_&lt;NAME&gt;_*</c> context, Containerfile and stage, with <c>--image-target</c> choosing the stage of
/// services that have stages and <c>--image-build-args</c> coming before the service's own (which win).
/// <see cref="Platforms"/>: the service's <c>SERVICE_&lt;NAME&gt;_PLATFORMS</c>, else <c>IMAGE_PLATFORMS</c>; empty:
/// the engine's own platform, built exactly as before platforms existed (same request, same digests).
/// </summary>
internal sealed record ImageBuildSettings(
    AbsolutePath Context,
    AbsolutePath? Containerfile,
    string? Target,
    IReadOnlyList<string> BuildArgs
)
{
    public IReadOnlyList<BuildPlatform> Platforms { get; init; } = [];

    /// <summary>The setting the platforms came from and where it was set, for messages.</summary>
    public string? PlatformsSource { get; init; }

    public static ImageBuildSettings For(IBuildImage build, ImageWork work)
    {
        var settings = work.Service is not { } service
            ? new ImageBuildSettings(build.ImageContext, build.Containerfile, build.ImageTarget, build.ImageBuildArgs)
            : new ImageBuildSettings(
                service.Context,
                service.Containerfile,
                service.Target is null ? null : build.ImageTarget ?? service.Target,
                [.. build.ImageBuildArgs, .. service.BuildArgs]
            );
        if (work.Service is { Platforms: { } own } definition)
            return settings with { Platforms = own, PlatformsSource = definition.PlatformsSource };
        if (build.ImagePlatforms is not { Length: > 0 } listed)
            return settings;
        var source = Describe(nameof(IBuildImage.ImagePlatforms));
        var problems = new List<string>();
        var platforms = BuildPlatform.ParseList(string.Join(',', listed), source, problems);
        if (problems.Count > 0)
            throw new BuildFailure(problems[0]); // the preflight said it already; a direct call still stops
        return settings with { Platforms = platforms, PlatformsSource = source };
    }

    /// <summary>IMAGE_PLATFORMS checked before anything runs: each bad entry one line naming the setting and where it
    /// was set.</summary>
    public static void CheckPlatforms(IBuildImage build, PreflightChecks checks)
    {
        if (!checks.IsSet(nameof(IBuildImage.ImagePlatforms)))
            return;
        var problems = new List<string>();
        BuildPlatform.ParseList(
            string.Join(',', build.ImagePlatforms ?? []),
            checks.Describe(nameof(IBuildImage.ImagePlatforms)),
            problems
        );
        foreach (var problem in problems)
            checks.Fail(problem);
    }

    /// <summary>The same words as the preflight's: the option and where its value came from.</summary>
    private static string Describe(string member)
    {
        var option = "--" + ParameterNames.ToKebab(member);
        return
            BuildContext.Current.Parameters.Find(member) is { Source: not "default" } resolved
            && !resolved.Source.StartsWith("command line", StringComparison.Ordinal)
            ? $"{option} (from {resolved.Source})"
            : option;
    }
}
