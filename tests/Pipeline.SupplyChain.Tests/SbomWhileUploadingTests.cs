using System.Collections.Concurrent;
using Pipeline.Registry;
using Pipeline.Registry.Archives;
using Pipeline.Registry.Failover;
using Pipeline.Registry.Images;
using Pipeline.Registry.Referrers;
using Pipeline.Registry.Remote;
using Pipeline.SupplyChain.Attaching;
using Pipeline.SupplyChain.Sbom;
using Pipeline.SupplyChain.Signing;
using Pipeline.SupplyChain.Tests.Support;

namespace Pipeline.SupplyChain.Tests;

/// <summary>
/// A signed push indexes each layer for the SBOM from the bytes its upload reads (<see cref="LayerIndexingSource"/>),
/// and signs and attaches beside the upload, tags last: the first push on a machine reads each layer once, and the SBOM
/// is the one the second-pass reader makes of the same image. Layers the upload did not read (the registry had them)
/// are read once more after the push stored the blobs; layers in the index cache are not read for the SBOM at all. Real
/// docker-registry, real layout, the push targets' failover pusher.
/// </summary>
public sealed class SbomWhileUploadingTests
{
    private const string Repository = "proj/images/app";

    [RequiresToolsFact("docker-registry")]
    public async Task A_first_push_reads_each_layer_once_and_attaches_the_sbom_the_second_pass_would_make()
    {
        using var scratch = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ImageAsync(scratch);
        var reads = new CountingLayout(image.Layout);
        var indexing = new LayerIndexingSource(reads, image.Manifest, new LayerIndexCache(scratch["layers"]));

        var sbom = await SignedPushAsync(scratch, registry, image, indexing, TestOptions.Fast);

        Assert.All(image.Manifest.AsManifest().Layers, l => Assert.Equal(1, reads.Opens(l.Digest)));
        Assert.Equal(3, indexing.LayersIndexedFromUpload);
        Assert.Equal(0, indexing.LayersReadAgain);
        Assert.Equal(await SecondPassSbomAsync(registry, image), sbom);
        Assert.Equal(3, Directory.GetFiles(scratch["layers"], "*.json").Length); // kept for the next image
        await AssertSignedAndTaggedAsync(registry, image, sbom);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Chunked_uploads_which_never_read_past_the_layer_also_feed_the_sbom()
    {
        using var scratch = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ImageAsync(scratch);
        var reads = new CountingLayout(image.Layout);
        var indexing = new LayerIndexingSource(reads, image.Manifest, null);
        var chunked = TestOptions.Fast with { ChunkedUploadThreshold = 1, ChunkSize = 64 * 1024 };

        var sbom = await SignedPushAsync(scratch, registry, image, indexing, chunked);

        Assert.All(image.Manifest.AsManifest().Layers, l => Assert.Equal(1, reads.Opens(l.Digest)));
        Assert.Equal(3, indexing.LayersIndexedFromUpload);
        Assert.Equal(await SecondPassSbomAsync(registry, image), sbom);
        await AssertSignedAndTaggedAsync(registry, image, sbom);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task Layers_the_registry_already_has_are_read_after_the_push_and_give_the_same_sbom()
    {
        using var scratch = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ImageAsync(scratch);
        using (var client = new RegistryClient(registry.Host, options: TestOptions.Fast))
            await new Pipeline.Registry.Copying.ImageCopier().CopyAsync(
                image.Layout,
                image.Manifest.Digest.ToString(),
                client.Repository(registry.Repository(Repository)),
                []
            );
        var reads = new CountingLayout(image.Layout);
        var indexing = new LayerIndexingSource(reads, image.Manifest, null);

        var sbom = await SignedPushAsync(scratch, registry, image, indexing, TestOptions.Fast);

        // Not uploaded (the registry had them): each read once, for the SBOM, after the blobs were known stored.
        Assert.All(image.Manifest.AsManifest().Layers, l => Assert.Equal(1, reads.Opens(l.Digest)));
        Assert.Equal(0, indexing.LayersIndexedFromUpload);
        Assert.Equal(3, indexing.LayersReadAgain);
        Assert.Equal(await SecondPassSbomAsync(registry, image), sbom);
        await AssertSignedAndTaggedAsync(registry, image, sbom);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task With_the_layers_in_the_index_cache_the_sbom_reads_none_and_the_upload_each_once()
    {
        using var scratch = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ImageAsync(scratch);
        var cache = new LayerIndexCache(scratch["layers"]);
        await ImageContents.ReadAsync(image.Layout, image.Manifest, cache);
        var reads = new CountingLayout(image.Layout);
        var indexing = new LayerIndexingSource(reads, image.Manifest, cache);

        var sbom = await SignedPushAsync(scratch, registry, image, indexing, TestOptions.Fast);

        Assert.All(image.Manifest.AsManifest().Layers, l => Assert.Equal(1, reads.Opens(l.Digest)));
        Assert.Equal(0, indexing.LayersIndexedFromUpload);
        Assert.Equal(0, indexing.LayersReadAgain);
        Assert.Equal(await SecondPassSbomAsync(registry, image), sbom);
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_push_whose_attaching_fails_writes_no_tag()
    {
        using var scratch = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ImageAsync(scratch);
        var indexing = new LayerIndexingSource(image.Layout, image.Manifest, null);
        var pusher = new FailoverPusher(new FallbackLedger(scratch["ledger"], scratch["artifacts"]), TestOptions.Fast);

        var error = await Assert.ThrowsAsync<SupplyChainException>(() =>
            pusher.PushAsync(
                "staging",
                indexing,
                image.Manifest.Digest.ToString(),
                [RegistryDestination.ForRegistry("gar", Reference.Parse(registry.Reference(Repository)))],
                ["v1"],
                null,
                async (blobsStored, ct) =>
                {
                    await indexing.IndexesAsync(blobsStored, ct);
                    throw new SupplyChainException("the signer refused");
                },
                CancellationToken.None
            )
        );

        Assert.Equal("the signer refused", error.Message);
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        Assert.Empty(await client.Repository(registry.Repository(Repository)).ListTagsAsync());
    }

    private static async Task<ImportedImage> ImageAsync(TempFolder scratch) =>
        await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(scratch["image.tar"], 3, 300_000, seed: 7),
            scratch["layout"]
        );

    /// <summary>The push targets' path: the failover pusher, the SBOM from the indexes the upload made, signed and
    /// attached into the layout beside the upload. Returns the SBOM.</summary>
    private static async Task<byte[]> SignedPushAsync(
        TempFolder scratch,
        SharedRegistry registry,
        ImportedImage image,
        LayerIndexingSource indexing,
        RegistryClientOptions options
    )
    {
        using var signer = EcdsaKeySigner.FromPem(TestOptions.NewKeyPem(), "test key");
        byte[]? sbom = null;
        var repositoryName = registry.Reference(Repository);
        await new FailoverPusher(new FallbackLedger(scratch["ledger"], scratch["artifacts"]), options).PushAsync(
            "staging",
            indexing,
            image.Manifest.Digest.ToString(),
            [RegistryDestination.ForRegistry("gar", Reference.Parse(repositoryName))],
            ["v1"],
            null,
            async (blobsStored, ct) =>
            {
                sbom = await ImageSbom.CreateAsync(
                    await indexing.IndexesAsync(blobsStored, ct),
                    image.Manifest,
                    repositoryName,
                    DateTimeOffset.UnixEpoch,
                    [],
                    ct
                );
                await new ImageAttestor(signer).AttachAsync(
                    image.Layout,
                    image.Manifest,
                    repositoryName,
                    SignedImage.Facts(),
                    sbom,
                    ct
                );
            },
            CancellationToken.None
        );
        return sbom!;
    }

    /// <summary>The SBOM of the same image from the reader that reads every layer after the fact.</summary>
    private static Task<byte[]> SecondPassSbomAsync(SharedRegistry registry, ImportedImage image) =>
        ImageSbom.CreateAsync(
            image.Layout,
            image.Manifest,
            registry.Reference(Repository),
            DateTimeOffset.UnixEpoch,
            []
        );

    private static async Task AssertSignedAndTaggedAsync(SharedRegistry registry, ImportedImage image, byte[] sbom)
    {
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        var repository = client.Repository(registry.Repository(Repository));
        Assert.Equal(image.Manifest.Digest, await repository.ResolveAsync("v1", default));
        var attached = await new AttachedArtifacts().ListAsync(repository, image.Manifest.Digest);
        Assert.Equal(
            AttachmentTag.Kinds.Order(StringComparer.Ordinal),
            attached.Select(a => a.Kind).Order(StringComparer.Ordinal)
        );
        var sbomLayer = attached.Single(a => a.Kind == AttachmentTag.Sbom).Manifest.AsManifest().Layers.Single();
        Assert.Equal(Digest.Sha256(sbom), sbomLayer.Digest);
    }

    /// <summary>The layout, counting how often each blob is opened (an upload's read, or the SBOM's).</summary>
    private sealed class CountingLayout(IImageTarget inner) : ImageTargetDecorator(inner)
    {
        private readonly ConcurrentDictionary<Digest, int> _opens = new();

        public int Opens(Digest blob) => _opens.GetValueOrDefault(blob);

        public override Task<Stream> OpenBlobAsync(Descriptor blob, CancellationToken ct)
        {
            _opens.AddOrUpdate(blob.Digest, 1, (_, n) => n + 1);
            return base.OpenBlobAsync(blob, ct);
        }
    }
}
