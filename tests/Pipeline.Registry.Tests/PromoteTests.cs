using Pipeline.Registry.Archives;
using Pipeline.Registry.Copying;
using Pipeline.Registry.Remote;

namespace Pipeline.Registry.Tests;

/// <summary>Promotion copies by digest, never rebuilding: mounts inside one registry, streams between two.</summary>
public sealed class PromoteTests
{
    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Promotion_within_one_registry_mounts_every_blob_and_sends_no_bytes()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 3, 80_000),
            temp["layout"]
        );
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            client.Repository(registry.Repository("proj/staging/app")),
            ["staging-abc"]
        );

        var promoted = await new ImageCopier().CopyAsync(
            client.Repository(registry.Repository("proj/staging/app")),
            "staging-abc",
            client.Repository(registry.Repository("proj/release/app")),
            ["v26.11.23.1"]
        );

        Assert.Equal(4, promoted.BlobsMounted);
        Assert.Equal(0, promoted.BytesSent);
        Assert.Equal(image.Manifest.Digest, promoted.Digest);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{registry.Reference("proj/release/app")}:v26.11.23.1")
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task Promotion_between_registries_keeps_the_digest_and_adds_a_tag_to_the_same_manifest()
    {
        using var temp = new TempFolder();
        var ghcr = await SharedRegistry.OpenAsync();
        var gar = await SharedRegistry.OpenOtherAsync();
        var image = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["a.tar"], 2, 80_000),
            temp["layout"]
        );
        using var ghcrClient = new RegistryClient(ghcr.Host, options: TestOptions.Fast);
        using var garClient = new RegistryClient(gar.Host, options: TestOptions.Fast);
        await new ImageCopier().CopyAsync(
            image.Layout,
            image.Manifest.Digest.ToString(),
            ghcrClient.Repository(ghcr.Repository("owner/app")),
            ["pr-3"]
        );

        var staged = await new ImageCopier().CopyAsync(
            ghcrClient.Repository(ghcr.Repository("owner/app")),
            image.Manifest.Digest.ToString(),
            garClient.Repository(gar.Repository("proj/images/app")),
            ["staging-1234567"]
        );
        var released = await new ImageCopier().CopyAsync(
            garClient.Repository(gar.Repository("proj/images/app")),
            "staging-1234567",
            garClient.Repository(gar.Repository("proj/images/app")),
            ["v26.11.23.1"]
        );

        Assert.Equal(3, staged.BlobsUploaded);
        Assert.Equal(0, released.BlobsUploaded + released.BlobsMounted); // same repository: everything already there
        Assert.Equal(3, released.BlobsPresent);
        Assert.Equal(
            image.Manifest.Digest.ToString(),
            await Skopeo.InspectDigestAsync($"docker://{gar.Reference("proj/images/app")}:v26.11.23.1")
        );
        Assert.Equal(
            ["staging-1234567", "v26.11.23.1"],
            (await garClient.Repository(gar.Repository("proj/images/app")).ListTagsAsync()).Order()
        );
    }

    [RequiresToolsFact("docker-registry", "skopeo")]
    public async Task An_index_is_copied_with_its_children()
    {
        using var temp = new TempFolder();
        var registry = await SharedRegistry.OpenAsync();
        var amd = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["amd.tar"], 1, 20_000, seed: 1),
            temp["layout"]
        );
        var arm = await ArchiveLoader.LoadAsync(
            await RegistryTestImage.WriteDockerArchiveAsync(temp["arm.tar"], 1, 20_000, seed: 2),
            temp["layout"]
        );
        var index = Images.RawManifest.From(
            new Images.ImageIndex
            {
                MediaType = Images.MediaTypes.OciIndex,
                Manifests =
                [
                    amd.Manifest.Descriptor with
                    {
                        Platform = new Images.Platform { Os = "linux", Architecture = "amd64" },
                    },
                    arm.Manifest.Descriptor with
                    {
                        Platform = new Images.Platform { Os = "linux", Architecture = "arm64" },
                    },
                ],
            }
        );
        await amd.Layout.PutManifestAsync(index, "multi", default);
        using var client = new RegistryClient(registry.Host, options: TestOptions.Fast);

        var result = await new ImageCopier().CopyAsync(
            amd.Layout,
            "multi",
            client.Repository(registry.Repository("multi/app")),
            ["v1"]
        );

        Assert.Equal(index.Digest, result.Digest);
        Assert.Equal(4, result.BlobsUploaded);
        Assert.Equal(
            index.Digest.ToString(),
            (
                await Skopeo.RunAsync([
                    "inspect",
                    "--tls-verify=false",
                    "--raw",
                    $"docker://{registry.Reference("multi/app")}:v1",
                ])
            )
                is { } raw
                ? Digest.Sha256(System.Text.Encoding.UTF8.GetBytes(raw)).ToString()
                : ""
        );
    }
}
