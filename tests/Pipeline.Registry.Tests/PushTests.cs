using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>Push from a docker-archive to a real registry (the assembly's shared one, a namespace per test); skopeo
/// checks the result independently.</summary>
public sealed class PushTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Pushes_a_docker_archive_that_skopeo_reads_with_the_same_digest()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var archive = await RegistryTestImage.WriteDockerArchiveAsync(
            temp["image.tar"],
            layers: 3,
            layerBytes: 200_000
        );
        var image = await ArchiveLoader.LoadAsync(archive, temp["layout"]);

        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        var repo = client.Repository(registry.Repository("team/app"));
        var result = await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            repo,
            ["v1", "latest"]
        );

        Assert.Equal(image.Manifest.Digest, result.Digest);
        Assert.Equal(4, result.BlobsUploaded); // 3 layers + config
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("team/app")}:v1")
        );
        Assert.Equal(["latest", "v1"], (await repo.ListTagsAsync()).Order());
    }

    [RequiresToolsFact("docker-registry")]
    public async Task A_second_push_sends_no_blob_and_a_changed_layer_sends_only_that_layer()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        var repo = client.Repository(registry.Repository("team/app"));
        var copier = new ImageCopier();

        var first = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 4, 100_000),
            temp["layout"]
        );
        await copier.CopyAsync(first.Layout, first.Manifest.Digest.ToString(), repo, ["one"]);

        var again = await copier.CopyAsync(first.Layout, first.Manifest.Digest.ToString(), repo, ["one"]);
        Assert.Equal(0, again.BlobsUploaded);
        Assert.Equal(0, again.BytesSent);
        Assert.Equal(5, again.BlobsPresent);

        var changed = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["b.tar"], 4, 100_000, changedLayer: 2, changedSeed: 7),
            temp["layout"]
        );
        var manifest = changed.Manifest.AsManifest();
        var changedLayer = manifest.Layers[2];
        var result = await copier.CopyAsync(changed.Layout, changed.Manifest.Digest.ToString(), repo, ["two"]);
        Assert.Equal(2, result.BlobsUploaded); // the changed layer and the new config
        Assert.Equal(changedLayer.Size + manifest.Config.Size, result.BytesSent);
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Large_blobs_go_up_in_chunks_and_arrive_intact()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var options = TestOptions.Fast with { ChunkedUploadThreshold = 300_000, ChunkSize = 128 * 1024 };
        using var client = new RegistryClient(registry.Host, options: options);
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 700_000),
            temp["layout"]
        );

        var result = await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(registry.Repository("chunked/app")),
            ["v1"]
        );

        Assert.True(client.Statistics.Requests > 12, $"expected many PATCH requests, saw {client.Statistics.Requests}");
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("chunked/app")}:v1")
        );
        Assert.Equal(result.Digest, image.Manifest.Digest);
    }
}
