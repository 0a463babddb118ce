using System.Globalization;
using System.Text;
using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Containers;
using Pipeline.Containers.Build;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Containers.Images;
using Pipeline.Containers.Prune;
using Pipeline.Containers.Tags;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Engine.Results;

namespace Pipeline.Components.Containers;

/// <summary>What the BuildImage target does, kept out of the interface so the component reads as a
/// declaration.</summary>
internal static class BuildImageTarget
{
    public static Task RunAsync(IBuildImage build) =>
        build.HasServices ? ServiceBuilds.RunAsync(build) : BuildRepositoryImageAsync(build);

    /// <summary>The repository's one image: its result and the plain <c>image-*</c> outputs.</summary>
    private static async Task BuildRepositoryImageAsync(IBuildImage build)
    {
        var built = await BuildOneAsync(build, ImageWork.Of(build));
        build.SetResult(() => build.BuiltImage, built);
        StepOutputs.Set("image-id", built.Id);
        StepOutputs.Set("image-digest", built.Digest?.ToString() ?? "");
        StepOutputs.Set("image-size", built.Size.ToString(CultureInfo.InvariantCulture));
        StepOutputs.Set("image-layers", built.Layers.ToString(CultureInfo.InvariantCulture));
        StepOutputs.Set("image-tags", string.Join(",", built.Tags));
        StepOutputs.Set("image-ref", built.Reference);
        StepOutputs.Set("image-archive", built.Archive is null ? "" : built.Archive.RelativeTo(build.RootDirectory));
    }

    /// <summary>Builds one image, the repository's or a service's (<paramref name="work"/>); the caller keeps the
    /// result.</summary>
    public static async Task<BuiltImage> BuildOneAsync(IBuildImage build, ImageWork work)
    {
        // Everything that can be wrong in the inputs fails here, before the engine is even asked.
        var name = Guard(
            () => ImageNames.ValidateRepository(work.ImageName, "--image-name / IMAGE_NAME"),
            work.ImageName
        );
        var settings = ImageBuildSettings.For(build, work);
        var buildArgs = ParseBuildArgs(settings.BuildArgs);
        var facts = await ImageFacts.GatherAsync(build, work);
        var tags = build.ImageTags is { Length: > 0 } explicitTags
            ? explicitTags
                .Select(t => Guard(() => ImageNames.ValidateTag(t, "--image-tags / IMAGE_TAGS"), t))
                .Distinct()
                .ToList()
            : Guard(() =>
                TagPolicy
                    .Compute(
                        facts.TagInput,
                        new TagPolicyOptions(build.MainBranch, build.StagingBranch ?? build.MainBranch)
                    )
                    .ToList()
            );
        var references = tags.Select(t => $"localhost/{name}:{t}").ToList();
        var created = build.SourceDateEpoch is { } epoch
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : DateTimeOffset.UtcNow;
        // CalVer: the release version hook, a tag push, or the tag TagCalVer will make after this image built.
        var version =
            build.ImageVersion ?? facts.TagInput.CalVer ?? await PlannedReleaseTagAsync(build, work) ?? tags[0];
        var labels = OciLabels.Create(facts.SourceUrl, facts.Sha, created, version, name);
        var containerfile = settings.Containerfile?.Value;

        Log.Info(
            $"Image {name}: tags "
                + $"{string.Join(", ", tags)}{(settings.Target is null ? "" : $", target {settings.Target}")}"
        );
        await using var engine = await build.ConnectContainerEngineAsync();
        var request = new ImageBuildRequest
        {
            ContextDirectory = settings.Context,
            Containerfile = containerfile,
            Tags = references,
            Target = settings.Target,
            BuildArgs = buildArgs,
            Labels = labels,
            NoCache = build.ImageNoCache,
            Timestamp = build.SourceDateEpoch is null ? null : created,
            Isolation = build.ImageIsolation,
        };

        if (settings.Platforms.Count > 1)
        {
            return await MultiPlatformBuild.RunAsync(
                build,
                engine,
                request,
                new MultiPlatformBuild.Job(work, name, tags, references, version, settings)
            );
        }

        if (settings.Platforms is [var only])
        {
            // One platform named: the same path, built for that platform, with the arguments a Containerfile picks by.
            request = request with
            {
                Platform = only.ToString(),
                BuildArgs = new Dictionary<string, string>(
                    only.BuildArgs().Concat(buildArgs).DistinctBy(p => p.Key).ToDictionary()
                ),
            };
        }

        var image = await BuildWithFailureAsync(build, engine, request, $"Building {name}");
        var stem = ImageResult.FileStem(name);
        var directory = build.ImagesDirectory.CreateDirectory();
        string? archiveName = null;
        AbsolutePath? archive = null;
        if (build.ImageExport)
        {
            archiveName = stem + ".tar";
            archive = directory / archiveName;
            using var bar = Progress.Start(
                $"Exporting {name} to {(directory / archiveName).RelativeTo(build.RootDirectory)}"
            );
            try
            {
                var bytes = await new ImageExport(engine).SaveAsync(
                    references,
                    directory / archiveName,
                    new SyncProgress<long>(done => bar.Report(done))
                );
                Log.Info(
                    $"Archive: {(directory / archiveName).RelativeTo(build.RootDirectory)} ({Bytes.Format(bytes)})"
                );
            }
            catch (ContainerException e)
            {
                throw new BuildFailure(e.Message, inner: e);
            }
        }

        var result = new ImageResult(
            name,
            image.Id,
            image.Digest,
            image.Size,
            image.LayerCount,
            tags,
            references,
            archiveName,
            image.Created,
            settings.Target,
            image.Labels
        );
        var resultPath = directory / (stem + ".json");
        await result.WriteAsync(resultPath);
        var built = new BuiltImage(
            name,
            references[0],
            image.Id,
            // RepoDigests' digest part: the engine's own, so one it cannot have written is read as none
            Pipeline.Registry.Digest.TryParse(image.Digest, out var digest)
                ? digest
                : null,
            tags,
            archive,
            version,
            image.Size,
            image.LayerCount,
            settings.Target
        );
        Report(build, result, engine, resultPath);
        return built;
    }

    /// <summary>One engine build with its bar; a failed step becomes one line naming the Containerfile line (an
    /// annotation on Actions).</summary>
    internal static async Task<ImageDetails> BuildWithFailureAsync(
        IBuildImage build,
        ContainerEngine engine,
        ImageBuildRequest request,
        string title,
        string? prefix = null
    )
    {
        using var bar = Progress.Start(title);
        var progress = new SyncProgress<BuildProgress>(step => bar.Report(step.Step, step.StepCount, step.ToString()));
        try
        {
            return await new ImageBuilder(engine, Log.Logger).BuildAsync(request, progress);
        }
        catch (ImageBuildException e)
        {
            if (e.StepOutput.Count > 0)
            {
                Log.Info(
                    $"Output of the failing step ({e.Step}):\n  " + string.Join("\n  ", e.StepOutput.TakeLast(40))
                );
            }

            var file = e.Containerfile is null
                ? null
                : new AbsolutePath(e.Containerfile).RelativeTo(build.RootDirectory);
            throw new BuildFailure(prefix + e.Message, file, e.Line, e);
        }
        catch (ContainerException e)
        {
            throw new BuildFailure(prefix + e.Message, inner: e);
        }
    }

    /// <summary>The summary table of one built image.</summary>
    internal static void Report(IBuildImage build, ImageResult result, ContainerEngine engine, AbsolutePath resultPath)
    {
        Summary.Append(Markdown(result, engine.ToString()));
        Log.Info($"Image result: {resultPath.RelativeTo(build.RootDirectory)}");
    }

    private static async Task<string?> PlannedReleaseTagAsync(IBuildImage build, ImageWork work) =>
        build is IHazReleaseTag { TagsInThisRun: true } tagger
            ? await tagger.PlannedReleaseTagAsync(work.TagPrefix ?? "")
            : null;

    private static string Markdown(ImageResult result, string engine)
    {
        var text = new StringBuilder($"### Image `{result.Name}`\n\n| | |\n|---|---|\n");
        text.Append($"| Tags | {string.Join(", ", result.Tags.Select(t => $"`{t}`"))} |\n");
        if (result.Target is not null)
            text.Append($"| Target | `{result.Target}` |\n");
        text.Append($"| Id | `{result.Id}` |\n");
        if (result.Digest is not null)
            text.Append($"| {(result.IndexDigest is null ? "Digest" : "Index digest")} | `{result.Digest}` |\n");
        foreach (var child in result.Platforms ?? [])
            text.Append($"| {child.Platform} | `{child.Digest}` (`{child.Reference}`) |\n");
        text.Append($"| Size | {Bytes.Format(result.Size)} in {result.Layers} layer(s) |\n");
        text.Append($"| Engine | {engine} |\n");
        return text.ToString();
    }

    internal static Dictionary<string, string> ParseBuildArgs(IEnumerable<string> args)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var arg in args)
        {
            var equals = arg.IndexOf('=');
            if (equals <= 0)
                throw new BuildFailure($"--image-build-args / IMAGE_BUILD_ARGS: '{arg}' is not KEY=VALUE");
            parsed[arg[..equals].Trim()] = arg[(equals + 1)..];
        }

        return parsed;
    }

    private static T Guard<T>(Func<T> compute)
    {
        try
        {
            return compute();
        }
        catch (InvalidImageReferenceException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }

    private static string Guard(Action validate, string value)
    {
        try
        {
            validate();
            return value;
        }
        catch (InvalidImageReferenceException e)
        {
            throw new BuildFailure(e.Message, inner: e);
        }
    }

    /// <summary>Reports synchronously (no SynchronizationContext hop), so bars follow the build output line for
    /// line.</summary>
    internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
