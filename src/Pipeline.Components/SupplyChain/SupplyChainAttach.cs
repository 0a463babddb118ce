using Microsoft.Extensions.FileSystemGlobbing;
using Pipeline.Components.Registry;
using Pipeline.Components.Services;
using Pipeline.Engine.Caching;
using Pipeline.Engine.Execution;
using Pipeline.Engine.Output;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.SupplyChain;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Sbom;

namespace Pipeline.Components.SupplyChain;

/// <summary>
/// Inside the push targets, beside the upload: signs the image and attaches provenance and the SBOM to the local layout
/// the push reads, so the failover pusher carries them to whichever destination takes the image, before its tags. A
/// one-platform image's SBOM is indexed from its layers as the push reads them (<see cref="PushToAttach.Reads"/>); a
/// multi-platform image is signed before the push, each platform's layers read for its SBOM.
/// </summary>
internal static class SupplyChainAttach
{
    /// <summary>What the push records of this run's attachments: their digests, or null when nothing was
    /// attached.</summary>
    public static async Task<ImageAttachments?> ForPushAsync(ISupplyChain build, PushToAttach push) =>
        await RunAsync(build, push) is { } set
            ? new ImageAttachments(set.Signature.ToString(), set.Attestations.ToString(), set.Sbom.ToString())
            : null;

    public static async Task<AttachedSet?> RunAsync(ISupplyChain build, PushToAttach push)
    {
        var (image, repositoryName, purpose, tags, target) = (
            push.Image,
            push.RepositoryName,
            push.Purpose,
            push.Tags,
            push.Target
        );
        var work = new ImageWork(push.ImageName, push.Service);
        var signer = await SigningInputs.SignerAsync(build);
        if (signer is null)
        {
            Log.Warn(
                $"{target}: the image is pushed unsigned (no --signing-key / SIGNING_KEY, no --sign-keyless); Verify "
                    + $"and Deploy will refuse it"
            );
            return null;
        }

        try
        {
            // One platform: the push reads the layers through the indexer, so the SBOM comes from the upload's read.
            var indexing =
                image.Manifest.IsIndex || push.Reads is null
                    ? null
                    : new LayerIndexingSource(image.Layout, image.Manifest, LayerIndexes);
            if (indexing is not null)
                push.Reads!.ReadThrough(indexing);
            var facts = await ProvenanceFacts.GatherAsync(build, work, purpose, tags);
            var created = build.SourceDateEpochOrNow();
            if (image.Manifest.IsIndex)
                return await AttachIndexAsync(build, push, signer, facts, created, work);
            var sbom = indexing is null
                ? await ImageSbom.CreateAsync(
                    image.Layout,
                    image.Manifest,
                    repositoryName,
                    created,
                    BuildAssets(build),
                    LayerIndexes
                )
                : await ImageSbom.CreateAsync(
                    await indexing.IndexesAsync(push.Reads!.BlobsStored, BuildContext.Current.Cancellation),
                    image.Manifest,
                    repositoryName,
                    created,
                    BuildAssets(build)
                );
            var sbomFile = build.ArtifactsDirectory / "images" / $"{work.ImageName}.{purpose}.cdx.json";
            await File.WriteAllBytesAsync(sbomFile, sbom);
            var attached = await new ImageAttestor(signer, Log.Logger).AttachAsync(
                image.Layout,
                image.Manifest,
                repositoryName,
                facts with
                {
                    FinishedOn = DateTimeOffset.UtcNow,
                },
                sbom
            );
            Log.Info(
                $"{target}: signed {image.Manifest.Digest.Short}; provenance and SBOM "
                    + $"({sbomFile.RelativeTo(build.RootDirectory)}) attached"
            );
            return attached;
        }
        catch (SupplyChainException e)
        {
            throw new BuildFailure($"{target}: {e.Message}");
        }
        catch (RegistryException e)
        {
            throw new BuildFailure($"{target}: {e.Message}");
        }
        finally
        {
            (signer as IDisposable)?.Dispose();
        }
    }

    /// <summary>A multi-platform image: the index signed with its provenance, one SBOM per child
    /// (<c>&lt;name&gt;.&lt;purpose&gt;.&lt;arch&gt;.cdx.json</c>).</summary>
    private static async Task<AttachedSet> AttachIndexAsync(
        ISupplyChain build,
        PushToAttach push,
        Pipeline.SupplyChain.Signing.ISigner signer,
        Pipeline.SupplyChain.Provenance.BuildFacts facts,
        DateTimeOffset created,
        ImageWork work
    )
    {
        var image = push.Image;
        var children = new List<(Pipeline.Registry.Images.RawManifest, byte[])>();
        var files = new List<string>();
        foreach (var descriptor in image.Manifest.AsIndex().Manifests)
        {
            var child = await image.Layout.GetManifestAsync(
                descriptor.Digest.ToString(),
                BuildContext.Current.Cancellation
            );
            var sbom = await ImageSbom.CreateAsync(
                image.Layout,
                child,
                push.RepositoryName,
                created,
                BuildAssets(build),
                LayerIndexes
            );
            var suffix = descriptor.Platform is { } platform
                ? platform.Architecture + platform.Variant
                : descriptor.Digest.Short;
            var file = build.ArtifactsDirectory / "images" / $"{work.ImageName}.{push.Purpose}.{suffix}.cdx.json";
            await File.WriteAllBytesAsync(file, sbom);
            files.Add(file.RelativeTo(build.RootDirectory));
            children.Add((child, sbom));
        }

        var attached = await new ImageAttestor(signer, Log.Logger).AttachIndexAsync(
            image.Layout,
            image.Manifest,
            children,
            push.RepositoryName,
            facts with
            {
                FinishedOn = DateTimeOffset.UtcNow,
            }
        );
        Log.Info(
            $"{push.Target}: signed index {image.Manifest.Digest.Short} with its provenance; an SBOM attached to "
                + $"each of its {children.Count} platform images ({string.Join(", ", files)})"
        );
        return attached;
    }

    /// <summary>Layer indexes in the per-user cache folder (next to the target cache's entries): a base layer is read
    /// once per machine.</summary>
    private static LayerIndexCache LayerIndexes =>
        new(Path.Combine(LocalCacheStore.DefaultDirectory(System.Environment.GetEnvironmentVariable), "sbom-layers"));

    private static DateTimeOffset SourceDateEpochOrNow(this ISupplyChain build) =>
        build is Containers.IBuildImage { SourceDateEpoch: { } epoch }
            ? DateTimeOffset.FromUnixTimeSeconds(epoch)
            : DateTimeOffset.UtcNow;

    private static IEnumerable<string> BuildAssets(ISupplyChain build)
    {
        var matcher = new Matcher();
        matcher.AddIncludePatterns(build.SbomBuildAssets);
        return matcher.GetResultsInFullPath(build.RootDirectory).Order(StringComparer.Ordinal);
    }
}
