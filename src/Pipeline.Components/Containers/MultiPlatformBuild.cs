using Pipeline.Components.Services;
using Pipeline.Components.Shared;
using Pipeline.Containers;
using Pipeline.Containers.Build;
using Pipeline.Containers.ContainerEngines;
using Pipeline.Containers.Images;
using Pipeline.Containers.Prune;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Engine.Paths;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Images;

namespace Pipeline.Components.Containers;

/// <summary>
/// BuildImage for more than one platform: one engine build per platform (the engine's <c>platform</c> and BuildKit's
/// <c>TARGETPLATFORM</c>/<c>TARGETOS</c>/<c>TARGETARCH</c>/<c>TARGETVARIANT</c> arguments), each tagged
/// <c>localhost/&lt;name&gt;:&lt;tag&gt;-&lt;arch&gt;</c> (the engine's own platform also gets the plain tags, so a
/// local run finds it), then every child exported, turned into the OCI manifest a registry will store, checked to
/// really be the platform asked for, and named by one OCI image index. <c>artifacts/images/&lt;name&gt;.tar</c> is then
/// an OCI archive holding the index and every child: the push sends those bytes unchanged, so the index digest in the
/// result is the one the registry will hold.
/// </summary>
internal static class MultiPlatformBuild
{
    /// <summary>What <see cref="BuildImageTarget.BuildOneAsync"/> settled before the engine was asked.</summary>
    public sealed record Job(
        ImageWork Work,
        string Name,
        IReadOnlyList<string> Tags,
        IReadOnlyList<string> References,
        string Version,
        ImageBuildSettings Settings
    );

    public static async Task<BuiltImage> RunAsync(
        IBuildImage build,
        ContainerEngine engine,
        ImageBuildRequest request,
        Job job
    )
    {
        var platforms = job.Settings.Platforms;
        var who = job.Work.Service is { } service ? $"service {service.Name}" : $"image {job.Name}";
        var source = job.Settings.PlatformsSource ?? "platforms";
        var host = await engine.PlatformAsync(BuildContext.Current.Cancellation);
        var hostIndex = platforms
            .ToList()
            .FindIndex(p => p.ToString() == host || (p.Variant is null && $"{p.Os}/{p.Architecture}" == host));
        Log.Info(
            $"Image {job.Name}: {platforms.Count} platforms ({string.Join(", ", platforms)}; "
                + $"{source}), the engine's own: {host ?? "unknown"}"
        );

        // Per-platform local tags first, so a bad one (too long) stops before the first build.
        var childReferences = platforms
            .Select(p => job.Tags.Select(t => $"localhost/{job.Name}:{t}-{p.TagSuffix}").ToList())
            .ToList();
        foreach (var reference in childReferences.SelectMany(r => r))
        {
            try
            {
                ImageNames.ValidateReference(reference, source);
            }
            catch (InvalidImageReferenceException e)
            {
                throw new BuildFailure($"{who}: {e.Message}", inner: e);
            }
        }

        var images = new List<ImageDetails>();
        for (var i = 0; i < platforms.Count; i++)
        {
            var platform = platforms[i];
            var args = new Dictionary<string, string>(request.BuildArgs, StringComparer.Ordinal);
            foreach (var (key, value) in platform.BuildArgs())
                args[key] = value;
            var child = request with
            {
                Platform = platform.ToString(),
                BuildArgs = args,
                Tags = i == hostIndex ? [.. childReferences[i], .. job.References] : childReferences[i],
            };
            images.Add(
                await BuildImageTarget.BuildWithFailureAsync(
                    build,
                    engine,
                    child,
                    $"Building {job.Name} for {platform}",
                    $"{who}, platform {platform} ({source}): "
                )
            );
        }

        var stem = ImageResult.FileStem(job.Name);
        var work = build.TemporaryDirectory / "images" / stem;
        if (Directory.Exists(work))
            Directory.Delete(work, recursive: true);
        work.CreateDirectory();
        // A fresh layout each build: the archive packs every blob of it, so nothing from an earlier build rides along.
        var layout = OciLayout.OpenOrCreate(work / "layout");
        var children = new List<(Platform Platform, RawManifest Manifest)>();
        var results = new List<PlatformImage>();
        using (var bar = Progress.Start($"Assembling the index of {job.Name}", platforms.Count))
        {
            for (var i = 0; i < platforms.Count; i++)
            {
                var platform = platforms[i];
                var tar = work / $"{platform.TagSuffix}.docker.tar";
                ImportedImage imported;
                try
                {
                    await new ImageExport(engine).SaveAsync([childReferences[i][0]], tar);
                    imported = await DockerArchive.ImportAsync(tar, layout, new ImportOptions(), Log.Logger);
                }
                catch (Exception e) when (e is ContainerException or RegistryException)
                {
                    throw new BuildFailure($"{who}, platform {platform}: {e.Message}", inner: e);
                }
                finally
                {
                    File.Delete(tar);
                }

                var config = imported.Manifest.AsManifest().Config;
                var built = PlatformIndex.ReadPlatform(await File.ReadAllBytesAsync(layout.BlobPath(config.Digest)));
                var declared = new Platform
                {
                    Os = platform.Os,
                    Architecture = platform.Architecture,
                    Variant = platform.Variant,
                };
                if (
                    built.Os != declared.Os
                    || built.Architecture != declared.Architecture
                    || (declared.Variant is not null && built.Variant != declared.Variant)
                )
                {
                    // An engine without that platform (or a cache hit from another one) would otherwise ship a
                    // mislabelled child.
                    throw new BuildFailure(
                        $"{who}, platform {platform} ({source}): the engine built an "
                            + $"image for {built}, not {platform}; it cannot build this platform"
                    );
                }

                children.Add((declared, imported.Manifest));
                results.Add(
                    new PlatformImage(
                        platform.ToString(),
                        images[i].Id,
                        imported.Manifest.Digest.ToString(),
                        childReferences[i][0]
                    )
                );
                bar.Report(i + 1, platforms.Count, platform.ToString());
            }
        }

        var index = PlatformIndex.Create(children);
        await layout.PutManifestAsync(index, job.Tags[0], BuildContext.Current.Cancellation);
        var directory = build.ImagesDirectory.CreateDirectory();
        string? archiveName = null;
        AbsolutePath? archive = null;
        if (build.ImageExport)
        {
            archiveName = stem + ".tar";
            archive = directory / archiveName;
            await OciArchive.PackAsync(layout, archive);
            Log.Info(
                $"Archive: {archive.RelativeTo(build.RootDirectory)} (OCI archive: index "
                    + $"{index.Digest.Short} and {platforms.Count} platforms, "
                    + $"{Bytes.Format(new FileInfo(archive).Length)})"
            );
        }

        Directory.Delete(work, recursive: true);
        var main = hostIndex >= 0 ? images[hostIndex] : images[0];
        var references = (hostIndex >= 0 ? job.References : []).Concat(childReferences.SelectMany(r => r)).ToList();
        var result = new ImageResult(
            job.Name,
            main.Id,
            index.Digest.ToString(),
            images.Sum(i => i.Size),
            main.LayerCount,
            job.Tags,
            references,
            archiveName,
            main.Created,
            job.Settings.Target,
            main.Labels
        )
        {
            Platforms = results,
            IndexDigest = index.Digest.ToString(),
        };
        var resultPath = directory / (stem + ".json");
        await result.WriteAsync(resultPath);
        BuildImageTarget.Report(build, result, engine, resultPath);
        Log.Info(
            $"Image {job.Name}: index {index.Digest} names "
                + $"{string.Join(", ", results.Select(r => $"{r.Platform} {Digest.Parse(r.Digest).Short}"))}"
        );
        return new BuiltImage(
            job.Name,
            references[0],
            main.Id,
            index.Digest,
            job.Tags,
            archive,
            job.Version,
            result.Size,
            main.LayerCount,
            job.Settings.Target
        )
        {
            Platforms = results,
            IndexDigest = index.Digest,
        };
    }
}
